import XCTest
@testable import NNSwift
import NNSwiftTestSupport

/// Agreement with the reference implementation (n2p2 2.x, libnnp) on a published water potential.
final class ConformanceTests: XCTestCase {
    func compare(_ pot: Potential, input: String, prediction: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let structures = try N2P2InputData.read(path: input)
        let reference = try N2P2InputData.read(path: prediction)
        XCTAssertEqual(structures.count, reference.count)
        var worstE = 0.0, worstF = 0.0
        for (s, r) in zip(structures, reference) {
            let ev = try pot.evaluate(s)
            let e = try XCTUnwrap(r.energy)
            worstE = max(worstE, abs(ev.energy - e) / abs(e))
            worstF = max(worstF, Fixtures.maxDiff(ev.forces, try XCTUnwrap(r.forces)))
        }
        XCTAssertLessThan(worstE, 1e-10, "energy, relative", file: file, line: line)
        XCTAssertLessThan(worstF, 1e-8, "force component, Hartree/Bohr", file: file, line: line)
    }

    func testTrain20MatchesN2P2() throws {
        let dir = try Fixtures.requireWater()
        let pot = try Potential(model: N2P2Potential.read(directory: dir))
        try compare(pot, input: dir + "/train20.input.data", prediction: dir + "/train20.n2p2-prediction.data")
    }

    func testLiquid1080MatchesN2P2() throws {
        let dir = try Fixtures.requireWater()
        let pot = try Potential(model: N2P2Potential.read(directory: dir))
        try compare(pot, input: dir + "/liquid1080.input.data", prediction: dir + "/liquid1080.n2p2-prediction.data")
    }

    /// Export to n2p2 format and to the native format, import again: same model, same numbers.
    func testExportImportRoundTrips() throws {
        let dir = try Fixtures.requireWater()
        let model = try N2P2Potential.read(directory: dir, units: .atomic)
        let scratch = try TemporaryDirectory("export")
        defer { scratch.remove() }
        let tmp = scratch.url.path
        try N2P2Potential.write(model, to: tmp + "/n2p2")
        var again = try N2P2Potential.read(directory: tmp + "/n2p2")
        XCTAssertEqual(again.units, .atomic, "units survive through the input.nn comment")
        again.metadata = model.metadata
        XCTAssertEqual(again, model)

        try ModelFile.write(model, to: tmp + "/water.json")
        XCTAssertEqual(try ModelFile.read(path: tmp + "/water.json"), model)
        try compare(try Potential(model: ModelLoader.load(path: tmp + "/water.json")),
                    input: dir + "/train20.input.data", prediction: dir + "/train20.n2p2-prediction.data")
    }

    /// A model whose functions are not in n2p2's order is exported permuted, and still gives the same energy.
    func testExportPermutesToN2P2Order() throws {
        var rng = SeededRandom(seed: 21)
        let s = Fixtures.randomStructure(elements: ["H", "O"], count: 9, cell: Cell(orthorhombic: 6, 6, 6), rng: &rng)
        let fs: (String) -> [SymmetryFunction] = { _ in
            [.g4("O", "H", eta: 0.1, lambda: 1, zeta: 2, cutoff: .cosine(4)), .g2("O", eta: 0.5, cutoff: .cosine(4)),
             .g2("H", eta: 0.1, rs: 1, cutoff: .cosine(4)), .g5("H", "H", eta: 0.02, lambda: -1, zeta: 1, cutoff: .cosine(4))]
        }
        let model = try Fixtures.randomModel(elements: ["H", "O"], functions: fs, sample: s, rng: &rng)
        let scratch = try TemporaryDirectory("perm")
        defer { scratch.remove() }
        let tmp = scratch.path("n2p2")
        try N2P2Potential.write(model, to: tmp)
        let back = try N2P2Potential.read(directory: tmp)
        XCTAssertNotEqual(back.species[0].symmetryFunctions, model.species[0].symmetryFunctions, "order changed")
        let a = try Potential(model: model).evaluate(s), b = try Potential(model: back).evaluate(s)
        XCTAssertEqual(a.energy, b.energy, accuracy: 1e-12 * abs(a.energy))
        XCTAssertLessThan(Fixtures.maxDiff(a.forces, b.forces), 1e-12)
    }
}
