import Foundation
import XCTest
import NNSwift
@testable import NNSwiftTraining

/// Per-structure loss weights (`structureWeights`): the weighted loss against one computed
/// independently from `Potential` predictions, its gradient against finite differences (full and
/// packed energy-only paths), the rules' matching and validation, and the trainer end to end.
final class StructureWeightTests: XCTestCase {
    private func structures(_ model: Model, count: Int, seed: UInt64) -> [Structure] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { n in
            var s = randomStructure(elements: model.elements, count: 4 + n % 3, periodic: true, rng: &rng)
            s.stress = Matrix3(flat: (0..<9).map { _ in 0.05 * (rng.unit() - 0.5) })
            return s
        }
    }

    /// L = (1/|B|) Σ ω_b ΔE_b² + w_F/C Σ ω_b |ΔF_b|² + w_S/C_S Σ ω_b |Δσ_b|², with ΔE, ΔF, Δσ
    /// from `Potential` (the production evaluator), for the full loss and the energy-only one.
    func testWeightedLossValueAndGradient() throws {
        let model = try makeTestModel(seed: 12)
        let potential = try Potential(model: model)
        let structs = structures(model, count: 3, seed: 5)
        let omega = [2.5, 1, 0.4]
        var prepared = try TrainingSetup.prepare(structs, model: model, jacobian: true, stress: true)
        for b in prepared.indices { prepared[b].weight = omega[b] }
        let theta = ParameterLayout.parameters(of: model)
        for (wF, wS) in [(0.5, 3.0), (0.0, 0.0)] {
            let loss = LossFunction(model: model, forceWeight: wF, stressWeight: wS)
            var eSum = 0.0, fSum = 0.0, sSum = 0.0, fCount = 0, sCount = 0
            for (b, s) in structs.enumerated() {
                let r = try potential.evaluate(s)
                let de = (r.energy - s.energy!) / Double(s.count)
                eSum += omega[b] * de * de
                for (f, g) in zip(r.forces, s.forces!) { fSum += omega[b] * ((f - g) * (f - g)).sum() }
                fCount += 3 * s.count
                let v = s.cell!.volume, m = r.stress(volume: v), ref = s.stress!
                for (i, j) in [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)] {
                    let d = 0.5 * (m[i, j] + m[j, i]) - 0.5 * (ref[i, j] + ref[j, i])
                    sSum += omega[b] * d * d
                }
                sCount += 6
            }
            let expected = eSum / 3 + wF * fSum / Double(fCount) + wS * sSum / Double(sCount)
            if wF == 0 { XCTAssertTrue(loss.isEnergyOnly(loss.weights(for: prepared)), "the packed path is tested") }
            let got = loss.batch(prepared, theta: theta, gradient: false).loss
            XCTAssertEqual(got, expected, accuracy: 1e-10 * expected, "w_F \(wF) w_S \(wS)")
            XCTAssertLessThan(worstGradientError(loss, prepared, theta: theta), 1e-6, "w_F \(wF) w_S \(wS)")
            // Weights change the loss: the unweighted one differs.
            let plain = prepared.map { p -> PreparedStructure in var q = p; q.weight = 1; return q }
            XCTAssertNotEqual(loss.batch(plain, theta: theta, gradient: false).loss, got)
        }
    }

    private func decode(_ json: String) throws -> [StructureWeightRule] {
        try JSONDecoder().decode(TrainingConfig.self, from: Data("{\"data\": \"x.xyz\", \"structureWeights\": \(json)}".utf8)).structureWeights
    }

    func testRulesMatchFirstAndByNumber() throws {
        let rules = try decode(#"[{"match": {"T": 300, "variant": "perfect"}, "weight": 4}, {"match": {"T": "300"}, "weight": 2.5}]"#)
        try StructureWeights.validate(rules)
        func s(_ info: [String: String]) -> Structure {
            Structure(positions: [.zero], elements: ["Si"], energy: 0, info: info)
        }
        let set = [s(["T": "300.0", "variant": "perfect"]), s(["T": "300"]), s(["T": "1500"]), s([:]), s(["T": "300", "variant": "liquid"])]
        let (w, matched) = try StructureWeights.assign(rules, to: set)
        // The number 300 matches "300.0"; the first rule that matches wins; unmatched structures keep 1.
        XCTAssertEqual(w, [4, 2.5, 1, 1, 2.5])
        XCTAssertEqual(matched, [1, 2])
        // Text matches text exactly.
        XCTAssertEqual(try StructureWeights.assign(try decode(#"[{"match": {"T": "300"}, "weight": 3}]"#), to: [s(["T": "300.0"]), s(["T": "300"])]).weights, [1, 3])
        XCTAssertThrowsError(try StructureWeights.assign(try decode(#"[{"match": {"T": 9999}, "weight": 2}]"#), to: set)) { e in
            XCTAssertTrue("\(e)".contains("structureWeights[0]") && "\(e)".contains("matches no structure"), "\(e)")
        }
    }

    func testInvalidRulesAreRefusedNamingTheKey() throws {
        for (json, key) in [(#"[{"match": {}, "weight": 2}]"#, "match"), (#"[{"match": {"T": 1}, "weight": 0}]"#, "weight"),
                            (#"[{"match": {"T": 1}, "weight": -1}]"#, "weight"), (#"[{"match": {"T": 1}, "weight": 1e7}]"#, "weight")] {
            XCTAssertThrowsError(try StructureWeights.validate(decode(json)), json) { XCTAssertTrue("\($0)".contains(key), "\($0)") }
        }
        XCTAssertThrowsError(try StructureWeights.validate([StructureWeightRule(match: ["T": .number(.nan)], weight: 1)])) {
            XCTAssertTrue("\($0)".contains("'T'"), "\($0)")
        }
        for (json, key) in [(#"[{"match": {"T": true}, "weight": 2}]"#, "'T'"), (#"[{"match": {"T": [1]}, "weight": 2}]"#, "'T'"),
                            (#"[{"match": {"T": 1}, "weight": "x"}]"#, "weight")] {
            XCTAssertThrowsError(try decode(json), json) { XCTAssertTrue("\($0)".contains(key), "\($0)") }
        }
    }

    /// The trainer assigns the weights to training and validation structures, its loss metric is
    /// the weighted loss (RMSEs unweighted), and rules giving every structure weight 1 train
    /// bit-identically to no rules, for Adam and the Kalman filter.
    func testTrainer() throws {
        var data = TrainerTests.morseData(count: 24, seed: 2)
        for i in data.structures.indices { data.structures[i].info["group"] = i % 3 == 0 ? "a" : "b" }
        for optimizer in [OptimizerSettings(name: .adam, learningRate: 3e-3), OptimizerSettings(name: .kalman, learningRate: 1)] {
            var c = TrainingConfig.small(architecture: "6t-6t", epochs: 2, seed: 5, optimizer: optimizer)
            c.validationFraction = 0.25
            let plain = try Trainer(config: c, dataset: data)
            c.structureWeights = [StructureWeightRule(match: ["group": .text("a")], weight: 1)]
            let ones = try Trainer(config: c, dataset: data)
            c.structureWeights = [StructureWeightRule(match: ["group": .text("a")], weight: 5)]
            let weighted = try Trainer(config: c, dataset: data)
            XCTAssertEqual(weighted.structureWeightMatches, [8])
            let all = weighted.training + weighted.validation
            XCTAssertEqual(all.filter { $0.weight == 5 }.count, 8)
            XCTAssertEqual(all.filter { $0.weight == 1 }.count, 16)
            // Metrics: RMSE unweighted (= plain), loss weighted.
            XCTAssertTrue(weighted.training.contains { $0.weight == 5 })
            let m0 = plain.metrics(plain.training), m1 = weighted.metrics(weighted.training)
            XCTAssertEqual(m1.energyRMSE, m0.energyRMSE)
            XCTAssertEqual(m1.forceRMSE, m0.forceRMSE)
            XCTAssertNotEqual(m1.loss, m0.loss)
            try plain.run(); try ones.run(); try weighted.run()
            XCTAssertEqual(ones.theta, plain.theta, "\(optimizer.name)")
            XCTAssertNotEqual(weighted.theta, plain.theta, "\(optimizer.name)")
        }
    }
}
