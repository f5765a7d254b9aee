import XCTest
import NNSwift
@testable import NNSwiftTraining

/// The energy-only loss evaluated as batched per-element network passes (`PackedEnergySet`)
/// against the per-atom network passes of `LossFunction.lossAndGradient`, finite differences and
/// itself at other thread counts, on sets spanning several blocks and two elements.
final class PackedEnergyTests: XCTestCase {
    /// Two elements, 64 structures of 3–7 atoms (> 1 block of `PackedEnergySet.blockAtoms`).
    func makeSet() throws -> (LossFunction, [PreparedStructure], [Double]) {
        let model = try makeTestModel(seed: 12)
        var rng = SeededGenerator(seed: 31)
        let structures = (0..<64).map { n in randomStructure(elements: model.elements, count: 3 + n % 5, periodic: n % 3 == 0, rng: &rng) }
        let prepared = try TrainingSetup.prepare(structures, model: model, jacobian: true)
        XCTAssertGreaterThan(prepared.reduce(0) { $0 + $1.atoms }, 2 * PackedEnergySet.blockAtoms)
        return (LossFunction(model: model, forceWeight: 0), prepared, ParameterLayout.parameters(of: model))
    }

    func testLossAndGradientMatchPerAtomPasses() throws {
        let (loss, items, theta) = try makeSet()
        let w = loss.weights(for: items)
        XCTAssertTrue(loss.isEnergyOnly(w))
        var expected = [Double](repeating: 0, count: theta.count)
        var expectedLoss = 0.0
        theta.withUnsafeBufferPointer { th in
            expected.withUnsafeMutableBufferPointer { g in
                for p in items { expectedLoss += loss.lossAndGradient(p, theta: th, weights: w, grad: g) }
            }
        }
        let got = loss.batch(items, theta: theta)
        XCTAssertEqual(got.loss, expectedLoss, accuracy: 1e-13 * expectedLoss)
        let gmax = expected.map(abs).max() ?? 0
        XCTAssertGreaterThan(gmax, 0)
        for k in theta.indices { XCTAssertEqual(got.gradient[k], expected[k], accuracy: 1e-12 * gmax, "parameter \(k)") }
    }

    func testGradientFiniteDifferences() throws {
        let (loss, items, theta) = try makeSet()
        XCTAssertLessThan(worstGradientError(loss, items, theta: theta), 1e-6)
    }

    func testIndependentOfThreads() throws {
        let (loss, items, theta) = try makeSet()
        let serial = loss.batch(items, theta: theta, threads: 1)
        for n in [2, 3, nil] as [Int?] {
            let r = loss.batch(items, theta: theta, threads: n)
            XCTAssertEqual(r.loss, serial.loss)
            XCTAssertEqual(r.gradient, serial.gradient)
        }
    }

    /// Full-batch L-BFGS takes the per-epoch training metrics from its last loss evaluation: they
    /// equal a fresh `metrics` pass at the final weights, bit for bit.
    func testLBFGSMetricsFromLastEvaluation() throws {
        var c = TrainingConfig(data: ["(in memory)"])
        c.architecture = "8t-8t"
        c.symmetryFunctions = SymmetryFunctionSettings(preset: .radialAngular, cutoff: 5.0, rmin: 1.0)
        c.seed = 3; c.log = nil; c.outlierSigma = nil; c.validationFraction = 0.2; c.forceWeight = 0; c.epochs = 4
        c.optimizer = OptimizerSettings(name: .lbfgs, learningRate: 0.5)
        let t = try Trainer(config: c, dataset: TrainerTests.morseData(count: 60, seed: 8))
        try t.run()
        XCTAssertEqual(t.epoch, 4)
        XCTAssertEqual(t.history.last?.train, t.metrics(t.training, theta: t.theta))
        XCTAssertGreaterThan(t.history.last?.train.forceRMSE ?? 0, 0)
    }

    /// Trainer.metrics (packed) against energies and forces from `LossFunction.predict` per structure.
    func testMetricsMatchPerStructurePrediction() throws {
        var c = TrainingConfig(data: ["(in memory)"])
        c.architecture = "8t-8t"
        c.symmetryFunctions = SymmetryFunctionSettings(preset: .radialAngular, cutoff: 5.0, rmin: 1.0)
        c.seed = 3; c.log = nil; c.outlierSigma = nil; c.validationFraction = 0.2; c.forceWeight = 0
        let t = try Trainer(config: c, dataset: TrainerTests.morseData(count: 60, seed: 8))
        XCTAssertGreaterThan(t.training.count * 4, PackedEnergySet.blockAtoms)
        for set in [t.training, t.validation] {
            var e2 = 0.0, f2 = 0.0, comps = 0
            t.theta.withUnsafeBufferPointer { th in
                for p in set {
                    let r = t.loss.predict(p, theta: th, forces: true)
                    let de = (r.energy - p.targetEnergy) / Double(p.atoms)
                    e2 += de * de
                    for k in 0..<p.atoms { let d = r.forces[k] - p.forces![k]; f2 += (d * d).sum() }
                    comps += 3 * p.atoms
                }
            }
            let m = t.metrics(set)
            XCTAssertEqual(m.energyRMSE, (e2 / Double(set.count)).squareRoot(), accuracy: 1e-12 * m.energyRMSE)
            XCTAssertEqual(m.forceRMSE, (f2 / Double(comps)).squareRoot(), accuracy: 1e-12 * m.forceRMSE)
            XCTAssertEqual(m.loss, e2 / Double(set.count), accuracy: 1e-12 * m.loss)
        }
    }
}
