import Foundation
import XCTest
import NNSwift
import NNSwiftTraining
import NNSwiftTestSupport

/// `emaDecay`: the moving average of the parameters over the optimizer steps.
final class ParameterAverageTests: XCTestCase {
    func config(epochs: Int, ema: Double, batch: Int = 8) -> TrainingConfig {
        var c = TrainingConfig.small(architecture: "6t-6t", epochs: epochs, seed: 5,
                                     optimizer: OptimizerSettings(name: .adam, learningRate: 1e-2))
        c.validationFraction = 0.25; c.batchSize = batch; c.emaDecay = ema
        return c
    }

    /// The recursion with its warm-up, written out: the first update takes 9/10 of θ, later ones
    /// 1 − decay; a constant θ is kept; an alternating ±1 around μ averages to μ within 1 − decay.
    func testRecursion() {
        var a = ParameterAverage(decay: 0.99, start: [0, 10])
        a.update(with: [1, 10])
        XCTAssertEqual(a.values, [0.9, 10])
        a.update(with: [2, 10])
        XCTAssertEqual(a.values[0], (2.0 / 11.0) * 0.9 + (9.0 / 11.0) * 2, accuracy: 1e-15)
        XCTAssertEqual(a.values[1], 10, accuracy: 1e-13)
        for n in 0..<5000 { a.update(with: [3 + (n % 2 == 0 ? 1 : -1), 10]) }
        XCTAssertEqual(a.values[0], 3, accuracy: 0.011)
        XCTAssertEqual(a.updates, 5002)
    }

    /// One optimizer step per epoch (batch = the whole training set), so the raw parameters after
    /// each epoch of a run without the average are the steps the average takes: the trainer's
    /// average equals the recursion applied to them by hand. The average leaves the optimizer's
    /// path unchanged, and the metrics logged, the selected weights and the written model are
    /// those of the average.
    func testAverageOfTheOptimizerPath() throws {
        let data = TrainerTests.morseData(count: 40, seed: 9)
        let decay = 0.7
        let plain = try Trainer(config: config(epochs: 8, ema: 0, batch: 1000), dataset: data)
        var path: [[Double]] = []
        for e in 1...8 { try plain.run(epochs: e); path.append(plain.theta) }
        let averaged = try Trainer(config: config(epochs: 8, ema: decay, batch: 1000), dataset: data)
        let start = averaged.theta
        try averaged.run()
        XCTAssertEqual(averaged.theta, plain.theta)

        var byHand = start
        for (n, theta) in path.enumerated() {
            let d = min(decay, Double(1 + n) / Double(10 + n))
            byHand = zip(byHand, theta).map { d * $0 + (1 - d) * $1 }
        }
        let a = try XCTUnwrap(averaged.average)
        XCTAssertEqual(a.updates, 8)
        for (x, y) in zip(a.values, byHand) { XCTAssertEqual(x, y, accuracy: 1e-14 * max(1, abs(y))) }
        XCTAssertNotEqual(a.values, averaged.theta)

        XCTAssertEqual(averaged.history.last?.train, averaged.metrics(averaged.training, theta: a.values))
        XCTAssertEqual(averaged.history.last?.validation, averaged.metrics(averaged.validation, theta: a.values))
        XCTAssertTrue(averaged.best == a.values || averaged.bestEpoch < 8)
        // The written model predicts what the average predicts.
        let potential = try Potential(model: averaged.currentModel(best: false))
        let s = data.structures[0]
        let p = try TrainingSetup.prepare([s], model: averaged.model, jacobian: true)[0]
        let pred = a.values.withUnsafeBufferPointer { averaged.loss.predict(p, theta: $0, forces: true) }
        XCTAssertEqual(pred.energy + (p.referenceEnergy - p.targetEnergy), try potential.evaluate(s).energy, accuracy: 1e-9)
        // `selection: final` keeps the average, not the raw parameters.
        var final = config(epochs: 8, ema: decay, batch: 1000)
        final.selection = .final
        let f = try Trainer(config: final, dataset: data)
        try f.run()
        XCTAssertEqual(f.best, a.values)
    }

