import XCTest
import NNSwift
@testable import NNSwiftTraining

/// Training with a pair baseline: the targets lose the baseline, the saved model carries it, and
/// the reported errors are those of the saved model (networks + baseline) evaluated on the
/// reference structures by `Potential`, an independent path.
final class PairBaselineTrainingTests: XCTestCase {
    func sample() throws -> [Structure] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let all = try StructureFile.read(path: root.appendingPathComponent("examples/sic/data/sample.xyz").path)
        return Array(all.prefix(12))
    }

    func testReportedErrorsAreThoseOfTheSavedModelWithItsBaseline() throws {
        let structures = try sample()
        var cfg = TrainingConfig.small(architecture: "6t-6t", preset: .radialAngular, epochs: 3, seed: 2)
        cfg.symmetryFunctions = SymmetryFunctionSettings(preset: .radialAngular, cutoff: 3.0, rmin: 1.0)
        cfg.validationFraction = 0.25
        cfg.forceWeight = 0.1; cfg.stressWeight = 1; cfg.atomEnergies = ["Si": 0, "C": 0]
        cfg.pairBaseline = PairBaseline(inner: 1.0, outer: 2.6)  // reaches the 1.89 Å Si–C bonds
        let data = Dataset(structures: structures)
        let trainer = try Trainer(config: cfg, dataset: data)
        XCTAssertTrue(trainer.training.allSatisfy { $0.baselineEnergy > 0.1 }, "the baseline is not negligible here")
        try trainer.run()
        let model = trainer.currentModel()
        XCTAssertEqual(model.pairBaseline, cfg.pairBaseline)
        let pot = try Potential(model: try ModelFile.decode(try ModelFile.encode(model), source: "saved.json"))
        let (trainIdx, valIdx) = data.split(validationFraction: cfg.validationFraction, seed: cfg.seed)
        for (idx, set) in [(trainIdx, trainer.training), (valIdx, trainer.validation)] {
            let reported = trainer.metrics(set, theta: trainer.best)
            var e2 = 0.0, f2 = 0.0, nf = 0, s2 = 0.0, ns = 0
            for i in idx {
                let s = structures[i], ev = try pot.evaluate(s)
                let de = (ev.energy - s.energy!) / Double(s.count)
                e2 += de * de
                for (f, r) in zip(ev.forces, s.forces!) { let d = f - r; f2 += (d * d).sum(); nf += 3 }
                let st = StressVoigt.components(ev.stress(volume: s.cell!.volume)), ref = StressVoigt.components(s.stress!)
                for (a, b) in zip(st, ref) { s2 += (a - b) * (a - b); ns += 1 }
            }
            XCTAssertEqual(reported.energyRMSE, (e2 / Double(idx.count)).squareRoot(), accuracy: 1e-9 * reported.energyRMSE)
            XCTAssertEqual(reported.forceRMSE, (f2 / Double(nf)).squareRoot(), accuracy: 1e-9 * reported.forceRMSE)
            XCTAssertEqual(reported.stressRMSE, (s2 / Double(ns)).squareRoot(), accuracy: 1e-9 * reported.stressRMSE)
        }
        // Parity data are totals too: reference values as in the file.
        let p = trainer.predictions(trainer.training)
        XCTAssertEqual(p.energyRef[0], structures[trainIdx[0]].energy! / Double(structures[trainIdx[0]].count), accuracy: 1e-12)
        XCTAssertEqual(p.forceRef[0], structures[trainIdx[0]].forces![0].x, accuracy: 1e-12)
    }

    func testBaselineBeyondTheCutoffOrInvalidIsAConfigError() throws {
        let data = Dataset(structures: try sample())
        var cfg = TrainingConfig.small(architecture: "4t", preset: .radialAngular, epochs: 1, seed: 1)
        cfg.symmetryFunctions = SymmetryFunctionSettings(preset: .radialAngular, cutoff: 3.0, rmin: 1.0)
        cfg.pairBaseline = PairBaseline(inner: 1.0, outer: 3.5)
        XCTAssertThrowsError(try Trainer(config: cfg, dataset: data)) { XCTAssertTrue("\($0)".contains("pairBaseline.outer = 3.5"), "\($0)") }
        cfg.pairBaseline = PairBaseline(inner: 1.5, outer: 1.0)
        XCTAssertThrowsError(try Trainer(config: cfg, dataset: data)) { XCTAssertTrue("\($0)".contains("pairBaseline.outer = 1.0"), "\($0)") }
    }
}
