import XCTest
@testable import NNSwift

/// Energy and forces must not change under translation, rotation, permutation of atoms,
/// and wrapping atoms into other periodic images.
final class InvarianceTests: XCTestCase {
    var rng = SeededRandom(seed: 11)

    func setUpModel(_ s: Structure, elements: [String]) throws -> Potential {
        try Potential(model: Fixtures.randomModel(elements: elements, functions: {
            Fixtures.allTypes(center: $0, elements: elements, cutoff: .cosine(4.5))
        }, sample: s, rng: &rng))
    }

    func rotation(_ axis: SIMD3<Double>, _ angle: Double) -> Matrix3 {
        let u = axis / length(axis), c = cos(angle), s = sin(angle)
        return Matrix3(SIMD3(c + u.x * u.x * (1 - c), u.x * u.y * (1 - c) - u.z * s, u.x * u.z * (1 - c) + u.y * s),
                       SIMD3(u.y * u.x * (1 - c) + u.z * s, c + u.y * u.y * (1 - c), u.y * u.z * (1 - c) - u.x * s),
                       SIMD3(u.z * u.x * (1 - c) - u.y * s, u.z * u.y * (1 - c) + u.x * s, c + u.z * u.z * (1 - c)))
    }

    func testTranslationRotationPermutationWrapping() throws {
        let cell = Fixtures.triclinicCell(6.5, rng: &rng)
        let s = Fixtures.randomStructure(elements: ["Cu", "Zn"], count: 9, cell: cell, rng: &rng)
        let pot = try setUpModel(s, elements: ["Cu", "Zn"])
        let ref = try pot.evaluate(s)
        let tol = 1e-10 * max(1, abs(ref.energy))

        var moved = s
        moved.positions = s.positions.map { $0 + SIMD3(1.7, -3.1, 0.4) }
        let t = try pot.evaluate(moved)
        XCTAssertEqual(t.energy, ref.energy, accuracy: tol)
        XCTAssertLessThan(Fixtures.maxDiff(t.forces, ref.forces), 1e-10)

        let rot = rotation(SIMD3(0.3, -1, 0.6), 0.83)
        var rotated = s
        rotated.positions = s.positions.map { rot * $0 }
        rotated.cell = Cell(a: rot * cell.a, b: rot * cell.b, c: rot * cell.c)
        let r = try pot.evaluate(rotated)
        XCTAssertEqual(r.energy, ref.energy, accuracy: tol)
        XCTAssertLessThan(Fixtures.maxDiff(r.forces, ref.forces.map { rot * $0 }), 1e-10)

        let order = Array((0..<s.count).reversed())
        var permuted = s
        permuted.positions = order.map { s.positions[$0] }
        permuted.elements = order.map { s.elements[$0] }
        let p = try pot.evaluate(permuted)
        XCTAssertEqual(p.energy, ref.energy, accuracy: tol)
        XCTAssertLessThan(Fixtures.maxDiff(p.forces, order.map { ref.forces[$0] }), 1e-10)
        XCTAssertEqual(p.atomEnergies, order.map { ref.atomEnergies[$0] }.indices.map { p.atomEnergies[$0] })
        for (k, i) in order.enumerated() { XCTAssertEqual(p.atomEnergies[k], ref.atomEnergies[i], accuracy: 1e-12) }

        var wrapped = s
        wrapped.positions = s.positions.enumerated().map { i, x in x + Double(i % 3 - 1) * cell.a + Double(i % 2) * 2 * cell.c - cell.b }
        let w = try pot.evaluate(wrapped)
        XCTAssertEqual(w.energy, ref.energy, accuracy: tol)
        XCTAssertLessThan(Fixtures.maxDiff(w.forces, ref.forces), 1e-10)
        XCTAssertLessThan(Fixtures.maxDiff(w.virial, ref.virial), 1e-9)
    }

