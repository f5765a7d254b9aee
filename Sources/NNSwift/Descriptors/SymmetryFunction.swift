/// The symmetry-function types. G1–G5 follow Behler, J. Chem. Phys. 134, 074106 (2011),
/// as used in the paper; G4 is n2p2 type 3 ("narrow") and G5 n2p2 type 9 ("wide"),
/// both with n2p2's optional shift R_s. Angular sums run over each unordered neighbor pair once.
public enum SymmetryFunctionKind: String, Codable, CaseIterable, Sendable {
    /// G1 = Σ_j f_c(R_ij)
    case g1 = "G1"
    /// G2 = Σ_j exp(-η (R_ij - R_s)²) f_c(R_ij)
    case g2 = "G2"
    /// G3 = Σ_j cos(κ R_ij) f_c(R_ij)
    case g3 = "G3"
    /// G4 = 2^(1-ζ) Σ_{j<k} (1 + λ cos θ_ijk)^ζ exp(-η Σ (R - R_s)²) f_c(R_ij) f_c(R_ik) f_c(R_jk), over ij, ik, jk
    case g4 = "G4"
    /// G5 = G4 without the R_jk terms.
    case g5 = "G5"

    public var isAngular: Bool { self == .g4 || self == .g5 }
}

/// One symmetry function of a central element: its type, neighbor element(s), parameters and cutoff.
public struct SymmetryFunction: Hashable, Codable, Sendable {
    public var kind: SymmetryFunctionKind
    /// One neighbor element for radial types; two (sorted by atomic number) for angular types.
    public var neighbors: [String]
    public var eta: Double
    public var rs: Double
    public var kappa: Double
    public var lambda: Double
    public var zeta: Double
    public var cutoff: CutoffFunction

    public init(kind: SymmetryFunctionKind, neighbors: [String], eta: Double = 0, rs: Double = 0,
                kappa: Double = 0, lambda: Double = 1, zeta: Double = 1, cutoff: CutoffFunction) {
        self.kind = kind
        self.neighbors = kind.isAngular ? PeriodicTable.sortedByAtomicNumber(neighbors) : neighbors
        self.eta = eta; self.rs = rs; self.kappa = kappa
        self.lambda = lambda; self.zeta = zeta
        self.cutoff = cutoff
    }

    public static func g1(_ n: String, cutoff: CutoffFunction) -> SymmetryFunction {
        .init(kind: .g1, neighbors: [n], cutoff: cutoff)
    }
    public static func g2(_ n: String, eta: Double, rs: Double = 0, cutoff: CutoffFunction) -> SymmetryFunction {
        .init(kind: .g2, neighbors: [n], eta: eta, rs: rs, cutoff: cutoff)
    }
    public static func g3(_ n: String, kappa: Double, cutoff: CutoffFunction) -> SymmetryFunction {
        .init(kind: .g3, neighbors: [n], kappa: kappa, cutoff: cutoff)
    }
    public static func g4(_ n1: String, _ n2: String, eta: Double, lambda: Double, zeta: Double, rs: Double = 0,
                          cutoff: CutoffFunction) -> SymmetryFunction {
        .init(kind: .g4, neighbors: [n1, n2], eta: eta, rs: rs, lambda: lambda, zeta: zeta, cutoff: cutoff)
    }
    public static func g5(_ n1: String, _ n2: String, eta: Double, lambda: Double, zeta: Double, rs: Double = 0,
                          cutoff: CutoffFunction) -> SymmetryFunction {
        .init(kind: .g5, neighbors: [n1, n2], eta: eta, rs: rs, lambda: lambda, zeta: zeta, cutoff: cutoff)
    }
}
