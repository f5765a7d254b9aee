import Foundation
import XCTest
import NNSwift
import NNSwiftTraining
import NNSwiftTestSupport

final class DatasetTests: XCTestCase {
    func testOutliersReferenceEnergiesAndSplit() throws {
        var rng = SeededGenerator(seed: 1)
        var structures: [Structure] = []
        // 40 H2O-like (H2O1) and 40 H1O1 configurations: E = 2 εH + εO (+ noise) etc.
        let eH = -13.6, eO = -432.1
        for n in 0..<80 {
            let h = n < 40 ? 2 : 1
            let elements = [String](repeating: "H", count: h) + ["O"]
            var s = randomStructure(elements: ["H", "O"], count: elements.count, periodic: false, rng: &rng)
            s.elements = elements
            s.energy = Double(h) * eH + eO + 0.01 * (rng.unit() - 0.5)
            structures.append(s)
        }
        structures[3].energy! += 5  // clear outlier in its group
        let data = Dataset(structures: structures)
        let (kept, removed) = data.removingOutliers(sigmas: 2)
        XCTAssertEqual(removed, 1)
        XCTAssertEqual(kept.count, 79)
        let refs = try kept.referenceEnergies(elements: ["H", "O"], indices: Array(0..<kept.count))
        XCTAssertEqual(refs[0], eH, accuracy: 0.01)
        XCTAssertEqual(refs[1], eO, accuracy: 0.01)
        let (t, v) = kept.split(validationFraction: 0.1, seed: 7)
        XCTAssertEqual(v.count, 8)
        XCTAssertEqual(Set(t).union(v), Set(0..<79))
        XCTAssertTrue(Set(t).isDisjoint(with: v))
        XCTAssertEqual(kept.split(validationFraction: 0.1, seed: 7).validation, v)
    }

    func testArchitectureStrings() throws {
        let a = try Architecture("40t-20t-20t-10t")
        XCTAssertEqual(a.hidden.map(\.width), [40, 20, 20, 10])
        XCTAssertEqual(a.description, "40t-20t-20t-10t")
        XCTAssertEqual(try Architecture("30t-30s").hidden.map(\.activation), [.tanh, .logistic])
        XCTAssertThrowsError(try Architecture("30x"))
        XCTAssertThrowsError(try Architecture("t30"))
        var rng = SeededGenerator(seed: 3)
        let net = try a.network(inputs: 24, rng: &rng)
        XCTAssertEqual(net.layers.map(\.outputs), [40, 20, 20, 10, 1])
        XCTAssertEqual(net.layers.last!.activation, .identity)
        XCTAssertEqual(SymmetryFunctionPreset.radial24.functions(elements: ["Au"], cutoff: 6).count, 24)
        XCTAssertEqual(SymmetryFunctionPreset.radialAngular.functions(elements: ["Au"], cutoff: 6).count, 36)
    }
}

final class TrainerTests: XCTestCase {
    /// A small synthetic set: Au clusters with a pair-potential energy and its exact forces.
    static func morseData(count: Int, seed: UInt64) -> Dataset {
        var rng = SeededGenerator(seed: seed)
        var out: [Structure] = []
        for _ in 0..<count {
            var s = randomStructure(elements: ["Au"], count: 4, periodic: false, rng: &rng)
            var e = 0.0
            var f = [SIMD3<Double>](repeating: .zero, count: s.count)
            for i in 0..<s.count {
                for j in (i + 1)..<s.count {
                    let d = s.positions[j] - s.positions[i], r = length(d)
                    let x = Foundation.exp(-1.5 * (r - 2.0))
                    e += (1 - x) * (1 - x) - 1
                    let dEdr = 2 * (1 - x) * 1.5 * x
                    f[i] += (dEdr / r) * d; f[j] -= (dEdr / r) * d
                }
            }
            s.energy = e - 3.0 * Double(s.count); s.forces = f
            out.append(s)
        }
        return Dataset(structures: out)
    }

    func config(epochs: Int) -> TrainingConfig {
        TrainingConfig.small(architecture: "8t-8t", epochs: epochs, seed: 5,
                             optimizer: OptimizerSettings(name: .rmsprop, learningRate: 3e-3, decay: 0.99))
    }

    /// Training lowers the loss; the same seed gives bit-identical weights; resuming from a
    /// checkpoint continues exactly as an uninterrupted run; the model loads in Potential.
    func testTrainingDeterministicResumeAndExport() throws {
        let data = Self.morseData(count: 40, seed: 9)
        let a = try Trainer(config: config(epochs: 6), dataset: data)
        try a.run()
        XCTAssertLessThan(a.history.last!.train.loss, a.history.first!.train.loss)
        let b = try Trainer(config: config(epochs: 6), dataset: data)
        try b.run()
        XCTAssertEqual(a.theta, b.theta)

        let dir = try TemporaryDirectory("train")
        defer { dir.remove() }
        let ck = dir.path("ck.json")
        let c1 = try Trainer(config: config(epochs: 6), dataset: data)
        try c1.run(epochs: 3)
        try c1.saveCheckpoint(path: ck)
        let c2 = try Trainer(config: config(epochs: 6), dataset: data)
        try c2.resume(from: ck)
        try c2.run()
        XCTAssertEqual(c2.theta, a.theta)

        // The written model predicts what the trainer predicts.
        let modelPath = dir.path("m.json")
        try ModelFile.write(a.currentModel(best: false), to: modelPath)
        let potential = try Potential(model: ModelFile.read(path: modelPath))
        let s = data.structures[0]
        let r = try potential.evaluate(s)
        let p = try TrainingSetup.prepare([s], model: a.model, jacobian: true)[0]
        let pred = a.theta.withUnsafeBufferPointer { a.loss.predict(p, theta: $0, forces: true) }
        XCTAssertEqual(pred.energy + (p.referenceEnergy - p.targetEnergy), r.energy, accuracy: 1e-9)
        for (x, y) in zip(pred.forces, r.forces) { XCTAssertLessThan(length(x - y), 1e-9) }
    }

