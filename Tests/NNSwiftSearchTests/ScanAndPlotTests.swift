import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NNSwift
import XCTest
import NNSwiftTestSupport
@testable import NNSwiftSearch
import NNSwiftPlot

final class ScanAndPlotTests: XCTestCase {
    func testShapesAreRegular() throws {
        for shape in ScanShape.allCases {
            let p = shape.positions(edge: 2.5)
            XCTAssertEqual(p.count, shape.atoms)
            for d in StructureFingerprint(positions: p).distances { XCTAssertEqual(d, 2.5, accuracy: 1e-12, "\(shape)") }
            let c = p.reduce(SIMD3<Double>.zero, +) / Double(p.count)
            XCTAssertLessThan(length(c), 1e-12)
        }
    }

    func testScanEnergiesMatchThePairModel() throws {
        let pot = try ToyGold.potential()
        let d = PESScan.grid(from: 2.0, to: 5.0, points: 7)
        XCTAssertEqual(d, [2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])
        for shape in ScanShape.allCases {
            let c = try PESScan.scan(shape, elements: ["Au"], distances: d, calculator: pot)
            XCTAssertEqual(c.atoms, shape.atoms)
            XCTAssertEqual(c.name, "Au\(shape.atoms) \(shape.rawValue)")
            for (r, e) in zip(d, c.energies) {
                XCTAssertEqual(e, ToyGold.energy(shape.positions(edge: r)), accuracy: 1e-9)
            }
        }
        // Scaling a structure about its centroid: the tetrahedron read back scans the same.
        let s = Structure(positions: ScanShape.tetrahedron.positions(edge: 3.1).map { $0 + SIMD3(5, 1, -2) }, elements: ["Au", "Au", "Au", "Au"])
        let c1 = try PESScan.scan(s, name: "file", distances: d, calculator: pot)
        let c2 = try PESScan.scan(.tetrahedron, elements: ["Au"], distances: d, calculator: pot)
        for (u, v) in zip(c1.energies, c2.energies) { XCTAssertEqual(u, v, accuracy: 1e-9) }
        let dimerMin = try XCTUnwrap(PESScan.dimerMinimum(element: "Au", calculator: pot, in: 1.5...6))
        XCTAssertEqual(dimerMin, 2.67, accuracy: 0.02)
    }

    func testCSVIsWellFormed() throws {
        let pot = try ToyGold.potential()
        let curves = try ScanShape.allCases.map { try PESScan.scan($0, elements: ["Au"], distances: PESScan.grid(from: 2, to: 6, points: 11), calculator: pot) }
        let lines = PESScan.csv(curves).split(separator: "\n")
        XCTAssertEqual(lines.first, "curve,atoms,distance,energy,energy_per_atom")
        XCTAssertEqual(lines.count, 1 + 33)
        for l in lines.dropFirst() {
            let f = l.split(separator: ",")
            XCTAssertEqual(f.count, 5)
            XCTAssertNotNil(Int(f[1])); XCTAssertNotNil(Double(f[2])); XCTAssertNotNil(Double(f[3])); XCTAssertNotNil(Double(f[4]))
        }
        // Beyond the cutoff only the atomic energies remain.
        XCTAssertEqual(curves[2].energies.last!, 4 * ToyGold.atomEnergy, accuracy: 1e-9)
    }

    func testReferenceCSVAndStructureFiles() throws {
        let dir = try TemporaryDirectory("search-ref")
        defer { dir.remove() }
        let csv = dir.path("dft.csv")
        try AtomicFile.write("# dimer reference\nenergy,distance\n-133.1,2.5\n-133.4, 2.7\n\n", to: csv)
        let r = try ScanReference.read(path: csv)
        XCTAssertEqual(r.distances, [2.5, 2.7]); XCTAssertEqual(r.energies, [-133.1, -133.4]); XCTAssertNil(r.atoms)
        try AtomicFile.write("distance,energy,atoms\n2.5,-133.1,2\n", to: csv)
        XCTAssertEqual(try ScanReference.read(path: csv).atoms, [2])
        let xyz = dir.path("ref.xyz")
        let frames = [2.4, 2.6].map { d in Structure(positions: ScanShape.triangle.positions(edge: d), elements: ["Au", "Au", "Au"], energy: -197 - d) }
        try ExtendedXYZ.write(frames, to: xyz)
        let s = try ScanReference.read(path: xyz)
        XCTAssertEqual(s.distances[0], 2.4, accuracy: 1e-12); XCTAssertEqual(s.energies, [-199.4, -199.6]); XCTAssertEqual(s.atoms, [3, 3])
        try AtomicFile.write("distance,energy\n2.5,abc\n", to: csv)
        XCTAssertThrowsError(try ScanReference.read(path: csv))
    }

