import Foundation
import NNSwift
import XCTest
import NNSwiftTestSupport

extension CommandTests {
    /// `nnswift train` says which structures contribute a stress term (never silently none).
    func testTrainReportsStressStructures() throws {
        let potential = try ToyGold.potential()
        var rng = SeededGenerator(seed: 5)
        var frames: [Structure] = []
        for k in 0..<6 {
            let p: [SIMD3<Double>] = [[0, 0, 0], [2.6, 0.3, 0.1], [1.2, 2.4, 0.2], [0.4, 1.3, 2.5]].map {
                $0 + SIMD3(rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2))
            }
            var s = Structure(positions: p, elements: ["Au", "Au", "Au", "Au"], cell: Cell(orthorhombic: 5.2, 5.2, 5.2), pbc: .all)
            let r = try potential.evaluate(s)
            s.energy = r.energy; s.forces = r.forces
            if k % 2 == 0 { s.stress = r.stress(volume: 5.2 * 5.2 * 5.2) }
            frames.append(s)
        }
        try ExtendedXYZ.write(frames, to: path("stress.xyz"))
        for w in [1.0, 0.0] {
            try AtomicFile.write("""
            {"data": ["stress.xyz"], "validationFraction": 0, "architecture": "4t", "epochs": 1, "seed": 1,
             "symmetryFunctions": {"preset": "radial24", "cutoff": 4.0, "rmin": 2.0}, "stressWeight": \(w),
             "output": "s.json", "log": null, "learningCurves": null, "parityPlots": null}
            """, to: path("s.cfg"))
            let r = try run(["train", "s.cfg"])
            if w > 0 {
                XCTAssertTrue(r.out.contains("reference stresses for 3 of 6 training and 0 of 0 validation structures; the other 3 (no stress, or not periodic in all three directions) contribute no stress term"), r.out)
                XCTAssertTrue(r.out.contains("stress RMSE"), r.out)
            } else {
                XCTAssertTrue(r.out.contains("stress: 3 structures have a stress; stressWeight is 0, so stress is not trained"), r.out)
            }
        }
    }
}
