import Foundation
import XCTest
import NNSwift
import NNSwiftTraining

/// `x` deformed by x → (I + ε) x (ε row-major 3×3).
private func deform(_ x: SIMD3<Double>, _ e: [Double]) -> SIMD3<Double> {
    x + SIMD3(e[0] * x.x + e[1] * x.y + e[2] * x.z, e[3] * x.x + e[4] * x.y + e[5] * x.z, e[6] * x.x + e[7] * x.y + e[8] * x.z)
}

private func deform(_ s: Structure, _ e: [Double]) -> Structure {
    var t = s
    t.positions = s.positions.map { deform($0, e) }
    if let c = s.cell { t.cell = Cell(a: deform(c.a, e), b: deform(c.b, e), c: deform(c.c, e)) }
    return t
}

/// Periodic triclinic cells (cutoff 4.5 Å > half the cell: images), random reference stresses.
private func stressStructures(model: Model, count: Int, seed: UInt64) -> [Structure] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { n in
        var s = randomStructure(elements: model.elements, count: 5 + n, periodic: true, rng: &rng)
        s = deform(s, [0, 0.12, -0.07, 0.03, 0, 0.09, -0.05, 0.02, 0])
        s.stress = Matrix3(flat: (0..<9).map { _ in 0.05 * (rng.unit() - 0.5) })
        return s
    }
}

private func voigt(_ m: Matrix3) -> [Double] {
    [m[0, 0], m[1, 1], m[2, 2], 0.5 * (m[1, 2] + m[2, 1]), 0.5 * (m[0, 2] + m[2, 0]), 0.5 * (m[0, 1] + m[1, 0])]
}

