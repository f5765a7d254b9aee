import Foundation
import NNSwift

/// Settings of the Kalman-filter optimizer (`"optimizer": {"name": "kalman", …}`), with n2p2's
/// keyword names and the defaults of n2p2's example input.nn.
public struct KalmanSettings: Codable, Equatable, Sendable {
    /// 0 = standard (measurement noise 1/η), 1 = fading memory (forgetting factor λ).
    public var type: Int = 0
    /// P starts as I/ε.
    public var epsilon: Double = 0.01
    /// Process noise q (added to the diagonal of P after every update), annealed per update by
    /// exp(−qtau / updates per epoch) down to qmin: qtau = 2.302 lowers q tenfold per epoch.
    public var q0: Double = 0.01, qtau: Double = 2.302, qmin: Double = 1e-6
    /// Standard filter: η grows per update by exp(etatau / updates per epoch) up to etamax.
    public var eta: Double = 0.01, etatau: Double = 2.302, etamax: Double = 1.0
    /// Fading-memory filter: λ → ν λ + 1 − ν after every update.
    public var lambda: Double = 0.96, nu: Double = 0.9995
    /// Largest size of the covariance P (n² doubles for n weights), GB = 10⁹ bytes.
    public var covarianceMemoryGB: Double = 1

    public init() {}

    enum CodingKeys: String, CodingKey {
        case type = "kalman_type", epsilon = "kalman_epsilon", q0 = "kalman_q0", qtau = "kalman_qtau", qmin = "kalman_qmin"
        case eta = "kalman_eta", etatau = "kalman_etatau", etamax = "kalman_etamax"
        case lambda = "kalman_lambda_short", nu = "kalman_nue_short", covarianceMemoryGB
    }

    /// Reads the keys present in the optimizer object (the rest keep their defaults).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeWhole(Int.self, forKey: .type, name: "optimizer.kalman_type") ?? type
        epsilon = try c.decodeIfPresent(Double.self, forKey: .epsilon) ?? epsilon
        q0 = try c.decodeIfPresent(Double.self, forKey: .q0) ?? q0
        qtau = try c.decodeIfPresent(Double.self, forKey: .qtau) ?? qtau
        qmin = try c.decodeIfPresent(Double.self, forKey: .qmin) ?? qmin
        eta = try c.decodeIfPresent(Double.self, forKey: .eta) ?? eta
        etatau = try c.decodeIfPresent(Double.self, forKey: .etatau) ?? etatau
        etamax = try c.decodeIfPresent(Double.self, forKey: .etamax) ?? etamax
        lambda = try c.decodeIfPresent(Double.self, forKey: .lambda) ?? lambda
        nu = try c.decodeIfPresent(Double.self, forKey: .nu) ?? nu
        covarianceMemoryGB = try c.decodeIfPresent(Double.self, forKey: .covarianceMemoryGB) ?? covarianceMemoryGB
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type); try c.encode(epsilon, forKey: .epsilon)
        try c.encode(q0, forKey: .q0); try c.encode(qtau, forKey: .qtau); try c.encode(qmin, forKey: .qmin)
        try c.encode(eta, forKey: .eta); try c.encode(etatau, forKey: .etatau); try c.encode(etamax, forKey: .etamax)
        try c.encode(lambda, forKey: .lambda); try c.encode(nu, forKey: .nu)
        try c.encode(covarianceMemoryGB, forKey: .covarianceMemoryGB)
    }

    /// One line for the training log, n2p2's keywords.
    public var summary: String {
        let common = "kalman_type \(type), kalman_epsilon \(epsilon), kalman_q0 \(q0), kalman_qtau \(qtau), kalman_qmin \(qmin)"
        return type == 0 ? common + ", kalman_eta \(eta), kalman_etatau \(etatau), kalman_etamax \(etamax)"
                         : common + ", kalman_lambda_short \(lambda), kalman_nue_short \(nu)"
    }

    /// The log's learning-rate column: η (standard) or λ (fading memory).
    var logRate: Double { type == 0 ? eta : lambda }

    /// Range checks (config errors name the key and the value).
    func validate() throws {
        func bad(_ key: CodingKeys, _ v: Double, _ rule: String) -> Error {
            NNSwiftError.argument("config: optimizer.\(key.rawValue) = \(v): \(rule)")
        }
        guard type == 0 || type == 1 else {
            throw NNSwiftError.argument("config: optimizer.kalman_type = \(type): must be 0 (standard) or 1 (fading memory)")
        }
        guard epsilon > 0, epsilon.isFinite else { throw bad(.epsilon, epsilon, "must be positive (P starts as I/ε)") }
        guard q0 >= 0, q0.isFinite else { throw bad(.q0, q0, "must be >= 0") }
        guard qtau >= 0, qtau.isFinite else { throw bad(.qtau, qtau, "must be >= 0") }
        guard qmin >= 0, qmin.isFinite else { throw bad(.qmin, qmin, "must be >= 0") }
        if type == 0 {
            guard eta > 0, eta.isFinite else { throw bad(.eta, eta, "must be positive (measurement noise 1/η)") }
            guard etatau >= 0, etatau.isFinite else { throw bad(.etatau, etatau, "must be >= 0") }
            guard etamax > 0, etamax.isFinite else { throw bad(.etamax, etamax, "must be positive") }
        } else {
            guard lambda > 0, lambda <= 1 else { throw bad(.lambda, lambda, "must be in (0, 1]") }
            guard nu > 0, nu <= 1 else { throw bad(.nu, nu, "must be in (0, 1]") }
        }
        guard covarianceMemoryGB > 0, covarianceMemoryGB <= 1e6 else {
            throw bad(.covarianceMemoryGB, covarianceMemoryGB, "must be in (0, 1e6]")
        }
    }
}

