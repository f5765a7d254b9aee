import XCTest
@testable import NNSwift

/// The ZBL pair baseline (Model.pairBaseline): switching, forces and virial against finite
/// differences, thread and domain invariance, and load errors. Its values against LAMMPS's own
/// `pair_style zbl` are checked by tests/zbl/run.sh (the `zbl` stage of scripts/test.sh).
final class PairBaselineTests: XCTestCase {
    static let inner = 0.8, outer = 1.4

    /// Si/C atoms with pairs below `inner` and in the switching region, and a random model (cutoff 3 Å).
    func system(count: Int, seed: UInt64, baseline: Bool = true) throws -> (Model, Structure) {
        var rng = SeededRandom(seed: seed)
        let cell = Fixtures.triclinicCell(5 + Double(count) / 12, rng: &rng)
        var s = Fixtures.randomStructure(elements: ["Si", "C"], count: count, cell: cell, minDistance: 0.6, rng: &rng)
        // One Si–C pair below inner (0.68 Å) and one in the switching region (1.06 Å).
        s.positions[1] = s.positions[0] + SIMD3(0.45, 0.5, 0.1)
        s.positions[3] = s.positions[2] + SIMD3(1.0, 0.3, 0.2)
        var model = try Fixtures.randomModel(elements: ["C", "Si"], functions: {
            Fixtures.allTypes(center: $0, elements: ["C", "Si"], cutoff: .cosine(3))
        }, sample: s, rng: &rng)
        if baseline { model.pairBaseline = PairBaseline(inner: Self.inner, outer: Self.outer) }
        return (model, s)
    }

    func testSwitchingMakesEnergyAndSlopeVanishAtOuterAndIsSmooth() {
        for (zi, zj) in [(14, 6), (6, 6), (14, 14)] {
            let p = ZBLPair(zi: zi, zj: zj, inner: Self.inner, outer: Self.outer, length: .angstrom, energy: .eV)
            let (e0, d0) = p.energy(Self.inner * 0.5)
            XCTAssertGreaterThan(e0, 1, "strongly repulsive at 0.4 Å")
            XCTAssertLessThan(d0, 0)
            // E, E' and E'' reach zero at outer: E ~ (outer − r)³ there.
            let h = 1e-4
            let (eNear, dNear) = p.energy(Self.outer - h)
            XCTAssertLessThan(abs(eNear), 1e-10 * e0, "E(outer − h) ~ h³")
            XCTAssertLessThan(abs(dNear), 1e-6 * abs(d0), "E′(outer − h) ~ h²")
            // E′ = dE/dr by central differences everywhere, through inner; E and E′ continuous at inner.
            for r in stride(from: 0.5, through: Self.outer - 0.01, by: 0.0137) {
                let fd = (p.energy(r + 1e-6).energy - p.energy(r - 1e-6).energy) / 2e-6
                XCTAssertEqual(p.energy(r).derivative, fd, accuracy: 1e-7 * abs(d0), "r = \(r)")
            }
            let below = p.energy(Self.inner - 1e-12), above = p.energy(Self.inner + 1e-12)
            XCTAssertEqual(below.energy, above.energy, accuracy: 1e-9 * abs(e0))
            XCTAssertEqual(below.derivative, above.derivative, accuracy: 1e-9 * abs(d0))
            // Without switching beyond inner the unshifted ZBL is the screened Coulomb sum; the
            // shift C is the constant that brings the switched energy to zero at outer.
            XCTAssertEqual(p.energy(0.5).energy - p.screened(0.5).0, p.swC, accuracy: 1e-12 * e0)
        }
    }

    /// A model in Bohr and Hartree gives the same physics as one in Å and eV.
    func testUnitsConvertThroughTheTable() {
        let ev = ZBLPair(zi: 14, zj: 6, inner: 0.8, outer: 1.4, length: .angstrom, energy: .eV)
        let toBohr = Units.factor(from: .angstrom, to: .bohr), toHa = Units.factor(from: .eV, to: .hartree)
        let au = ZBLPair(zi: 14, zj: 6, inner: 0.8 * toBohr, outer: 1.4 * toBohr, length: .bohr, energy: .hartree)
        for r in [0.5, 0.9, 1.2] {
            let a = ev.energy(r), b = au.energy(r * toBohr)
            XCTAssertEqual(b.energy, a.energy * toHa, accuracy: 1e-12 * abs(a.energy * toHa))
            XCTAssertEqual(b.derivative, a.derivative * toHa / toBohr, accuracy: 1e-12 * abs(a.derivative * toHa / toBohr))
        }
    }