    func testSVGIsWellFormed() throws {
        let pot = try ToyGold.potential()
        let d = PESScan.grid(from: 2.1, to: 6, points: 60)
        var plot = SVGPlot(title: "Au PES <scan> & reference", xLabel: "nearest-neighbor distance (Å)", yLabel: "energy per atom (eV)")
        for shape in ScanShape.allCases {
            let c = try PESScan.scan(shape, elements: ["Au"], distances: d, calculator: pot)
            plot.add(.line(c.name, x: c.distances, y: c.energiesPerAtom))
        }
        plot.add(.scatter("DFT", x: [2.5, 2.7, 3.0], y: [-66.5, -66.8, -66.6], color: "black"))
        plot.add(.scatter("other", x: [2.6], y: [.nan], marker: .triangle))
        let svg = try SVGSummary(plot.render())
        XCTAssertEqual(svg.root, "svg")
        XCTAssertEqual(svg.count("polyline"), 3)
        XCTAssertEqual(svg.count("circle"), 3 + 1)  // markers + legend sample
        XCTAssertTrue(svg.texts.contains("nearest-neighbor distance (Å)"))
        XCTAssertTrue(svg.texts.contains("energy per atom (eV)"))
        XCTAssertTrue(svg.texts.contains("Au PES <scan> & reference"))
        XCTAssertTrue(svg.texts.contains("Au3 triangle"))
        XCTAssertTrue(svg.texts.contains("DFT"))
        XCTAssertTrue(svg.texts.contains("3"))  // an x tick label
    }

    func testDistanceRangeOfStructures() throws {
        // Triangles with known edges and a dimer: nearest-neighbor distances 2.4, 2.9 and 1.7.
        let frames = [2.4, 2.9].map { d in Structure(positions: ScanShape.triangle.positions(edge: d), elements: ["Au", "Au", "Au"]) }
            + [Structure(positions: [SIMD3(0, 0, 0), SIMD3(0, 1.7, 0)], elements: ["Au", "Au"])]
        let r = try PESScan.distanceRange(frames)
        XCTAssertEqual(r.lowerBound, 1.7, accuracy: 1e-12)
        XCTAssertEqual(r.upperBound, 2.9, accuracy: 1e-12)
        XCTAssertThrowsError(try PESScan.distanceRange([]))
    }

    func testBandIsDrawnAtItsDataCoordinates() throws {
        var plot = SVGPlot(title: "band", xLabel: "x", yLabel: "y")
        plot.xRange = 0...10; plot.yRange = 0...1
        plot.add(.line("curve", x: [0, 10], y: [0, 1]))
        plot.bands.append(SVGPlot.Band(name: "training data", lower: 4, upper: 2))
        let svg = try SVGSummary(plot.render())
        // Plot area: x from the left margin 84 over 720 - 84 - 24 = 612 pixels; 2...4 of 0...10.
        let band = try XCTUnwrap(svg.attributes["rect"]?.first { $0["fill-opacity"] == "0.3" && $0["height"] != "12" })
        XCTAssertEqual(Double(band["x"] ?? ""), 84 + 0.2 * 612)
        XCTAssertEqual(Double(band["width"] ?? ""), 0.2 * 612)
        XCTAssertTrue(svg.texts.contains("training data"))  // legend entry
        // Without a fixed x range the band widens the axis to include it.
        var wide = SVGPlot(title: "band", xLabel: "x", yLabel: "y")
        wide.add(.line("curve", x: [2, 6], y: [0, 1]))
        wide.bands.append(SVGPlot.Band(name: "", lower: 1.2, upper: 3))
        let edge = try XCTUnwrap(SVGSummary(wide.render()).attributes["rect"]?.first { $0["fill-opacity"] == "0.3" })
        XCTAssertGreaterThanOrEqual(Double(edge["x"] ?? "") ?? 0, 84)  // starts inside the plot area
    }
}
