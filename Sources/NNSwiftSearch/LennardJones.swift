import NNSwift

/// Lennard-Jones pair potential φ(r) = 4ε[(σ/r)^12 − (σ/r)^6] with analytic forces and virial.
///
/// Without a cutoff every pair of a free cluster interacts (the convention of the Cambridge
/// Cluster Database values: LJ13 = −44.326801 ε). With a cutoff (required for periodic cells)
/// the potential is shifted to vanish at the cutoff, so the energy is continuous.
public struct LennardJones: AtomicCalculator, Sendable {
    public var epsilon: Double
    public var sigma: Double
    public var cutoff: Double?

    public init(epsilon: Double = 1, sigma: Double = 1, cutoff: Double? = nil) {
        self.epsilon = epsilon; self.sigma = sigma; self.cutoff = cutoff
    }

    /// φ(r) and dφ/dr (shifted when there is a cutoff).
    @inline(__always)
    public func pair(_ r: Double) -> (energy: Double, derivative: Double) {
        let s6 = pow6(sigma / r)
        var e = 4 * epsilon * (s6 * s6 - s6)
        let de = 4 * epsilon * (-12 * s6 * s6 + 6 * s6) / r
        if let rc = cutoff {
            let c6 = pow6(sigma / rc)
            e -= 4 * epsilon * (c6 * c6 - c6)
        }
        return (e, de)
    }

    @inline(__always) func pow6(_ x: Double) -> Double { let x2 = x * x; return x2 * x2 * x2 }

    public func calculate(_ structure: Structure) throws -> AtomicCalculation {
        let n = structure.count
        var forces = [SIMD3<Double>](repeating: .zero, count: n)
        var energy = 0.0
        var w = Matrix3.zero
        if structure.isPeriodic || cutoff != nil {
            guard let rc = cutoff else {
                throw NNSwiftError.argument("a periodic Lennard-Jones calculation needs a cutoff")
            }
            // Full list: every pair appears twice, so each contributes half.
            let list = try NeighborList.build(positions: structure.positions, cell: structure.cell, pbc: structure.pbc, cutoff: rc)
            for i in 0..<n {
                for k in list.offsets[i]..<list.offsets[i + 1] {
                    let d = list.vector[k], r = list.distance[k], j = Int(list.target[k])
                    let (e, de) = pair(r)
                    energy += 0.5 * e
                    let g = (0.5 * de / r) * d  // d(0.5 φ)/d(d)
                    forces[j] -= g
                    forces[i] += g
                    w += Matrix3.outer(-d, g)
                }
            }
        } else {
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let d = structure.positions[j] - structure.positions[i]
                    let r = length(d)
                    guard r > NeighborList.overlapDistance else { throw NNSwiftError.geometry("atoms \(i + 1) and \(j + 1) overlap") }
                    let (e, de) = pair(r)
                    energy += e
                    let g = (de / r) * d
                    forces[j] -= g
                    forces[i] += g
                    w += Matrix3.outer(-d, g)
                }
            }
        }
        return AtomicCalculation(energy: energy, forces: forces, virial: w)
    }
}
