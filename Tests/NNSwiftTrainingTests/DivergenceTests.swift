import Foundation
import XCTest
import NNSwift
import NNSwiftTraining
import NNSwiftTestSupport

/// A learning rate that diverges stops training with an error naming the epoch and a structure
/// (file, line, index), before a checkpoint is written from the non-finite state.
final class DivergenceTests: XCTestCase {
    func testHugeLearningRateStopsWithLocatedError() throws {
        let dir = try TemporaryDirectory("divergence")
        defer { dir.remove() }
        let data = TrainerTests.morseData(count: 12, seed: 7)
        let path = dir.path("d.xyz")
        try ExtendedXYZ.write(data.structures, to: path)   // 4 atoms a frame: frame k starts on line 6(k−1)+1
        var c = TrainingConfig.small(architecture: "4t", epochs: 3, seed: 1,
                                     optimizer: OptimizerSettings(name: .sgd, learningRate: 1e300), data: [path])
        c.batchSize = 4; c.validationFraction = 0.25
        c.checkpoint = dir.path("ck.json"); c.checkpointEvery = 1
        let t = try Trainer(config: c)
        XCTAssertThrowsError(try t.run()) { e in
            guard case let NNSwiftError.numeric(m)? = e as? NNSwiftError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.hasPrefix("training diverged at epoch 1: the loss is not finite (training "), m)
            XCTAssertTrue(m.hasSuffix("; lower optimizer.learningRate (now 1e+300)"), m)
            let located = try? NSRegularExpression(pattern: "first structure with a non-finite error: (.+):([0-9]+): structure ([0-9]+) \\(training set\\)")
            let match = located?.firstMatch(in: m, range: NSRange(m.startIndex..., in: m))
            guard let match, let r1 = Range(match.range(at: 1), in: m), let r2 = Range(match.range(at: 2), in: m),
                  let r3 = Range(match.range(at: 3), in: m), let line = Int(m[r2]), let k = Int(m[r3]) else {
                return XCTFail("no located structure in: \(m)")
            }
            XCTAssertEqual(String(m[r1]), path)
            XCTAssertEqual(line, 6 * (k - 1) + 1, "the line where structure \(k) begins")
        }
        XCTAssertEqual(t.epoch, 1)
        XCTAssertFalse(t.history.last!.train.loss.isFinite, "the diverged epoch is still reported (log)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("ck.json")), "no checkpoint from the diverged weights")
        XCTAssertTrue(t.best.allSatisfy(\.isFinite), "the best weights so far stay usable")
    }
}