    func testForcesAndVirialAreFiniteDifferencesOfTheEnergy() throws {
        let (model, s) = try system(count: 24, seed: 11)
        let list = try NeighborList.build(positions: s.positions, cell: s.cell, pbc: s.pbc, cutoff: Self.outer)
        XCTAssertTrue(list.distance.contains { $0 < Self.inner }, "a pair below inner")
        XCTAssertTrue(list.distance.contains { $0 > Self.inner }, "a pair in the switching region")
        try FiniteDifferenceTests.checkDerivatives(model, s)
    }

    /// The baseline adds exactly Σ_pairs E(r) (brute force over images, independent of the
    /// neighbor list), half of each pair to each atom.
    func testBaselineAddsThePairSumHalfToEachAtom() throws {
        let (model, s) = try system(count: 20, seed: 12)
        var plain = model
        plain.pairBaseline = nil
        let with = try Potential(model: model).evaluate(s), without = try Potential(model: plain).evaluate(s)
        let z = ["Si": 14, "C": 6]
        var total = 0.0, perAtom = [Double](repeating: 0, count: s.count)
        let cell = try XCTUnwrap(s.cell)
        for i in 0..<s.count {
            for j in 0..<s.count {
                for a in -2...2 { for b in -2...2 { for c in -2...2 where i != j || a != 0 || b != 0 || c != 0 {
                    let d = s.positions[j] + Double(a) * cell.a + Double(b) * cell.b + Double(c) * cell.c - s.positions[i]
                    let r = (d * d).sum().squareRoot()
                    guard r < Self.outer else { continue }
                    let p = ZBLPair(zi: z[s.elements[i]]!, zj: z[s.elements[j]]!, inner: Self.inner, outer: Self.outer,
                                    length: .angstrom, energy: .eV)
                    total += 0.5 * p.energy(r).energy; perAtom[i] += 0.5 * p.energy(r).energy
                } } }
            }
        }
        XCTAssertGreaterThan(abs(total), 1, "the baseline matters in this system")
        XCTAssertEqual(with.energy - without.energy, total, accuracy: 1e-12 * abs(total))
        for i in 0..<s.count {
            XCTAssertEqual(with.atomEnergies[i] - without.atomEnergies[i], perAtom[i], accuracy: 1e-12 * abs(total), "atom \(i)")
        }
    }

    func testThreadCountsGiveBitIdenticalResults() throws {
        let (model, s) = try system(count: 100, seed: 13)
        XCTAssertGreaterThan(CenterGroups(centers: s.count).count, 4)
        let pot = try Potential(model: model)
        func run(_ t: Int) throws -> Evaluation { try pot.evaluate(s, options: .init(atomVirials: true, threads: t)) }
        let one = try run(1)
        for t in [2, 4] {
            let ev = try run(t)
            XCTAssertEqual(ev.energy.bitPattern, one.energy.bitPattern, "\(t) threads")
            XCTAssertEqual(ev.atomEnergies, one.atomEnergies)
            XCTAssertEqual(ev.forces, one.forces)
            XCTAssertEqual(ev.virial, one.virial)
            XCTAssertEqual(ev.atomVirials, one.atomVirials)
        }
    }

    /// A domain with explicit ghost atoms (compute_local's path) gives the periodic result.
    func testDomainWithGhostsMatchesPeriodic() throws {
        let (model, s) = try system(count: 30, seed: 14)
        let pot = try Potential(model: model)
        let ref = try pot.evaluate(s, options: .init(atomVirials: true))
        let cell = try XCTUnwrap(s.cell)
        let (points, owner) = Fixtures.withImages(s, cell: cell)
        let list = try NeighborList.build(localAndGhost: points, centers: s.count, cutoff: pot.cutoff)
        let d = try pot.evaluate(species: try pot.speciesIndices(owner.map { s.elements[$0] }), neighbors: list,
                                 targetCount: points.count, options: .init(atomVirials: true))
        XCTAssertEqual(d.energy, ref.energy, accuracy: 1e-12 * abs(ref.energy))
        for i in 0..<s.count { XCTAssertEqual(d.atomEnergies[i], ref.atomEnergies[i], accuracy: 1e-10) }
        var folded = [SIMD3<Double>](repeating: .zero, count: s.count)
        var foldedVirials = [Matrix3](repeating: .zero, count: s.count)
        for (t, f) in d.forces.enumerated() { folded[owner[t]] += f; foldedVirials[owner[t]] += d.atomVirials[t] }
        let scale = Fixtures.maxAbs(ref.forces)
        XCTAssertLessThan(Fixtures.maxDiff(folded, ref.forces) / scale, 1e-12)
        XCTAssertLessThan(Fixtures.maxDiff(d.virial, ref.virial) / ref.virial.flat.map(abs).max()!, 1e-12)
        for i in 0..<s.count { XCTAssertLessThan(Fixtures.maxDiff(foldedVirials[i], ref.atomVirials[i]), 1e-9) }
    }

