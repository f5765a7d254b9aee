/// FIRE, the fast inertial relaxation engine (Bitzek, Koskinen, Gähler, Moseler, Gumbsch,
/// Phys. Rev. Lett. 97, 170201 (2006)): damped dynamics with unit masses whose velocity is
/// mixed toward the force while the power F·v stays positive.
///
/// Parameters of the paper: N_min = 5, f_inc = 1.1, f_dec = 0.5, α_start = 0.1, f_α = 0.99,
/// Δt_max = 10 Δt_start; the time step here starts at 0.1 (as in ASE) and every step is limited
/// to `maxStep` per coordinate. Integration is semi-implicit Euler (v += F Δt, x += v Δt).
/// FIRE does not guarantee that the energy decreases at every step.
public struct FIRE: Minimizer {
    public var options: MinimizationOptions
    public var dtStart = 0.1
    public var dtMax = 1.0
    public var nMin = 5
    public var fInc = 1.1
    public var fDec = 0.5
    public var alphaStart = 0.1
    public var fAlpha = 0.99

    public init(options: MinimizationOptions = .init()) { self.options = options }

    public func minimize(_ surface: EnergySurface, from x0: [Double]) throws -> MinimizationResult {
        var x = x0
        var p = try surface.evaluate(x)
        var evaluations = 1
        options.observer?(MinimizationStep(step: 0, x: x, point: p))
        var v = [Double](repeating: 0, count: x.count)
        var dt = dtStart, alpha = alphaStart
        var positiveSteps = 0
        var step = 0
        while p.maxForce >= options.fmax {
            if step >= options.maxSteps {
                return MinimizationResult(x: x, point: p, steps: step, evaluations: evaluations, status: .maxSteps)
            }
            step += 1
            let f = p.gradient.map { -$0 }
            let power = zip(f, v).reduce(0) { $0 + $1.0 * $1.1 }
            if power > 0 {
                let vNorm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let fNorm = f.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if fNorm > 0 { for i in v.indices { v[i] = (1 - alpha) * v[i] + alpha * vNorm * f[i] / fNorm } }
                positiveSteps += 1
                if positiveSteps > nMin {
                    dt = min(dt * fInc, dtMax)
                    alpha *= fAlpha
                }
            } else {
                for i in v.indices { v[i] = 0 }
                dt *= fDec
                alpha = alphaStart
                positiveSteps = 0
            }
            for i in v.indices { v[i] += dt * f[i] }
            var dx = v.map { $0 * dt }
            let largest = dx.reduce(0) { max($0, abs($1)) }
            if largest > options.maxStep { dx = dx.map { $0 * options.maxStep / largest } }
            for i in x.indices { x[i] += dx[i] }
            p = try surface.evaluate(x)
            evaluations += 1
            options.observer?(MinimizationStep(step: step, x: x, point: p))
        }
        return MinimizationResult(x: x, point: p, steps: step, evaluations: evaluations, status: .converged)
    }
}
