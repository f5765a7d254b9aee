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
    /// The structures packed once for the energy-only loss (nil when forces or stress are trained).
    let packed: PackedEnergySet?
    let energyWeight: Double
    /// The point of the last evaluation and the training-set errors found there (packed path),
    /// so the per-epoch metrics at an accepted step need no second pass over the training set.
    final class LastEvaluation: @unchecked Sendable {
        var x: [Double] = []
        var errors: PackedEnergySet.Errors?
    }
    let last = LastEvaluation()

    init(loss: LossFunction, structures: [PreparedStructure], threads: Int?) {
        self.loss = loss; self.structures = structures; self.threads = threads
        dimension = loss.layout.count
        let w = loss.weights(for: structures)
        packed = loss.isEnergyOnly(w) ? PackedEnergySet(structures, loss: loss) : nil
        energyWeight = w.energy
    }

    func evaluate(_ x: [Double]) throws -> SurfacePoint {
        guard let packed else {
            let (value, gradient) = loss.batch(structures, theta: x, threads: threads)
            return SurfacePoint(energy: value, gradient: gradient)
        }
        let r = packed.evaluate(theta: x, weight: energyWeight, gradient: true, errors: true, loss: loss, threads: threads)
        last.x = x; last.errors = r.errors
        return SurfacePoint(energy: r.loss, gradient: r.gradient)
    }

    /// Training-set metrics at `x` if it is the point of the last evaluation (packed path).
    func metrics(at x: [Double], forceWeight: Double) -> ErrorMetrics? {
        guard let e = last.errors, last.x == x else { return nil }
        return e.metrics(forceWeight: forceWeight)
    }
}

extension Trainer {
    /// L-BFGS on the whole training set: one epoch = one accepted L-BFGS step (its line search
    /// never raises the training loss). `learningRate` caps the largest parameter change of a
    /// step. Early stopping and checkpoints work as for the other optimizers; a resumed run
    /// restarts the L-BFGS memory, so it is not bit-identical to an uninterrupted one.
    func runLBFGS(until target: Int) throws {
        let surface = TrainingLossSurface(loss: loss, structures: training, threads: threads)
        var pendingError: Error?
        var stop = false
        var start = Date()
        let options = MinimizationOptions(
            fmax: 0, maxSteps: max(0, target - epoch), maxStep: config.optimizer.learningRate,
            observer: { [unowned self] step in
                guard step.step > 0 else { return }
                self.theta = step.x
                self.epoch += 1
                let cached = self.config.stressWeight == 0 ? surface.metrics(at: step.x, forceWeight: self.config.forceWeight) : nil
                let trainM = cached ?? self.metrics(self.training)
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
