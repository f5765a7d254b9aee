import Foundation
import XCTest
import NNSwift
import NNSwiftTraining

/// Energy normalization (n2p2's mean_energy / conv_energy / conv_length, aenet's [−1, 1] range):
/// statistics as nnp-norm defines them, the training loss and its gradient with a normalized
/// model, and the same predictions from the trainer, the evaluation kernel and the n2p2 export.
final class EnergyNormalizationTests: XCTestCase {
    /// fit() against the definitions written out here: mean and sample standard deviation of
    /// the energy per atom, sample standard deviation of all force components.
    func testStatisticsFollowNNPNormAndRange() throws {
        let data = TrainerTests.morseData(count: 12, seed: 4)
        let model = try makeTestModel(seed: 2, elements: ["Au"], activations: ["4t"])
        let prepared = try TrainingSetup.prepare(data.structures, model: model, jacobian: false)
        let e = prepared.map { $0.targetEnergy / Double($0.atoms) }
        let n = Double(e.count)
        let mean = e.reduce(0, +) / n
        let sigma = (e.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let f = data.structures.flatMap { $0.forces!.flatMap { [$0.x, $0.y, $0.z] } }
        let fm = f.reduce(0, +) / Double(f.count)
        let sf = (f.map { ($0 - fm) * ($0 - fm) }.reduce(0, +) / Double(f.count - 1)).squareRoot()

        let a = try XCTUnwrap(EnergyNormalizationMode.n2p2.fit(prepared))
        XCTAssertEqual(a.meanEnergy, mean, accuracy: 1e-13 * abs(mean))
        XCTAssertEqual(a.convEnergy, 1 / sigma, accuracy: 1e-12 / sigma)
        XCTAssertEqual(a.convLength, sf / sigma, accuracy: 1e-12 * sf / sigma)

        let r = try XCTUnwrap(EnergyNormalizationMode.range.fit(prepared))
        let scaled = e.map { ($0 - r.meanEnergy) * r.convEnergy }
        XCTAssertEqual(scaled.min()!, -1, accuracy: 1e-12)
        XCTAssertEqual(scaled.max()!, 1, accuracy: 1e-12)
        XCTAssertEqual(r.convLength, 1)
        XCTAssertNil(try EnergyNormalizationMode.none.fit(prepared))

        // Constant energies per atom: nothing to scale by, a clear error.
        var flat = prepared
        for i in flat.indices { flat[i].targetEnergy = -2.5 * Double(flat[i].atoms) }
        XCTAssertThrowsError(try EnergyNormalizationMode.n2p2.fit(flat)) { error in
            XCTAssertTrue("\(error)".contains("do not vary"), "\(error)")
        }
    }

    /// A normalized model: the training prediction equals the evaluation kernel's (an
    /// independent implementation), and the analytic loss gradient equals central differences.
    func testLossWithNormalizationMatchesKernelAndFiniteDifferences() throws {
        var model = try makeTestModel(seed: 8)
        model.normalization = Normalization(meanEnergy: 0.37, convEnergy: 2.5, convLength: 1.7)
        let potential = try Potential(model: model)
        var rng = SeededGenerator(seed: 29)
        let structures = (0..<3).map { n in randomStructure(elements: model.elements, count: 4 + n, periodic: n == 2, rng: &rng) }
        let prepared = try TrainingSetup.prepare(structures, model: model, jacobian: true)
        let loss = LossFunction(model: model, forceWeight: 0.7)
        let theta = ParameterLayout.parameters(of: model)
        for (s, p) in zip(structures, prepared) {
            let ref = try potential.evaluate(s)
            let pred = theta.withUnsafeBufferPointer { loss.predict(p, theta: $0, forces: true) }
            XCTAssertEqual(pred.energy + p.referenceEnergy - p.targetEnergy, ref.energy, accuracy: 1e-10 * max(1, abs(ref.energy)))
            for (f, g) in zip(pred.forces, ref.forces) { XCTAssertLessThan(length(f - g), 1e-10 * max(1, length(g))) }
        }
        XCTAssertLessThan(worstGradientError(loss, prepared, theta: theta), 1e-6)
    }

    /// Trained with n2p2 normalization: the model carries it, and the trainer, the saved native
    /// model and its n2p2 export (read back) predict the same energies and forces.
    func testNormalizedTrainingSavesAndExportsConsistently() throws {
        let data = TrainerTests.morseData(count: 30, seed: 3)
        var c = TrainingConfig.small(architecture: "6t-6t", preset: .radialAngular, epochs: 5, seed: 2)
        c.energyNormalization = .n2p2; c.selection = .final
        let t = try Trainer(config: c, dataset: data)
        try t.run()
        let trained = t.currentModel()
        let norm = try XCTUnwrap(trained.normalization)
        XCTAssertEqual(norm, try EnergyNormalizationMode.n2p2.fit(t.training))
        XCTAssertEqual(t.bestEpoch, 5)
        XCTAssertEqual(t.best, t.theta)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnswift-norm-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let json = dir.appendingPathComponent("m.json").path, n2p2 = dir.appendingPathComponent("n2p2").path
        try ModelFile.write(trained, to: json)
        let native = try Potential(model: ModelFile.read(path: json))
        try N2P2Potential.write(trained, to: n2p2)
        let input = try String(contentsOfFile: n2p2 + "/input.nn", encoding: .utf8)
        XCTAssertTrue(input.contains("mean_energy \(norm.meanEnergy)\n"), input)
        let reread = try N2P2Potential.read(directory: n2p2)
        XCTAssertEqual(reread.normalization, norm)
        let exported = try Potential(model: reread)
        let prepared = try TrainingSetup.prepare(data.structures, model: t.model, jacobian: true)
        for (s, p) in zip(data.structures, prepared) {
            let pred = t.theta.withUnsafeBufferPointer { t.loss.predict(p, theta: $0, forces: true) }
            let e = pred.energy + p.referenceEnergy - p.targetEnergy
            let a = try native.evaluate(s), b = try exported.evaluate(s)
            XCTAssertEqual(a.energy, e, accuracy: 1e-10 * max(1, abs(e)))
            XCTAssertEqual(b.energy, a.energy, accuracy: 1e-12 * max(1, abs(e)))
            for k in 0..<s.count {
                XCTAssertLessThan(length(a.forces[k] - pred.forces[k]), 1e-10 * max(1, length(a.forces[k])))
                XCTAssertLessThan(length(b.forces[k] - a.forces[k]), 1e-12 * max(1, length(a.forces[k])))
            }
        }
    }

    /// splitSeed fixes the split while seed changes the initial weights; selection final
    /// refuses early stopping (which would choose by the validation loss).
    func testSplitSeedAndSelectionRules() throws {
        let data = TrainerTests.morseData(count: 20, seed: 6)
        var c = TrainingConfig.small(architecture: "4t", epochs: 1, seed: 1)
        c.splitSeed = 7
        let a = try Trainer(config: c, dataset: data)
        c.seed = 2
        let b = try Trainer(config: c, dataset: data)
        XCTAssertEqual(a.validation.map(\.targetEnergy), b.validation.map(\.targetEnergy))
        XCTAssertNotEqual(a.theta, b.theta)
        c.splitSeed = nil
        let d = try Trainer(config: c, dataset: data)
        XCTAssertNotEqual(d.validation.map(\.targetEnergy), b.validation.map(\.targetEnergy))
        c.selection = .final; c.patience = 10
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("patience"), "\($0)") }
    }
}
