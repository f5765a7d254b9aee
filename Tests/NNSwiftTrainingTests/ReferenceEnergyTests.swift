import Foundation
import XCTest
import NNSwift
import NNSwiftTraining
import NNSwiftTestSupport

/// Per-element reference energies: fixed ones used exactly, fitted ones only when the
/// compositions determine them, never a silent arbitrary split.
final class ReferenceEnergyTests: XCTestCase {
    /// Molecules of the given compositions (element → count) with energy Σ n_e ε_e + noise.
    static func molecules(_ compositions: [[String: Int]], copies: Int, energies: [String: Double],
                          noise: Double = 0, seed: UInt64 = 3) -> Dataset {
        var rng = SeededGenerator(seed: seed)
        var out: [Structure] = []
        for _ in 0..<copies {
            for comp in compositions {
                let elements = comp.keys.sorted().flatMap { [String](repeating: $0, count: comp[$0]!) }
                var s = randomStructure(elements: comp.keys.sorted(), count: elements.count, periodic: false, rng: &rng)
                s.elements = elements
                s.energy = comp.reduce(0.0) { $0 + Double($1.value) * energies[$1.key]! } + noise * (rng.unit() - 0.5)
                out.append(s)
            }
        }
        return Dataset(structures: out)
    }

    static let water = ["H": 2, "O": 1]

    func config() -> TrainingConfig {
        var c = TrainingConfig(data: ["(in memory)"])
        c.architecture = "4t"
        c.symmetryFunctions = SymmetryFunctionSettings(preset: .radial24, cutoff: 4.0, rmin: 0.5)
        c.epochs = 2; c.batchSize = 8; c.log = nil; c.outlierSigma = nil
        return c
    }

    /// All water: the fit cannot split the energy between H and O, so training stops and the
    /// message names the config key and the elements.
    func testSingleCompositionWithoutFixedEnergiesIsAnError() throws {
        let data = Self.molecules([Self.water], copies: 30, energies: ["H": -0.4589, "O": -74.94], noise: 0.01)
        XCTAssertThrowsError(try Trainer(config: config(), dataset: data)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("\"atomEnergies\""), m)
            XCTAssertTrue(m.contains("H, O"), m)
            XCTAssertTrue(m.contains("rank 1 for 2 elements"), m)
        }
    }

    /// With `atomEnergies` the model's referenceEnergy is the given number bit for bit, before
    /// and after training and after writing and reading the model file.
    func testFixedEnergiesAreUsedExactly() throws {
        let data = Self.molecules([Self.water], copies: 30, energies: ["H": -0.4589, "O": -74.94], noise: 0.01)
        var cfg = config()
        cfg.atomEnergies = ["H": -0.4589, "O": -74.94]
        let t = try Trainer(config: cfg, dataset: data)
        try t.run()
        let model = t.currentModel()
        XCTAssertEqual(model.elements, ["H", "O"])
        XCTAssertEqual(model.species.map(\.referenceEnergy.bitPattern), [(-0.4589).bitPattern, (-74.94).bitPattern])
        let dir = try TemporaryDirectory("atom-energies")
        defer { dir.remove() }
        let path = dir.path("model.json")
        try ModelFile.write(model, to: path)
        XCTAssertEqual(try ModelFile.read(path: path).species.map(\.referenceEnergy.bitPattern),
                       [(-0.4589).bitPattern, (-74.94).bitPattern])
        // The config key as read from JSON.
        let decoded = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"data": "x.xyz", "atomEnergies": {"H": -0.4589, "O": -74.94}}"#.utf8))
        XCTAssertEqual(decoded.atomEnergies, ["H": -0.4589, "O": -74.94])
    }

    /// Partial deficiency with three elements: water and CO2 only (H, C, O counts span 2 of 3
    /// dimensions). Without fixed energies: an error naming the key; with O fixed, H and C are
    /// fitted and equal the energies the data were made from (no noise: exact up to rounding).
    func testPartialRankDeficiencyThreeElements() throws {
        let truth = ["H": -13.6, "C": -1029.5, "O": -2041.3]
        let data = Self.molecules([Self.water, ["C": 1, "O": 2]], copies: 10, energies: truth)
        let elements = ["H", "C", "O"], all = Array(0..<data.count)
        XCTAssertThrowsError(try data.referenceEnergies(elements: elements, indices: all)) { e in
            XCTAssertTrue("\(e)".contains("rank 2 for 3 elements"), "\(e)")
            XCTAssertTrue("\(e)".contains("\"atomEnergies\""), "\(e)")
        }
        let refs = try data.referenceEnergies(elements: elements, indices: all, fixed: ["O": truth["O"]!])
        XCTAssertEqual(refs[2].bitPattern, truth["O"]!.bitPattern)
        XCTAssertEqual(refs[0], truth["H"]!, accuracy: 1e-12 * 2041)
        XCTAssertEqual(refs[1], truth["C"]!, accuracy: 1e-12 * 2041)
        // Adding one methane makes the set full rank: all three are fitted exactly.
        let full = Dataset(structures: data.structures + Self.molecules([["C": 1, "H": 4]], copies: 1, energies: truth).structures)
        let fitted = try full.referenceEnergies(elements: elements, indices: Array(0..<full.count))
        for (k, e) in elements.enumerated() { XCTAssertEqual(fitted[k], truth[e]!, accuracy: 1e-11 * 2041) }
    }

    /// A one-element set of one cluster size is full rank (ε = mean E/N is unique): fitted as before.
    func testSingleElementOneSizeIsDetermined() throws {
        let data = Self.molecules([["Au": 5]], copies: 12, energies: ["Au": -3.1])
        let refs = try data.referenceEnergies(elements: ["Au"], indices: Array(0..<data.count))
        XCTAssertEqual(refs[0], -3.1, accuracy: 1e-14 * 3.1)
    }

    /// Fixed energies for an element the data does not have, or not finite: errors.
    func testBadAtomEnergies() throws {
        let data = Self.molecules([Self.water], copies: 4, energies: ["H": -0.5, "O": -75])
        XCTAssertThrowsError(try data.referenceEnergies(elements: ["H", "O"], indices: [0, 1], fixed: ["H": -0.5, "O": -75, "Cl": 1]))
        var cfg = config()
        cfg.atomEnergies = ["Hx": 1]
        XCTAssertThrowsError(try cfg.validate())
        cfg.atomEnergies = ["H": .nan]
        XCTAssertThrowsError(try cfg.validate())
    }
}