    /// L-BFGS (full batch): the training loss never rises from epoch to epoch, falls well below
    /// its start, the run is deterministic, and early stopping ends it.
    func testLBFGSTraining() throws {
        let data = Self.morseData(count: 40, seed: 9)
        var cfg = config(epochs: 40)
        cfg.optimizer = OptimizerSettings(name: .lbfgs, learningRate: 0.5)
        cfg.validationFraction = 0
        let a = try Trainer(config: cfg, dataset: data)
        try a.run()
        let losses = a.history.map(\.train.loss)
        XCTAssertEqual(losses.count, 41)
        for (x, y) in zip(losses, losses.dropFirst()) { XCTAssertLessThanOrEqual(y, x) }
        XCTAssertLessThan(losses.last!, 0.05 * losses.first!)
        let b = try Trainer(config: cfg, dataset: data)
        try b.run()
        XCTAssertEqual(a.theta, b.theta)

        cfg.patience = 1
        cfg.validationFraction = 0.2
        let c = try Trainer(config: cfg, dataset: data)
        try c.run()
        XCTAssertLessThanOrEqual(c.epoch, 40)
        XCTAssertEqual(c.epoch - c.bestEpoch <= 1, true)
    }

    /// trainSymmetryFunctions: the parameters move, the run is deterministic and resumes exactly,
    /// thread count does not change the gradient, and the written model (learned functions)
    /// predicts what the trainer predicts.
    func testTrainingSymmetryFunctions() throws {
        let data = Self.morseData(count: 40, seed: 9)
        var cfg = config(epochs: 4)
        cfg.trainSymmetryFunctions = true
        cfg.symmetryFunctionLearningRate = FunctionLearningRates(2)
        let a = try Trainer(config: cfg, dataset: data)
        XCTAssertEqual(a.loss.layout.functionParameters.count, 24)  // one element: 8 G2 (η, R_s) + 8 G3 (κ); G1 none
        try a.run()
        XCTAssertLessThan(a.history.last!.train.loss, a.history.first!.train.loss)
        let changes = a.functionParameterChanges(theta: a.theta)
        XCTAssertTrue(changes.allSatisfy { $0.final != $0.initial })
        let b = try Trainer(config: cfg, dataset: data)
        try b.run(epochs: 2)
        let dir = try TemporaryDirectory("train-sf")
        defer { dir.remove() }
        let ck = dir.path("ck.json")
        try b.saveCheckpoint(path: ck)
        let c = try Trainer(config: cfg, dataset: data)
        try c.resume(from: ck)
        try c.run()
        XCTAssertEqual(c.theta, a.theta)
        let batch = Array(a.training.prefix(7))
        XCTAssertEqual(a.loss.batch(batch, theta: a.theta, threads: 1).gradient, a.loss.batch(batch, theta: a.theta, threads: 2).gradient)
        XCTAssertEqual(a.loss.batch(batch, theta: a.theta, threads: 1).gradient, a.loss.batch(batch, theta: a.theta).gradient)

        let m = a.currentModel(best: false)
        XCTAssertNotEqual(m.species[0].symmetryFunctions, a.model.species[0].symmetryFunctions)
        let path = dir.path("m.json")
        try ModelFile.write(m, to: path)
        let potential = try Potential(model: ModelFile.read(path: path))
        let s = data.structures[1]
        let r = try potential.evaluate(s)
        let p = try TrainingSetup.prepare([s], model: a.model, jacobian: true, environments: true)[0]
        let pred = a.theta.withUnsafeBufferPointer { a.loss.predict(p, theta: $0, forces: true) }
        XCTAssertEqual(pred.energy + (p.referenceEnergy - p.targetEnergy), r.energy, accuracy: 1e-9)
        for (x, y) in zip(pred.forces, r.forces) { XCTAssertLessThan(length(x - y), 1e-9) }
    }

    /// The new config keys: one factor or per parameter; plot paths follow the model path.
    func testFunctionTrainingConfigKeys() throws {
        let a = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"data": "x.xyz", "trainSymmetryFunctions": true, "symmetryFunctionLearningRate": 0.5, "output": "m.json"}"#.utf8))
        XCTAssertTrue(a.trainSymmetryFunctions)
        XCTAssertEqual(a.symmetryFunctionLearningRate, FunctionLearningRates(0.5))
        XCTAssertEqual(a.learningCurves, "m-learning"); XCTAssertEqual(a.parityPlots, "m-parity")
        var b = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"data": ["x.xyz"], "symmetryFunctionLearningRate": {"zeta": 3}, "parityPlots": null}"#.utf8))
        XCTAssertFalse(b.trainSymmetryFunctions)
        XCTAssertEqual(b.symmetryFunctionLearningRate.factor(.zeta), 3); XCTAssertEqual(b.symmetryFunctionLearningRate.factor(.eta), 1)
        XCTAssertNil(b.parityPlots)
        b.setOutput("out/run.json")
        XCTAssertEqual(b.learningCurves, "out/run-learning"); XCTAssertEqual(b.symmetryFunctionReport, "out/run-symmetry-functions.csv")
    }
}
