import XCTest
@testable import NNSwift
import NNSwiftTestSupport

final class ModelFileTests: XCTestCase {
    func sampleModel() throws -> Model {
        var rng = SeededRandom(seed: 31)
        let s = Fixtures.randomStructure(elements: ["Au"], count: 5, cell: nil, rng: &rng)
        var m = try Fixtures.randomModel(elements: ["Au"], functions: {
            Fixtures.allTypes(center: $0, elements: ["Au"], cutoff: .cosine(4.5))
        }, sample: s, rng: &rng)
        m.metadata = ["origin": "unit test", "note": "weights are random"]
        return m
    }

    func testRoundTripIsBitExact() throws {
        let m = try sampleModel()
        let decoded = try ModelFile.decode(ModelFile.encode(m), source: "memory")
        XCTAssertEqual(decoded, m)
        for (a, b) in zip(decoded.species[0].network.layers[0].weights, m.species[0].network.layers[0].weights) {
            XCTAssertEqual(a.bitPattern, b.bitPattern)
        }
        let text = String(decoding: try ModelFile.encode(m), as: UTF8.self)
        XCTAssertTrue(text.contains("\"format\" : \"nnswift-model\""))
        XCTAssertTrue(text.contains("\"version\" : 1"))
    }

    func testCorruptFilesAreReportedClearly() throws {
        let good = String(decoding: try ModelFile.encode(try sampleModel()), as: UTF8.self)
        func message(_ text: String) -> String {
            do { _ = try ModelFile.decode(Data(text.utf8), source: "m.json"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message(String(good.prefix(good.count / 2))).hasPrefix("m.json: not a JSON model file"))
        XCTAssertTrue(message("{\"format\": \"other\"}").contains("not an nnswift model"))
        XCTAssertTrue(message(good.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 99")).contains("version 99 is not supported"))
        XCTAssertTrue(message(good.replacingOccurrences(of: "\"inputs\" : 11", with: "\"inputs\" : 12")).contains("network.layers[0].inputs = 12: there are 11 symmetry functions"))
        XCTAssertTrue(message(good.replacingOccurrences(of: "\"radius\" : 4.5", with: "\"radius\" : -4.5")).contains("cutoff.radius = -4.5: must lie in"))
        XCTAssertThrowsError(try ModelFile.read(path: "/nonexistent/model.json")) { XCTAssertTrue("\($0)".contains("no such file")) }
    }

    func testN2P2ImportErrorsNameFileAndLine() throws {
        let dir = try Fixtures.requireWater()
        let scratch = try TemporaryDirectory("bad")
        defer { scratch.remove() }
        let tmp = scratch.path("n2p2")
        func copy(edit: (inout [String: String]) -> Void) throws -> String {
            try? FileManager.default.removeItem(atPath: tmp)
            try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
            var files: [String: String] = [:]
            for f in ["input.nn", "scaling.data", "weights.001.data", "weights.008.data"] {
                files[f] = try String(contentsOfFile: dir + "/" + f, encoding: .utf8)
            }
            edit(&files)
            for (f, t) in files { try AtomicFile.write(t, to: tmp + "/" + f) }
            do { _ = try N2P2Potential.read(directory: tmp); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(try copy { $0["weights.008.data"] = $0["weights.008.data"]!.split(separator: "\n").prefix(300).joined(separator: "\n") }.contains("connections missing"))
        XCTAssertTrue(try copy { $0["weights.001.data"] = nil }.contains("weights.001.data': no such file"))
        let xx = try copy { $0["input.nn"] = $0["input.nn"]!.replacingOccurrences(of: "symfunction_short H 2 H 0.001 0.0 12.00", with: "symfunction_short H 2 Xx 0.001 0.0 12.00") }
        XCTAssertTrue(xx.contains("element 'Xx'"), xx)
        XCTAssertTrue(try copy { $0["input.nn"] = $0["input.nn"]!.replacingOccurrences(of: "global_activation_short         t t l", with: "global_activation_short t q l") }.contains("unknown activation 'q'"))
        XCTAssertTrue(try copy { $0["input.nn"] = $0["input.nn"]!.replacingOccurrences(of: "cutoff_type                     2", with: "") }.contains("cutoff_type' is missing"))
        XCTAssertTrue(try copy { $0["scaling.data"] = $0["scaling.data"]!.replacingOccurrences(of: "1.0882016636170764E+00", with: "abc") }.contains("scaling.data:"))
    }
}