    /// A supercell has exactly twice the energy and the same forces as the primitive cell,
    /// which checks periodic images when the cutoff exceeds the cell.
    func testSupercellMatchesPrimitiveCell() throws {
        let cell = Fixtures.triclinicCell(3.4, rng: &rng)
        let s = Fixtures.randomStructure(elements: ["Au"], count: 3, cell: cell, rng: &rng)
        let pot = try setUpModel(s, elements: ["Au"])
        let ref = try pot.evaluate(s)
        let big = Structure(positions: s.positions + s.positions.map { $0 + cell.b }, elements: s.elements + s.elements,
                            cell: Cell(a: cell.a, b: 2 * cell.b, c: cell.c), pbc: .all)
        let e = try pot.evaluate(big)
        XCTAssertEqual(e.energy, 2 * ref.energy, accuracy: 1e-10 * abs(ref.energy))
        XCTAssertLessThan(Fixtures.maxDiff(Array(e.forces[0..<3]), ref.forces), 1e-10)
        XCTAssertLessThan(Fixtures.maxDiff(e.virial, 2 * ref.virial), 1e-9)
        // Forces in a periodic system sum to zero (Newton's third law across images).
        XCTAssertLessThan(Fixtures.maxAbs([ref.forces.reduce(.zero, +)]), 1e-10)
    }

    /// A domain with explicit ghost atoms (as LAMMPS holds it) gives the periodic result.
    func testDomainWithGhostsMatchesPeriodic() throws {
        let cell = Cell(orthorhombic: 7, 7.5, 8)
        let s = Fixtures.randomStructure(elements: ["H", "O"], count: 12, cell: cell, rng: &rng)
        let pot = try setUpModel(s, elements: ["H", "O"])
        let ref = try pot.evaluate(s)
        let (points, owner) = Fixtures.withImages(s, cell: cell)
        let list = try NeighborList.build(localAndGhost: points, centers: s.count, cutoff: pot.cutoff)
        let species = try pot.speciesIndices(owner.map { s.elements[$0] })
        let d = try pot.evaluate(species: species, neighbors: list, targetCount: points.count)
        XCTAssertEqual(d.energy, ref.energy, accuracy: 1e-10 * abs(ref.energy))
        var folded = [SIMD3<Double>](repeating: .zero, count: s.count)
        for (t, f) in d.forces.enumerated() { folded[owner[t]] += f }
        XCTAssertLessThan(Fixtures.maxDiff(folded, ref.forces), 1e-10)
        XCTAssertLessThan(Fixtures.maxDiff(d.virial, ref.virial), 1e-9)
    }

    /// Atoms without neighbors (a lone atom, an empty system) have their network's bare energy and no force.
    func testLoneAtomAndEmptySystem() throws {
        let s = Fixtures.randomStructure(elements: ["H", "O"], count: 4, cell: nil, rng: &rng)
        let pot = try setUpModel(s, elements: ["H", "O"])
        let far = Structure(positions: [.zero, SIMD3(50, 0, 0)], elements: ["H", "O"])
        let e = try pot.evaluate(far)
        XCTAssertEqual(e.forces, [.zero, .zero])
        XCTAssertEqual(e.virial, .zero)
        let alone = try pot.evaluate(Structure(positions: [.zero], elements: ["O"]))
        XCTAssertEqual(alone.energy, e.atomEnergies[1])
        let empty = try pot.evaluate(Structure(positions: [], elements: []))
        XCTAssertEqual(empty.energy, 0)
        XCTAssertThrowsError(try pot.evaluate(species: [0], neighbors: NeighborList(offsets: [0, 2], target: [0]), targetCount: 1)) {
            XCTAssertTrue("\($0)".contains("inconsistent neighbor list"), "\($0)")
        }
    }

    func testBadGeometryIsReported() throws {
        let s = Fixtures.randomStructure(elements: ["H", "O"], count: 4, cell: nil, rng: &rng)
        let pot = try setUpModel(s, elements: ["H", "O"])
        var overlap = s
        overlap.positions[2] = overlap.positions[0]
        XCTAssertThrowsError(try pot.evaluate(overlap)) { XCTAssertTrue("\($0)".contains("overlap"), "\($0)") }
        var nan = s
        nan.positions[1].y = .nan
        XCTAssertThrowsError(try pot.evaluate(nan)) { XCTAssertTrue("\($0)".contains("atom 2"), "\($0)") }
        var unknown = s
        unknown.elements[3] = "Fe"
        XCTAssertThrowsError(try pot.evaluate(unknown)) { XCTAssertEqual("\($0)", "element 'Fe' is not in the model") }
        var flat = s
        flat.cell = Cell(a: [1, 0, 0], b: [2, 0, 0], c: [0, 0, 1]); flat.pbc = .all
        XCTAssertThrowsError(try pot.evaluate(flat)) { XCTAssertTrue("\($0)".contains("degenerate"), "\($0)") }
    }
}
