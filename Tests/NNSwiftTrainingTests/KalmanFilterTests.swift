import XCTest
import NNSwift
@testable import NNSwiftTraining

/// The Kalman-filter optimizer: on a linear model its updates are recursive least squares, whose
/// result has a closed form (solved here by Gaussian elimination, independent of the filter);
/// its measurement Jacobians equal finite differences of the predictions; training converges and
/// does not depend on the thread count; bad settings are refused with the key named.
final class KalmanFilterTests: XCTestCase {
    /// Solves A x = b (n × n, row-major) by Gaussian elimination with partial pivoting.
    func solve(_ a: [Double], _ b: [Double]) -> [Double] {
        let n = b.count
        var m = a, x = b
        for c in 0..<n {
            let p = (c..<n).max { abs(m[$0 * n + c]) < abs(m[$1 * n + c]) }!
            if p != c { for j in 0..<n { m.swapAt(c * n + j, p * n + j) }; x.swapAt(c, p) }
            for r in (c + 1)..<n {
                let f = m[r * n + c] / m[c * n + c]
                for j in c..<n { m[r * n + j] -= f * m[c * n + j] }
                x[r] -= f * x[c]
            }
        }
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = x[r]
            for j in (r + 1)..<n { s -= m[r * n + j] * x[j] }
            x[r] = s / m[r * n + r]
        }
        return x
    }

    /// Linear data y_i = h_iᵀ w_true + noise, measurements in `group`s of 1 or 3.
    func linearRun(type: Int, group: Int, lambda: Double = 1) throws -> (w: [Double], P: [Double], h: [[Double]], y: [Double], s: KalmanSettings) {
        let n = 6, count = 24
        var rng = SeededGenerator(seed: 11)
        let wTrue = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        let h = (0..<count).map { _ in (0..<n).map { _ in Double.random(in: -1...1, using: &rng) } }
        let y = h.map { hi in zip(hi, wTrue).reduce(0) { $0 + $1.0 * $1.1 } + 0.1 * Double.random(in: -1...1, using: &rng) }
        var s = KalmanSettings()
        s.type = type; s.epsilon = 0.5; s.q0 = 0; s.qmin = 0; s.eta = 0.7; s.etatau = 0; s.lambda = lambda; s.nu = 1
        var kf = try KalmanFilter(count: n, settings: s, updatesPerEpoch: count)
        var w = [Double](repeating: 0.2, count: n)
        var i = 0
        while i < count {
            let rows = i..<(i + group)
            // The error is taken at the current w, as the trainer does.
            let err = rows.map { r in y[r] - zip(h[r], w).reduce(0) { $0 + $1.0 * $1.1 } }
            kf.update(&w, jacobian: rows.flatMap { h[$0] }, error: err, threads: 1)
            i += group
        }
        return (w, kf.P, h, y, s)
    }

    /// Closed form: w = argmin Σ_i c_i (y_i − h_iᵀw)² + c_0 (w − w0)ᵀ ε (w − w0): information
    /// matrix J = c_0 ε I + Σ c_i h_i h_iᵀ; P = J⁻¹ (scaled by 1/η for the standard filter).
    func closedForm(_ h: [[Double]], _ y: [Double], weights c: [Double], prior c0: Double, epsilon: Double) -> (w: [Double], J: [Double]) {
        let n = h[0].count
        var J = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
        for i in 0..<n { J[i * n + i] = c0 * epsilon; b[i] = c0 * epsilon * 0.2 }
        for (k, hk) in h.enumerated() {
            for i in 0..<n {
                b[i] += c[k] * hk[i] * y[k]
                for j in 0..<n { J[i * n + j] += c[k] * hk[i] * hk[j] }
            }
        }
        return (solve(J, b), J)
    }

    func testStandardFilterIsRecursiveLeastSquares() throws {
        for group in [1, 3] {
            let r = try linearRun(type: 0, group: group)
            // Standard filter, q = 0: P_N⁻¹ = P_0⁻¹ + η Σ h hᵀ, P_0 = I/ε.
            let cf = closedForm(r.h, r.y, weights: r.h.map { _ in r.s.eta }, prior: 1, epsilon: r.s.epsilon)
            for i in r.w.indices { XCTAssertEqual(r.w[i], cf.w[i], accuracy: 1e-12, "group \(group), w[\(i)]") }
            let n = r.w.count
            for i in 0..<n { for j in 0..<n {
                let pj = (0..<n).reduce(0.0) { $0 + r.P[i * n + $1] * cf.J[$1 * n + j] }
                XCTAssertEqual(pj, i == j ? 1 : 0, accuracy: 1e-12, "group \(group), (P J)[\(i),\(j)]")
            } }
        }
    }

    func testFadingMemoryFilterIsExponentiallyWeightedLeastSquares() throws {
        // Fading memory, ν = 1 (λ constant), q = 0: P_N⁻¹ = λ^N P_0⁻¹ + Σ_i λ^(N−i) h_i h_iᵀ.
        let lambda = 0.9
        let r = try linearRun(type: 1, group: 1, lambda: lambda)
        let N = r.y.count
        let c = (1...N).map { Foundation.pow(lambda, Double(N - $0)) }
        let cf = closedForm(r.h, r.y, weights: c, prior: Foundation.pow(lambda, Double(N)), epsilon: r.s.epsilon)
        for i in r.w.indices { XCTAssertEqual(r.w[i], cf.w[i], accuracy: 1e-12, "w[\(i)]") }
    }

    static func config(epochs: Int, forceWeight: Double = 0.1) -> TrainingConfig {
        var c = TrainingConfig(data: ["(in memory)"])
        c.architecture = "6t-6t"
        c.symmetryFunctions = SymmetryFunctionSettings(preset: .radialAngular, cutoff: 5.0, rmin: 1.0)
        c.epochs = epochs; c.seed = 5; c.log = nil; c.outlierSigma = nil; c.validationFraction = 0.2
        c.forceWeight = forceWeight
        c.optimizer = OptimizerSettings(name: .kalman)
        return c
    }

    func testMeasurementJacobiansMatchFiniteDifferences() throws {
        let t = try Trainer(config: Self.config(epochs: 0), dataset: TrainerTests.morseData(count: 4, seed: 2))
        let p = t.training[0]
        let descs = t.loss.descriptors(p, functions: nil, jacobian: true)
        let theta = t.theta, h = 1e-6
        let em = theta.withUnsafeBufferPointer { t.loss.energyMeasurement(p, descriptors: descs, theta: $0) }
        let fm = theta.withUnsafeBufferPointer { t.loss.forceMeasurement(p, atom: 1, descriptors: descs, theta: $0) }
        let ref = theta.withUnsafeBufferPointer { t.loss.predict(p, theta: $0, forces: true) }
        XCTAssertEqual(em.value, ref.energy / Double(p.atoms), accuracy: 1e-13)
        for c in 0..<3 { XCTAssertEqual(fm.value[c], ref.forces[1][c], accuracy: 1e-12) }
        var worst = 0.0
        for k in stride(from: 0, to: theta.count, by: 7) {
            var tp = theta, tm = theta
            tp[k] += h; tm[k] -= h
            let rp = tp.withUnsafeBufferPointer { t.loss.predict(p, theta: $0, forces: true) }
            let rm = tm.withUnsafeBufferPointer { t.loss.predict(p, theta: $0, forces: true) }
            let dE = (rp.energy - rm.energy) / (2 * h) / Double(p.atoms)
            worst = max(worst, abs(dE - em.jacobian[k]))
            for c in 0..<3 {
                let dF = (rp.forces[1][c] - rm.forces[1][c]) / (2 * h)
                worst = max(worst, abs(dF - fm.jacobian[c * theta.count + k]))
            }
        }
        XCTAssertLessThan(worst, 1e-7)
    }

    func train(epochs: Int, forceWeight: Double, threads: Int? = nil) throws -> Trainer {
        var c = Self.config(epochs: epochs, forceWeight: forceWeight)
        c.forceFraction = 0.5
        let t = try Trainer(config: c, dataset: TrainerTests.morseData(count: 30, seed: 4))
        t.threads = threads
        try t.run()
        return t
    }

    func testTrainingConverges() throws {
        // Morse clusters, 24 training structures, default n2p2 settings (η 0.01 → 1, q 0.01 → 1e-6).
        let e = try train(epochs: 10, forceWeight: 0)
        XCTAssertLessThan(e.history[10].train.energyRMSE, 0.02 * e.history[0].train.energyRMSE)
        XCTAssertEqual(e.kalmanFilter?.updates, 10 * 24)
        // With forces (2 of 4 atoms per structure and epoch): both errors fall by more than 3×.
        let f = try train(epochs: 10, forceWeight: 0.01)
        XCTAssertLessThan(f.history[10].train.energyRMSE, 0.3 * f.history[0].train.energyRMSE)
        XCTAssertLessThan(f.history[10].train.forceRMSE, 0.3 * f.history[0].train.forceRMSE)
        XCTAssertEqual(f.kalmanFilter?.updates, 10 * (24 + 24 * 2))
    }

    func testIndependentOfThreads() throws {
        let serial = try train(epochs: 2, forceWeight: 0.01, threads: 1)
        for n in [2, nil] as [Int?] {
            let t = try train(epochs: 2, forceWeight: 0.01, threads: n)
            XCTAssertEqual(t.theta, serial.theta, "threads \(String(describing: n))")
            XCTAssertEqual(t.history.map(\.validation), serial.history.map(\.validation))
        }
    }

    func testConfigErrors() throws {
        func message(_ json: String, data: Dataset? = nil) -> String {
            do {
                var c = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
                c.log = nil
                let t = try Trainer(config: c, dataset: data ?? TrainerTests.morseData(count: 4, seed: 1))
                try t.run(epochs: 1)
                return "no error"
            } catch { return "\(error)" }
        }
        let base = #""data": "x.xyz", "architecture": "6t-6t", "outlierSigma": null, "validationFraction": 0"#
        XCTAssertTrue(message("{\(base), \"optimizer\": {\"name\": \"kalman\", \"kalman_type\": 2}}").contains("kalman_type = 2"))
        XCTAssertTrue(message("{\(base), \"optimizer\": {\"name\": \"kalman\", \"kalman_epsilon\": 0}}").contains("kalman_epsilon = 0"))
        XCTAssertTrue(message("{\(base), \"optimizer\": {\"name\": \"kalman\", \"kalman_type\": 1, \"kalman_lambda_short\": 1.5}}").contains("kalman_lambda_short = 1.5"))
        XCTAssertTrue(message("{\(base), \"optimizer\": {\"name\": \"kalman\", \"kalman_eta\": -1}}").contains("kalman_eta = -1"))
        XCTAssertTrue(message("{\(base), \"stressWeight\": 1, \"optimizer\": {\"name\": \"kalman\"}}").contains("stressWeight"))
        XCTAssertTrue(message("{\(base), \"trainSymmetryFunctions\": true, \"optimizer\": {\"name\": \"kalman\"}}").contains("trainSymmetryFunctions"))
        // 6t-6t on 24 functions: 24·6 + 6 + 6·6 + 6 + 6 + 1 = 199 weights, P = 199² · 8 B = 316,808 B.
        let small = message("{\(base), \"optimizer\": {\"name\": \"kalman\", \"covarianceMemoryGB\": 0.0003}}")
        XCTAssertTrue(small.contains("199 weights") && small.contains("covarianceMemoryGB = 0.0003"), small)
        XCTAssertEqual(message("{\(base), \"optimizer\": {\"name\": \"kalman\", \"covarianceMemoryGB\": 0.00032}}"), "no error")
        // The n2p2 keys are read.
        let c = try JSONDecoder().decode(TrainingConfig.self, from: Data("{\(base), \"optimizer\": {\"name\": \"kalman\", \"kalman_type\": 1, \"kalman_epsilon\": 0.02, \"kalman_q0\": 0.003, \"kalman_qtau\": 1.5, \"kalman_qmin\": 1e-7, \"kalman_eta\": 0.05, \"kalman_etatau\": 1, \"kalman_etamax\": 2, \"kalman_lambda_short\": 0.98, \"kalman_nue_short\": 0.9987}}".utf8))
        let k = c.optimizer.kalman
        XCTAssertEqual([Double(k.type), k.epsilon, k.q0, k.qtau, k.qmin, k.eta, k.etatau, k.etamax, k.lambda, k.nu],
                       [1, 0.02, 0.003, 1.5, 1e-7, 0.05, 1, 2, 0.98, 0.9987])
    }
}
