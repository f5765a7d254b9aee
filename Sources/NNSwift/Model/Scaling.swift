/// Per-function statistics of the training set: range, mean and standard deviation.
public struct FunctionStatistics: Equatable, Codable, Sendable {
    public var min: Double, max: Double, mean: Double, sigma: Double
    public init(min: Double, max: Double, mean: Double, sigma: Double) {
        self.min = min; self.max = max; self.mean = mean; self.sigma = sigma
    }
}

/// How symmetry-function values are mapped before the network, as in n2p2:
/// none: G; center: G - mean; scale: Smin + (Smax-Smin)(G - min)/(max - min);
/// scaleCenter: Smin + (Smax-Smin)(G - mean)/(max - min); scaleSigma: Smin + (Smax-Smin)(G - mean)/sigma
/// (with Smin = 0, Smax = 1 the last one is mean/std standardization).
public enum ScalingMode: String, Codable, CaseIterable, Sendable {
    case none, center, scale, scaleCenter = "scalecenter", scaleSigma = "scalesigma"
}

/// The scaling of one element's symmetry functions.
public struct Scaling: Equatable, Codable, Sendable {
    public var mode: ScalingMode
    public var targetMin: Double
    public var targetMax: Double
    public var statistics: [FunctionStatistics]

    public init(mode: ScalingMode, targetMin: Double = 0, targetMax: Double = 1, statistics: [FunctionStatistics]) {
        self.mode = mode; self.targetMin = targetMin; self.targetMax = targetMax; self.statistics = statistics
    }

    /// The network input of a symmetry-function value `g`, given coefficients(i): the one home of
    /// the formula offset + factor * (g - shift), evaluated in this order as n2p2 does (the
    /// kernel, training and the C API's scaled descriptors all call it).
    @inlinable @inline(__always)
    public static func apply(_ g: Double, offset: Double, factor: Double, shift: Double) -> Double {
        offset + factor * (g - shift)
    }

    /// The network input of value `g` of function `i` (see `apply`).
    public func scaled(_ g: Double, function i: Int) -> Double {
        let c = coefficients(i)
        return Scaling.apply(g, offset: c.offset, factor: c.factor, shift: c.shift)
    }

    /// Coefficients of the affine map of function i (see `apply`).
    public func coefficients(_ i: Int) -> (offset: Double, factor: Double, shift: Double) {
        let s = statistics[i]
        switch mode {
        case .none: return (0, 1, 0)
        case .center: return (0, 1, s.mean)
        case .scale: return (targetMin, (targetMax - targetMin) / (s.max - s.min), s.min)
        case .scaleCenter: return (targetMin, (targetMax - targetMin) / (s.max - s.min), s.mean)
        case .scaleSigma: return (targetMin, (targetMax - targetMin) / s.sigma, s.mean)
        }
    }
}
