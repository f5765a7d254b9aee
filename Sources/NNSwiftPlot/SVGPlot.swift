import Foundation
import NNSwift

/// A small self-contained SVG chart: several line and scatter series on linear axes (the y
/// axis optionally logarithmic), ticks at nice numbers, axis labels, a title and a legend.
/// Used for PES scans, learning curves and parity plots.
public struct SVGPlot {
    public enum Marker: String, CaseIterable, Sendable { case circle, square, triangle, diamond, cross }

    public struct Series {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// Draw a line through the points (in the given order).
        public var line: Bool
        /// Draw a marker at each point.
        public var marker: Marker?
        /// CSS colour; nil picks the next colour of the palette.
        public var color: String?
        public var dashed: Bool

        public init(name: String, x: [Double], y: [Double], line: Bool = true, marker: Marker? = nil,
                    color: String? = nil, dashed: Bool = false) {
            precondition(x.count == y.count, "series \(name): \(x.count) x values, \(y.count) y values")
            self.name = name; self.x = x; self.y = y; self.line = line; self.marker = marker
            self.color = color; self.dashed = dashed
        }

        public static func line(_ name: String, x: [Double], y: [Double], color: String? = nil) -> Series {
            Series(name: name, x: x, y: y, line: true, marker: nil, color: color)
        }
        public static func scatter(_ name: String, x: [Double], y: [Double], marker: Marker = .circle, color: String? = nil) -> Series {
            Series(name: name, x: x, y: y, line: false, marker: marker, color: color)
        }
    }

    /// A shaded vertical band over the x interval lower...upper, e.g. the range of the
    /// training data on a scan; drawn behind the series and listed in the legend.
    public struct Band {
        public var name: String
        public var lower: Double
        public var upper: Double
        public var color: String

        public init(name: String, lower: Double, upper: Double, color: String = "#f2c94c") {
            self.name = name; self.lower = min(lower, upper); self.upper = max(lower, upper); self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series] = []
    public var bands: [Band] = []
    public var width: Double = 720
    public var height: Double = 480
    public var logY = false
    /// Fixed axis ranges (else from the data, widened to nice numbers).
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// Draw the line y = x (parity plots).
    public var diagonal = false
    public var legend = true

    public static let palette = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    public init(title: String, xLabel: String, yLabel: String, series: [Series] = []) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
    }

    public mutating func add(_ s: Series) { series.append(s) }

    public func write(to path: String) throws {
        try AtomicFile.write(render(), to: path)
    }

    // MARK: - Rendering

    public func render() -> String {
        let left = 84.0, right = 24.0, top = 44.0, bottom = 60.0
        let pw = width - left - right, ph = height - top - bottom
        // Finite points (positive y on a log axis).
        let data = series.map { s in zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite && (!logY || $0.1 > 0) } }
        let bandEdges = bands.flatMap { [$0.lower, $0.upper] }.filter(\.isFinite)
        let xs = data.flatMap { $0.map(\.0) } + bandEdges, ys = data.flatMap { $0.map(\.1) }
        var xr = xRange ?? ((xs.min() ?? 0)...(xs.max() ?? 1))
        var yr = yRange ?? ((ys.min() ?? (logY ? 1 : 0))...(ys.max() ?? (logY ? 10 : 1)))
        if diagonal && xRange == nil && yRange == nil {
            let lo = min(xr.lowerBound, yr.lowerBound), hi = max(xr.upperBound, yr.upperBound)
            xr = lo...hi; yr = lo...hi
        }
        let xt = NiceTicks.linear(xr.lowerBound, xr.upperBound)
        let xLo = xRange?.lowerBound ?? xt.lower, xHi = xRange?.upperBound ?? xt.upper
        var yTicks: [Double], yLo: Double, yHi: Double, yLabels: [String]
        if logY {
            let t = NiceTicks.logarithmic(max(yr.lowerBound, 1e-300), max(yr.upperBound, 1e-300))
            yLo = yRange?.lowerBound ?? t.lower; yHi = yRange?.upperBound ?? t.upper
            yTicks = t.ticks; yLabels = t.ticks.map(NiceTicks.logLabel)
        } else {
            let t = NiceTicks.linear(yr.lowerBound, yr.upperBound)
            yLo = yRange?.lowerBound ?? t.lower; yHi = yRange?.upperBound ?? t.upper
            yTicks = t.ticks; yLabels = t.ticks.map { NiceTicks.label($0, step: t.step) }
        }
        if diagonal && xRange == nil && yRange == nil && !logY { yLo = xLo; yHi = xHi; yTicks = xt.ticks; yLabels = xt.ticks.map { NiceTicks.label($0, step: xt.step) } }
        func tx(_ x: Double) -> Double { left + (x - xLo) / (xHi - xLo) * pw }
        func ty(_ y: Double) -> Double {
            let f = logY ? (log10(y) - log10(yLo)) / (log10(yHi) - log10(yLo)) : (y - yLo) / (yHi - yLo)
            return top + (1 - f) * ph
        }
        func n(_ v: Double) -> String { String(format: "%.2f", v) }
        func inX(_ t: Double) -> Bool { let eps = 1e-9 * (xHi - xLo); return t >= xLo - eps && t <= xHi + eps }
        func inY(_ t: Double) -> Bool {
            if logY { return t >= yLo * (1 - 1e-9) && t <= yHi * (1 + 1e-9) }
            let eps = 1e-9 * (yHi - yLo); return t >= yLo - eps && t <= yHi + eps
        }

