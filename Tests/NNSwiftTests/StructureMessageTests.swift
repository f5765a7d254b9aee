import Foundation
import XCTest
@testable import NNSwift
import NNSwiftTestSupport

/// Structure-file messages name the file and the line (or the structure), and ASE's 2D/1D cells
/// (zero lattice vectors along non-periodic axes) are accepted.
final class StructureMessageTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory("messages") }
    override func tearDownWithError() throws { dir.remove() }

    func write(_ name: String, _ text: String) throws -> String { try dir.write(name, text) }

    /// The ASE-written fixtures of tests/fixtures/ase-cells (make.py there regenerates them).
    func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tests/fixtures/ase-cells/\(name)").path
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        XCTFail("no error thrown")
        return ""
    }

    /// A model over H and O with every symmetry-function type, cutoff 4 Å.
    func model() throws -> Potential {
        var rng = SeededRandom(seed: 21)
        let sample = Fixtures.randomStructure(elements: ["H", "O"], count: 10, cell: nil, clusterSize: 4, rng: &rng)
        let m = try Fixtures.randomModel(elements: ["H", "O"], functions: { Fixtures.allTypes(center: $0, elements: ["H", "O"], cutoff: .cosine(4.0)) },
                                         sample: sample, rng: &rng)
        return try Potential(model: m)
    }

    // MARK: - Messages

    /// An overlap found when the second structure is evaluated names the file, the line of its
    /// frame and its index.
    func testGeometryErrorNamesFileLineAndStructure() throws {
        let path = try write("two.xyz", """
            2
            Properties=species:S:1:pos:R:3
            H 0 0 0
            O 0.9 0 0
            2
            Properties=species:S:1:pos:R:3
            H 0 0 0
            O 0 0 0

            """)
        let potential = try model()
        let located = try StructureFile.readWithOrigins(path: path)
        XCTAssertEqual(located.map(\.origin.line), [1, 5])
        XCTAssertNoThrow(try potential.evaluate(located[0].structure))
        let m = message { do { _ = try potential.evaluate(located[1].structure) } catch { throw located[1].origin.locating(error) } }
        XCTAssertTrue(m.hasPrefix("\(path):5: structure 2: invalid geometry: atoms 1 and 2 overlap"), m)

        let n2p2 = try write("two.data", "begin\natom 0 0 0 H 0 0 0 0 0\nend\n\nbegin\natom 0 0 0 H 0 0 0 0 0\natom 0 0 0 O 0 0 0 0 0\nend\n")
        let blocks = try StructureFile.readWithOrigins(path: n2p2)
        XCTAssertEqual(blocks.map(\.origin.description), ["\(n2p2):1: structure 1", "\(n2p2):5: structure 2"])
    }

    /// A file in no recognised format: the message names the file, does not say "cannot access"
    /// (it was read) and does not suggest an option; an input.data without `begin` names the line.
    func testUnrecognisedFormatAndMissingBegin() throws {
        let path = try write("notes.txt", "hello\nworld\n")
        let m = message { _ = try StructureFile.read(path: path) }
        XCTAssertTrue(m.hasPrefix("\(path): not a structure file"), m)
        XCTAssertFalse(m.contains("cannot access"), m)
        XCTAssertFalse(m.contains("pass format"), m)

        let noBegin = try write("water.dat", "comment no begin\natom 0 0 0 H 0 0 0 0 0\nend\n")
        let n = message { _ = try StructureFile.read(path: noBegin) }
        XCTAssertTrue(n.hasPrefix("\(noBegin):1: expected 'begin'"), n)
    }

    /// A zero lattice vector along a periodic axis is a located read error.
    func testZeroLatticeVectorAlongPeriodicAxis() throws {
        let path = try write("flat.xyz", "1\nLattice=\"5 0 0 0 5 0 0 0 0\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\nH 0 0 0\n")
        let m = message { _ = try StructureFile.read(path: path) }
        XCTAssertTrue(m.hasPrefix("\(path):2: Lattice spans no volume"), m)
    }

    /// A species index outside the model says so, without calling it an element.
    func testSpeciesIndexWording() {
        let m = "\(NNSwiftError.speciesIndex(index: 2, atom: 2, elements: 2))"
        XCTAssertEqual(m, "species index 2 of atom 2 is out of range: the model has 2 elements (indices 0 to 1)")
    }

    // MARK: - ASE 2D and 1D cells

    /// ASE's slab (pbc T T F, c = 0) and wire (pbc T F F, b = c = 0) read, and give the energy,
    /// forces and atomic energies of the same atoms with a 30 Å vacuum vector instead (an
    /// independent check: the vacuum exceeds the 4 Å cutoff, and the periodic images along the
    /// other axes are inside it, so periodicity does matter).
    func testASEPartiallyPeriodicCellsMatchVacuumCells() throws {
        let potential = try model()
        for (open, vacuum) in [("slab-2d.xyz", "slab-vacuum.xyz"), ("wire-1d.xyz", "wire-vacuum.xyz")] {
            let s = try XCTUnwrap(StructureFile.read(path: fixture(open)).first)
            let v = try XCTUnwrap(StructureFile.read(path: fixture(vacuum)).first)
            XCTAssertTrue(s.cell!.isValid, open)
            let a = try potential.evaluate(s), b = try potential.evaluate(v)
            XCTAssertEqual(a.energy, b.energy, accuracy: 1e-12 * abs(b.energy), open)
            XCTAssertLessThan(Fixtures.maxDiff(a.forces, b.forces), 1e-12, open)
            for (x, y) in zip(a.atomEnergies, b.atomEnergies) { XCTAssertEqual(x, y, accuracy: 1e-12, open) }
            // Periodicity matters here: the same atoms as a free cluster give another energy.
            var free = s; free.cell = nil; free.pbc = .none
            XCTAssertGreaterThan(abs(try potential.evaluate(free).energy - a.energy), 1e-3, open)
        }
        // A molecule in a 2D cell much larger than the cutoff: the free molecule's energy.
        let m2d = try XCTUnwrap(StructureFile.read(path: fixture("molecule-2d.xyz")).first)
        let mfree = try XCTUnwrap(StructureFile.read(path: fixture("molecule-free.xyz")).first)
        XCTAssertEqual(try potential.evaluate(m2d).energy, try potential.evaluate(mfree).energy,
                       accuracy: 1e-12 * abs(try potential.evaluate(mfree).energy))
    }

    /// The completed cell keeps the given vectors and adds unit normals; all-zero non-periodic
    /// cells become free clusters; zero vectors along periodic axes are left for the caller.
    func testCellCompletion() throws {
        let slab = Cell(a: [4, 0, 0], b: [1, 3, 0], c: .zero).completingNonPeriodicAxes(pbc: PBC(true, true, false))!
        XCTAssertEqual(slab.a, [4, 0, 0]); XCTAssertEqual(slab.b, [1, 3, 0]); XCTAssertEqual(slab.c, [0, 0, 1])
        let wire = Cell(a: [0, 0, 2], b: .zero, c: .zero).completingNonPeriodicAxes(pbc: PBC(true, false, false))!
        XCTAssertEqual(wire.volume, 2, accuracy: 1e-15)
        XCTAssertNil(Cell(a: .zero, b: .zero, c: .zero).completingNonPeriodicAxes(pbc: .none))
        XCTAssertFalse(Cell(a: [4, 0, 0], b: [0, 3, 0], c: .zero).completingNonPeriodicAxes(pbc: .all)!.isValid)
    }
}
