import NNSwift

extension Trainer {
    /// Stops training once an epoch's losses or the weights are not finite (typically a learning
    /// rate that diverges), before a checkpoint or model is written from those weights. The error
    /// names the epoch and the first structure whose prediction is not finite.
    func checkFinite(train: ErrorMetrics, validation: ErrorMetrics?) throws {
        let badWeight = theta.firstIndex { !$0.isFinite }
        guard !train.loss.isFinite || !(validation?.loss.isFinite ?? true) || badWeight != nil else { return }
        var text = epoch == 0 ? "training cannot start: at the initial weights" : "training diverged at epoch \(epoch):"
        text += " the loss is not finite (training \(train.loss)" + (validation.map { ", validation \($0.loss)" } ?? "") + ")"
        if let k = badWeight { text += "; weight \(k + 1) of \(theta.count) is \(theta[k])" }
        if let culprit = firstNonFinitePrediction() { text += "; first structure with a non-finite error: \(culprit)" }
        text += epoch == 0 ? "; check the reference data" : "; lower optimizer.learningRate (now \(config.optimizer.learningRate))"
        throw NNSwiftError.numeric(text)
    }

    /// "<file:line: structure k> (training set): energy error per atom nan" for the first structure
    /// of the training, then the validation set whose prediction or squared error is not finite.
    private func firstNonFinitePrediction() -> String? {
        func finite(_ v: SIMD3<Double>) -> Bool { (v * v).sum().isFinite }
        for (name, set) in [("training", training), ("validation", validation)] {
            for (i, p) in set.enumerated() {
                let r = theta.withUnsafeBufferPointer {
                    loss.predict(p, theta: $0, forces: p.forces != nil, stress: config.stressWeight > 0 && p.stress != nil)
                }
                let de = (r.energy - p.targetEnergy) / Double(p.atoms)
                let what: String
                if !(de * de).isFinite {
                    what = "energy error per atom \(de)"
                } else if let ref = p.forces, let k = ref.indices.first(where: { !finite(r.forces[$0] - ref[$0]) }) {
                    let f = r.forces[k]
                    what = "force on atom \(k + 1) (\(f.x), \(f.y), \(f.z))"
                } else if let ref = p.stress, let c = ref.indices.first(where: { c in c < r.stress.count && !((r.stress[c] - ref[c]) * (r.stress[c] - ref[c])).isFinite }) {
                    what = "stress component \(c + 1) (Voigt) \(r.stress[c])"
                } else { continue }
                return "\(p.origin.map { "\($0)" } ?? "structure \(i + 1)") (\(name) set): \(what)"
            }
        }
        return nil
    }
}
