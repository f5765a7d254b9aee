import Foundation
import XCTest
@testable import NNSwift
import NNSwiftTestSupport

/// Validation at load (ModelLimits), bounded geometry work (GeometryLimits) and finite results.
final class RobustnessTests: XCTestCase {
    /// A valid one-element model with every kind of parameter the rules look at.
    static func smallModel() -> Model {
        let c = CutoffFunction.cosine(5)
        let fs: [SymmetryFunction] = [.g2("H", eta: 0.5, rs: 1, cutoff: c), .g3("H", kappa: 1, cutoff: c),
                                      .g4("H", "H", eta: 0.1, lambda: 1, zeta: 2, cutoff: c)]
        var net = DenseNetwork(inputs: fs.count, hidden: [4], activations: [.tanh])
        for l in net.layers.indices {
            net.layers[l].weights = net.layers[l].weights.indices.map { 0.1 * Double($0 % 5) - 0.2 }
            net.layers[l].biases = net.layers[l].biases.map { _ in 0.05 }
        }
        let stats = [FunctionStatistics](repeating: .init(min: 0, max: 1, mean: 0.5, sigma: 0.3), count: fs.count)
        let h = ElementModel(element: "H", symmetryFunctions: fs, scaling: Scaling(mode: .scaleCenter, statistics: stats), network: net)
        return Model(units: .metal, species: [h], normalization: Normalization(meanEnergy: -1, convEnergy: 2, convLength: 1))
    }

    static let trimer = Structure(positions: [[0, 0, 0], [1.1, 0, 0], [0.2, 1.0, 0.1]], elements: ["H", "H", "H"], cell: nil, pbc: .none)

    /// The error `validate()` throws for the small model changed by `change`.
    func validationError(_ change: (inout Model) -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        var m = Self.smallModel()
        change(&m)
        do { try m.validate() } catch { return "\(error)" }
        XCTFail("model passed validation", file: file, line: line)
        return ""
    }

    func assertRejected(_ fragment: String, file: StaticString = #filePath, line: UInt = #line, _ change: (inout Model) -> Void) {
        let message = validationError(change, file: file, line: line)
        XCTAssertTrue(message.contains(fragment), "'\(message)' lacks '\(fragment)'", file: file, line: line)
    }

    func testSmallModelIsValidAndFinite() throws {
        let e = try Potential(model: Self.smallModel()).evaluate(Self.trimer)
        XCTAssertTrue(e.energy.isFinite)
    }

    // MARK: one test per validation rule