    /// What the average is for: Adam at a high learning rate with one structure per step ends
    /// with noisy weights; their average has a lower training loss than the raw weights of the
    /// same run. (While the loss is still falling fast, the average lags and can be worse.)
    func testAverageRemovesTheStepNoise() throws {
        let data = TrainerTests.morseData(count: 60, seed: 4)
        var c = config(epochs: 30, ema: 0.99, batch: 1)
        c.forceWeight = 0
        let t = try Trainer(config: c, dataset: data)
        try t.run()
        let raw = t.metrics(t.training, theta: t.theta), averaged = t.metrics(t.training, theta: t.average!.values)
        XCTAssertLessThan(averaged.loss, 0.7 * raw.loss)  // measured 0.48
    }

    /// A checkpoint carries the average: a resumed run ends bit-identically to an uninterrupted
    /// one; a checkpoint and a config that disagree about the average are refused.
    func testCheckpointResume() throws {
        let data = TrainerTests.morseData(count: 40, seed: 9)
        let dir = try TemporaryDirectory("ema")
        defer { dir.remove() }
        let whole = try Trainer(config: config(epochs: 4, ema: 0.9), dataset: data)
        try whole.run()
        let first = try Trainer(config: config(epochs: 4, ema: 0.9), dataset: data)
        try first.run(epochs: 2)
        try first.saveCheckpoint(path: dir.path("ck.json"))
        let second = try Trainer(config: config(epochs: 4, ema: 0.9), dataset: data)
        try second.resume(from: dir.path("ck.json"))
        try second.run()
        XCTAssertEqual(second.theta, whole.theta)
        XCTAssertEqual(second.average, whole.average)
        XCTAssertEqual(second.best, whole.best)

        let without = try Trainer(config: config(epochs: 4, ema: 0), dataset: data)
        XCTAssertThrowsError(try without.resume(from: dir.path("ck.json"))) {
            XCTAssertTrue("\($0)".contains("holds a parameter average (emaDecay) but this config has none"), "\($0)")
        }
        // A tampered step count or value is refused, not trapped on.
        let text = try String(contentsOfFile: dir.path("ck.json"), encoding: .utf8)
        for (from, to) in [("\"updates\":", "\"updates\":-20,\"was\":"), ("\"updates\":", "\"updates\":9223372036854775807,\"was\":")] {
            _ = try dir.write("bad.json", text.replacingOccurrences(of: from, with: to))
            XCTAssertThrowsError(try second.resume(from: dir.path("bad.json"))) {
                XCTAssertTrue("\($0)".contains("parameter average with"), "\($0)")
            }
        }
        try without.saveCheckpoint(path: dir.path("plain.json"))
        XCTAssertThrowsError(try second.resume(from: dir.path("plain.json"))) {
            XCTAssertTrue("\($0)".contains("was written without emaDecay, this config has emaDecay 0.9"), "\($0)")
        }
    }

    /// Out-of-range decays and optimizers without mini-batch steps are refused, naming the key.
    func testConfigErrors() throws {
        for bad in [-0.1, 1, 2, .nan] {
            var c = config(epochs: 1, ema: bad)
            XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("config: emaDecay = \(bad): must be in [0, 1)"), "\($0)") }
            c.emaDecay = 0.5
            XCTAssertNoThrow(try c.validate())
        }
        for name in [OptimizerSettings.Kind.lbfgs, .kalman] {
            var c = config(epochs: 1, ema: 0.9)
            c.optimizer.name = name
            XCTAssertThrowsError(try c.validate()) {
                XCTAssertTrue("\($0)".contains("emaDecay averages the steps of a mini-batch optimizer (adam, rmsprop, sgd), not \(name.rawValue)"), "\($0)")
            }
        }
        // The key is read from a config file (not an unknown key).
        let dir = try TemporaryDirectory("ema-config")
        defer { dir.remove() }
        let path = try dir.write("c.json", "{\"data\": \"x.xyz\", \"emaDecay\": 0.999, \"optimizer\": {\"name\": \"adam\"}}")
        XCTAssertEqual(try TrainingConfig.read(path: path).emaDecay, 0.999)
    }
}
