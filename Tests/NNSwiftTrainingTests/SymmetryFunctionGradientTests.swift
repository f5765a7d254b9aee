import Foundation
import XCTest
import NNSwift
@testable import NNSwiftTraining
import NNSwiftTestSupport

/// Trainable symmetry-function parameters: loss gradient against finite differences, and the
/// learned parameters written into the model reproduce the training predictions in `Potential`.
final class SymmetryFunctionGradientTests: XCTestCase {
    /// ∂L/∂θ for every trainable function parameter (G2: η, R_s; G3: κ; G4/G5: η, R_s, ζ, in
    /// their unconstrained forms) and every weight, energy-only, energy + forces (free cluster and
    /// periodic cell) and force-dominated losses, against a fourth-order central difference:
    /// relative error < 1e-6.
    func testFunctionParameterGradientFiniteDifferences() throws {
        for (periodic, forceWeight) in [(false, 0.0), (false, 0.7), (true, 2.0), (false, 100.0)] {
            let model = try makeTestModel(seed: periodic ? 19 : 18)
            var rng = SeededGenerator(seed: 29)
            let structures = (0..<3).map { n in randomStructure(elements: model.elements, count: 4 + n, periodic: periodic, rng: &rng) }
            let prepared = try TrainingSetup.prepare(structures, model: model, jacobian: true, environments: true)
            let loss = LossFunction(model: model, forceWeight: forceWeight, trainSymmetryFunctions: true)
            let layout = loss.layout
            // Every type's parameters are present.
            let kinds = Set(layout.functionParameters.map { "\(model.species[$0.element].symmetryFunctions[$0.function].kind.rawValue).\($0.kind.rawValue)" })
            XCTAssertEqual(kinds, ["G2.eta", "G2.rs", "G3.kappa", "G4.eta", "G4.rs", "G4.zeta", "G5.eta", "G5.rs", "G5.zeta"])
            var theta = layout.parameters(of: model)
            // Move the parameters off their initial values (and R_s off 0) so no term vanishes by symmetry.
            for p in layout.functionParameters { theta[p.offset] += 0.05 * (2 * rng.unit() - 1) + (p.kind == .rs ? 0.1 : 0) }
            let (_, grad) = loss.batch(prepared, theta: theta)
            XCTAssertEqual(grad.count, theta.count)
            let sfGrad = layout.functionParameters.map { grad[$0.offset] }
            let sfMax = sfGrad.map(abs).max()!, gmax = grad.map(abs).max()!
            XCTAssertGreaterThan(sfMax, 0)
            let h = 1e-4
            func fd(_ k: Int) -> Double {
                func L(_ x: Double) -> Double { var t = theta; t[k] += x; return loss.batch(prepared, theta: t, gradient: false).loss }
                return (8 * (L(h) - L(-h)) - (L(2 * h) - L(-2 * h))) / (12 * h)
            }
            var worstByKind: [String: Double] = [:]
            for p in layout.functionParameters {
                let k = p.offset, f = fd(k)
                let rel = abs(f - grad[k]) / max(abs(grad[k]), 1e-3 * sfMax)
                let key = "\(model.species[p.element].symmetryFunctions[p.function].kind.rawValue).\(p.kind.rawValue)"
                worstByKind[key] = max(worstByKind[key] ?? 0, rel)
            }
            print("periodic \(periodic) wF \(forceWeight):", worstByKind.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            for (key, w) in worstByKind.sorted(by: { $0.key < $1.key }) {
                XCTAssertLessThan(w, 1e-6, "\(key): periodic \(periodic) force weight \(forceWeight)")
            }
            // The network part is unchanged by the extra section.
            var worstNet = 0.0
            for k in stride(from: 0, to: layout.networkCount, by: 7) {
                worstNet = max(worstNet, abs(fd(k) - grad[k]) / max(abs(grad[k]), 1e-3 * gmax))
            }
            XCTAssertLessThan(worstNet, 1e-6, "weights: periodic \(periodic) force weight \(forceWeight)")
        }
    }

    /// Learned parameters go into the model's SymmetryFunction fields; the production evaluator
    /// then reproduces the training energies and forces.
    func testLearnedParametersInModel() throws {
        let model = try makeTestModel(seed: 7)
        var rng = SeededGenerator(seed: 31)
        let s = randomStructure(elements: model.elements, count: 7, periodic: true, rng: &rng)
        let p = try TrainingSetup.prepare([s], model: model, jacobian: true, environments: true)[0]
        let loss = LossFunction(model: model, forceWeight: 1, trainSymmetryFunctions: true)
        var theta = loss.layout.parameters(of: model)
        for q in loss.layout.functionParameters { theta[q.offset] += 0.2 * (2 * rng.unit() - 1) }
        let trained = loss.layout.apply(theta, to: model)
        XCTAssertNotEqual(trained.species[0].symmetryFunctions, model.species[0].symmetryFunctions)
        for q in loss.layout.functionParameters {
            let f = trained.species[q.element].symmetryFunctions[q.function]
            XCTAssertEqual(q.kind.value(of: f), q.kind.physical(theta[q.offset]))
            XCTAssertEqual(q.kind.raw(q.kind.value(of: f)), theta[q.offset], accuracy: 1e-12)
        }
        try trained.validate()
        let ref = try Potential(model: trained).evaluate(s)
        let pred = theta.withUnsafeBufferPointer { loss.predict(p, theta: $0, forces: true) }
        XCTAssertEqual(pred.energy + p.referenceEnergy - p.targetEnergy, ref.energy, accuracy: 1e-10 * max(1, abs(ref.energy)))
        for (f, g) in zip(pred.forces, ref.forces) { XCTAssertLessThan(length(f - g), 1e-10 * max(1, length(g))) }
        // Round trip through the model file.
        let dir = try TemporaryDirectory("sf-trained")
        defer { dir.remove() }
        try ModelFile.write(trained, to: dir.path("model.json"))
        let back = try ModelFile.read(path: dir.path("model.json"))
        XCTAssertEqual(back.species[1].symmetryFunctions, trained.species[1].symmetryFunctions)
    }
}