extension TrainingConfig {
    /// Checks of the Kalman settings and of what the filter does not support.
    func validateKalman() throws {
        guard optimizer.name == .kalman else { return }
        try optimizer.kalman.validate()
        if trainSymmetryFunctions {
            throw NNSwiftError.argument("config: optimizer \"kalman\" with trainSymmetryFunctions is not supported (use adam, rmsprop, sgd or lbfgs)")
        }
        if stressWeight > 0 {
            throw NNSwiftError.argument("config: optimizer \"kalman\" with stressWeight > 0 is not supported (the filter updates on energies and forces only)")
        }
    }
}

/// Global extended Kalman filter over all weights (n2p2's default optimizer, `KalmanFilter`
/// with update strategy "combined"): one dense covariance P (n × n, n = all weights and biases
/// of all elements), because a structure's energy and forces depend on every element's network,
/// so a per-element P would drop the correlations between them.
///
/// One update with m measurements y (m = 1: an energy, m = 3: the force on one atom),
/// predictions h(w), Jacobian H (n × m, stored as m rows of ∂h_r/∂w) and error ξ = y − h(w):
///
///     X = P H,  A = Hᵀ X + R,  K = X A⁻¹,  P ← P − K Xᵀ,  w ← w + K ξ,
///     R = I/η (standard) or λ I (fading memory; then also P ← P/λ),  P ← P + q I.
///
/// Every row of X and P is computed by one worker from the same inputs, so the result does not
/// depend on the number of threads.
public struct KalmanFilter: Sendable {
    public let count: Int
    public let settings: KalmanSettings
    /// Row-major n × n.
    public private(set) var P: [Double]
    public private(set) var q: Double, eta: Double, lambda: Double
    public private(set) var updates = 0
    /// Per-update annealing factors of q and η (n2p2 divides qtau and etatau by the number of
    /// updates per epoch).
    var qFactor: Double, etaFactor: Double

    /// Bytes of P for `n` weights; nil on overflow.
    public static func covarianceBytes(_ n: Int) -> Int? {
        let (nn, o1) = n.multipliedReportingOverflow(by: n)
        let (b, o2) = nn.multipliedReportingOverflow(by: MemoryLayout<Double>.size)
        return o1 || o2 ? nil : b
    }

