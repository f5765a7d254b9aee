import Foundation

/// The cutoff function types of n2p2 (numbered as in its `cutoff_type` keyword).
/// `cos` with alpha = 0 is the cutoff of the paper: 0.5 [cos(π r / R_c) + 1].
public enum CutoffKind: Int, CaseIterable, Codable, Sendable {
    case hard = 0, cos = 1, tanhu = 2, tanh = 3, exp = 4, poly1 = 5, poly2 = 6, poly3 = 7, poly4 = 8

    public var name: String {
        switch self {
        case .hard: return "hard"
        case .cos: return "cos"
        case .tanhu: return "tanhu"
        case .tanh: return "tanh"
        case .exp: return "exp"
        case .poly1: return "poly1"
        case .poly2: return "poly2"
        case .poly3: return "poly3"
        case .poly4: return "poly4"
        }
    }

    public init?(name: String) {
        guard let k = CutoffKind.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = k
    }

    /// True for the types whose inner radius alpha·R_c applies (n2p2: cos, exp, poly1–4).
    public var usesInnerRadius: Bool { !(self == .hard || self == .tanhu || self == .tanh) }
}

/// A cutoff function f_c(r) with radius `radius` and inner radius `alpha * radius`
/// (f_c = 1 below the inner radius for the types that use it).
public struct CutoffFunction: Hashable, Codable, Sendable {
    public var kind: CutoffKind
    public var radius: Double
    public var alpha: Double

    public init(kind: CutoffKind, radius: Double, alpha: Double = 0) {
        self.kind = kind; self.radius = radius; self.alpha = alpha
    }

    /// The paper's cosine cutoff.
    public static func cosine(_ radius: Double) -> CutoffFunction { .init(kind: .cos, radius: radius) }

    public func validate() throws {
        guard radius.isFinite, radius > 0 else { throw NNSwiftError.argument("cutoff radius must be positive, got \(radius)") }
        guard alpha.isFinite, alpha >= 0, alpha < 1 else {
            throw NNSwiftError.argument("cutoff inner-radius parameter alpha must satisfy 0 <= alpha < 1, got \(alpha)")
        }
    }

    /// (1 / (tanh(1))^3): normalizes the `tanh` type to f_c(0) = 1, as n2p2 does.
    static let tanhPrefactor: Double = {
        let e = Foundation.exp(1.0)
        return Foundation.pow((e + 1 / e) / (e - 1 / e), 3)
    }()

    /// Value and derivative d f_c / d r at `r` (r < radius is assumed by callers; 0 beyond).
    @inline(__always)
    public func evaluate(_ r: Double) -> (f: Double, df: Double) {
        if r >= radius { return (0, 0) }
        switch kind {
        case .hard:
            return (1, 0)
        case .tanhu, .tanh:
            let t = fastTanh(1 - r / radius)
            let t2 = t * t
            let p = kind == .tanh ? CutoffFunction.tanhPrefactor : 1
            return (p * t * t2, p * 3 * t2 * (t2 - 1) / radius)
        default:
            let rInner = alpha * radius
            if r < rInner { return (1, 0) }
            let width = radius - rInner
            let x = (r - rInner) / width
            let (f, dfdx) = CutoffFunction.core(kind, x)
            return (f, dfdx / width)
        }
    }

    /// The switching polynomials and exponential of n2p2 on x in [0, 1).
    @inline(__always)
    static func core(_ kind: CutoffKind, _ x: Double) -> (Double, Double) {
        switch kind {
        case .cos:
            let f = 0.5 * (Foundation.cos(Double.pi * x) + 1)
            return (f, -0.5 * Double.pi * Foundation.sin(Double.pi * x))
        case .poly1:
            return ((2 * x - 3) * x * x + 1, x * (6 * x - 6))
        case .poly2:
            let x2 = x * x
            return (((15 - 6 * x) * x - 10) * x * x2 + 1, x2 * ((60 - 30 * x) * x - 30))
        case .poly3:
            let x2 = x * x
            return ((x * (x * (20 * x - 70) + 84) - 35) * x2 * x2 + 1,
                    x2 * x * (x * (x * (140 * x - 420) + 420) - 140))
        case .poly4:
            let x2 = x * x, x4 = x2 * x2
            return ((x * (x * ((315 - 70 * x) * x - 540) + 420) - 126) * x * x4 + 1,
                    x4 * (x * (x * ((2520 - 630 * x) * x - 3780) + 2520) - 630))
        case .exp:
            // exp(1 - 1 / (1 - x²)), smooth to all orders at x = 1.
            let d = 1 - x * x
            let f = Foundation.exp(1 - 1 / d)
            return (f, -2 * x * f / (d * d))
        case .hard, .tanhu, .tanh:
            return (1, 0)
        }
    }
}

/// tanh for x >= 0 through one exp, several times cheaper than libm's tanh or expm1.
/// Near x = 0 the result carries an absolute error of about 1e-16 (the cutoff there is ~x³).
@inline(__always)
func fastTanh(_ x: Double) -> Double {
    let t = Foundation.exp(-2 * x)
    return (1 - t) / (1 + t)
}
