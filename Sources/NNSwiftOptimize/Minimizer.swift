/// Settings shared by the local minimizers.
public struct MinimizationOptions {
    /// Converged when the largest absolute gradient component (largest force component) is below this.
    public var fmax: Double = 1e-4
    /// Most iterations (one iteration = one accepted step).
    public var maxSteps: Int = 1000
    /// Largest change of any coordinate in one step (length units for atoms).
    public var maxStep: Double = 0.2
    /// Called at the starting point (step 0) and after every accepted step.
    public var observer: ((MinimizationStep) -> Void)?
    /// Asked before every iteration; `true` ends the run with status `.stopped` (early stopping).
    public var shouldStop: (() -> Bool)?

    public init(fmax: Double = 1e-4, maxSteps: Int = 1000, maxStep: Double = 0.2,
                observer: ((MinimizationStep) -> Void)? = nil) {
        self.fmax = fmax; self.maxSteps = maxSteps; self.maxStep = maxStep; self.observer = observer
    }
}

/// One point of a minimization, as passed to the observer.
public struct MinimizationStep {
    public var step: Int
    public var x: [Double]
    public var point: SurfacePoint
    public var fmax: Double { point.maxForce }
}

/// Why a minimization stopped.
public enum MinimizationStatus: String, Sendable {
    /// fmax below the tolerance.
    case converged
    /// `maxSteps` iterations without converging.
    case maxSteps = "max-steps"
    /// No step along the search direction (nor steepest descent) lowered the energy: the
    /// point is a minimum to numerical precision, but fmax is above the tolerance.
    case lineSearchFailed = "line-search-failed"
    /// `shouldStop` asked to end the run.
    case stopped
}

/// Outcome of a local minimization.
public struct MinimizationResult {
    public var x: [Double]
    public var point: SurfacePoint
    public var steps: Int
    public var evaluations: Int
    public var status: MinimizationStatus
    /// L-BFGS only: one record per line search.
    public var lineSearches: [LineSearchRecord] = []
    public var converged: Bool { status == .converged }
    public var energy: Double { point.energy }
    public var fmax: Double { point.maxForce }
}

/// A local minimizer of an `EnergySurface`.
public protocol Minimizer {
    func minimize(_ surface: EnergySurface, from x0: [Double]) throws -> MinimizationResult
}

/// The minimizers by name, for the command line.
public enum MinimizerKind: String, CaseIterable, Sendable {
    case lbfgs, fire

    public func make(_ options: MinimizationOptions) -> Minimizer {
        switch self {
        case .lbfgs: return LBFGS(options: options)
        case .fire: return FIRE(options: options)
        }
    }
}
