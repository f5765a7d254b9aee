import Foundation
import XCTest
import NNSwift
import NNSwiftTraining
import NNSwiftTestSupport

/// Training data errors name the file, the line where the structure begins and its index.
final class DatasetLoadTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory("dataset") }
    override func tearDownWithError() throws { dir.remove() }

    func write(_ name: String, _ text: String) throws -> String { try dir.write(name, text) }

    func frame(energy: String, force: String = "0", second: String = "2.5 0 0") -> String {   // second atom: x y z
        "2\nProperties=species:S:1:pos:R:3:forces:R:3 energy=\(energy)\nAu 0 0 0 \(force) 0 0\nAu \(second) 0 0 0\n"
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        XCTFail("no error thrown")
        return ""
    }

    /// Reference energies or forces whose squares overflow (1e308) would make the loss infinite:
    /// a located error instead of a silent inf.
    func testHugeReferenceValuesAreLocatedErrors() throws {
        let e = try write("e.xyz", frame(energy: "-10") + frame(energy: "1e308"))
        XCTAssertTrue(message { _ = try Dataset.load(paths: [e]) }.hasPrefix("\(e):5: structure 2: reference energy 1e+308"))
        let f = try write("f.xyz", frame(energy: "-10", force: "3e200"))
        XCTAssertTrue(message { _ = try Dataset.load(paths: [f]) }.hasPrefix("\(f):1: structure 1: reference force on atom 1"))
        let none = try write("n.xyz", frame(energy: "-10") + "1\nProperties=species:S:1:pos:R:3\nAu 0 0 0\n")
        XCTAssertEqual(message { _ = try Dataset.load(paths: [none]) }, "\(none):5: structure 2 has no energy")
        let empty = try write("z.xyz", frame(energy: "-10") + "0\nenergy=0\n")
        XCTAssertEqual(message { _ = try Dataset.load(paths: [empty]) }, "\(empty):5: structure 2 has no atoms")
    }

    /// Overlapping atoms in the third structure of a training file: the trainer's error names
    /// the file, the line and the index (not the position in the shuffled training split).
    func testTrainingGeometryErrorIsLocated() throws {
        let path = try write("d.xyz", frame(energy: "-10") + frame(energy: "-11") + frame(energy: "-12", second: "0 0 0"))
        var cfg = TrainingConfig(data: [path])
        cfg.validationFraction = 0; cfg.outlierSigma = nil; cfg.log = nil; cfg.architecture = "2t"
        let m = message { _ = try Trainer(config: cfg) }
        XCTAssertTrue(m.hasPrefix("\(path):9: structure 3: invalid geometry: atoms 1 and 2 overlap"), m)
    }
}