final class StressTrainingTests: XCTestCase {
    /// The trainer's stress equals the production evaluator's −virial/V (an independent adjoint
    /// code path) and the strain derivative (1/V) ∂E/∂ε of `Potential` energies (finite differences).
    func testStressMatchesPotentialAndStrainDerivative() throws {
        let model = try makeTestModel(seed: 9)
        let potential = try Potential(model: model)
        let loss = LossFunction(model: model, forceWeight: 1, stressWeight: 1)
        let theta = ParameterLayout.parameters(of: model)
        for s in stressStructures(model: model, count: 2, seed: 31) {
            let p = try TrainingSetup.prepare([s], model: model, jacobian: true, stress: true)[0]
            let pred = theta.withUnsafeBufferPointer { loss.predict(p, theta: $0, forces: true, stress: true) }
            XCTAssertEqual(pred.stress.count, 6)
            let ref = try potential.evaluate(s)
            let v = s.cell!.volume
            let sigma = voigt(ref.stress(volume: v))
            let scale = sigma.map(abs).max()!
            XCTAssertGreaterThan(scale, 1e-3)
            for c in 0..<6 { XCTAssertEqual(pred.stress[c], sigma[c], accuracy: 1e-11 * scale, "component \(c) vs Potential") }
            // σ_ab = (1/V) ∂E/∂ε_ab; for a ≠ b a symmetric strain ε_ab = ε_ba = t gives dE/dt = 2Vσ_ab.
            let h = 1e-4
            for (c, (a, b)) in [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)].enumerated() {
                func E(_ t: Double) throws -> Double {
                    var e = [Double](repeating: 0, count: 9)
                    e[3 * a + b] = t; e[3 * b + a] = t
                    return try potential.evaluate(deform(s, e), options: .energyOnly).energy
                }
                let d = (8 * (try E(h) - E(-h)) - (try E(2 * h) - E(-2 * h))) / (12 * h)
                let fd = d / (a == b ? v : 2 * v)
                XCTAssertEqual(pred.stress[c], fd, accuracy: 1e-8 * scale, "component \(c) vs strain finite difference")
            }
        }
    }

    /// The loss with a stress term, evaluated independently from `Potential` predictions: the
    /// structure without a reference stress contributes no stress term and C_S counts only the others.
    func testLossValueAndGradient() throws {
        let model = try makeTestModel(seed: 12)
        let potential = try Potential(model: model)
        var structures = stressStructures(model: model, count: 3, seed: 5)
        structures[1].stress = nil
        let prepared = try TrainingSetup.prepare(structures, model: model, jacobian: true, stress: true)
        XCTAssertEqual(prepared.map { $0.stress != nil }, [true, false, true])
        let theta = ParameterLayout.parameters(of: model)
        for (wF, wS) in [(0.5, 3.0), (0.0, 1.0)] {
            let loss = LossFunction(model: model, forceWeight: wF, stressWeight: wS)
            var eSum = 0.0, fSum = 0.0, sSum = 0.0, fCount = 0, sCount = 0
            for s in structures {
                let r = try potential.evaluate(s)
                let de = (r.energy - s.energy!) / Double(s.count)
                eSum += de * de
                for (f, g) in zip(r.forces, s.forces!) { fSum += ((f - g) * (f - g)).sum() }
                fCount += 3 * s.count
                if let st = s.stress {
                    for (x, y) in zip(voigt(r.stress(volume: s.cell!.volume)), voigt(st)) { sSum += (x - y) * (x - y) }
                    sCount += 6
                }
            }
            let expected = eSum / 3 + wF * fSum / Double(fCount) + wS * sSum / Double(sCount)
            let got = loss.batch(prepared, theta: theta, gradient: false).loss
            XCTAssertEqual(got, expected, accuracy: 1e-10 * expected, "w_F \(wF) w_S \(wS)")
            XCTAssertLessThan(worstGradientError(loss, prepared, theta: theta), 1e-6, "w_F \(wF) w_S \(wS)")
        }
    }

    /// Derivatives recomputed per batch (memory budget 0 or partial) give bit-identical losses and
    /// gradients to stored ones.
    func testRecomputedDerivativesIdentical() throws {
        let model = try makeTestModel(seed: 14)
        var structures = stressStructures(model: model, count: 4, seed: 8)
        structures[2].stress = nil
        let stored = try TrainingSetup.prepare(structures, model: model, jacobian: true, stress: true)
        let loss = LossFunction(model: model, forceWeight: 0.7, stressWeight: 2)
        let theta = ParameterLayout.parameters(of: model)
        let full = loss.batch(stored, theta: theta)
        let sizes = stored.map(\.derivativeBytes)
        XCTAssertTrue(sizes.allSatisfy { $0 > 0 })
        for (limit, expectStored) in [(0, 0), (sizes[0] + sizes[1], 2), (Int.max, 4)] {
            let budget = DerivativeBudget(bytes: limit)
            let p = try TrainingSetup.prepare(structures, model: model, jacobian: true, stress: true, budget: budget)
            XCTAssertEqual(budget.stored, expectStored)
            XCTAssertEqual(budget.recomputed, 4 - expectStored)
            XCTAssertEqual(budget.required, sizes.reduce(0, +))
            XCTAssertEqual(p.map { $0.structure == nil }, (0..<4).map { $0 < expectStored })
            let r = loss.batch(p, theta: theta)
            XCTAssertEqual(r.loss, full.loss, "budget \(limit)")
            XCTAssertEqual(r.gradient, full.gradient, "budget \(limit)")
        }
    }

    func testConfigKeys() throws {
        let json = #"{"data": "x.xyz", "stressWeight": 2.5, "forceFraction": 0.25, "derivativeMemoryGB": 0.5}"#
        let c = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
        XCTAssertEqual(c.stressWeight, 2.5)
        XCTAssertEqual(c.forceFraction, 0.25)
        XCTAssertEqual(c.derivativeMemoryGB, 0.5)
        XCTAssertNoThrow(try c.validate())
        let d = TrainingConfig(data: ["x.xyz"])
        XCTAssertEqual(d.stressWeight, 0); XCTAssertEqual(d.forceFraction, 1); XCTAssertEqual(d.derivativeMemoryGB, 2)
        for bad in [#""forceFraction": 0"#, #""forceFraction": 1.5"#, #""stressWeight": -1"#, #""derivativeMemoryGB": -1"#,
                    #""forceFraction": 0.5, "optimizer": {"name": "lbfgs"}"#, #""stressWeight": 1, "trainSymmetryFunctions": true"#] {
            let c = try JSONDecoder().decode(TrainingConfig.self, from: Data("{\"data\": \"x.xyz\", \(bad)}".utf8))
            XCTAssertThrowsError(try c.validate(), bad)
        }
    }
}

