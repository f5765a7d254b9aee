import Foundation

/// The activation functions n2p2 accepts, with its one-letter codes.
public enum Activation: String, Codable, CaseIterable, Sendable {
    case identity = "l", tanh = "t", logistic = "s", softplus = "p", relu = "r"
    case gaussian = "g", cos = "c", reverseLogistic = "S", exp = "e", harmonic = "h"

    public var name: String {
        switch self {
        case .identity: return "linear"
        case .tanh: return "tanh"
        case .logistic: return "logistic"
        case .softplus: return "softplus"
        case .relu: return "relu"
        case .gaussian: return "gaussian"
        case .cos: return "cos"
        case .reverseLogistic: return "reverse-logistic"
        case .exp: return "exp"
        case .harmonic: return "harmonic"
        }
    }

    public init?(name: String) {
        if let a = Activation(rawValue: name) { self = a; return }
        guard let a = Activation.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = a
    }

    /// n2p2 clamps logistic and softplus beyond this argument.
    static let expLimit = 35.0

    /// Value and first derivative at x.
    @inline(__always)
    public func apply(_ x: Double) -> (f: Double, df: Double) {
        switch self {
        case .identity: return (x, 1)
        case .tanh:
            let t = Foundation.tanh(x)
            return (t, 1 - t * t)
        case .logistic:
            if x > Activation.expLimit { return (1, 0) }
            if x < -Activation.expLimit { return (0, 0) }
            let s = 1 / (1 + Foundation.exp(-x))
            return (s, s * (1 - s))
        case .softplus:
            if x > Activation.expLimit { return (x, 1) }
            if x < -Activation.expLimit { return (0, 0) }
            let e = Foundation.exp(x)
            return (Foundation.log(1 + e), 1 / (1 + 1 / e))
        case .relu: return x > 0 ? (x, 1) : (0, 0)
        case .gaussian:
            let e = Foundation.exp(-0.5 * x * x)
            return (e, -x * e)
        case .cos: return (Foundation.cos(x), -Foundation.sin(x))
        case .reverseLogistic:
            let s = 1 / (1 + Foundation.exp(-x))
            return (1 - s, s * (s - 1))
        case .exp:
            let e = Foundation.exp(-x)
            return (e, -e)
        case .harmonic: return (x * x, 2 * x)
        }
    }

    /// Second derivative at x, given f(x) and f'(x) from `apply` (training's force-loss gradients).
    @inline(__always)
    public func secondDerivative(_ x: Double, f: Double, df: Double) -> Double {
        switch self {
        case .identity, .relu: return 0
        case .tanh: return -2 * f * df
        case .logistic: return df * (1 - 2 * f)
        case .softplus:
            if x > Activation.expLimit || x < -Activation.expLimit { return 0 }
            return df * (1 - df)
        case .gaussian: return (x * x - 1) * f
        case .cos: return -f
        case .reverseLogistic:
            let s = 1 - f
            return -(s * (1 - s) * (1 - 2 * s))
        case .exp: return f
        case .harmonic: return 2
        }
    }
}
