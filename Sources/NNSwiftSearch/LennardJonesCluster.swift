import NNSwiftOptimize

/// A free Lennard-Jones cluster in reduced units (ε = σ = 1, all pairs): the analytic test
/// surface for minimizers and global search. Coordinates are x1 y1 z1 x2 ...
///
/// Literature global minima (Cambridge Cluster Database): LJ6 −12.712062, LJ7 −16.505384,
/// LJ8 −19.821489, LJ13 −44.326801.
public struct LennardJonesCluster: EnergySurface, Sendable {
    public let atoms: Int
    public init(atoms: Int) { self.atoms = atoms }
    public var dimension: Int { 3 * atoms }

    public func evaluate(_ x: [Double]) throws -> SurfacePoint {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        var e = 0.0
        var g = [Double](repeating: 0, count: x.count)
        for i in 0..<atoms {
            for j in (i + 1)..<atoms {
                let dx = x[3 * j] - x[3 * i], dy = x[3 * j + 1] - x[3 * i + 1], dz = x[3 * j + 2] - x[3 * i + 2]
                let r2 = max(dx * dx + dy * dy + dz * dz, 1e-12)
                let ir6 = 1 / (r2 * r2 * r2)
                e += 4 * (ir6 * ir6 - ir6)
                // dφ/dr / r
                let f = (-48 * ir6 * ir6 + 24 * ir6) / r2
                g[3 * j] += f * dx; g[3 * j + 1] += f * dy; g[3 * j + 2] += f * dz
                g[3 * i] -= f * dx; g[3 * i + 1] -= f * dy; g[3 * i + 2] -= f * dz
            }
        }
        return SurfacePoint(energy: e, gradient: g)
    }
}