    func testNonFiniteWeight() {
        assertRejected("species[0].network.layers[1].weights[2] = inf") { $0.species[0].network.layers[1].weights[2] = .infinity }
    }
    func testNonPositiveLayerWidth() {
        assertRejected("must be positive") { $0.species[0].network.layers[0].outputs = -5 }
    }
    func testParameterCountOverflow() {
        assertRejected("more than 10000000 parameters") {
            $0.species[0].network.layers[0].outputs = 1 << 40
            $0.species[0].network.layers[1].inputs = 1 << 40
        }
    }
    func testParameterCountCap() {
        XCTAssertThrowsError(try DenseNetwork.checkedParameterCount(widths: [100_000, 100_000, 1]))
        XCTAssertThrowsError(try DenseNetwork.checkedParameterCount(widths: [Int.max, Int.max, 1]))
        XCTAssertEqual(try DenseNetwork.checkedParameterCount(widths: [3, 4, 1]), 3 * 4 + 4 + 4 + 1)
    }
    func testCutoffNotPositive() {
        assertRejected("cutoff.radius = 0.0") { $0.species[0].symmetryFunctions[0].cutoff.radius = 0 }
    }
    func testCutoffHuge() {
        assertRejected("cutoff.radius = 1e+20") { $0.species[0].symmetryFunctions[0].cutoff.radius = 1e20 }
    }
    func testEtaNegative() {
        assertRejected("eta = -1.0: must be >= 0") { $0.species[0].symmetryFunctions[0].eta = -1 }
    }
    func testEtaHuge() {
        assertRejected("eta = 1e+308") { $0.species[0].symmetryFunctions[0].eta = 1e308 }
    }
    func testShiftHuge() {
        assertRejected("rs = 1e+308") { $0.species[0].symmetryFunctions[0].rs = 1e308 }
    }
    func testKappaHuge() {
        assertRejected("kappa = 1e+308") { $0.species[0].symmetryFunctions[1].kappa = 1e308 }
    }
    func testZetaBelowOne() {
        assertRejected("zeta = 0.5: must lie in [1, 256.0]") { $0.species[0].symmetryFunctions[2].zeta = 0.5 }
    }
    func testZetaHuge() {
        assertRejected("zeta = 1e+308") { $0.species[0].symmetryFunctions[2].zeta = 1e308 }
    }
    func testLambdaNotPlusMinusOne() {
        assertRejected("lambda = 0.5: must be +1 or -1") { $0.species[0].symmetryFunctions[2].lambda = 0.5 }
    }
    func testParameterNotFinite() {
        assertRejected("symmetryFunctions[0].eta = nan: must be finite") { $0.species[0].symmetryFunctions[0].eta = .nan }
    }
    func testConvEnergyTiny() {
        assertRejected("normalization.convEnergy = 5e-324") { $0.normalization?.convEnergy = .leastNonzeroMagnitude }
    }
    func testMeanEnergyNotFinite() {
        assertRejected("normalization.meanEnergy = inf") { $0.normalization?.meanEnergy = .infinity }
    }
    func testReferenceEnergyNotFinite() {
        assertRejected("referenceEnergy = -inf") { $0.species[0].referenceEnergy = -.infinity }
    }
    func testScalingDividesByZero() {
        assertRejected("max - min = 0.0") { $0.species[0].scaling.statistics[1] = .init(min: 2, max: 2, mean: 2, sigma: 0) }
        assertRejected("sigma = 0.0") {
            $0.species[0].scaling.mode = .scaleSigma
            $0.species[0].scaling.statistics[0].sigma = 0
        }
    }
    func testScalingStatisticNotFinite() {
        assertRejected("scaling.statistics[0].mean = nan") { $0.species[0].scaling.statistics[0].mean = .nan }
    }
    func testUnknownActivationNamesKeyAndFile() throws {
        let data = try ModelFile.encode(Self.smallModel())
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"activation\" : \"t\"", with: "\"activation\" : \"q\"")
        XCTAssertThrowsError(try ModelFile.decode(Data(text.utf8), source: "m.json")) { error in
            let m = "\(error)"
            XCTAssertTrue(m.hasPrefix("m.json: ") && m.contains("activation") && m.contains("q"), m)
        }
    }
    func testNativeFileErrorNamesFileAndKey() throws {
        var m = Self.smallModel()
        m.species[0].symmetryFunctions[2].zeta = 1e308
        // encode() does not validate; decode() must.
        let data = try ModelFile.encode(m)
        XCTAssertThrowsError(try ModelFile.decode(data, source: "m.json")) { error in
            XCTAssertTrue("\(error)".hasPrefix("m.json: model.species[0].symmetryFunctions[2].zeta = 1e+308"), "\(error)")
        }
    }

    // MARK: n2p2 directories: errors name the file and line

    /// A copy of the water potential with `old` replaced by `new` in input.nn.
    func editedWater(_ old: String, _ new: String) throws -> String {
        let water = try Fixtures.requireWater()
        let dir = try TemporaryDirectory("robust")
        addTeardownBlock { dir.remove() }
        for f in ["scaling.data", "weights.001.data", "weights.008.data"] {
            try FileManager.default.copyItem(atPath: water + "/" + f, toPath: dir.path(f))
        }
        let text = try String(contentsOfFile: water + "/input.nn", encoding: .utf8)
        XCTAssertTrue(text.contains(old))
        try dir.write("input.nn", text.replacingOccurrences(of: old, with: new))
        return dir.url.path
    }

    func n2p2Error(_ dir: String) -> String {
        do { _ = try N2P2Potential.read(directory: dir) } catch { return "\(error)" }
        XCTFail("n2p2 directory \(dir) loaded")
        return ""
    }

    func testN2P2HugeLayerWidthsRejectedBeforeAllocating() throws {
        let dir = try editedWater("global_nodes_short              25 25", "global_nodes_short 100000 100000")
        let m = n2p2Error(dir)
        XCTAssertTrue(m.contains("input.nn:32: network of H: layer widths") && m.contains("more than 10000000 parameters"), m)
    }

    func testN2P2ExtremeParameterNamesLine() throws {
        let dir = try editedWater("symfunction_short H 2 H 0.001 0.0 12.00", "symfunction_short H 2 H 1e308 0.0 12.00")
        let m = n2p2Error(dir)
        XCTAssertTrue(m.contains("input.nn:106: symfunction_short eta = 1e+308"), m)
    }

    func testN2P2NormalizationNamesKeywordAndLine() throws {
        let dir = try editedWater("conv_energy   2.4265748255366972E+02", "conv_energy   5e-324")
        let m = n2p2Error(dir)
        XCTAssertTrue(m.contains("input.nn:14: conv_energy = 5e-324: must lie in [1e-100, 1e100]"), m)
    }

    func testN2P2ScalingNamesLine() {
        // The committed robustness corpus: scaling.data line 1 has min = max under scalecenter.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("tests/robustness/corpus/models/n2p2/scaling-min-equals-max").path
        let m = n2p2Error(dir)
        XCTAssertTrue(m.contains("scaling.data:1: element 1, function 1: max - min = 0.0: scaling mode scalecenter divides"), m)
    }

    // MARK: bounded geometry work

    func testTinyCellWithWaterIsGeometryErrorInUnderOneSecond() throws {
        let water = try Potential(model: N2P2Potential.read(directory: try Fixtures.requireWater()))
        let s = Structure(positions: [[0, 0, 0], [0.1, 0, 0], [0, 0.2, 0]], elements: ["O", "H", "H"],
                          cell: Cell(orthorhombic: 0.5, 0.5, 0.5), pbc: .all)
        let start = Date()
        XCTAssertThrowsError(try water.evaluate(s)) { error in
            guard case .geometry(let m) = error as? NNSwiftError else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("cell too small for the cutoff") && m.contains("periodic images"), m)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }

    func testFarAtomIsGeometryError() throws {
        let p = try Potential(model: Self.smallModel())
        var s = Self.trimer
        s.positions[2].x = 1e21
        XCTAssertThrowsError(try p.evaluate(s)) { error in
            guard case .geometry(let m) = error as? NNSwiftError else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("atom 3") && m.contains("1e+21"), m)
        }
    }

    func testSpreadClusterAndHugeCellDoNotTrap() throws {
        let p = try Potential(model: Self.smallModel())
        var s = Self.trimer
        s.positions[1].x = 1e8
        s.positions[2].y = -1e8
        // Three isolated atoms: the energy of three free atoms.
        let spread = try p.evaluate(s)
        let single = try p.evaluate(Structure(positions: [.zero], elements: ["H"], cell: nil, pbc: .none))
        XCTAssertEqual(spread.energy, 3 * single.energy, accuracy: 1e-12 * abs(single.energy))
        var big = Self.trimer
        big.cell = Cell(orthorhombic: 1e100, 1e100, 1e100); big.pbc = .all
        XCTAssertThrowsError(try p.evaluate(big))
    }

    func testHugeCutoffModelIsRejected() {
        var m = Self.smallModel()
        for i in m.species[0].symmetryFunctions.indices { m.species[0].symmetryFunctions[i].cutoff.radius = 1e20 }
        XCTAssertThrowsError(try Potential(model: m))
    }

    func testLongCutoffInSmallCellIsBoundedError() throws {
        var m = Self.smallModel()
        for i in m.species[0].symmetryFunctions.indices { m.species[0].symmetryFunctions[i].cutoff.radius = 1000 }
        var s = Self.trimer
        s.cell = Cell(orthorhombic: 10, 10, 10); s.pbc = .all
        let start = Date()
        XCTAssertThrowsError(try Potential(model: m).evaluate(s)) { error in
            XCTAssertTrue("\(error)".contains("would need 8.2e6 periodic images"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }

    func testNeighborCountBound() {
        // 12000 atoms within a cutoff sphere: the first center exceeds maxNeighborsPerAtom.
        var rng = SeededRandom(seed: 3)
        let points = (0..<12_000).map { _ in rng.vector(0, 10) }
        XCTAssertThrowsError(try NeighborList.build(positions: points, cell: nil, pbc: .none, cutoff: 100)) { error in
            XCTAssertTrue("\(error)".contains("more than 10000 neighbors within the cutoff 100.0"), "\(error)")
        }
    }

    /// Sorted (center, target, distance) triples of a list, for order-independent comparison.
    static func pairs(_ l: NeighborList) -> [[Double]] {
        (0..<l.centerCount).flatMap { i in (l.offsets[i]..<l.offsets[i + 1]).map { [Double(i), Double(l.target[$0]), l.distance[$0]] } }
            .sorted { $0.lexicographicallyPrecedes($1) }
    }

    func testHashedSearchFindsTheSameNeighborsAsTheGrid() throws {
        var rng = SeededRandom(seed: 5)
        let points = (0..<400).map { _ in rng.vector(-7, 7) }
        let grid = try NeighborList.search(points: points, targets: nil, centers: 300, cutoff: 2.5)
        let hashed = try NeighborList.hashedSearch(points: points, targets: nil, centers: 300, cutoff: 2.5, origin: SIMD3(repeating: -7))
        XCTAssertEqual(Self.pairs(grid), Self.pairs(hashed))
        XCTAssertGreaterThan(grid.target.count, 1000)
    }

    func testDenseClusterWithFarAtomStaysLinear() throws {
        // 6000 atoms on a jittered lattice plus one atom 1e8 away: uniform bins would hold the whole
        // cluster in a few bins (36 million distance checks); the hashed cells keep it linear.
        var rng = SeededRandom(seed: 9)
        var points: [SIMD3<Double>] = []
        for x in 0..<20 { for y in 0..<20 { for z in 0..<15 { points.append(SIMD3(Double(x), Double(y), Double(z)) * 1.5 + rng.vector(-0.2, 0.2)) } } }
        let compact = try NeighborList.build(positions: points, cell: nil, pbc: .none, cutoff: 3)
        let start = Date()
        let far = try NeighborList.build(positions: points + [SIMD3(1e8, 0, 0)], cell: nil, pbc: .none, cutoff: 3)
        // Debug build, busy machine: 0.7 s hashed, 13 s with uniform bins.
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertEqual(far.offsets.last, compact.offsets.last)
        XCTAssertEqual(Self.pairs(far), Self.pairs(compact))
    }

    // MARK: finite results

    func testExtremeFiniteParametersNeverGiveNonFiniteOK() throws {
        let changes: [(String, (inout Model) -> Void)] = [
            ("output weights 1e308", { m in
                let last = m.species[0].network.layers.count - 1
                m.species[0].network.layers[last].weights = m.species[0].network.layers[last].weights.map { _ in 1e308 }
            }),
            ("all weights 1e308", { m in
                for l in m.species[0].network.layers.indices {
                    m.species[0].network.layers[l].weights = m.species[0].network.layers[l].weights.map { _ in 1e308 }
                }
            }),
            ("mean energy 1e308", { $0.normalization?.meanEnergy = 1e308 }),
            ("reference energy 1e308", { $0.species[0].referenceEnergy = 1e308 }),
            ("conv energy 5e-324", { $0.normalization?.convEnergy = .leastNonzeroMagnitude }),
            ("scaling range 1e-300", { $0.species[0].scaling.statistics[0] = .init(min: 0, max: 1e-300, mean: 0, sigma: 1) }),
        ]
        for (name, change) in changes {
            var m = Self.smallModel()
            change(&m)
            guard let p = try? Potential(model: m) else { continue }  // rejected at load: fine
            do {
                let e = try p.evaluate(Self.trimer)
                XCTAssertTrue(e.energy.isFinite && e.forces.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }
                              && e.virial.flat.allSatisfy(\.isFinite), "\(name): OK with non-finite output")
            } catch let NNSwiftError.numeric(message) {
                XCTAssertTrue(message.contains("atom") || message.contains("total energy"), "\(name): \(message)")
            }
        }
    }

    func testNonFiniteEnergyNamesAtom() throws {
        var m = Self.smallModel()
        m.species[0].referenceEnergy = 1e308
        m.normalization?.meanEnergy = 1e308
        XCTAssertThrowsError(try Potential(model: m).evaluate(Self.trimer)) { error in
            XCTAssertEqual(error as? NNSwiftError, .numeric("energy of atom 1 is inf"))
        }
    }
}