final class ForceSubsamplingTests: XCTestCase {
    func testCountsAndSelection() {
        XCTAssertEqual(ForceSubsampling.count(atoms: 10, fraction: 0.25), 3)  // round(2.5)
        XCTAssertEqual(ForceSubsampling.count(atoms: 200, fraction: 0.05), 10)
        XCTAssertEqual(ForceSubsampling.count(atoms: 9, fraction: 0.01), 1)   // at least one atom
        XCTAssertEqual(ForceSubsampling.count(atoms: 7, fraction: 1), 7)
        XCTAssertEqual(ForceSubsampling.count(atoms: 5, fraction: 0.99), 5)
        let a = ForceSubsampling.atoms(count: 50, fraction: 0.2, seed: 3, epoch: 4, index: 7)
        XCTAssertEqual(a.count, 10)
        XCTAssertEqual(a, a.sorted())
        XCTAssertEqual(Set(a).count, 10)
        XCTAssertTrue(a.allSatisfy { $0 >= 0 && $0 < 50 })
        XCTAssertEqual(a, ForceSubsampling.atoms(count: 50, fraction: 0.2, seed: 3, epoch: 4, index: 7), "reproducible")
        XCTAssertNotEqual(a, ForceSubsampling.atoms(count: 50, fraction: 0.2, seed: 3, epoch: 5, index: 7), "new subset per epoch")
        XCTAssertNotEqual(a, ForceSubsampling.atoms(count: 50, fraction: 0.2, seed: 3, epoch: 4, index: 8), "per structure")
        XCTAssertNotEqual(a, ForceSubsampling.atoms(count: 50, fraction: 0.2, seed: 4, epoch: 4, index: 7), "per seed")
        // Uniform over atoms: 3 of 10 in each of 2000 epochs, 600 expected per atom (σ ≈ 20.5).
        var hits = [Int](repeating: 0, count: 10)
        for e in 0..<2000 { for k in ForceSubsampling.atoms(count: 10, fraction: 0.3, seed: 1, epoch: e, index: 0) { hits[k] += 1 } }
        XCTAssertTrue(hits.allSatisfy { abs($0 - 600) < 100 }, "\(hits)")
    }

    /// f = 1 (and an f that rounds to every atom) is the full loss exactly; a subsampled loss
    /// equals the loss computed independently from `Potential` forces on the selected atoms only,
    /// its gradient matches finite differences, and recomputing only the centers the selected
    /// forces need gives the same bits as the stored Jacobians.
    func testSubsampledLoss() throws {
        let model = try makeTestModel(seed: 21)
        let potential = try Potential(model: model)
        var rng = SeededGenerator(seed: 4)
        let structures = (0..<3).map { n in randomStructure(elements: model.elements, count: 5 + 2 * n, periodic: true, rng: &rng) }
        let prepared = try TrainingSetup.prepare(structures, model: model, jacobian: true)
        let loss = LossFunction(model: model, forceWeight: 2)
        let theta = ParameterLayout.parameters(of: model)
        let full = loss.batch(prepared, theta: theta)
        for f in [1.0, 0.95] {
            let sub = prepared.enumerated().map { $1.subsamplingForces(fraction: f, seed: 1, epoch: 0, index: $0) }
            let r = loss.batch(sub, theta: theta)
            XCTAssertEqual(r.loss, full.loss, "fraction \(f)")
            XCTAssertEqual(r.gradient, full.gradient, "fraction \(f)")
        }
        let f = 0.3
        let sub = prepared.enumerated().map { $1.subsamplingForces(fraction: f, seed: 9, epoch: 2, index: $0) }
        XCTAssertEqual(sub.map(\.forceComponents), structures.map { 3 * ForceSubsampling.count(atoms: $0.count, fraction: f) })
        XCTAssertEqual(sub.map(\.forceComponents), [6, 6, 9])  // round(0.3 N) for N = 5, 7, 9
        var eSum = 0.0, fSum = 0.0, fCount = 0
        for (b, s) in structures.enumerated() {
            let res = try potential.evaluate(s)
            let de = (res.energy - s.energy!) / Double(s.count)
            eSum += de * de
            for k in ForceSubsampling.atoms(count: s.count, fraction: f, seed: 9, epoch: 2, index: b) {
                let d = res.forces[k] - s.forces![k]
                fSum += (d * d).sum(); fCount += 3
            }
        }
        let expected = eSum / 3 + 2 * fSum / Double(fCount)
        let got = loss.batch(sub, theta: theta)
        XCTAssertEqual(got.loss, expected, accuracy: 1e-10 * expected)
        XCTAssertNotEqual(got.loss, full.loss)
        XCTAssertLessThan(worstGradientError(loss, sub, theta: theta), 1e-6)
        let lean = try TrainingSetup.prepare(structures, model: model, jacobian: true, budget: DerivativeBudget(bytes: 0))
        let leanSub = lean.enumerated().map { $1.subsamplingForces(fraction: f, seed: 9, epoch: 2, index: $0) }
        let r = loss.batch(leanSub, theta: theta)
        XCTAssertEqual(r.loss, got.loss)
        XCTAssertEqual(r.gradient, got.gradient)
    }

    /// Training with forceFraction < 1 is reproducible and differs from f = 1.
    func testTrainerReproducible() throws {
        let data = TrainerTests.morseData(count: 24, seed: 2)
        var c = TrainingConfig.small(architecture: "8t-8t", epochs: 3, seed: 5)
        c.forceFraction = 0.5
        let a = try Trainer(config: c, dataset: data), b = try Trainer(config: c, dataset: data)
        try a.run(); try b.run()
        XCTAssertEqual(a.theta, b.theta)
        c.forceFraction = 1
        let full = try Trainer(config: c, dataset: data)
        try full.run()
        XCTAssertNotEqual(a.theta, full.theta)
    }
}
