import NNSwiftOptimize

/// E = ½ Σ k_i (x_i − c_i)², an ill-conditioned bowl when the stiffnesses k_i differ widely.
public struct QuadraticSurface: EnergySurface, Sendable {
    public var stiffness: [Double]
    public var center: [Double]
    public init(stiffness: [Double], center: [Double]? = nil) {
        self.stiffness = stiffness
        self.center = center ?? [Double](repeating: 0, count: stiffness.count)
    }
    public var dimension: Int { stiffness.count }

    public func evaluate(_ x: [Double]) throws -> SurfacePoint {
        var e = 0.0
        var g = [Double](repeating: 0, count: dimension)
        for i in 0..<dimension {
            let d = x[i] - center[i]
            e += 0.5 * stiffness[i] * d * d
            g[i] = stiffness[i] * d
        }
        return SurfacePoint(energy: e, gradient: g)
    }
}
