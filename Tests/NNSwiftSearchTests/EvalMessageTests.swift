import Foundation
import NNSwift
import XCTest
import NNSwiftTestSupport

/// `nnswift eval` messages about structure files: file, line and structure index.
extension CommandTests {
    func writeText(_ name: String, _ text: String) throws -> String {
        try dir.write(name, text)
        return name
    }

    /// An overlap in the second frame: exit 1, the message names the file, the frame's line
    /// and the structure index.
    func testEvalGeometryErrorNamesFileLineAndStructure() throws {
        let f = try writeText("frames.xyz", """
            2
            Properties=species:S:1:pos:R:3
            Au 0 0 0
            Au 2.7 0 0
            2
            Properties=species:S:1:pos:R:3
            Au 1 1 1
            Au 1 1 1

            """)
        let r = try run(["eval", model, f], expect: 1)
        XCTAssertTrue(r.err.contains("frames.xyz:5: structure 2: invalid geometry: atoms 1 and 2 overlap"), r.err)
    }

    /// A reference energy and force of 1e308 (finite, but their errors overflow when squared):
    /// a warning names file, line and structure, and the RMSE is that of the other structure,
    /// whose reference is the toy model's analytic energy + 0.03 eV/atom and its finite-difference
    /// forces + 0.5 eV/Å in x.
    func testEvalHugeReferenceValuesWarnAndAreLeftOut() throws {
        let p: [SIMD3<Double>] = [[0, 0, 0], [2.7, 0, 0]]
        let e = ToyGold.energy(p) + 0.06
        let d = 1e-6
        let dE = (ToyGold.energy([[0, 0, 0], [2.7 + d, 0, 0]]) - ToyGold.energy([[0, 0, 0], [2.7 - d, 0, 0]])) / (2 * d)
        let f = try writeText("ref.xyz", """
            2
            Properties=species:S:1:pos:R:3:forces:R:3 energy=\(e)
            Au 0 0 0 \(dE + 0.5) 0 0
            Au 2.7 0 0 \(-dE + 0.5) 0 0
            2
            Properties=species:S:1:pos:R:3:forces:R:3 energy=1e308
            Au 0 0 0 1e308 0 0
            Au 2.7 0 0 0 0 0

            """)
        let r = try run(["eval", model, f])
        XCTAssertTrue(r.err.contains("nnswift: warning: ref.xyz:5: structure 2: the error of the reference energy"), r.err)
        XCTAssertTrue(r.err.contains("nnswift: warning: ref.xyz:5: structure 2: the error of the reference force on atom 1"), r.err)
        XCTAssertFalse(r.out.lowercased().contains("inf") || r.out.lowercased().contains("nan"), r.out)
        let summary = try XCTUnwrap(r.out.split(separator: "\n").first { $0.hasPrefix("energy per atom") })
        XCTAssertTrue(summary.hasPrefix("energy per atom (1 structures): RMSE 3.0000"), String(summary))
        let forces = try XCTUnwrap(r.out.split(separator: "\n").first { $0.hasPrefix("force components") })
        // Errors 0.5, 0, 0 on both atoms: RMSE 0.5/sqrt(3) = 0.288675 (finite-difference force: ~1e-9).
        XCTAssertTrue(forces.hasPrefix("force components (6): RMSE 2.8867"), String(forces))
    }

    /// A file in no format nnswift knows: the message names it and neither says "cannot access"
    /// (it was read) nor suggests a `format` option `eval` does not have.
    func testEvalUnrecognisedFormatMessage() throws {
        let f = try writeText("notes.txt", "hello\nworld\n")
        let r = try run(["eval", model, f], expect: 1)
        XCTAssertTrue(r.err.contains("notes.txt: not a structure file"), r.err)
        XCTAssertFalse(r.err.contains("cannot access"), r.err)
        XCTAssertFalse(r.err.contains("pass format") || r.err.contains("--format"), r.err)

        // A frame without atoms has no energy per atom: a located error, not "E/atom = nan".
        let empty = try writeText("empty.xyz", "2\nProperties=species:S:1:pos:R:3\nAu 0 0 0\nAu 2.7 0 0\n0\nenergy=0\n")
        XCTAssertTrue(try run(["eval", model, empty], expect: 1).err.contains("empty.xyz:5: structure 2 has no atoms"))

        // An output name of no known format: the message says which names work.
        let good = try writeText("dimer.xyz", "2\nProperties=species:S:1:pos:R:3\nAu 0 0 0\nAu 2.7 0 0\n")
        let o = try run(["eval", model, good, "-o", "predictions.txt"], expect: 1)
        XCTAssertTrue(o.err.contains("'predictions.txt': use a name ending in .xyz"), o.err)
        XCTAssertFalse(o.err.contains("pass format"), o.err)
    }
}
