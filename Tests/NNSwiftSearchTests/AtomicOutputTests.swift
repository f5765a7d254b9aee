import Foundation
import NNSwift
import XCTest
import NNSwiftTestSupport

extension CommandTests {
    /// Every CLI output goes through `AtomicFile`: with TMPDIR an empty directory, training (model,
    /// checkpoint, log, learning curves, parity plots), convert, minimize and scan leave it empty,
    /// leave no temporary file beside the outputs, and every output is complete.
    func testOutputsLeaveNothingInTheTemporaryDirectory() throws {
        let tmp = path("tmpdir")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let env = ["TMPDIR": tmp]

        let potential = try ToyGold.potential()
        var rng = SeededGenerator(seed: 11)
        var frames: [Structure] = []
        for _ in 0..<8 {
            let p: [SIMD3<Double>] = [[0, 0, 0], [2.7, 0, 0], [1.3, 2.3, 0]].map {
                $0 + SIMD3(rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2), 0)
            }
            var s = Structure(positions: p, elements: ["Au", "Au", "Au"])
            let r = try potential.evaluate(s)
            s.energy = r.energy; s.forces = r.forces
            frames.append(s)
        }
        try ExtendedXYZ.write(frames, to: path("train.xyz"))
        try AtomicFile.write("""
        {"data": ["train.xyz"], "validationFraction": 0.25, "architecture": "4t", "epochs": 3, "seed": 1,
         "symmetryFunctions": {"grid": {"cutoff": 6.0, "rmin": 2.0, "radial": 4, "centred": 2, "angular": 1, "zetas": [1]}},
         "output": "t.json", "log": "t.csv", "learningCurves": "lc", "parityPlots": "pp",
         "checkpoint": "ck.json", "checkpointEvery": 1}
        """, to: path("t.cfg"))
        try run(["train", "t.cfg"], environment: env)
        try run(["convert", "t.json", "t-n2p2", "--to", "n2p2"], environment: env)
        try run(["convert", "t-n2p2", "back.json"], environment: env)
        try run(["convert", "train.xyz", "train.data", "--to", "n2p2"], environment: env)
        try ExtendedXYZ.write([frames[0]], to: path("one.xyz"))
        try run(["minimize", model, "one.xyz", "--trajectory", "traj.xyz", "-o", "min.xyz", "--quiet"], environment: env)
        try run(["scan", model, "--shape", "dimer", "--element", "Au", "--points", "5", "-o", "s.csv", "--plot", "s.svg"], environment: env)

        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp), [], "TMPDIR must stay empty")
        for d in [dir.url.path, path("t-n2p2")] {
            let stray = try FileManager.default.contentsOfDirectory(atPath: d).filter { $0.hasPrefix(".") }
            XCTAssertEqual(stray, [], "no temporary files left in \(d)")
        }

        // Complete outputs: each one read back by an independent reader.
        let trained = try ModelFile.read(path: path("t.json"))
        XCTAssertEqual(try ModelFile.read(path: path("back.json")).elements, trained.elements)
        XCTAssertEqual(try ModelFile.read(path: path("ck.json.model.json")).elements, trained.elements)
        let checkpoint = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("ck.json")))) as? [String: Any])
        XCTAssertEqual(checkpoint["epoch"] as? Int, 3)
        let log = try String(contentsOfFile: path("t.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(log.map { $0.prefix(2) }, ["ep", "0,", "1,", "2,", "3,"], "header, the initial state and 3 epochs")
        XCTAssertTrue(log.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 11 })
        for svg in ["lc-energy.svg", "lc-forces.svg", "pp-energy.svg", "pp-forces.svg", "s.svg"] {
            XCTAssertEqual(try SVGSummary(String(contentsOfFile: path(svg), encoding: .utf8)).root, "svg", svg)
        }
        XCTAssertEqual(try N2P2InputData.read(path: path("train.data")).count, frames.count)
        XCTAssertGreaterThan(try ExtendedXYZ.read(path: path("traj.xyz")).count, 1)
        XCTAssertEqual(try ExtendedXYZ.read(path: path("min.xyz")).count, 1)
        XCTAssertEqual(try String(contentsOfFile: path("s.csv"), encoding: .utf8).split(separator: "\n").count, 6, "header + 5 points")
    }
}