    /// Refuses (naming `covarianceMemoryGB`) when P would exceed the memory limit.
    public init(count n: Int, settings s: KalmanSettings, updatesPerEpoch: Int) throws {
        try s.validate()
        let limit = s.covarianceMemoryGB * 1e9
        guard n > 0, let bytes = Self.covarianceBytes(n), Double(bytes) <= limit else {
            let gb = Double(n) * Double(n) * 8 / 1e9
            throw NNSwiftError.argument(String(format: "Kalman filter: the covariance P of %d weights needs %d² doubles = %.3g GB, above optimizer.covarianceMemoryGB = %g; use a smaller network or raise covarianceMemoryGB", n, n, gb, s.covarianceMemoryGB))
        }
        count = n; settings = s
        P = [Double](repeating: 0, count: n * n)
        for i in 0..<n { P[i * n + i] = 1 / s.epsilon }
        q = s.q0; eta = s.eta; lambda = s.lambda
        let u = Double(max(1, updatesPerEpoch))
        qFactor = Foundation.exp(-s.qtau / u); etaFactor = Foundation.exp(s.etatau / u)
    }

    /// One update of `w` with `m` measurements: `jacobian` holds m rows of n entries (∂h_r/∂w),
    /// `error` the m values y − h(w). m must be 1, 2 or 3 (A is inverted in closed form).
    public mutating func update(_ w: inout [Double], jacobian H: [Double], error xi: [Double], threads: Int? = nil) {
        let n = count, m = xi.count
        precondition(m >= 1 && m <= 3 && H.count == m * n && w.count == n, "Kalman update: inconsistent sizes")
        let standard = settings.type == 0
        if standard && eta < settings.etamax { eta = min(settings.etamax, eta * etaFactor) }
        // X = P H (m rows of n), one block of rows of P per work item.
        var X = [Double](repeating: 0, count: m * n)
        let blocks = Swift.max(1, Swift.min(64, n / 32))
        P.withUnsafeBufferPointer { p in
            H.withUnsafeBufferPointer { h in
                X.withUnsafeMutableBufferPointer { x in
                    parallelFor(blocks, threads: threads) { b in
                        for i in (b * n / blocks)..<((b + 1) * n / blocks) {
                            let row = p.baseAddress! + i * n
                            for r in 0..<m { x[r * n + i] = Self.dot(row, h.baseAddress! + r * n, n) }
                        }
                    }
                }
            }
        }
        // A = Hᵀ X + R (m × m, symmetric), then its inverse.
        var A = [Double](repeating: 0, count: m * m)
        H.withUnsafeBufferPointer { h in
            X.withUnsafeBufferPointer { x in
                for r in 0..<m { for s in 0..<m { A[r * m + s] = Self.dot(h.baseAddress! + r * n, x.baseAddress! + s * n, n) } }
            }
        }
        for r in 0..<m { A[r * m + r] += standard ? 1 / eta : lambda }
        let Ainv = Self.inverse(A, m)
        // K = X A⁻¹ (m rows of n).
        var K = [Double](repeating: 0, count: m * n)
        for r in 0..<m { for s in 0..<m { let a = Ainv[s * m + r]; for i in 0..<n { K[r * n + i] += X[s * n + i] * a } } }
        // P ← (P − K Xᵀ)/λ + q I, row by row.
        let scale = standard ? 1 : 1 / lambda, qq = q
        P.withUnsafeMutableBufferPointer { p in
            K.withUnsafeBufferPointer { k in
                X.withUnsafeBufferPointer { x in
                    parallelFor(blocks, threads: threads) { b in
                        for i in (b * n / blocks)..<((b + 1) * n / blocks) {
                            let row = p.baseAddress! + i * n
                            for r in 0..<m {
                                let ki = k[r * n + i], xr = x.baseAddress! + r * n
                                for j in 0..<n { row[j] -= ki * xr[j] }
                            }
                            if scale != 1 { for j in 0..<n { row[j] *= scale } }
                            row[i] += qq
                        }
                    }
                }
            }
        }
        for r in 0..<m { for i in 0..<n { w[i] += K[r * n + i] * xi[r] } }
        if q > settings.qmin { q = Swift.max(settings.qmin, q * qFactor) }
        if !standard { lambda = settings.nu * lambda + 1 - settings.nu }
        updates += 1
    }

