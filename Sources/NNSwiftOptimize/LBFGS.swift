/// Limited-memory BFGS (Nocedal, Math. Comp. 35, 773 (1980); Nocedal & Wright, Numerical
/// Optimization, algorithm 7.4): the two-loop recursion over the last `memory` steps with the
/// initial inverse Hessian γ·1, γ = sᵀy / yᵀy, and a backtracking line search.
///
/// Line search: the step along d = −H g is first limited so that no coordinate moves more than
/// `maxStep`, then halved until the Armijo condition E(x + αd) ≤ E(x) + c₁ α gᵀd holds
/// (c₁ = 1e-4). Because gᵀd < 0 an accepted step never raises the energy; if no trial is
/// accepted the memory is dropped and steepest descent is tried; if that fails too, the lowest
/// trial that did not raise the energy is taken, else the run stops with `lineSearchFailed`.
/// Pairs with sᵀy ≤ 0 (negative curvature) are not stored.
public struct LBFGS: Minimizer {
    public var options: MinimizationOptions
    public var memory = 10
    public var armijo = 1e-4
    public var maxBacktracks = 30

    public init(options: MinimizationOptions = .init(), memory: Int = 10) {
        self.options = options; self.memory = memory
    }

    public func minimize(_ surface: EnergySurface, from x0: [Double]) throws -> MinimizationResult {
        var x = x0
        var p = try surface.evaluate(x)
        var evaluations = 1
        options.observer?(MinimizationStep(step: 0, x: x, point: p))
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var records: [LineSearchRecord] = []
        var step = 0
        func result(_ status: MinimizationStatus) -> MinimizationResult {
            MinimizationResult(x: x, point: p, steps: step, evaluations: evaluations, status: status, lineSearches: records)
        }
        while p.maxForce >= options.fmax {
            if step >= options.maxSteps { return result(.maxSteps) }
            if options.shouldStop?() == true { return result(.stopped) }
            var d = direction(p.gradient, s, y, rho)
            if dotProduct(d, p.gradient) >= 0 {
                s.removeAll(); y.removeAll(); rho.removeAll()
                d = p.gradient.map { -$0 }
            }
            var search = try lineSearch(surface, x, p, d)
            evaluations += search.record.trials
            if search.accepted == nil && !s.isEmpty {
                // Drop the curvature information and try steepest descent.
                s.removeAll(); y.removeAll(); rho.removeAll()
                records.append(search.record)
                search = try lineSearch(surface, x, p, p.gradient.map { -$0 })
                evaluations += search.record.trials
            }
            records.append(search.record)
            guard let (xNew, pNew) = search.accepted else { return result(.lineSearchFailed) }
            assert(pNew.energy <= p.energy, "L-BFGS line search accepted an energy rise")
            let sk = zip(xNew, x).map { $0 - $1 }
            let yk = zip(pNew.gradient, p.gradient).map { $0 - $1 }
            let sy = dotProduct(sk, yk)
            if sy > 1e-16 * dotProduct(yk, yk) && sy > 0 {
                s.append(sk); y.append(yk); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            x = xNew; p = pNew
            step += 1
            options.observer?(MinimizationStep(step: step, x: x, point: p))
        }
        return result(.converged)
    }

    /// −H g by the two-loop recursion.
    func direction(_ g: [Double], _ s: [[Double]], _ y: [[Double]], _ rho: [Double]) -> [Double] {
        var q = g
        var a = [Double](repeating: 0, count: s.count)
        for k in stride(from: s.count - 1, through: 0, by: -1) {
            a[k] = rho[k] * dotProduct(s[k], q)
            for i in q.indices { q[i] -= a[k] * y[k][i] }
        }
        if let sl = s.last, let yl = y.last {
            let gamma = dotProduct(sl, yl) / dotProduct(yl, yl)
            for i in q.indices { q[i] *= gamma }
        }
        for k in 0..<s.count {
            let b = rho[k] * dotProduct(y[k], q)
            for i in q.indices { q[i] += s[k][i] * (a[k] - b) }
        }
        return q.map { -$0 }
    }

    func lineSearch(_ surface: EnergySurface, _ x: [Double], _ p: SurfacePoint, _ d0: [Double])
        throws -> (accepted: ([Double], SurfacePoint)?, record: LineSearchRecord) {
        var d = d0
        let largest = d.reduce(0) { max($0, abs($1)) }
        if largest > options.maxStep { d = d.map { $0 * options.maxStep / largest } }
        let slope = dotProduct(p.gradient, d)
        var record = LineSearchRecord(startEnergy: p.energy, acceptedEnergy: nil, trials: 0, alpha: 0)
        var alpha = 1.0
        var bestFallback: ([Double], SurfacePoint, Double)?
        for _ in 0..<maxBacktracks {
            let xt = zip(x, d).map { $0 + alpha * $1 }
            let pt = try surface.evaluate(xt)
            record.trials += 1
            if pt.energy.isFinite && pt.energy <= p.energy + armijo * alpha * slope {
                record.acceptedEnergy = pt.energy; record.alpha = alpha
                return ((xt, pt), record)
            }
            if pt.energy.isFinite && pt.energy <= p.energy && (bestFallback == nil || pt.energy < bestFallback!.1.energy) {
                bestFallback = (xt, pt, alpha)
            }
            alpha *= 0.5
        }
        if let (xt, pt, a) = bestFallback, pt.energy < p.energy || pt.maxForce < p.maxForce {
            record.acceptedEnergy = pt.energy; record.alpha = a
            return ((xt, pt), record)
        }
        return (nil, record)
    }
}

/// What one L-BFGS line search did: the energy at its start, the energy it accepted (nil when
/// it found no acceptable step), the number of energy evaluations and the accepted step fraction.
public struct LineSearchRecord: Sendable {
    public var startEnergy: Double
    public var acceptedEnergy: Double?
    public var trials: Int
    public var alpha: Double
    /// True unless the accepted energy is above the starting one.
    public var didNotRaiseEnergy: Bool { acceptedEnergy.map { $0 <= startEnergy } ?? true }
}

@inline(__always) func dotProduct(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}
