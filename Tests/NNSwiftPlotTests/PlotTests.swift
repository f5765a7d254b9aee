import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import NNSwiftTestSupport
import NNSwiftPlot

final class PlotTests: XCTestCase {
    func testNiceTicks() {
        let t = NiceTicks.linear(2.03, 5.87)
        XCTAssertEqual(t.lower, 2); XCTAssertEqual(t.upper, 6); XCTAssertEqual(t.step, 1)
        XCTAssertEqual(t.ticks, [2, 3, 4, 5, 6])
        let u = NiceTicks.linear(-263.58, -263.53)
        XCTAssertLessThanOrEqual(u.lower, -263.58); XCTAssertGreaterThanOrEqual(u.upper, -263.53)
        XCTAssertEqual(u.step, 0.01, accuracy: 1e-12)
        XCTAssertEqual(NiceTicks.label(-263.55, step: 0.01), "-263.55")
        XCTAssertEqual(NiceTicks.linear(3, 3).ticks.count >= 2, true)
        XCTAssertEqual(NiceTicks.logarithmic(0.003, 40).ticks.first, 0.001)
        XCTAssertEqual(NiceTicks.logarithmic(0.003, 40).ticks.last, 100)
    }

    func testLinesScatterLogAndParity() throws {
        var plot = SVGPlot(title: "lines <a> & b", xLabel: "distance (Å)", yLabel: "energy (eV)")
        for k in 1...3 { plot.add(.line("curve \(k)", x: [1, 2, 3, 4], y: [1, 2, 3, 4].map { $0 * Double(k) })) }
        plot.add(.scatter("points", x: [2.5, 2.7, 3.0], y: [1, 2, 3], color: "black"))
        plot.add(.scatter("nan", x: [2.6], y: [.nan], marker: .triangle))
        let svg = try SVGSummary(plot.render())
        XCTAssertEqual(svg.root, "svg")
        XCTAssertEqual(svg.count("polyline"), 3)
        XCTAssertEqual(svg.count("circle"), 3 + 1)  // markers + legend sample
        XCTAssertTrue(svg.texts.contains("lines <a> & b"))
        XCTAssertTrue(svg.texts.contains("distance (Å)"))
        XCTAssertTrue(svg.texts.contains("curve 2"))

        var log = SVGPlot(title: "learning curve", xLabel: "epoch", yLabel: "RMSE (eV)")
        log.logY = true
        log.add(.line("train", x: [1, 2, 3, 4], y: [1, 0.1, 0.02, 0.005]))
        log.add(.line("validation", x: [1, 2, 3, 4], y: [1.2, 0.2, 0.05, 0]))
        let l = try SVGSummary(log.render())
        XCTAssertEqual(l.count("polyline"), 2)
        XCTAssertTrue(l.texts.contains("0.001")); XCTAssertTrue(l.texts.contains("1"))

        var parity = SVGPlot(title: "parity", xLabel: "reference", yLabel: "predicted")
        parity.diagonal = true
        parity.add(.scatter("energies", x: [1, 2, 3], y: [1.1, 1.9, 3.05]))
        let p = try SVGSummary(parity.render())
        XCTAssertEqual(p.count("circle"), 4)
        XCTAssertGreaterThanOrEqual(p.count("line"), 1)
    }
}
