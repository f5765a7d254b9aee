import Foundation
import XCTest
import NNSwift
import NNSwiftTraining

/// A two-element model with every symmetry-function type and several activations, random weights.
func makeTestModel(seed: UInt64, elements: [String] = ["H", "O"], activations: [String] = ["6t-5s", "5p-4t"]) throws -> Model {
    var rng = SeededGenerator(seed: seed)
    let c = CutoffFunction.cosine(4.5)
    var species: [ElementModel] = []
    for (n, e) in elements.enumerated() {
        var fs: [SymmetryFunction] = []
        for a in elements {
            fs.append(.g1(a, cutoff: .cosine(3.5)))
            fs.append(.g2(a, eta: 0.7, rs: 1.2, cutoff: c))
            fs.append(.g2(a, eta: 0.2, cutoff: CutoffFunction(kind: .poly2, radius: 4.0, alpha: 0.1)))
            fs.append(.g3(a, kappa: 1.3, cutoff: c))
        }
        for (i, a) in elements.enumerated() {
            for b in elements[i...] {
                fs.append(.g4(a, b, eta: 0.05, lambda: 1, zeta: 2, cutoff: c))
                fs.append(.g5(a, b, eta: 0.02, lambda: -1, zeta: 1, rs: 0.3, cutoff: c))
                fs.append(.g5(a, b, eta: 0.01, lambda: 1, zeta: 3.5, cutoff: c))
            }
        }
        let arch = try Architecture(activations[n % activations.count])
        var net = try arch.network(inputs: fs.count, rng: &rng)
        for l in net.layers.indices {
            net.layers[l].biases = net.layers[l].biases.map { _ in 0.2 * (2 * rng.unit() - 1) }
            if l == net.layers.count - 1 { net.layers[l].weights = net.layers[l].weights.map { $0 * 10 } }
        }
        let stats = fs.map { _ in FunctionStatistics(min: 0, max: 1 + rng.unit(), mean: 0.3 * rng.unit(), sigma: 0.5 + rng.unit()) }
        species.append(ElementModel(element: e, symmetryFunctions: fs, scaling: Scaling(mode: .scaleSigma, statistics: stats),
                                    network: net, referenceEnergy: -1.5 * Double(n + 1)))
    }
    return Model(units: .metal, species: species)
}

func randomStructure(elements: [String], count: Int, periodic: Bool, rng: inout SeededGenerator) -> Structure {
    var pos: [SIMD3<Double>] = []
    let box = periodic ? 5.5 : 3.2
    while pos.count < count {
        let p = SIMD3(rng.unit(), rng.unit(), rng.unit()) * box
        if pos.allSatisfy({ let d = $0 - p; return (d * d).sum() > 0.9 * 0.9 }) { pos.append(p) }
    }
    let el = (0..<count).map { elements[$0 % elements.count] }
    let forces = (0..<count).map { _ in SIMD3(rng.unit() - 0.5, rng.unit() - 0.5, rng.unit() - 0.5) }
    return Structure(positions: pos, elements: el, cell: periodic ? Cell(orthorhombic: box, box, box) : nil,
                     pbc: periodic ? .all : .none, energy: -3.0 * Double(count) + rng.unit(), forces: forces)
}

