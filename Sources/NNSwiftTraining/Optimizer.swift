import Foundation

/// Optimizer settings (config file `optimizer` object).
public struct OptimizerSettings: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case rmsprop, adam, sgd, lbfgs, kalman }
    public var name: Kind
    public var learningRate: Double
    /// Learning rate of epoch n (from 0) = learningRate · decay^n. For L-BFGS, the largest change
    /// of any parameter in one step.
    public var decay: Double
    /// RMSprop: moving-average factor of the squared gradient (Keras default 0.9).
    public var rho: Double
    /// Adam moment factors.
    public var beta1: Double, beta2: Double
    public var epsilon: Double
    /// L-BFGS: number of stored step pairs (curvature memory).
    public var memory: Int
    /// Kalman filter (`KalmanFilter.swift`): n2p2's kalman_* keys in this object.
    public var kalman = KalmanSettings()

    public init(name: Kind = .rmsprop, learningRate: Double = 1e-3, decay: Double = 1, rho: Double = 0.9,
                beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, memory: Int = 10) {
        self.name = name; self.learningRate = learningRate; self.decay = decay; self.rho = rho
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.memory = memory
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = OptimizerSettings()
        name = try c.decodeIfPresent(Kind.self, forKey: .name) ?? d.name
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate
        decay = try c.decodeIfPresent(Double.self, forKey: .decay) ?? d.decay
        rho = try c.decodeIfPresent(Double.self, forKey: .rho) ?? d.rho
        beta1 = try c.decodeIfPresent(Double.self, forKey: .beta1) ?? d.beta1
        beta2 = try c.decodeIfPresent(Double.self, forKey: .beta2) ?? d.beta2
        epsilon = try c.decodeIfPresent(Double.self, forKey: .epsilon) ?? d.epsilon
        memory = try c.decodeWhole(Int.self, forKey: .memory, name: "optimizer.memory") ?? d.memory
        kalman = try KalmanSettings(from: decoder)
    }

    enum CodingKeys: String, CodingKey { case name, learningRate, decay, rho, beta1, beta2, epsilon, memory }

    /// The Kalman keys sit flat in the optimizer object, as they are read (n2p2's names).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name); try c.encode(learningRate, forKey: .learningRate)
        try c.encode(decay, forKey: .decay); try c.encode(rho, forKey: .rho)
        try c.encode(beta1, forKey: .beta1); try c.encode(beta2, forKey: .beta2)
        try c.encode(epsilon, forKey: .epsilon); try c.encode(memory, forKey: .memory)
        try kalman.encode(to: encoder)
    }

    public func learningRate(epoch: Int) -> Double { learningRate * Foundation.pow(decay, Double(epoch)) }
}

/// Optimizer state: moments and step count (saved in checkpoints for an exact resume).
public struct OptimizerState: Codable, Equatable, Sendable {
    public var first: [Double]
    public var second: [Double]
    public var steps: Int

    public init(count: Int) {
        first = [Double](repeating: 0, count: count); second = first; steps = 0
    }

    /// One update of `theta` with gradient `g` at learning rate `lr`.
    /// `factors` (optional, one per parameter) multiply the learning rate of each parameter.
    public mutating func step(_ theta: inout [Double], gradient g: [Double], settings s: OptimizerSettings, learningRate lr0: Double,
                              factors: [Double]? = nil) {
        steps += 1
        func lrOf(_ k: Int) -> Double { factors.map { lr0 * $0[k] } ?? lr0 }
        switch s.name {
        case .sgd:
            for k in theta.indices { theta[k] -= lrOf(k) * g[k] }
        case .rmsprop:
            // Keras/Tieleman–Hinton: s = ρ s + (1 − ρ) g²;  θ −= lr g / (√s + ε).
            for k in theta.indices {
                second[k] = s.rho * second[k] + (1 - s.rho) * g[k] * g[k]
                theta[k] -= lrOf(k) * g[k] / (second[k].squareRoot() + s.epsilon)
            }
        case .lbfgs, .kalman:
            break  // Trainer.runLBFGS / runKalman drive the parameters, not per-batch steps
        case .adam:
            let c1 = 1 - Foundation.pow(s.beta1, Double(steps)), c2 = 1 - Foundation.pow(s.beta2, Double(steps))
            for k in theta.indices {
                first[k] = s.beta1 * first[k] + (1 - s.beta1) * g[k]
                second[k] = s.beta2 * second[k] + (1 - s.beta2) * g[k] * g[k]
                theta[k] -= lrOf(k) * (first[k] / c1) / ((second[k] / c2).squareRoot() + s.epsilon)
            }
        }
    }
}
