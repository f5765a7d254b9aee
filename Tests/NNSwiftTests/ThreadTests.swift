import XCTest
@testable import NNSwift

/// Splitting the centers over threads changes nothing: every output is bit-identical for every
/// thread count, and still agrees with the reference code.
final class ThreadTests: XCTestCase {
    func testResultsBitIdenticalAcrossThreadCounts() throws {
        let dir = try Fixtures.requireWater()
        let pot = try Potential(model: N2P2Potential.read(directory: dir))
        let s = try XCTUnwrap(try N2P2InputData.read(path: dir + "/train20.input.data").first)
        XCTAssertGreaterThan(CenterGroups(centers: s.count).count, 4, "enough groups for 4 threads to share")
        func run(_ threads: Int) throws -> Evaluation {
            try pot.evaluate(s, options: EvaluationOptions(forces: true, virial: true, atomVirials: true,
                                                           descriptors: true, threads: threads))
        }
        let one = try run(1)
        for threads in [2, 3, 4] {
            let ev = try run(threads)
            XCTAssertEqual(ev.energy.bitPattern, one.energy.bitPattern, "energy, \(threads) threads")
            XCTAssertEqual(ev.atomEnergies, one.atomEnergies, "atom energies, \(threads) threads")
            XCTAssertEqual(ev.forces, one.forces, "forces, \(threads) threads")
            XCTAssertEqual(ev.virial, one.virial, "virial, \(threads) threads")
            XCTAssertEqual(ev.atomVirials, one.atomVirials, "atom virials, \(threads) threads")
            XCTAssertEqual(ev.descriptors, one.descriptors, "descriptors, \(threads) threads")
            XCTAssertEqual(ev.extrapolations, one.extrapolations)
        }
        // Every group's buffers are reduced: the split result still matches n2p2.
        let reference = try XCTUnwrap(try N2P2InputData.read(path: dir + "/train20.n2p2-prediction.data").first)
        let four = try run(4)
        XCTAssertLessThan(abs(four.energy - reference.energy!) / abs(reference.energy!), 1e-10)
        XCTAssertLessThan(Fixtures.maxDiff(four.forces, try XCTUnwrap(reference.forces)), 1e-8)
        // The per-atom virials add up to the virial.
        XCTAssertLessThan(Fixtures.maxDiff(four.atomVirials.reduce(Matrix3.zero, +), four.virial), 1e-10)
    }

    /// A 2x1x1 supercell of a water cell (384 atoms: the most groups, 32, and a ring of group
    /// buffers that wraps for every thread count): bit-identical for 1 to 5 threads, and the
    /// periodic images agree with the single cell (energy 2x, every image's force the atom's).
    func testManyGroupsRingOfBuffers() throws {
        let dir = try Fixtures.requireWater()
        let pot = try Potential(model: N2P2Potential.read(directory: dir))
        let s = try XCTUnwrap(try N2P2InputData.read(path: dir + "/train20.input.data").first)
        let cell = try XCTUnwrap(s.cell)
        var big = Structure(positions: [], elements: [], cell: Cell(a: 2 * cell.a, b: cell.b, c: cell.c), pbc: s.pbc)
        for image in 0..<2 {
            big.positions += s.positions.map { $0 + Double(image) * cell.a }
            big.elements += s.elements
        }
        XCTAssertEqual(CenterGroups(centers: big.count).count, CenterGroups.maxGroups)
        func run(_ structure: Structure, _ threads: Int) throws -> Evaluation {
            try pot.evaluate(structure, options: EvaluationOptions(forces: true, virial: true, atomVirials: true, threads: threads))
        }
        let one = try run(big, 1)
        for threads in [2, 3, 5] {
            let ev = try run(big, threads)
            XCTAssertEqual(ev.energy.bitPattern, one.energy.bitPattern, "energy, \(threads) threads")
            XCTAssertEqual(ev.forces, one.forces, "forces, \(threads) threads")
            XCTAssertEqual(ev.virial, one.virial, "virial, \(threads) threads")
            XCTAssertEqual(ev.atomVirials, one.atomVirials, "atom virials, \(threads) threads")
        }
        let small = try run(s, 1)
        XCTAssertLessThan(abs(one.energy - 2 * small.energy) / abs(small.energy), 1e-12)
        for image in 0..<2 {
            let f = Array(one.forces[(image * s.count)..<((image + 1) * s.count)])
            XCTAssertLessThan(Fixtures.maxDiff(f, small.forces), 1e-10, "forces of image \(image)")
        }
        XCTAssertLessThan(Fixtures.maxDiff(one.virial, 2 * small.virial), 1e-9 * abs(small.virial.flat.map(abs).max()!))
    }

    func testInvalidThreadCountIsAnError() throws {
        let dir = try Fixtures.requireWater()
        let pot = try Potential(model: N2P2Potential.read(directory: dir))
        let s = try XCTUnwrap(try N2P2InputData.read(path: dir + "/train20.input.data").first)
        for n in [0, -1, ThreadCount.maximum + 1] {
            XCTAssertThrowsError(try pot.evaluate(s, options: EvaluationOptions(threads: n))) { error in
                XCTAssertTrue("\(error)".contains("\(n)"), "message names the value: \(error)")
            }
        }
    }

    /// The neighbor list searched by several threads is the serial one, entry for entry, and an
    /// overlap is reported for the same atoms.
    func testNeighborListIdenticalAcrossThreadCounts() throws {
        var rng = SeededRandom(seed: 7)
        let s = Fixtures.randomStructure(elements: ["H", "O"], count: 400, cell: Fixtures.triclinicCell(14, rng: &rng), rng: &rng)
        let serial = try NeighborList.build(positions: s.positions, cell: s.cell, pbc: s.pbc, cutoff: 5)
        XCTAssertGreaterThan(serial.target.count, 400 * 20, "a list long enough to split")
        for threads in [2, 3, 4] {
            let list = try NeighborList.build(positions: s.positions, cell: s.cell, pbc: s.pbc, cutoff: 5, threads: threads)
            XCTAssertEqual(list.offsets, serial.offsets, "\(threads) threads")
            XCTAssertEqual(list.target, serial.target, "\(threads) threads")
            XCTAssertEqual(list.vector, serial.vector, "\(threads) threads")
            XCTAssertEqual(list.distance, serial.distance, "\(threads) threads")
        }
        // Two late atoms on top of one another, and an earlier pair: the serial search names the earlier pair.
        var points = s.positions
        points[300] = points[301]
        points[350] = points[351]
        func message(_ threads: Int) -> String {
            do { _ = try NeighborList.build(localAndGhost: points, centers: 400, cutoff: 5, threads: threads); return "no error" }
            catch { return "\(error)" }
        }
        XCTAssertTrue(message(1).contains("atoms 301 and 302 overlap"), message(1))
        XCTAssertEqual(message(4), message(1))
    }
}