final class DescriptorAndForceTests: XCTestCase {
    /// The training descriptors, energies and forces agree with the production evaluator.
    func testMatchesPotential() throws {
        let model = try makeTestModel(seed: 3)
        let potential = try Potential(model: model)
        var rng = SeededGenerator(seed: 11)
        for periodic in [false, true] {
            let s = randomStructure(elements: model.elements, count: periodic ? 9 : 6, periodic: periodic, rng: &rng)
            let ref = try potential.evaluate(s, options: .init(descriptors: true))
            let prepared = try TrainingSetup.prepare([s], model: model, jacobian: true)[0]
            for i in 0..<s.count {
                for (a, b) in zip(ref.descriptors[i], prepared.descriptors[i].values) {
                    XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(a)), "descriptor of atom \(i)")
                }
            }
            let loss = LossFunction(model: model, forceWeight: 1)
            let theta = ParameterLayout.parameters(of: model)
            let pred = theta.withUnsafeBufferPointer { loss.predict(prepared, theta: $0, forces: true) }
            let refShift = prepared.referenceEnergy - prepared.targetEnergy
            XCTAssertEqual(pred.energy + refShift, ref.energy, accuracy: 1e-12 * max(1, abs(ref.energy)))
            for (f, g) in zip(pred.forces, ref.forces) {
                XCTAssertLessThan(length(f - g), 1e-12 * max(1, length(g)), "force \(f) vs \(g)")
            }
        }
    }

    /// The stored descriptor Jacobian against central differences of the descriptors.
    func testJacobianFiniteDifferences() throws {
        let model = try makeTestModel(seed: 5)
        var rng = SeededGenerator(seed: 17)
        let s = randomStructure(elements: model.elements, count: 7, periodic: true, rng: &rng)
        let fs = model.species.map(\.symmetryFunctions)
        let d = try DescriptorCalculator.compute(structure: s, elements: model.elements, functions: fs)
        let h = 1e-5
        var worst = 0.0
        for k in 0..<s.count {
            for c in 0..<3 {
                var sp = s, sm = s
                sp.positions[k][c] += h; sm.positions[k][c] -= h
                let dp = try DescriptorCalculator.compute(structure: sp, elements: model.elements, functions: fs, jacobian: false)
                let dm = try DescriptorCalculator.compute(structure: sm, elements: model.elements, functions: fs, jacobian: false)
                for i in 0..<s.count {
                    let S = d[i].values.count
                    for sIdx in 0..<S {
                        let fd = (dp[i].values[sIdx] - dm[i].values[sIdx]) / (2 * h)
                        var an = 0.0
                        if let a = d[i].atoms.firstIndex(of: k) { an = d[i].jacobian[a * S + sIdx][c] }
                        worst = max(worst, abs(fd - an))
                    }
                }
            }
        }
        XCTAssertLessThan(worst, 1e-7)
    }
}

final class LossGradientTests: XCTestCase {
    /// Analytic gradient of the energy + force loss w.r.t. every weight and bias against a
    /// fourth-order central difference: relative error < 1e-6.
    func testLossGradientFiniteDifferences() throws {
        for (periodic, forceWeight) in [(false, 0.0), (false, 0.7), (true, 2.0)] {
            let model = try makeTestModel(seed: periodic ? 9 : 8)
            var rng = SeededGenerator(seed: 23)
            let structures = (0..<3).map { n in randomStructure(elements: model.elements, count: 4 + n, periodic: periodic, rng: &rng) }
            let prepared = try TrainingSetup.prepare(structures, model: model, jacobian: true)
            let loss = LossFunction(model: model, forceWeight: forceWeight)
            let theta = ParameterLayout.parameters(of: model)
            XCTAssertEqual(loss.batch(prepared, theta: theta).gradient.count, theta.count)
            XCTAssertLessThan(worstGradientError(loss, prepared, theta: theta), 1e-6, "periodic \(periodic) force weight \(forceWeight)")
        }
    }

    /// The batch loss and gradient are bit-identical whatever the order threads finish in.
    func testBatchDeterministic() throws {
        let model = try makeTestModel(seed: 4)
        var rng = SeededGenerator(seed: 2)
        let structures = (0..<16).map { _ in randomStructure(elements: model.elements, count: 5, periodic: false, rng: &rng) }
        let prepared = try TrainingSetup.prepare(structures, model: model, jacobian: true)
        let loss = LossFunction(model: model, forceWeight: 1)
        let theta = ParameterLayout.parameters(of: model)
        let a = loss.batch(prepared, theta: theta), b = loss.batch(prepared, theta: theta)
        XCTAssertEqual(a.loss, b.loss)
        XCTAssertEqual(a.gradient, b.gradient)
    }
}

/// Fourth-order central difference of every θ_k against the analytic gradient (worst relative error).
func worstGradientError(_ loss: LossFunction, _ items: [PreparedStructure], theta: [Double]) -> Double {
    let (_, grad) = loss.batch(items, theta: theta)
    let gmax = grad.map(abs).max() ?? 0
    XCTAssertGreaterThan(gmax, 0)
    var worst = 0.0
    let h = 1e-4
    for k in theta.indices {
        func L(_ x: Double) -> Double { var t = theta; t[k] += x; return loss.batch(items, theta: t, gradient: false).loss }
        let fd = (8 * (L(h) - L(-h)) - (L(2 * h) - L(-2 * h))) / (12 * h)
        worst = max(worst, abs(fd - grad[k]) / max(abs(grad[k]), 1e-3 * gmax))
    }
    return worst
}
