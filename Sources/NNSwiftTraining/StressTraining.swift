import Foundation
import NNSwift

/// Stress in training: Voigt components (xx, yy, zz, yz, xz, xy) in the ASE convention
/// (σ = (1/V) ∂E/∂ε, positive = tensile; the extended-XYZ `stress`, energy unit / length unit³,
/// eV/Å³ for `units: metal`). Only periodic cells (all three directions) have a stress; the
/// model's stress is σ = (1/V) Σ_i Σ_s (∂E_i/∂x_is) c_s Ξ_is with Ξ = ∂G/∂ε
/// (`AtomDescriptors.strain`), the same quantity as −virial/V of `Potential`.
public enum StressVoigt {
    /// Voigt index c → tensor indices (a, b).
    static let pairs = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]

    /// The 6 Voigt components of a (symmetric) tensor; off-diagonals averaged over (a,b) and (b,a).
    public static func components(_ m: Matrix3) -> [Double] {
        pairs.map { a, b in a == b ? m[a, a] : 0.5 * (m[a, b] + m[b, a]) }
    }

    /// Reference stress of a structure for training: its `stress` when the cell is periodic in
    /// all three directions with a positive volume and every component is finite, else nil.
    public static func reference(_ s: Structure) -> (stress: [Double], volume: Double)? {
        guard let st = s.stress, let cell = s.cell, s.pbc == .all else { return nil }
        let v = cell.volume
        guard v.isFinite, v > 0 else { return nil }
        let c = components(st)
        guard c.allSatisfy({ ($0 * $0).isFinite }) else { return nil }
        return (c, v)
    }
}

/// Accumulates Ξ_s = Σ_n sym(g_n ⊗ d_n) for S functions (g_n = ∂G_s/∂d_n, d_n = neighbor vector).
struct StrainDerivative {
    let count: Int
    var voigt: [Double]

    init(functions S: Int) {
        count = S
        voigt = [Double](repeating: 0, count: 6 * S)
    }

    @inline(__always)
    mutating func add(_ g: SIMD3<Double>, _ d: SIMD3<Double>, function s: Int) {
        voigt[s] += g.x * d.x
        voigt[count + s] += g.y * d.y
        voigt[2 * count + s] += g.z * d.z
        voigt[3 * count + s] += 0.5 * (g.y * d.z + g.z * d.y)
        voigt[4 * count + s] += 0.5 * (g.x * d.z + g.z * d.x)
        voigt[5 * count + s] += 0.5 * (g.x * d.y + g.y * d.x)
    }
}
