import Foundation
import XCTest
@testable import NNSwift
import NNSwiftTestSupport

final class FormatsTests: XCTestCase {
    // MARK: - Helpers

    private var tmpDir: TemporaryDirectory!

    override func setUpWithError() throws { tmpDir = try TemporaryDirectory("formats") }
    override func tearDownWithError() throws { tmpDir?.remove() }

    private func tmp(_ name: String) -> String { tmpDir.path(name) }

    /// The shared conformance directory: <package>/../shared, else /work/shared.
    private func sharedDir() throws -> URL {
        let pkg = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [pkg.deletingLastPathComponent().appendingPathComponent("shared"),
                          URL(fileURLWithPath: "/work/shared")]
        for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("conformance").path) {
            return c.appendingPathComponent("conformance/n2p2-H2O_RPBE-D3")
        }
        throw XCTSkip("shared conformance files not found (looked in \(candidates.map(\.path))); skipping")
    }

    private func sharedFile(_ name: String) throws -> String {
        let p = try sharedDir().appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: p) else { throw XCTSkip("shared file \(p) is absent; skipping") }
        return p
    }

    private func randomStructure(_ rng: inout SeededRandom, atoms n: Int, periodic: Bool = true,
                                 forces: Bool = true, charges: Bool = false) -> Structure {
        func r(_ lo: Double, _ hi: Double) -> Double { Double.random(in: lo..<hi, using: &rng) }
        let cell: Cell? = periodic
            ? Cell(a: SIMD3(r(8, 12), r(-1, 1), r(-1, 1)), b: SIMD3(r(-2, 2), r(8, 12), r(-1, 1)),
                   c: SIMD3(r(-2, 2), r(-2, 2), r(8, 12)))
            : nil
        let symbols = ["H", "O", "C", "Cu", "Zn", "Au"]
        var pos: [SIMD3<Double>] = [], el: [String] = [], f: [SIMD3<Double>] = [], q: [Double] = []
        for _ in 0..<n {
            pos.append(SIMD3(r(-1, 11), r(-1, 11), r(-1, 11)) * (r(0, 1) < 0.1 ? 1e-7 : 1))
            el.append(symbols[Int.random(in: 0..<symbols.count, using: &rng)])
            f.append(SIMD3(r(-5, 5), r(-5, 5), r(-5, 5)) * 1e-3)
            q.append(r(-1, 1))
        }
        var st = Matrix3.zero
        for i in 0..<3 { for j in 0..<3 { st[i, j] = r(-0.01, 0.01) } }
        return Structure(positions: pos, elements: el, cell: cell, pbc: periodic ? .all : .none,
                         energy: r(-5000, -100), forces: forces ? f : nil, stress: periodic ? st : nil,
                         charges: charges ? q : nil)
    }

    /// Asserts that `body` throws an NNSwiftError whose message names `source:line` and contains `words`.
    private func assertFormatError(_ source: String, line: Int, contains words: String,
                                   file: StaticString = #filePath, lineNo: UInt = #line,
                                   _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("expected an error at \(source):\(line) mentioning '\(words)'", file: file, line: lineNo)
        } catch let e as NNSwiftError {
            let msg = e.description
            XCTAssertTrue(msg.contains("\(source):\(line):"), "message '\(msg)' does not name \(source):\(line)",
                          file: file, line: lineNo)
            XCTAssertTrue(msg.lowercased().contains(words.lowercased()), "message '\(msg)' does not mention '\(words)'",
                          file: file, line: lineNo)
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: lineNo)
        }
    }

    /// `parse(text, source)` fails with a message that names `source:line` and mentions `words`.
    private func assertParseError<T>(_ parse: (String, String) throws -> T, _ text: String, source: String, line: Int,
                                     contains words: String, file: StaticString = #filePath, lineNo: UInt = #line) {
        assertFormatError(source, line: line, contains: words, file: file, lineNo: lineNo) { _ = try parse(text, source) }
    }

    // MARK: - Extended XYZ

    func testExtXYZRoundTripBitExact() throws {
        var rng = SeededRandom(seed: 42)
        var frames: [Structure] = []
        for k in 0..<5 {
            var s = randomStructure(&rng, atoms: 10 + k * 7, charges: k % 2 == 0)
            s.pbc = k == 1 ? PBC(true, true, false) : .all
            s.comment = k == 2 ? "a comment with \"quotes\" and spaces = signs" : nil
            s.info = ["config_type": "bulk water \(k)", "step": "\(k)", "flagged": "T"]
            s.totalCharge = k == 3 ? -1.5 : nil
            frames.append(s)
        }
        frames.append(randomStructure(&rng, atoms: 3, periodic: false, forces: false))
        let path = tmp("rt.xyz")
        try ExtendedXYZ.write(frames, to: path)
        let back = try ExtendedXYZ.read(path: path)
        XCTAssertEqual(back.count, frames.count)
        for (a, b) in zip(frames, back) { XCTAssertEqual(a, b) }
        // Also through the dispatcher.
        XCTAssertEqual(try StructureFile.read(path: path), frames)
    }

    func testExtXYZParsesASEStyleFrame() throws {
        let text = """
        2
        Lattice="5.0 0.0 0.0 1.0 6.0 0.0 0.5 0.5 7.0" Properties=species:S:1:pos:R:3:magmoms:R:1:forces:R:3:tags:I:1:fixed:L:1 energy=-12.5 stress="1 2 3 4 5 6" pbc="T T F" config_type="bulk water" note=hello flag
        O 0.0 0.0 0.0 0.5 1.0 2.0 3.0 1 T
        h 1.0 0.25e1 -3 -0.5 -1.0 -2.0 -3.0 2 F

        """
        let frames = try ExtendedXYZ.parse(text, source: "ase.xyz")
        XCTAssertEqual(frames.count, 1)
        let s = frames[0]
        XCTAssertEqual(s.elements, ["O", "H"])
        XCTAssertEqual(s.positions, [SIMD3(0, 0, 0), SIMD3(1, 2.5, -3)])
        XCTAssertEqual(s.cell, Cell(a: SIMD3(5, 0, 0), b: SIMD3(1, 6, 0), c: SIMD3(0.5, 0.5, 7)))
        XCTAssertEqual(s.pbc, PBC(true, true, false))
        XCTAssertEqual(s.energy, -12.5)
        XCTAssertEqual(s.forces, [SIMD3(1, 2, 3), SIMD3(-1, -2, -3)])
        // Voigt xx yy zz yz xz xy = 1 2 3 4 5 6.
        XCTAssertEqual(s.stress, Matrix3(SIMD3(1, 6, 5), SIMD3(6, 2, 4), SIMD3(5, 4, 3)))
        XCTAssertEqual(s.info, ["config_type": "bulk water", "note": "hello", "flag": "T"])
        XCTAssertNil(s.comment)
        XCTAssertNil(s.charges)
    }

    func testExtXYZPlainCommentMultiFrameAndDefaults() throws {
        let text = """
        3
        water molecule, relaxed
        O 0 0 0
        H 0.96 0 0
        H -0.24 0.93 0
        1
        Lattice="3 0 0 0 3 0 0 0 3" Properties=species:S:1:pos:R:3:force:R:3 stress="1 2 3 2 4 5 3 5 6" energy=-1e-3 name='single quoted'
        Cu 1.5 1.5 1.5 0.1 0.2 0.3
        """
        let frames = try ExtendedXYZ.parse(text, source: "two.xyz")
        XCTAssertEqual(frames.count, 2)
        XCTAssertEqual(frames[0].comment, "water molecule, relaxed")
        XCTAssertNil(frames[0].cell)
        XCTAssertEqual(frames[0].pbc, .none)
        XCTAssertEqual(frames[0].positions[2], SIMD3(-0.24, 0.93, 0))
        XCTAssertNil(frames[0].forces)
        XCTAssertNil(frames[0].energy)
        let s = frames[1]
        XCTAssertEqual(s.cell, Cell(orthorhombic: 3, 3, 3))
        XCTAssertEqual(s.pbc, .all)   // Lattice without pbc → periodic
        XCTAssertEqual(s.forces, [SIMD3(0.1, 0.2, 0.3)])
        XCTAssertEqual(s.stress, Matrix3(SIMD3(1, 2, 3), SIMD3(2, 4, 5), SIMD3(3, 5, 6)))
        XCTAssertEqual(s.energy, -0.001)
        XCTAssertEqual(s.info["name"], "single quoted")
    }

    func testExtXYZErrors() throws {
        let src = "bad.xyz"
        let header = "Properties=species:S:1:pos:R:3"
        // Truncated: 3 atoms declared, 2 given (file has 4 lines).
        assertParseError(ExtendedXYZ.parse, "3\n\(header)\nH 0 0 0\nH 1 0 0\n", source: src, line: 4, contains: "declares 3 atoms")
        // Non-numeric coordinate.
        assertParseError(ExtendedXYZ.parse, "2\n\(header)\nH 0 0 0\nH 1 x 0\n", source: src, line: 4, contains: "not a number")
        // Wrong column count.
        assertParseError(ExtendedXYZ.parse, "2\n\(header)\nH 0 0 0 7\nH 1 0 0\n", source: src, line: 3, contains: "columns")
        // NaN and inf coordinates.
        assertParseError(ExtendedXYZ.parse, "1\n\(header)\nH nan 0 0\n", source: src, line: 3, contains: "non-finite")
        assertParseError(ExtendedXYZ.parse, "1\n\(header)\nH 0 0 inf\n", source: src, line: 3, contains: "non-finite")
        // Unknown element.
        assertParseError(ExtendedXYZ.parse, "2\n\(header)\nH 0 0 0\nXq 1 0 0\n", source: src, line: 4, contains: "unknown element")
        // Bad atom count line (second frame).
        assertParseError(ExtendedXYZ.parse, "1\n\(header)\nH 0 0 0\nthree\n", source: src, line: 4, contains: "number of atoms")
        // Missing comment line.
        assertParseError(ExtendedXYZ.parse, "1", source: src, line: 1, contains: "comment line")
        // Lattice with 8 numbers; bad Properties; unterminated quote; bad stress; bad pbc.
        assertParseError(ExtendedXYZ.parse, "1\nLattice=\"1 0 0 0 1 0 0 0\" \(header)\nH 0 0 0\n", source: src, line: 2, contains: "Lattice needs 9")
        assertParseError(ExtendedXYZ.parse, "1\nProperties=species:S:1:pos:X:3\nH 0 0 0\n", source: src, line: 2, contains: "Properties")
        assertParseError(ExtendedXYZ.parse, "1\nLattice=\"1 0 0 0 1 0 0 0 1 \(header)\nH 0 0 0\n", source: src, line: 2, contains: "unterminated")
        assertParseError(ExtendedXYZ.parse, "1\nstress=\"1 2 3\" \(header)\nH 0 0 0\n", source: src, line: 2, contains: "stress")
        assertParseError(ExtendedXYZ.parse, "1\npbc=\"T maybe F\" \(header)\nH 0 0 0\n", source: src, line: 2, contains: "pbc")
        assertParseError(ExtendedXYZ.parse, "1\nenergy=lots \(header)\nH 0 0 0\n", source: src, line: 2, contains: "energy")
        // Declared integer column with a real in it.
        assertParseError(ExtendedXYZ.parse, "1\nProperties=species:S:1:pos:R:3:tags:I:1\nH 0 0 0 1.5\n", source: src, line: 3, contains: "not an integer")
        // Missing file.
        XCTAssertThrowsError(try ExtendedXYZ.read(path: tmp("does-not-exist.xyz"))) { e in
            guard case let NNSwiftError.io(path, _) = e else { return XCTFail("wrong error \(e)") }
            XCTAssertTrue(path.hasSuffix("does-not-exist.xyz"))
        }
    }

    // MARK: - n2p2 input.data

    func testN2P2RoundTripBitExact() throws {
        var rng = SeededRandom(seed: 7)
        var frames: [Structure] = []
        for k in 0..<4 {
            var s = randomStructure(&rng, atoms: 5 + 11 * k, charges: true)
            s.stress = nil   // not part of input.data
            s.comment = k == 0 ? "written by nnswift test" : (k == 1 ? "line one\nline two" : nil)
            s.totalCharge = k == 2 ? nil : Double(k) * 0.25 - 0.5
            frames.append(s)
        }
        var cluster = randomStructure(&rng, atoms: 4, periodic: false, charges: true)
        cluster.energy = nil
        frames.append(cluster)
        let path = tmp("input.data")
        try N2P2InputData.write(frames, to: path)
        let back = try N2P2InputData.read(path: path)
        XCTAssertEqual(back.count, frames.count)
        for (a, b) in zip(frames, back) { XCTAssertEqual(a, b) }
        XCTAssertEqual(try StructureFile.read(path: path), frames)
    }

    func testN2P2ParsesHandWrittenBlock() throws {
        let text = """
         begin
        comment water   dimer
        lattice 1.0D+01 0.0 0.0
        lattice 0.0 1.0d1 0.0
        lattice 1.0 2.0 12.5
          atom  1.0 2.0 3.0 O -0.8 0 0.1 -0.2 0.3
        atom 1.96 2.0 3.0 H 0.4 0.0 0.0D0 0.0 -1.5E-2
        energy -4.25D+02
        charge 0.0
         end

        begin
        atom 0 0 0 Ar 0 0 0 0 0
        end
        """
        let frames = try N2P2InputData.parse(text, source: "hand.data")
        XCTAssertEqual(frames.count, 2)
        let s = frames[0]
        XCTAssertEqual(s.comment, "water   dimer")
        XCTAssertEqual(s.cell, Cell(a: SIMD3(10, 0, 0), b: SIMD3(0, 10, 0), c: SIMD3(1, 2, 12.5)))
        XCTAssertEqual(s.pbc, .all)
        XCTAssertEqual(s.elements, ["O", "H"])
        XCTAssertEqual(s.positions, [SIMD3(1, 2, 3), SIMD3(1.96, 2, 3)])
        XCTAssertEqual(s.charges, [-0.8, 0.4])
        XCTAssertEqual(s.forces, [SIMD3(0.1, -0.2, 0.3), SIMD3(0, 0, -0.015)])
        XCTAssertEqual(s.energy, -425)
        XCTAssertEqual(s.totalCharge, 0)
        XCTAssertNil(frames[1].cell)
        XCTAssertEqual(frames[1].pbc, .none)
        XCTAssertNil(frames[1].energy)
    }

    func testN2P2Errors() throws {
        let src = "bad.data"
        let atom = "atom 0 0 0 H 0 0 0 0 0"
        assertParseError(N2P2InputData.parse, "begin\n\(atom)\n\(atom)", source: src, line: 3, contains: "'end' missing")
        assertParseError(N2P2InputData.parse, "begin\n\(atom)\nbegin\n\(atom)\nend\n", source: src, line: 3, contains: "missing 'end'")
        assertParseError(N2P2InputData.parse, "begin\n\(atom)\natom 0 0 zero H 0 0 0 0 0\nend\n", source: src, line: 3, contains: "not a number")
        assertParseError(N2P2InputData.parse, "begin\natom 0 0 0 H 0 0 0 0\nend\n", source: src, line: 2, contains: "9 values")
        assertParseError(N2P2InputData.parse, "begin\natom 0 NaN 0 H 0 0 0 0 0\nend\n", source: src, line: 2, contains: "non-finite")
        assertParseError(N2P2InputData.parse, "begin\natom 0 0 0 H 0 0 inf 0 0\nend\n", source: src, line: 2, contains: "non-finite")
        assertParseError(N2P2InputData.parse, "begin\natom 0 0 0 Hx 0 0 0 0 0\nend\n", source: src, line: 2, contains: "unknown element")
        assertParseError(N2P2InputData.parse, "begin\nlattice 1 0 0\nlattice 0 1 0\n\(atom)\nend\n", source: src, line: 5, contains: "2 lattice lines")
        assertParseError(N2P2InputData.parse, "begin\nlattice 1 0\n\(atom)\nend\n", source: src, line: 2, contains: "3 values")
        assertParseError(N2P2InputData.parse, "begin\n\(atom)\nenergy\nend\n", source: src, line: 3, contains: "energy")
        assertParseError(N2P2InputData.parse, "begin\n\(atom)\nforce 1 2 3\nend\n", source: src, line: 3, contains: "unknown keyword")
        assertParseError(N2P2InputData.parse, "\(atom)\nend\n", source: src, line: 1, contains: "expected 'begin'")
        assertParseError(N2P2InputData.parse, "begin\nend\n", source: src, line: 2, contains: "no atoms")
        XCTAssertThrowsError(try N2P2InputData.read(path: tmp("missing.data")))
    }

    // MARK: - LAMMPS data

    func testLAMMPSRoundTripLowerTriangular() throws {
        var rng = SeededRandom(seed: 99)
        var s = randomStructure(&rng, atoms: 50, forces: false)
        let c = s.cell!
        s.cell = Cell(a: SIMD3(c.a.x, 0, 0), b: SIMD3(c.b.x, c.b.y, 0), c: c.c)
        s.energy = nil
        s.stress = nil
        let path = tmp("rt.lmp-data")
        let order = ["Au", "H", "O", "C", "Zn", "Cu"]
        let rot = try LAMMPSData.write(s, typeOrder: order, to: path)
        XCTAssertEqual(rot, Matrix3(SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)))
        let f = try LAMMPSData.read(path: path)
        XCTAssertEqual(f.structure.positions, s.positions)   // bit-exact, box origin 0
        XCTAssertEqual(f.structure.elements, s.elements)     // from the "# El" mass comments
        XCTAssertEqual(f.structure.cell, s.cell)
        XCTAssertEqual(f.structure.pbc, .all)
        XCTAssertEqual(f.ids, Array(1...50))
        XCTAssertEqual(f.types, s.elements.map { order.firstIndex(of: $0)! + 1 })
        XCTAssertEqual(f.typeToElement, order)
        XCTAssertEqual(try StructureFile.read(path: path), [f.structure])
    }

    func testLAMMPSWriterRotatesGeneralCell() throws {
        var rng = SeededRandom(seed: 5)
        let s = randomStructure(&rng, atoms: 20, forces: false)
        let path = tmp("data.rotated")
        let rot = try LAMMPSData.write(s, typeOrder: ["H", "C", "O", "Cu", "Zn", "Au"], to: path)
        let f = try LAMMPSData.read(path: path)
        let c0 = s.cell!, c1 = f.structure.cell!
        // Same lattice metric (lengths and angles), lower-triangular form.
        XCTAssertEqual(c1.a.y, 0); XCTAssertEqual(c1.a.z, 0); XCTAssertEqual(c1.b.z, 0)
        for (u, v) in [(c0.a, c1.a), (c0.b, c1.b), (c0.c, c1.c)] { XCTAssertEqual(length(u), length(v), accuracy: 1e-10) }
        XCTAssertEqual(dot(c0.a, c0.b), dot(c1.a, c1.b), accuracy: 1e-9)
        XCTAssertEqual(dot(c0.b, c0.c), dot(c1.b, c1.c), accuracy: 1e-9)
        XCTAssertEqual(dot(c0.a, c0.c), dot(c1.a, c1.c), accuracy: 1e-9)
        // Fractional coordinates are unchanged; positions are R·r.
        for i in 0..<s.count {
            let d = c0.fractional(s.positions[i]) - c1.fractional(f.structure.positions[i])
            XCTAssertLessThan(length(d), 1e-12)
            let e: SIMD3<Double> = rot * s.positions[i] - f.structure.positions[i]
            XCTAssertLessThan(length(e), 1e-12)
        }
        // The rotation is orthogonal.
        let r = [rot.rows.0, rot.rows.1, rot.rows.2]
        for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(dot(r[i], r[j]), i == j ? 1 : 0, accuracy: 1e-12) } }
    }

    func testLAMMPSParsesStylesAndMasses() throws {
        let text = """
        LAMMPS data file, hand written

             3 atoms
             2 atom types

         -1.0 9.0 xlo xhi
          0.0 10.0 ylo yhi
          2.0 14.0 zlo zhi
          1.5 -0.5 0.25 xy xz yz

        Masses

        1 15.9994
        2 1.00794  # hydrogen

        Atoms # charge

        3 2 0.4 1.0 1.1 1.2 0 0 1
        1 1 -0.8 0.0 0.0 0.0 0 0 0
        2 2 0.4 -1.5 20.0 3.0 0 1 0

        Velocities

        1 0.1 0.2 0.3
        3 0.1 0.2 0.3
        2 0.1 0.2 0.3
        """
        let f = try LAMMPSData.parse(text, source: "q.data")
        XCTAssertEqual(f.ids, [1, 2, 3])
        XCTAssertEqual(f.types, [1, 2, 2])
        XCTAssertEqual(f.structure.elements, ["O", "H", "H"])
        XCTAssertEqual(f.structure.charges, [-0.8, 0.4, 0.4])
        XCTAssertEqual(f.structure.positions, [SIMD3(0, 0, 0), SIMD3(-1.5, 20, 3), SIMD3(1, 1.1, 1.2)])  // not wrapped
        XCTAssertEqual(f.structure.cell, Cell(a: SIMD3(10, 0, 0), b: SIMD3(1.5, 10, 0), c: SIMD3(-0.5, 0.25, 12)))
        XCTAssertEqual(f.origin, SIMD3(-1, 0, 2))
        // typeToElement overrides the mass guess.
        let g = try LAMMPSData.parse(text, source: "q.data", typeToElement: ["N", "D" == "D" ? "He" : "H"])
        XCTAssertEqual(g.structure.elements, ["N", "He", "He"])

        // Full style: id mol type q x y z; atomic without style comment (5 columns).
        let full = "t\n2 atoms\n1 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nMasses\n\n1 12.011\n\nAtoms # full\n\n2 7 1 0.5 0.1 0.2 0.3\n1 7 1 -0.5 0.4 0.5 0.6\n"
        let ff = try LAMMPSData.parse(full, source: "full.data")
        XCTAssertEqual(ff.structure.elements, ["C", "C"])
        XCTAssertEqual(ff.structure.positions, [SIMD3(0.4, 0.5, 0.6), SIMD3(0.1, 0.2, 0.3)])
        XCTAssertEqual(ff.structure.charges, [-0.5, 0.5])
        let atomic = "t\n1 atoms\n1 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\nMasses\n1 196.97\nAtoms\n1 1 0.5 0.5 0.5\n"
        XCTAssertEqual(try LAMMPSData.parse(atomic, source: "a.data").structure.elements, ["Au"])
    }

    func testLAMMPSMassGuessing() throws {
        let table: [(Double, String)] = [
            (1.008, "H"), (4.0026, "He"), (6.941, "Li"), (9.012, "Be"), (10.811, "B"), (12.0107, "C"),
            (14.0067, "N"), (15.9994, "O"), (18.998, "F"), (20.1797, "Ne"), (22.98977, "Na"), (24.305, "Mg"),
            (26.9815, "Al"), (28.0855, "Si"), (30.97376, "P"), (32.065, "S"), (35.453, "Cl"), (39.948, "Ar"),
            (39.0983, "K"), (40.078, "Ca"), (47.867, "Ti"), (55.845, "Fe"), (58.6934, "Ni"), (63.546, "Cu"),
            (65.39, "Zn"), (107.8682, "Ag"), (195.078, "Pt"), (196.96655, "Au"), (207.2, "Pb"),
        ]
        for (m, e) in table { XCTAssertEqual(PeriodicTable.element(nearestMass: m), e, "mass \(m)") }
        XCTAssertNil(PeriodicTable.element(nearestMass: 2.014))   // deuterium: no standard weight
    }

    func testLAMMPSErrors() throws {
        let src = "bad.lmp"
        let head = "title\n2 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 1.008\n2 15.999\n\nAtoms # atomic\n\n"
        let lammps = { (text: String, source: String) in try LAMMPSData.parse(text, source: source) }
        // Atom lines are on lines 15, 16.
        assertParseError(lammps, head + "1 1 0 0 0\n", source: src, line: 15, contains: "header declares 2")
        assertParseError(lammps, head + "1 1 0 0 0\n2 2 1 1 1\n3 2 1 1 1\n", source: src, line: 17, contains: "more atom lines")
        assertParseError(lammps, head + "1 1 0 0 0\n2 2 1 y 1\n", source: src, line: 16, contains: "not a number")
        assertParseError(lammps, head + "1 1 0 0\n2 2 1 1 1\n", source: src, line: 15, contains: "columns")
        assertParseError(lammps, head + "1 1 0 0 0\n2 3 1 1 1\n", source: src, line: 16, contains: "out of range")
        assertParseError(lammps, head + "1 1 nan 0 0\n2 2 1 1 1\n", source: src, line: 15, contains: "non-finite")
        assertParseError(lammps, head + "1 1 0 0 0\n1 2 1 1 1\n", source: src, line: 13, contains: "duplicate atom id")
        assertParseError(lammps, head.replacingOccurrences(of: "0 10 xlo", with: "0 -1 xlo") + "1 1 0 0 0\n2 2 1 1 1\n", source: src, line: 4, contains: "xhi")
        assertParseError(lammps, head.replacingOccurrences(of: "1 1.008", with: "1 2.014") + "1 1 0 0 0\n2 2 1 1 1\n", source: src, line: 13, contains: "cannot guess")
        assertParseError(lammps, head.replacingOccurrences(of: "Masses", with: "Massen") + "1 1 0 0 0\n2 2 1 1 1\n", source: src, line: 8, contains: "unknown section")
        XCTAssertThrowsError(try LAMMPSData.parse(head + "1 1 0 0 0\n2 2 1 1 1\n", source: src, typeToElement: ["H", "Qq"]))
        XCTAssertThrowsError(try LAMMPSData.read(path: tmp("nope.lmp")))
        // Writer errors.
        let s = Structure(positions: [.zero], elements: ["H"], cell: Cell(orthorhombic: 5, 5, 5), pbc: .all)
        XCTAssertThrowsError(try LAMMPSData.format(s, typeOrder: ["O"]))
        XCTAssertThrowsError(try LAMMPSData.format(Structure(positions: [.zero], elements: ["H"]), typeOrder: ["H"]))
    }

    // MARK: - Shared conformance files

    func testReadsSharedTrain20() throws {
        let path = try sharedFile("train20.input.data")
        let frames = try StructureFile.read(path: path)
        XCTAssertEqual(try StructureFile.detectFormat(path: path), .n2p2)
        XCTAssertEqual(frames.count, 20)
        let s = frames[0]
        XCTAssertEqual(s.count, 192)
        XCTAssertEqual(s.elements[0], "O")
        XCTAssertEqual(s.positions[0], SIMD3(3.735290838, 2.327841157, 3.501304856))
        XCTAssertEqual(s.forces?[0], SIMD3(-0.006530137, -0.002852459, -0.027992554))
        XCTAssertEqual(s.charges?[0], -0.226389360)
        XCTAssertEqual(s.energy, -4900.37328433)
        XCTAssertEqual(s.cell, Cell(orthorhombic: 24.623508, 24.623508, 24.623508))
        XCTAssertEqual(s.comment, "written by RuNNerDecom")
        XCTAssertEqual(frames[1].count, 48)   // lines 206…253
        // Round trip of real data.
        let out = tmp("train20.input.data")
        try N2P2InputData.write(frames, to: out)
        XCTAssertEqual(try N2P2InputData.read(path: out), frames)
    }

    func testReadsSharedLiquid1080() throws {
        let path = try sharedFile("liquid1080.input.data")
        let frames = try StructureFile.read(path: path)
        XCTAssertEqual(frames.count, 1)
        let s = frames[0]
        XCTAssertEqual(s.count, 1080)
        XCTAssertEqual(s.elements[0], "O")
        XCTAssertEqual(s.positions[0], SIMD3(Double("3.3161137848673654E+01")!, Double("1.3927124396757034E+01")!,
                                             Double("1.0505195708760620E+00")!))
        XCTAssertEqual(s.cell?.a.x, Double("4.2888632301285426E+01"))
        XCTAssertEqual(s.elements.filter { $0 == "H" }.count, 720)
    }

    func testReadsSharedLiquid8640() throws {
        let path = try sharedFile("liquid8640.lmp-data")
        XCTAssertEqual(try StructureFile.detectFormat(path: path), .lammpsData)
        let f = try LAMMPSData.read(path: path)
        XCTAssertEqual(f.structure.count, 8640)
        XCTAssertEqual(f.ids, Array(1...8640))
        XCTAssertEqual(f.typeToElement, ["H", "O"])
        XCTAssertEqual(f.structure.elements.filter { $0 == "O" }.count, 2880)
        // First atom line of the file: "3791 1 1.6008666373327329e+00 -4.9126005439609932e-02 2.5055609599106323e+00 -2 0 2"
        let i = try XCTUnwrap(f.ids.firstIndex(of: 3791))
        XCTAssertEqual(f.types[i], 1)
        XCTAssertEqual(f.structure.elements[i], "H")
        XCTAssertEqual(f.structure.positions[i], SIMD3(Double("1.6008666373327329e+00")!,
                                                       Double("-4.9126005439609932e-02")!,
                                                       Double("2.5055609599106323e+00")!))
        let c = try XCTUnwrap(f.structure.cell)
        XCTAssertEqual(c.a.x, Double("4.5250693242527888e+01")! - Double("-3.2819324253026849e-01")!)
        XCTAssertEqual(c.b, SIMD3(0, Double("4.7025868192729938e+01")! - Double("-3.4106819274526146e-01")!, 0))
        XCTAssertEqual(f.origin.x, Double("-3.2819324253026849e-01"))
        // With an explicit mapping, and through the dispatcher.
        XCTAssertEqual(try StructureFile.read(path: path, typeToElement: ["H", "O"]), [f.structure])
    }

    // MARK: - Dispatcher and speed

    func testDispatcherByNameAndContent() throws {
        var rng = SeededRandom(seed: 3)
        let s = randomStructure(&rng, atoms: 6, charges: true)
        var n2 = s; n2.stress = nil
        try StructureFile.write([s], to: tmp("a.extxyz"))
        XCTAssertEqual(try StructureFile.read(path: tmp("a.extxyz")), [s])
        try StructureFile.write([n2], to: tmp("b.data"))
        XCTAssertEqual(try StructureFile.detectFormat(path: tmp("b.data")), .n2p2)
        XCTAssertEqual(try StructureFile.read(path: tmp("b.data")), [n2])
        // Content sniffing for names without a known extension.
        try N2P2InputData.write([n2], to: tmp("noext1"))
        XCTAssertEqual(try StructureFile.detectFormat(path: tmp("noext1")), .n2p2)
        try ExtendedXYZ.write([s], to: tmp("noext2"))
        XCTAssertEqual(try StructureFile.detectFormat(path: tmp("noext2")), .extxyz)
        let t = try LAMMPSData.format(Structure(positions: [.zero], elements: ["Cu"], cell: Cell(orthorhombic: 3, 3, 3), pbc: .all),
                                      typeOrder: ["Cu"]).text
        try AtomicFile.write(t, to: tmp("noext3"))
        XCTAssertEqual(try StructureFile.detectFormat(path: tmp("noext3")), .lammpsData)
        try AtomicFile.write(t, to: tmp("x.data"))
        XCTAssertEqual(try StructureFile.read(path: tmp("x.data")).first?.elements, ["Cu"])
        // Explicit format names.
        XCTAssertEqual(try StructureFile.read(path: tmp("noext2"), format: "xyz"), [s])
        XCTAssertThrowsError(try StructureFile.read(path: tmp("noext2"), format: "pdb"))
        XCTAssertThrowsError(try StructureFile.write([s], to: tmp("file.unknown")))
        try StructureFile.write([s], to: tmp("c.lmp"))
        XCTAssertEqual(try LAMMPSData.read(path: tmp("c.lmp")).typeToElement, ["H", "C", "O", "Cu", "Zn", "Au"].filter(s.elements.contains))
    }

    func testLargeFilesParseQuickly() throws {
        var rng = SeededRandom(seed: 11)
        let s = randomStructure(&rng, atoms: 100_000, charges: true)
        var n2 = s; n2.stress = nil
        try ExtendedXYZ.write([s], to: tmp("big.xyz"))
        try N2P2InputData.write([n2], to: tmp("big.data"))
        let t0 = Date()
        let a = try ExtendedXYZ.read(path: tmp("big.xyz"))
        let t1 = Date()
        let b = try N2P2InputData.read(path: tmp("big.data"))
        let t2 = Date()
        XCTAssertEqual(a, [s])
        XCTAssertEqual(b, [n2])
        print("100k atoms: extxyz \(t1.timeIntervalSince(t0)) s, input.data \(t2.timeIntervalSince(t1)) s")
        XCTAssertLessThan(t1.timeIntervalSince(t0), 30)
        XCTAssertLessThan(t2.timeIntervalSince(t1), 30)
    }

    /// Mutated and truncated inputs must throw or parse, never crash.
    func testMutatedInputsNeverCrash() throws {
        var rng = SeededRandom(seed: 2024)
        let s = randomStructure(&rng, atoms: 4, charges: true)
        var n2 = s; n2.stress = nil
        let lmp = try LAMMPSData.format(s, typeOrder: ["H", "C", "O", "Cu", "Zn", "Au"]).text
        let texts: [(String, (String) throws -> Void)] = [
            (try ExtendedXYZ.format(s), { _ = try ExtendedXYZ.parse($0, source: "f.xyz") }),
            (try N2P2InputData.format(n2), { _ = try N2P2InputData.parse($0, source: "f.data") }),
            (lmp, { _ = try LAMMPSData.parse($0, source: "f.lmp") }),
        ]
        let junk: [String] = ["", " ", "\n", "\"", "'", "=", ":", "[", "{", "#", "nan", "-inf", "1e999", "D", "x",
                              "99999999999999999999", "-1", "0", "é", "\r\n", "\t", "begin", "end", "Atoms"]
        var threw = 0
        for (text, parse) in texts {
            let bytes = Array(text.unicodeScalars)
            for _ in 0..<1500 {
                var b = bytes
                let ops = Int.random(in: 1...3, using: &rng)
                for _ in 0..<ops where !b.isEmpty {
                    let i = Int.random(in: 0..<b.count, using: &rng)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: b.removeSubrange(i..<min(b.count, i + Int.random(in: 1...20, using: &rng)))
                    case 1: b.insert(contentsOf: junk.randomElement(using: &rng)!.unicodeScalars, at: i)
                    case 2: b = Array(b[..<i])
                    default: b[i] = junk.randomElement(using: &rng)!.unicodeScalars.first ?? " "
                    }
                }
                var str = ""
                str.unicodeScalars.append(contentsOf: b)
                do { try parse(str) } catch is NNSwiftError { threw += 1 } catch { XCTFail("non-NNSwiftError \(error)") }
            }
        }
        XCTAssertGreaterThan(threw, 1000)
    }
}