    /// Σ a_i b_i with four partial sums (fixed order: deterministic).
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var j = 0
        while j + 4 <= n { s0 += a[j] * b[j]; s1 += a[j + 1] * b[j + 1]; s2 += a[j + 2] * b[j + 2]; s3 += a[j + 3] * b[j + 3]; j += 4 }
        while j < n { s0 += a[j] * b[j]; j += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Inverse of a symmetric positive definite m × m matrix (m ≤ 3) by the adjugate.
    static func inverse(_ a: [Double], _ m: Int) -> [Double] {
        switch m {
        case 1: return [1 / a[0]]
        case 2:
            let det = a[0] * a[3] - a[1] * a[2]
            return [a[3] / det, -a[1] / det, -a[2] / det, a[0] / det]
        default:
            let c00 = a[4] * a[8] - a[5] * a[7], c01 = a[5] * a[6] - a[3] * a[8], c02 = a[3] * a[7] - a[4] * a[6]
            let det = a[0] * c00 + a[1] * c01 + a[2] * c02
            return [c00 / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
                    c01 / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
                    c02 / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det]
        }
    }
}

extension LossFunction {
    /// Energy measurement of one structure: its energy per atom (network part) and ∂(E/N)/∂θ.
    func energyMeasurement(_ p: PreparedStructure, descriptors descs: [AtomDescriptors], theta: UnsafeBufferPointer<Double>)
        -> (value: Double, jacobian: [Double]) {
        var passes = layout.networks.map { NetworkPass(layers: $0) }
        var grad = [Double](repeating: 0, count: layout.count)
        let n = Double(p.atoms)
        var e = 0.0
        grad.withUnsafeMutableBufferPointer { g in
            for (i, d) in descs.enumerated() {
                let s = p.species[i]
                e += passes[s].forward(theta, input: scaled(d.values, species: s)) * energyScale + energyShift
                passes[s].accumulateGradient(theta, alpha: energyScale / n, beta: 0, direction: nil, into: g)
            }
        }
        return (e / n, grad)
    }

