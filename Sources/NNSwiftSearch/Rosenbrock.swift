import NNSwiftOptimize

/// The Rosenbrock function Σ [a(x_{i+1} − x_i²)² + (1 − x_i)²] (a = 100 by default), minimum 0
/// at x = (1, ..., 1): a curved narrow valley that tests line searches.
public struct Rosenbrock: EnergySurface, Sendable {
    public let dimension: Int
    public var a: Double
    public init(dimension: Int = 2, a: Double = 100) {
        precondition(dimension >= 2)
        self.dimension = dimension; self.a = a
    }

    public func evaluate(_ x: [Double]) throws -> SurfacePoint {
        var e = 0.0
        var g = [Double](repeating: 0, count: dimension)
        for i in 0..<(dimension - 1) {
            let t = x[i + 1] - x[i] * x[i], u = 1 - x[i]
            e += a * t * t + u * u
            g[i] += -4 * a * t * x[i] - 2 * u
            g[i + 1] += 2 * a * t
        }
        return SurfacePoint(energy: e, gradient: g)
    }
}
