import Foundation
import NNSwift

/// The trainable parameters of a symmetry function, in the fixed slot order used by
/// `DescriptorCalculator.parameterDerivatives` (4 slots per function).
public enum FunctionParameterKind: String, Codable, CaseIterable, Sendable {
    case eta, rs, kappa, zeta
    public var slot: Int { switch self { case .eta: 0; case .rs: 1; case .kappa: 2; case .zeta: 3 } }
}

extension FunctionParameterKind {
    /// The free parameters of a function: G1 none; G2 η, R_s; G3 κ; G4/G5 η, R_s, ζ. Parameters
    /// on the boundary of their domain stay fixed: η = 0 (then R_s has no effect either) and
    /// ζ = 1 cannot be reached by η = exp(θ), ζ = 1 + softplus(θ).
    public static func trainable(_ f: SymmetryFunction) -> [FunctionParameterKind] {
        switch f.kind {
        case .g1: return []
        case .g2: return f.eta > 0 ? [.eta, .rs] : []
        case .g3: return [.kappa]
        case .g4, .g5: return (f.eta > 0 ? [.eta, .rs] : []) + (f.zeta > 1 ? [.zeta] : [])
        }
    }

    public func value(of f: SymmetryFunction) -> Double {
        switch self { case .eta: f.eta; case .rs: f.rs; case .kappa: f.kappa; case .zeta: f.zeta }
    }

    public func set(_ f: inout SymmetryFunction, _ v: Double) {
        switch self { case .eta: f.eta = v; case .rs: f.rs = v; case .kappa: f.kappa = v; case .zeta: f.zeta = v }
    }

    /// Unconstrained θ of a physical value.
    public func raw(_ v: Double) -> Double {
        switch self {
        case .eta: return Foundation.log(v)
        case .zeta:
            let y = v - 1  // softplus⁻¹(y) = y + log(1 − e^(−y))
            return y + Foundation.log(-Foundation.expm1(-y))
        case .rs, .kappa: return v
        }
    }

    /// Physical value of θ.
    public func physical(_ t: Double) -> Double {
        switch self {
        case .eta: return Foundation.exp(t)
        case .zeta: return 1 + Swift.max(t, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(t)))
        case .rs, .kappa: return t
        }
    }

    /// d(physical)/dθ.
    public func derivative(_ t: Double) -> Double {
        switch self {
        case .eta: return Foundation.exp(t)
        case .zeta: return 1 / (1 + Foundation.exp(-t))
        case .rs, .kappa: return 1
        }
    }
}
