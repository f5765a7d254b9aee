import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NNSwift
import XCTest
import NNSwiftTestSupport
@testable import NNSwiftSearch

/// Runs the built `nnswift` executable (beside the test bundle) on the toy gold model.
final class CommandTests: XCTestCase {
    var dir: URL!
    var model: String = ""

    override func setUpWithError() throws {
        dir = try temporaryDirectory("cli")
        model = try ToyGold.write(in: dir)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func executable() throws -> String {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [products, products.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("nnswift").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw XCTSkip("the nnswift executable is not built beside the tests (\(products.path))")
    }

    @discardableResult
    func run(_ args: [String], expect status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> (out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try executable())
        p.arguments = args
        p.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let r = (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        XCTAssertEqual(p.terminationStatus, status, "nnswift \(args.joined(separator: " "))\n\(r.0)\n\(r.1)", file: file, line: line)
        return r
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func testMinimizeWithTrajectory() throws {
        let start = Structure(positions: [[0, 0, 0], [2.9, 0.1, 0], [1.2, 2.4, 0.3], [1.0, 1.0, 2.2]], elements: ["Au", "Au", "Au", "Au"])
        try ExtendedXYZ.write([start], to: path("au4.xyz"))
        for algorithm in ["lbfgs", "fire"] {
            let r = try run(["minimize", model, "au4.xyz", "--algorithm", algorithm, "--trajectory", "traj-\(algorithm).xyz", "-o", "min-\(algorithm).xyz"])
            XCTAssertTrue(r.out.contains("converged"))
            XCTAssertTrue(r.err.contains("step"))
            let m = try XCTUnwrap(ExtendedXYZ.read(path: path("min-\(algorithm).xyz")).first)
            XCTAssertLessThan(Fixtures.maxForce(m.forces!), 1e-4)
            XCTAssertEqual(m.info["converged"], "T")
            // Regular tetrahedron at the pair minimum (the toy model is a pair potential).
            let d = StructureFingerprint(positions: m.positions).distances
            XCTAssertLessThan(d.last! - d.first!, 1e-3)
            XCTAssertEqual(m.energy!, ToyGold.energy(m.positions), accuracy: 1e-8)
            let traj = try ExtendedXYZ.read(path: path("traj-\(algorithm).xyz"))
            XCTAssertGreaterThan(traj.count, 2)
            XCTAssertEqual(traj.last!.energy!, m.energy!, accuracy: 1e-12)
            XCTAssertNotNil(traj[0].forces)
            if algorithm == "lbfgs" {
                for (a, b) in zip(traj, traj.dropFirst()) { XCTAssertLessThanOrEqual(b.energy!, a.energy!) }
            }
        }
        try run(["minimize", model, "au4.xyz", "--algorithm", "bfgs"], expect: 1)
        try run(["minimize", model, "au4.xyz", "--steps", "2", "--fmax", "1e-8", "-o", "x.xyz", "--quiet"], expect: 2)
    }

    func testRelaxCellUnderPressure() throws {
        // fcc gold-like crystal, 2x2x2 conventional cells, too large a lattice constant.
        let a = 4.3
        let basis: [SIMD3<Double>] = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]
        var p: [SIMD3<Double>] = []
        for i in 0..<2 { for j in 0..<2 { for k in 0..<2 { for b in basis { p.append((SIMD3(Double(i), Double(j), Double(k)) + b) * a) } } } }
        let s = Structure(positions: p, elements: [String](repeating: "Au", count: p.count),
                          cell: Cell(a: [2 * a, 0, 0], b: [0.2, 2 * a, 0], c: [0, 0, 2 * a]), pbc: .all)
        try ExtendedXYZ.write([s], to: path("fcc.xyz"))
        let gpa = 2.0
        try run(["minimize", model, "fcc.xyz", "--relax-cell", "--pressure", "\(gpa)", "-o", "fcc.min.xyz", "--quiet", "--max-step", "0.05"])
        let m = try XCTUnwrap(ExtendedXYZ.read(path: path("fcc.min.xyz")).first)
        let target = -gpa / PhysicalUnits.gpaPerEVPerCubicAngstrom
        for (k, v) in m.stress!.flat.enumerated() {
            XCTAssertEqual(v, [0, 4, 8].contains(k) ? target : 0, accuracy: 1e-4 * Double(m.count) / m.cell!.volume * 1.01)
        }
        XCTAssertLessThan(m.cell!.volume, s.cell!.volume)
        try run(["minimize", model, "au4.xyz", "--pressure", "1"], expect: 1)
    }

    func testSearchIsDeterministicAndRanked() throws {
        let args = ["search", model, "--element", "Au", "--atoms", "5", "--hops", "20", "--restarts", "3", "--seed", "11", "--keep", "4"]
        try run(args + ["--output", "a.xyz", "--jobs", "1"])
        let r = try run(args + ["--output", "b.xyz", "--jobs", "2"])
        XCTAssertTrue(r.out.contains("rank"))
        let a = try String(contentsOfFile: path("a.xyz"), encoding: .utf8), b = try String(contentsOfFile: path("b.xyz"), encoding: .utf8)
        XCTAssertEqual(a, b)
        let minima = try ExtendedXYZ.read(path: path("a.xyz"))
        XCTAssertGreaterThanOrEqual(minima.count, 1)
        XCTAssertEqual(minima.map { $0.info["rank"] }, (1...minima.count).map { "\($0)" })
        let e = minima.map { $0.energy! }
        XCTAssertEqual(e, e.sorted())
        // A pair potential with a short-ranged well: the trigonal bipyramid is the 5-atom minimum.
        XCTAssertEqual(e[0], ToyGold.energy(minima[0].positions), accuracy: 1e-8)
        let start = minima[0]
        try ExtendedXYZ.write([start], to: path("start.xyz"))
        let s = try run(["search", model, "--start", "start.xyz", "--hops", "0", "--restarts", "1", "--output", "c.xyz"])
        XCTAssertTrue(s.out.contains("1 minima written"))
        XCTAssertEqual(try ExtendedXYZ.read(path: path("c.xyz"))[0].energy!, e[0], accuracy: 1e-8)
        try run(["search", model, "--element", "Ag", "--atoms", "4"], expect: 1)
    }

    func testScanWritesCSVAndSVG() throws {
        try "distance,energy\n2.5,-133.2\n2.7,-133.7\n".write(toFile: path("ref.csv"), atomically: true, encoding: .utf8)
        try ExtendedXYZ.write([Structure(positions: ScanShape.triangle.positions(edge: 3), elements: ["Au", "Au", "Au"])], to: path("tri.xyz"))
        let r = try run(["scan", model, "--shape", "dimer", "--shape", "tetrahedron", "--element", "Au", "--structure", "tri.xyz",
                         "--from", "2.2", "--to", "5", "--points", "15", "--reference", "ref.csv", "-o", "s.csv", "--plot", "s.svg"])
        XCTAssertTrue(r.out.contains("Au2 dimer"))
        let csv = try String(contentsOfFile: path("s.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 1 + 3 * 15)
        let svg = try SVGSummary(String(contentsOfFile: path("s.svg"), encoding: .utf8))
        XCTAssertEqual(svg.root, "svg")
        XCTAssertEqual(svg.count("polyline"), 3)
        XCTAssertTrue(svg.texts.contains("nearest-neighbor distance (Å)"))
        XCTAssertTrue(svg.texts.contains("energy (eV)"))
        XCTAssertTrue(svg.texts.contains("ref.csv"))
        try run(["scan", model], expect: 1)
        try run(["scan", model, "--shape", "square"], expect: 64)  // argument-parser validation error
    }
}
