import Foundation
import NNSwift
import NNSwiftOptimize

/// The full-batch training loss as an energy surface over the parameter vector, so the same
/// L-BFGS that relaxes structures (NNSwiftOptimize, used by NNSwiftSearch) trains networks, as aenet does.
struct TrainingLossSurface: EnergySurface {
    let loss: LossFunction
    let structures: [PreparedStructure]
    let dimension: Int
    let threads: Int?

    func evaluate(_ x: [Double]) throws -> SurfacePoint {
        let (value, gradient) = loss.batch(structures, theta: x, threads: threads)
        return SurfacePoint(energy: value, gradient: gradient)
    }
}

extension Trainer {
    /// L-BFGS on the whole training set: one epoch = one accepted L-BFGS step (its line search
    /// never raises the training loss). `learningRate` caps the largest parameter change of a
    /// step. Early stopping and checkpoints work as for the other optimizers; a resumed run
    /// restarts the L-BFGS memory, so it is not bit-identical to an uninterrupted one.
    func runLBFGS(until target: Int) throws {
        let surface = TrainingLossSurface(loss: loss, structures: training, dimension: theta.count, threads: threads)
        var pendingError: Error?
        var stop = false
        var start = Date()
        let options = MinimizationOptions(
            fmax: 0, maxSteps: max(0, target - epoch), maxStep: config.optimizer.learningRate,
            observer: { [unowned self] step in
                guard step.step > 0 else { return }
                self.theta = step.x
                self.epoch += 1
                let trainM = self.metrics(self.training)
                let valM = self.validation.isEmpty ? nil : self.metrics(self.validation)
                let monitored = (valM ?? trainM).loss
                if monitored < self.bestLoss { self.bestLoss = monitored; self.best = self.theta; self.bestEpoch = self.epoch }
                let rec = EpochRecord(epoch: self.epoch, learningRate: self.config.optimizer.learningRate, train: trainM,
                                      validation: valM, seconds: Date().timeIntervalSince(start))
                start = Date()
                self.history.append(rec)
                self.onEpoch?(rec)
                do { try self.checkFinite(train: trainM, validation: valM) } catch { pendingError = error; stop = true; return }
                if let path = self.config.checkpoint, self.config.checkpointEvery > 0, self.epoch % self.config.checkpointEvery == 0 {
                    do { try self.saveCheckpoint(path: path) } catch { pendingError = error; stop = true }
                }
                if self.config.patience > 0 && self.epoch - self.bestEpoch >= self.config.patience { stop = true }
            })
        var lbfgs = LBFGS(options: options, memory: config.optimizer.memory)
        lbfgs.options.shouldStop = { stop }
        _ = try lbfgs.minimize(surface, from: theta)
        if let pendingError { throw pendingError }
    }
}
