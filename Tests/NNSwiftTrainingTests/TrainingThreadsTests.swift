import XCTest
import NNSwift
import NNSwiftTraining

/// `nnswift train --threads N` (Trainer.threads): the weights and the error history do not depend
/// on the thread count, for a first-order optimizer and for full-batch L-BFGS.
final class TrainingThreadsTests: XCTestCase {
    func train(_ optimizer: OptimizerSettings.Kind, threads: Int?) throws -> Trainer {
        var c = TrainingConfig.small(architecture: "8t-8t", preset: .radialAngular, epochs: 3, seed: 5,
                                     optimizer: OptimizerSettings(name: optimizer, learningRate: optimizer == .lbfgs ? 0.5 : 3e-3))
        c.validationFraction = 0.2
        let t = try Trainer(config: c, dataset: TrainerTests.morseData(count: 24, seed: 4))
        t.threads = threads
        try t.run()
        return t
    }

    func testWeightsAndErrorsIndependentOfThreads() throws {
        for optimizer in [OptimizerSettings.Kind.rmsprop, .lbfgs] {
            let serial = try train(optimizer, threads: 1)
            XCTAssertEqual(serial.epoch, 3, "\(optimizer)")
            for n in [2, 3, nil] as [Int?] {
                let t = try train(optimizer, threads: n)
                XCTAssertEqual(t.theta, serial.theta, "\(optimizer), threads \(String(describing: n))")
                XCTAssertEqual(t.history.map(\.train), serial.history.map(\.train), "\(optimizer), threads \(String(describing: n))")
                XCTAssertEqual(t.history.map(\.validation), serial.history.map(\.validation), "\(optimizer), threads \(String(describing: n))")
            }
        }
    }
}
