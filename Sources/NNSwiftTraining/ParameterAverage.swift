import Foundation

/// Exponential moving average of the parameters over the optimizer steps (config `emaDecay`, as
/// MACE's `ema_decay`). A mini-batch optimizer's last steps leave noise in the weights — with Adam
/// every parameter moves by about the learning rate per step, so the output biases, i.e. the
/// energy per atom, wander by a few meV — and the average removes it. The optimizer keeps
/// stepping the raw parameters; the average is what is evaluated, selected and written.
public struct ParameterAverage: Codable, Equatable, Sendable {
    public var decay: Double
    /// Optimizer steps averaged so far.
    public var updates: Int
    public var values: [Double]
    /// Largest step count a checkpoint may carry (far beyond any run: 10⁷ epochs of 10⁶ steps).
    public static let maxUpdates = 10_000_000_000_000

    public init(decay: Double, start: [Double]) {
        self.decay = decay; updates = 0; values = start
    }

    /// a ← d·a + (1 − d)·θ with d = min(decay, (1 + n)/(10 + n)) after n updates, so the first
    /// steps, far from the start, are not held back by it (TensorFlow's `num_updates` rule).
    public mutating func update(with theta: [Double]) {
        let n = Double(updates)
        let d = min(decay, (1 + n) / (10 + n))
        for k in values.indices { values[k] = d * values[k] + (1 - d) * theta[k] }
        updates += 1
    }
}
