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
    var dir: TemporaryDirectory!
    var model: String = ""

    override func setUpWithError() throws {
        dir = try TemporaryDirectory("search-cli")
        model = try ToyGold.write(in: dir.url)
    }

    override func tearDownWithError() throws { dir.remove() }

    func executable() throws -> String {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [products, products.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("nnswift").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw XCTSkip("the nnswift executable is not built beside the tests (\(products.path))")
    }

    @discardableResult
    func run(_ args: [String], expect status: Int32 = 0, environment: [String: String] = [:],
             file: StaticString = #filePath, line: UInt = #line) throws -> (out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try executable())
        p.arguments = args
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        p.currentDirectoryURL = dir.url
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let r = (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        XCTAssertEqual(p.terminationStatus, status, "nnswift \(args.joined(separator: " "))\n\(r.0)\n\(r.1)", file: file, line: line)
        return r
    }

    func path(_ name: String) -> String { dir.path(name) }

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
        try dir.write("ref.csv", "distance,energy\n2.5,-133.2\n2.7,-133.7\n")
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

    /// eval: structure units, Å/eV output, the model-units option, relabelling refused, and the
    /// extrapolation count against one computed here from the toy model's two functions.
    func testEvalUnitsAndExtrapolation() throws {
        let p: [SIMD3<Double>] = [[0, 0, 0], [2.6, 0.1, 0], [1.2, 2.3, 0.2]]
        let bohr = 1.8897261328, hartree = 0.0367493254  // CODATA 2006 (n2p2), per Å and per eV
        let f: [SIMD3<Double>] = [[0.5, 0, 0], [-0.25, 0.1, 0], [-0.25, -0.1, 0]]
        try ExtendedXYZ.write([Structure(positions: p, elements: ["Au", "Au", "Au"], energy: -199.0, forces: f)], to: path("a.xyz"))
        try ExtendedXYZ.write([Structure(positions: p.map { $0 * bohr }, elements: ["Au", "Au", "Au"], energy: -199.0 * hartree,
                                         forces: f.map { $0 * (hartree / bohr) })], to: path("b.xyz"))
        try ExtendedXYZ.write([Structure(positions: p.map { $0 * bohr }, elements: ["Au", "Au", "Au"], info: ["units": "Bohr,Ha"])], to: path("c.xyz"))
        let ra = try run(["eval", model, "a.xyz", "-o", "a.pred.xyz"])
        let rb = try run(["eval", model, "b.xyz", "--structure-length-unit", "bohr", "--structure-energy-unit", "Ha", "-o", "b.pred.xyz"])
        try run(["eval", model, "c.xyz", "-o", "c.pred.xyz"])
        let ea = try XCTUnwrap(ExtendedXYZ.read(path: path("a.pred.xyz")).first), eb = try XCTUnwrap(ExtendedXYZ.read(path: path("b.pred.xyz")).first)
        let ec = try XCTUnwrap(ExtendedXYZ.read(path: path("c.pred.xyz")).first)
        XCTAssertEqual(ea.energy!, ToyGold.energy(p), accuracy: 1e-10)
        func maxDiff(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> Double {
            zip(a, b).map { (x: SIMD3<Double>, y: SIMD3<Double>) -> Double in
                let d = x - y
                return max(abs(d.x), abs(d.y), abs(d.z))
            }.max() ?? .infinity
        }
        for e in [eb, ec] {
            XCTAssertEqual(e.energy!, ea.energy!, accuracy: 1e-12 * abs(ea.energy!))
            XCTAssertLessThan(maxDiff(e.positions, p), 1e-13)  // written back in Å
            XCTAssertLessThan(maxDiff(e.forces!, ea.forces!), 1e-11)
        }
        let errorLine = { (out: String) in out.split(separator: "\n").first { $0.contains("energy per atom") }.map(String.init) ?? "" }
        XCTAssertEqual(errorLine(ra.out), errorLine(rb.out))  // references converted to the model's units too
        try run(["eval", model, "a.xyz", "--write-model-units", "-o", "m.pred.xyz"])
        XCTAssertEqual(try ExtendedXYZ.read(path: path("m.pred.xyz"))[0].info["units"], "angstrom,eV")
        try run(["eval", model, "a.xyz", "--write-model-units", "-o", "m.pred.data"], expect: 1)
        let relabel = try run(["eval", model, "a.xyz", "--length-unit", "bohr"], expect: 1)
        XCTAssertTrue(relabel.err.contains("declares length unit angstrom, not bohr"), relabel.err)
        try run(["eval", model, "c.xyz", "--structure-length-unit", "angstrom"], expect: 1)  // contradicts the file's units

        // Extrapolation: G values outside the range [0, 1] of the toy model's statistics (with
        // scaling "center" around mean 0, which checks the range and leaves the energy unchanged).
        var centered = ToyGold.model()
        centered.species[0].scaling.mode = .center
        try ModelFile.write(centered, to: path("centered.json"))
        let fc = { (r: Double) in r < ToyGold.cutoff ? 0.5 * (cos(Double.pi * r / ToyGold.cutoff) + 1) : 0 }
        var outside = 0
        for i in p.indices {
            var g1 = 0.0, g2 = 0.0
            for j in p.indices where j != i {
                let r = length(p[j] - p[i])
                g1 += exp(-ToyGold.eta1 * r * r) * fc(r)
                g2 += exp(-ToyGold.eta2 * (r - ToyGold.rs) * (r - ToyGold.rs)) * fc(r)
            }
            outside += [g1, g2].filter { $0 < 0 || $0 > 1 }.count
        }
        XCTAssertGreaterThan(outside, 0)
        let rx = try run(["eval", "centered.json", "a.xyz"])
        XCTAssertTrue(rx.out.contains("E = " + String(format: "%.10f", ea.energy!)), rx.out)
        XCTAssertTrue(rx.out.contains("extrapolation: \(outside) of 6 symmetry-function values outside the training range, in 1 of 1 structures"), rx.out)
        XCTAssertTrue(rx.err.contains("warning: extrapolation"))
        XCTAssertTrue(ra.out.contains("extrapolation: not checked"))  // scaling "none" records no range
        try run(["eval", "centered.json", "a.xyz", "--extrapolation", "error"], expect: 1)
        let quiet = try run(["eval", "centered.json", "a.xyz", "--extrapolation", "ignore"])
        XCTAssertFalse(quiet.out.contains("extrapolation") || quiet.err.contains("extrapolation"))

        // convert's factors scale energies (and forces) as well as lengths.
        try run(["convert", "a.xyz", "d.xyz", "--length-factor", "\(bohr)", "--energy-factor", "\(hartree)"])
        let d = try XCTUnwrap(ExtendedXYZ.read(path: path("d.xyz")).first)
        XCTAssertEqual(d.energy!, -199.0 * hartree, accuracy: 1e-14)
        XCTAssertEqual(d.forces![0].x, 0.5 * hartree / bohr, accuracy: 1e-15)
        XCTAssertEqual(d.positions[1].x, 2.6 * bohr, accuracy: 1e-14)
    }

    /// Training reports name the model's real units: meV only for an eV model.
    func testTrainReportsInTheModelsUnits() throws {
        let potential = try ToyGold.potential()
        var rng = SeededGenerator(seed: 3)
        var frames: [Structure] = []
        for _ in 0..<12 {
            var p: [SIMD3<Double>] = [[0, 0, 0], [2.7, 0, 0], [1.3, 2.3, 0]]
            p = p.map { $0 + SIMD3(Double.random(in: -0.2...0.2, using: &rng), Double.random(in: -0.2...0.2, using: &rng), 0) }
            var s = Structure(positions: p, elements: ["Au", "Au", "Au"])
            let r = try potential.evaluate(s)
            s.energy = r.energy; s.forces = r.forces
            frames.append(s)
        }
        try ExtendedXYZ.write(frames, to: path("train.xyz"))
        for (units, energyLabel) in [("{\"length\": \"Bohr\", \"energy\": \"Ha\"}", "hartree/atom"), ("{\"length\": \"A\", \"energy\": \"eV\"}", "meV/atom")] {
            try AtomicFile.write("""
            {"data": ["train.xyz"], "validationFraction": 0.25, "architecture": "4t", "epochs": 2, "seed": 1,
             "symmetryFunctions": {"preset": "radial24", "cutoff": 6.0, "rmin": 2.0}, "units": \(units),
             "output": "t.json", "log": null, "learningCurves": "lc", "parityPlots": null}
            """, to: path("t.json.cfg"))
            let r = try run(["train", "t.json.cfg"])
            XCTAssertTrue(r.out.contains("energy RMSE (\(energyLabel))"), r.out)
            if energyLabel != "meV/atom" { XCTAssertFalse(r.out.contains("meV"), r.out) }
            let svg = try String(contentsOfFile: path("lc-energy.svg"), encoding: .utf8)
            XCTAssertTrue(svg.contains(energyLabel), "learning curve labelled \(energyLabel)")
        }
        XCTAssertEqual(try ModelFile.read(path: path("t.json")).units, .metal)
    }
}
