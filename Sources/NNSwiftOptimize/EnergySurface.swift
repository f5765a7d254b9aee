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
