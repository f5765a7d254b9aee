import Foundation
import XCTest
@testable import NNSwift
import NNSwiftTestSupport

/// The unit table against CODATA numbers written here (not computed by the code under test),
/// tolerant parsing, canonical spellings, and backward-compatible model files.
final class UnitsTests: XCTestCase {
    func rel(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

    func testFactorsAgainstCODATA() {
        // CODATA 2006 (n2p2's constants): a0 = 0.52917720859 Å, Eh = 27.21138386 eV, Ry = 13.60569193 eV.
        // (n2p2's 1.8897261328 Bohr/Å is 1/0.52917720859 = 1.88972613289 truncated to 11 digits: 4.5e-11.)
        XCTAssertLessThan(rel(Units.factor(from: LengthUnit.bohr, to: .angstrom), 0.52917720859), 5e-11)
        XCTAssertLessThan(rel(Units.factor(from: EnergyUnit.hartree, to: .eV), 27.21138386), 1e-9)
        XCTAssertLessThan(rel(Units.factor(from: EnergyUnit.Ry, to: .eV), 13.60569193), 1e-9)
        // Faraday constant 96485.33212 C/mol (CODATA 2018): 1 eV = 96.48533212 kJ/mol = 23.06054783 kcal/mol.
        XCTAssertLessThan(rel(Units.factor(from: EnergyUnit.eV, to: .kJPerMol), 96.48533212), 1e-10)
        XCTAssertLessThan(rel(Units.factor(from: EnergyUnit.eV, to: .kcalPerMol), 23.06054783), 1e-9)
        XCTAssertLessThan(rel(Units.factor(from: EnergyUnit.kcalPerMol, to: .kJPerMol), 4.184), 1e-15)
        XCTAssertEqual(Units.factor(from: LengthUnit.nm, to: .angstrom), 10, accuracy: 1e-14)
        // n2p2's constants are kept exactly (the conformance data were converted with them).
        XCTAssertEqual(Units.factor(from: LengthUnit.angstrom, to: .bohr), 1.8897261328)
        XCTAssertEqual(Units.factor(from: EnergyUnit.eV, to: .hartree), 0.0367493254)
        XCTAssertEqual(Units.factor(from: EnergyUnit.hartree, to: .Ry), 2)
    }

    func testRoundTripsAndComposition() {
        for a in LengthUnit.allCases {
            for b in LengthUnit.allCases {
                XCTAssertEqual(Units.factor(from: a, to: b) * Units.factor(from: b, to: a), 1, accuracy: 4e-16)
                for c in LengthUnit.allCases {
                    XCTAssertEqual(Units.factor(from: a, to: b) * Units.factor(from: b, to: c), Units.factor(from: a, to: c),
                                   accuracy: 4e-16 * Units.factor(from: a, to: c))
                }
            }
        }
        for a in EnergyUnit.allCases {
            for b in EnergyUnit.allCases {
                XCTAssertEqual(Units.factor(from: a, to: b) * Units.factor(from: b, to: a), 1, accuracy: 4e-16)
            }
            XCTAssertEqual(Units.factor(from: a, to: a), 1)
        }
    }

    func testParsingIsTolerantAndOutputCanonical() throws {
        for s in ["Å", "A", "ang", "angstrom", "Angstrom", "ANGSTROM", " angstrom "] { XCTAssertEqual(LengthUnit(parsing: s), .angstrom, s) }
        for s in ["Bohr", "bohr", "au", "a0", "A.U."] { XCTAssertEqual(LengthUnit(parsing: s), .bohr, s) }
        for s in ["nm", "NM", "nanometer"] { XCTAssertEqual(LengthUnit(parsing: s), .nm, s) }
        for s in ["eV", "ev", "EV"] { XCTAssertEqual(EnergyUnit(parsing: s), .eV, s) }
        for s in ["Ha", "Hartree", "hartree", "au", "Eh"] { XCTAssertEqual(EnergyUnit(parsing: s), .hartree, s) }
        for s in ["kcal/mol", "KCAL/MOL"] { XCTAssertEqual(EnergyUnit(parsing: s), .kcalPerMol, s) }
        for s in ["kJ/mol", "kj/mol"] { XCTAssertEqual(EnergyUnit(parsing: s), .kJPerMol, s) }
        for s in ["Ry", "rydberg"] { XCTAssertEqual(EnergyUnit(parsing: s), .Ry, s) }
        XCTAssertEqual(LengthUnit.allCases.map(\.rawValue), ["angstrom", "bohr", "nm"])
        XCTAssertEqual(EnergyUnit.allCases.map(\.rawValue), ["eV", "hartree", "kcal/mol", "kJ/mol", "Ry"])
        for u in LengthUnit.allCases { XCTAssertEqual(LengthUnit(parsing: u.rawValue), u) }
        for u in EnergyUnit.allCases { XCTAssertEqual(EnergyUnit(parsing: u.rawValue), u) }
        XCTAssertNil(LengthUnit(parsing: "furlong"))
        XCTAssertThrowsError(try Units.length("furlong")) { XCTAssertTrue("\($0)".contains("unknown length unit 'furlong'")) }
        XCTAssertEqual(try Units.factor(from: "Ha", to: "eV"), Units.factor(from: EnergyUnit.hartree, to: .eV))
        XCTAssertEqual(try Units.factor(from: "Å", to: "Bohr"), 1.8897261328)
        XCTAssertThrowsError(try Units.factor(from: "bohr", to: "eV")) { XCTAssertTrue("\($0)".contains("both must be length units")) }
        XCTAssertThrowsError(try Units.factor(from: "parsec", to: "bohr"))
    }

    func testModelFilesAcceptOldSpellingsAndWriteCanonicalOnes() throws {
        var rng = SeededRandom(seed: 5)
        let s = Fixtures.randomStructure(elements: ["Au"], count: 4, cell: nil, rng: &rng)
        var m = try Fixtures.randomModel(elements: ["Au"], functions: {
            Fixtures.allTypes(center: $0, elements: ["Au"], cutoff: .cosine(4.5))
        }, sample: s, rng: &rng)
        m.units = .atomic
        let text = String(decoding: try ModelFile.encode(m), as: UTF8.self)
        XCTAssertTrue(text.contains("\"length\" : \"bohr\"") && text.contains("\"energy\" : \"hartree\""))
        for (l, e) in [("Bohr", "Ha"), ("au", "Hartree"), ("bohr", "hartree")] {
            let old = text.replacingOccurrences(of: "\"length\" : \"bohr\"", with: "\"length\" : \"\(l)\"")
                .replacingOccurrences(of: "\"energy\" : \"hartree\"", with: "\"energy\" : \"\(e)\"")
            XCTAssertEqual(try ModelFile.decode(Data(old.utf8), source: "old.json").units, .atomic)
        }
        let unknown = text.replacingOccurrences(of: "\"length\" : \"bohr\"", with: "\"length\" : \"unknown\"")
        XCTAssertEqual(try ModelFile.decode(Data(unknown.utf8), source: "u.json").units, Units(length: nil, energy: .hartree))
        let bad = text.replacingOccurrences(of: "\"length\" : \"bohr\"", with: "\"length\" : \"furlong\"")
        XCTAssertThrowsError(try ModelFile.decode(Data(bad.utf8), source: "bad.json")) { XCTAssertTrue("\($0)".contains("furlong")) }

        // Relabelling a model that declares its units is an error; repeating them is not.
        let dir = try TemporaryDirectory("units")
        defer { dir.remove() }
        let path = dir.path("m.json")
        try ModelFile.write(m, to: path)
        XCTAssertEqual(try ModelLoader.load(path: path, units: Units(length: .bohr, energy: .hartree)).units, .atomic)
        XCTAssertThrowsError(try ModelLoader.load(path: path, units: Units(length: .angstrom, energy: nil))) {
            XCTAssertTrue("\($0)".contains("declares length unit bohr, not angstrom"))
        }
        XCTAssertThrowsError(try ModelLoader.load(path: path, units: Units(length: nil, energy: .eV))) {
            XCTAssertTrue("\($0)".contains("declares energy unit hartree, not eV"))
        }
    }

    func testStructureConversionRoundTrip() {
        let cell = Cell(a: [10, 0, 0], b: [1, 9, 0], c: [0.5, 0.2, 8])
        let s = Structure(positions: [[0, 0, 0], [1.1, 0.3, -0.2]], elements: ["H", "H"], cell: cell, pbc: .all, energy: -1.25,
                          forces: [[0.1, -0.2, 0.3], [-0.1, 0.2, -0.3]], stress: Matrix3(flat: [1, 2, 3, 2, 4, 5, 3, 5, 6]))
        let b = s.converted(from: (.angstrom, .eV), to: (.bohr, .hartree))
        XCTAssertEqual(b.positions[1].x, 1.1 * 1.8897261328, accuracy: 1e-15)
        XCTAssertEqual(b.energy!, -1.25 * 0.0367493254, accuracy: 1e-16)
        XCTAssertEqual(b.forces![0].z, 0.3 * 0.0367493254 / 1.8897261328, accuracy: 1e-16)
        XCTAssertEqual(b.stress!.flat[8], 6 * 0.0367493254 / pow(1.8897261328, 3), accuracy: 1e-16)
        let back = b.converted(from: (.bohr, .hartree), to: (.angstrom, .eV))
        XCTAssertEqual(back.energy!, s.energy!, accuracy: 1e-15)
        XCTAssertLessThan(Fixtures.maxDiff(back.positions, s.positions), 1e-14)
        XCTAssertLessThan(Fixtures.maxDiff(back.forces!, s.forces!), 1e-15)
    }
}