        var o = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="Helvetica, Arial, sans-serif" font-size="13">
        <title>\(escape(title))</title>
        <rect x="0" y="0" width="\(n(width))" height="\(n(height))" fill="white"/>
        <defs><clipPath id="plot-area"><rect x="\(n(left))" y="\(n(top))" width="\(n(pw))" height="\(n(ph))"/></clipPath></defs>

        """
        // Grid and ticks.
        o += "<g class=\"grid\" stroke=\"#e0e0e0\" stroke-width=\"1\">\n"
        for t in xt.ticks where inX(t) {
            o += "<line x1=\"\(n(tx(t)))\" y1=\"\(n(top))\" x2=\"\(n(tx(t)))\" y2=\"\(n(top + ph))\"/>\n"
        }
        for t in yTicks where inY(t) {
            o += "<line x1=\"\(n(left))\" y1=\"\(n(ty(t)))\" x2=\"\(n(left + pw))\" y2=\"\(n(ty(t)))\"/>\n"
        }
        o += "</g>\n"
        o += "<rect class=\"frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(pw))\" height=\"\(n(ph))\" fill=\"none\" stroke=\"black\" stroke-width=\"1\"/>\n"
        o += "<g class=\"x-axis\" text-anchor=\"middle\">\n"
        for t in xt.ticks where inX(t) {
            o += "<line x1=\"\(n(tx(t)))\" y1=\"\(n(top + ph))\" x2=\"\(n(tx(t)))\" y2=\"\(n(top + ph + 5))\" stroke=\"black\"/>"
            o += "<text x=\"\(n(tx(t)))\" y=\"\(n(top + ph + 19))\">\(escape(NiceTicks.label(t, step: xt.step)))</text>\n"
        }
        o += "<text class=\"axis-label\" x=\"\(n(left + pw / 2))\" y=\"\(n(height - 14))\" font-size=\"15\">\(escape(xLabel))</text>\n</g>\n"
        o += "<g class=\"y-axis\" text-anchor=\"end\">\n"
        for (t, label) in zip(yTicks, yLabels) where inY(t) {
            o += "<line x1=\"\(n(left - 5))\" y1=\"\(n(ty(t)))\" x2=\"\(n(left))\" y2=\"\(n(ty(t)))\" stroke=\"black\"/>"
            o += "<text x=\"\(n(left - 8))\" y=\"\(n(ty(t) + 4.5))\">\(escape(label))</text>\n"
        }
        let yl = "translate(\(n(18)) \(n(top + ph / 2))) rotate(-90)"
        o += "<text class=\"axis-label\" transform=\"\(yl)\" text-anchor=\"middle\" font-size=\"15\">\(escape(yLabel))</text>\n</g>\n"
        o += "<text class=\"title\" x=\"\(n(left + pw / 2))\" y=\"\(n(26))\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">\(escape(title))</text>\n"

        // Bands (behind the data), with their edges as dashed lines.
        for b in bands where b.lower.isFinite && b.upper.isFinite {
            let x0 = tx(b.lower), x1 = tx(b.upper)
            o += "<g class=\"band\" data-name=\"\(escape(b.name))\" clip-path=\"url(#plot-area)\">"
            o += "<rect x=\"\(n(x0))\" y=\"\(n(top))\" width=\"\(n(x1 - x0))\" height=\"\(n(ph))\" fill=\"\(b.color)\" fill-opacity=\"0.3\"/>"
            for x in [x0, x1] {
                o += "<line x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(top + ph))\" stroke=\"\(b.color)\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>"
            }
            o += "</g>\n"
        }

        // Data.
        o += "<g class=\"data\" clip-path=\"url(#plot-area)\">\n"
        if diagonal {
            let lo = max(xLo, yLo), hi = min(xHi, yHi)
            o += "<line class=\"diagonal\" x1=\"\(n(tx(lo)))\" y1=\"\(n(ty(lo)))\" x2=\"\(n(tx(hi)))\" y2=\"\(n(ty(hi)))\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n"
        }
        for (k, s) in series.enumerated() {
            let color = s.color ?? Self.palette[k % Self.palette.count]
            let pts = data[k]
            if s.line && pts.count > 1 {
                let list = pts.map { "\(n(tx($0.0))),\(n(ty($0.1)))" }.joined(separator: " ")
                o += "<polyline class=\"series\" data-name=\"\(escape(s.name))\" points=\"\(list)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\""
                o += s.dashed ? " stroke-dasharray=\"6 4\"/>\n" : "/>\n"
            }
            if let m = s.marker {
                o += "<g class=\"markers\" data-name=\"\(escape(s.name))\">\n"
                for p in pts { o += marker(m, tx(p.0), ty(p.1), color) + "\n" }
                o += "</g>\n"
            }
        }
        o += "</g>\n"

        // Legend (top right inside the frame).
        let named = series.enumerated().filter { !$0.element.name.isEmpty }
        let namedBands = bands.filter { !$0.name.isEmpty }
        if legend && !(named.isEmpty && namedBands.isEmpty) {
            let longest = (named.map { $0.element.name.count } + namedBands.map { $0.name.count }).max() ?? 0
            let lw = min(pw * 0.6, 40 + 7.2 * Double(longest))
            let lh = 8 + 20 * Double(named.count + namedBands.count)
            let lx = left + pw - lw - 10, ly = top + 10
            o += "<g class=\"legend\">\n<rect x=\"\(n(lx))\" y=\"\(n(ly))\" width=\"\(n(lw))\" height=\"\(n(lh))\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#999\"/>\n"
            for (row, (k, s)) in named.enumerated() {
                let color = s.color ?? Self.palette[k % Self.palette.count]
                let cy = ly + 14 + 20 * Double(row)
                if s.line {
                    o += "<line x1=\"\(n(lx + 8))\" y1=\"\(n(cy))\" x2=\"\(n(lx + 30))\" y2=\"\(n(cy))\" stroke=\"\(color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
                }
                if let m = s.marker { o += marker(m, lx + 19, cy, color) }
                o += "<text x=\"\(n(lx + 36))\" y=\"\(n(cy + 4.5))\">\(escape(s.name))</text>\n"
            }
            for (row, b) in namedBands.enumerated() {
                let cy = ly + 14 + 20 * Double(named.count + row)
                o += "<rect x=\"\(n(lx + 8))\" y=\"\(n(cy - 6))\" width=\"22\" height=\"12\" fill=\"\(b.color)\" fill-opacity=\"0.3\" stroke=\"\(b.color)\" stroke-dasharray=\"5 3\"/>"
                o += "<text x=\"\(n(lx + 36))\" y=\"\(n(cy + 4.5))\">\(escape(b.name))</text>\n"
            }
            o += "</g>\n"
        }
        o += "</svg>\n"
        return o
    }

    func marker(_ m: Marker, _ x: Double, _ y: Double, _ color: String) -> String {
        let r = 4.0
        func n(_ v: Double) -> String { String(format: "%.2f", v) }
        switch m {
        case .circle:
            return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
        case .square:
            return "<rect x=\"\(n(x - r))\" y=\"\(n(y - r))\" width=\"\(n(2 * r))\" height=\"\(n(2 * r))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
        case .triangle:
            return "<path d=\"M\(n(x)) \(n(y - r * 1.2))L\(n(x + r * 1.1)) \(n(y + r * 0.8))L\(n(x - r * 1.1)) \(n(y + r * 0.8))Z\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
        case .diamond:
            return "<path d=\"M\(n(x)) \(n(y - r * 1.3))L\(n(x + r)) \(n(y))L\(n(x)) \(n(y + r * 1.3))L\(n(x - r)) \(n(y))Z\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
        case .cross:
            return "<path d=\"M\(n(x - r)) \(n(y - r))L\(n(x + r)) \(n(y + r))M\(n(x - r)) \(n(y + r))L\(n(x + r)) \(n(y - r))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
        }
    }

    func escape(_ s: String) -> String {
        var o = ""
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&apos;"
            default: o.append(c)
            }
        }
        return o
    }
}