    /// The section round-trips; a model without it writes no key (files as before).
    func testModelFileRoundTripAndAbsentSection() throws {
        let (model, _) = try system(count: 6, seed: 15)
        let back = try ModelFile.decode(try ModelFile.encode(model), source: "m.json")
        XCTAssertEqual(back.pairBaseline, model.pairBaseline)
        var plain = model
        plain.pairBaseline = nil
        let text = String(decoding: try ModelFile.encode(plain), as: UTF8.self)
        XCTAssertFalse(text.contains("pairBaseline"))
        XCTAssertNil(try ModelFile.decode(Data(text.utf8), source: "m.json").pairBaseline)
        XCTAssertNil(try Potential(model: plain).pairKernel, "no baseline pass without the section")
    }

    /// Invalid sections are errors naming the file, the key and the value (never a trap).
    func testInvalidSectionsAreErrorsNamingFileAndValue() throws {
        let (model, _) = try system(count: 6, seed: 16)
        var plain = model
        plain.pairBaseline = nil
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: ModelFile.encode(plain)) as? [String: Any])
        func load(_ section: Any, units: [String: String]? = nil) -> String {
            var j = json, m = j["model"] as! [String: Any]
            m["pairBaseline"] = section
            if let units { m["units"] = units }
            j["model"] = m
            do {
                _ = try ModelFile.decode(try JSONSerialization.data(withJSONObject: j), source: "bad.json")
                return "no error"
            } catch { return "\(error)" }
        }
        let cases: [(Any, [String: String]?, [String])] = [
            (["type": "zbl", "inner": -0.5, "outer": 1.4], nil, ["bad.json", "pairBaseline.inner = -0.5"]),
            (["type": "zbl", "inner": 0, "outer": 1.4], nil, ["bad.json", "pairBaseline.inner = 0"]),
            (["type": "zbl", "inner": 1.4, "outer": 1.4], nil, ["bad.json", "pairBaseline.outer = 1.4"]),
            (["type": "zbl", "inner": 0.8, "outer": 3.5], nil, ["bad.json", "pairBaseline.outer = 3.5", "cutoff 3"]),
            (["type": "zbl", "inner": 0.8, "outer": 1e308], nil, ["bad.json", "pairBaseline.outer"]),
            (["type": "lj", "inner": 0.8, "outer": 1.4], nil, ["bad.json", "pairBaseline.type"]),
            (["type": "zbl", "outer": 1.4], nil, ["bad.json", "inner"]),
            (["type": "zbl", "inner": "x", "outer": 1.4], nil, ["bad.json", "pairBaseline.inner"]),
            (["type": "zbl", "inner": 0.8, "outer": 1.4], ["length": "unknown", "energy": "unknown"], ["bad.json", "units", "unknown"]),
        ]
        for (section, units, needles) in cases {
            let message = load(section, units: units)
            for n in needles { XCTAssertTrue(message.contains(n), "'\(n)' in: \(message)") }
        }
        // An element without an atomic number.
        var odd = model
        odd.species[0].element = "Xx"; odd.elements[0] = "Xx"
        for i in odd.species.indices {
            odd.species[i].symmetryFunctions = odd.species[i].symmetryFunctions.map { f in
                var g = f; g.neighbors = g.neighbors.map { $0 == "C" ? "Xx" : $0 }; return g
            }
        }
        XCTAssertThrowsError(try Potential(model: odd)) { XCTAssertTrue("\($0)".contains("'Xx'"), "\($0)") }
    }
}