    /// Force measurement of atom `k`: its force F_k and ∂F_kc/∂θ (3 rows), from the atoms whose
    /// descriptors depend on the position of k (F_k = −Σ_i ∂E_i/∂r_k).
    func forceMeasurement(_ p: PreparedStructure, atom k: Int, descriptors descs: [AtomDescriptors],
                          theta: UnsafeBufferPointer<Double>) -> (value: SIMD3<Double>, jacobian: [Double]) {
        var passes = layout.networks.map { NetworkPass(layers: $0) }
        let P = layout.count
        var grad = [Double](repeating: 0, count: 3 * P)
        var f = SIMD3<Double>.zero
        grad.withUnsafeMutableBufferPointer { g in
            for (i, d) in descs.enumerated() {
                guard let a = d.atoms.firstIndex(of: k) else { continue }
                let e = p.species[i], S = d.values.count
                _ = passes[e].forward(theta, input: scaled(d.values, species: e))
                let dEdx = passes[e].inputGradient(theta)
                for s in 0..<S { f -= (dEdx[s] * energyScale * factor[e][s]) * d.jacobian[a * S + s] }
                for c in 0..<3 {
                    // Direction u_s = c_s ∂G_is/∂r_kc; β = −energyScale turns ∂E_i/∂x·u into −∂E_i/∂r_kc.
                    let u = (0..<S).map { s in factor[e][s] * d.jacobian[a * S + s][c] }
                    let row = UnsafeMutableBufferPointer(rebasing: g[(c * P)..<((c + 1) * P)])
                    passes[e].accumulateGradient(theta, alpha: 0, beta: -energyScale, direction: u, into: row)
                }
            }
        }
        return (f, grad)
    }
}

extension Trainer {
    /// Kalman-filter epochs: every training structure (shuffled as for the mini-batch
    /// optimizers) gives one energy update (y = E/N, per atom as in the loss), then one
    /// 3-component force update per atom of its `forceFraction` subset (y = √w_F · F_k, so
    /// `forceWeight` weighs squared force errors against squared per-atom energy errors as in the
    /// loss). A structure's loss weight ω scales its measurements and their Jacobians by √ω (the
    /// weighted least-squares form of the loss). Each update re-evaluates the structure at the
    /// current weights.
    func runKalman(until target: Int) throws {
        let useForces = config.forceWeight > 0
        let sw = config.forceWeight.squareRoot()
        if kalmanFilter == nil {
            let perEpoch = training.count + (useForces ? training.reduce(0) {
                $0 + ($1.forces == nil ? 0 : ForceSubsampling.count(atoms: $1.atoms, fraction: config.forceFraction)) } : 0)
            kalmanFilter = try KalmanFilter(count: theta.count, settings: config.optimizer.kalman, updatesPerEpoch: perEpoch)
        }
        guard var filter = kalmanFilter else { return }
        defer { kalmanFilter = filter }
        while epoch < target {
            let start = Date()
            var order = Array(training.indices)
            var rng = SeededGenerator(seed: config.seed &+ 0x9E37_79B9 &* UInt64(epoch + 1))
            rng.shuffle(&order)
            for idx in order {
                let p = training[idx].subsamplingForces(fraction: config.forceFraction, seed: config.seed, epoch: epoch, index: idx)
                let forces = useForces && p.forces != nil
                let descs = loss.descriptors(p, functions: nil, jacobian: forces)
                let so = p.weight.squareRoot()
                var em = theta.withUnsafeBufferPointer { loss.energyMeasurement(p, descriptors: descs, theta: $0) }
                if so != 1 { for j in em.jacobian.indices { em.jacobian[j] *= so } }
                filter.update(&theta, jacobian: em.jacobian, error: [so * (p.targetEnergy / Double(p.atoms) - em.value)], threads: threads)
                guard forces, let ref = p.forces else { continue }
                let swo = sw * so
                for k in p.forceAtoms ?? Array(0..<p.atoms) {
                    var fm = theta.withUnsafeBufferPointer { loss.forceMeasurement(p, atom: k, descriptors: descs, theta: $0) }
                    for j in fm.jacobian.indices { fm.jacobian[j] *= swo }
                    let d = swo * (ref[k] - fm.value)
                    filter.update(&theta, jacobian: fm.jacobian, error: [d.x, d.y, d.z], threads: threads)
                }
            }
            epoch += 1
            let trainM = metrics(training)
            let valM = validation.isEmpty ? nil : metrics(validation)
            let monitored = (valM ?? trainM).loss
            if monitored < bestLoss { bestLoss = monitored; best = theta; bestEpoch = epoch }
            // The log's learning-rate column: η (standard) or λ (fading memory).
            let rec = EpochRecord(epoch: epoch, learningRate: filter.settings.type == 0 ? filter.eta : filter.lambda,
                                  train: trainM, validation: valM, seconds: Date().timeIntervalSince(start))
            history.append(rec)
            onEpoch?(rec)
            if let path = config.checkpoint, config.checkpointEvery > 0, epoch % config.checkpointEvery == 0 {
                try saveCheckpoint(path: path)
            }
            if !trainM.loss.isFinite { throw NNSwiftError.argument("training diverged at epoch \(epoch) (loss is not finite); lower optimizer.kalman_eta or raise kalman_epsilon") }
            if config.patience > 0 && epoch - bestEpoch >= config.patience { break }
        }
    }
}
