/// A differentiable scalar function of a flat coordinate vector: what the minimizers and the
/// global searches work on. For atomic systems the coordinates are x1 y1 z1 x2 y2 z2 ... and the
/// gradient is minus the forces.
public protocol EnergySurface {
    /// Number of coordinates.
    var dimension: Int { get }
    /// Energy and gradient dE/dx at `x` (`x.count == dimension`).
    func evaluate(_ x: [Double]) throws -> SurfacePoint
}

/// Energy and gradient at one point of an `EnergySurface`.
public struct SurfacePoint: Sendable {
    public var energy: Double
    public var gradient: [Double]
    public init(energy: Double, gradient: [Double]) { self.energy = energy; self.gradient = gradient }

    /// Largest absolute gradient component: the largest force component for atomic coordinates.
    public var maxForce: Double { gradient.reduce(0) { max($0, abs($1)) } }
}

/// Flat coordinates <-> positions.
public enum FlatCoordinates {
    public static func flatten(_ positions: [SIMD3<Double>]) -> [Double] {
        var x: [Double] = []
        x.reserveCapacity(3 * positions.count)
        for p in positions { x.append(p.x); x.append(p.y); x.append(p.z) }
        return x
    }

    public static func positions(_ x: [Double], count: Int? = nil) -> [SIMD3<Double>] {
        let n = count ?? x.count / 3
        return (0..<n).map { SIMD3(x[3 * $0], x[3 * $0 + 1], x[3 * $0 + 2]) }
    }
}
