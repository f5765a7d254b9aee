import Foundation

/// Axis ticks at "nice" numbers (1, 2, 5 × 10^k; Heckbert, Graphics Gems, 1990).
public enum NiceTicks {
    /// A nice number near `x`: rounded to the nearest (round) or the next larger (ceiling) of 1, 2, 5, 10 × 10^k.
    public static func nice(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let e = floor(log10(x))
        let f = x / pow(10, e)
        let n: Double
        if round { n = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10 } else { let g = f * (1 - 1e-9); n = g <= 1 ? 1 : g <= 2 ? 2 : g <= 5 ? 5 : 10 }
        return n * pow(10, e)
    }

    /// Axis bounds and ticks covering [lo, hi] with about `count` ticks; the bounds are ticks.
    public static func linear(_ lo: Double, _ hi: Double, count: Int = 6) -> (lower: Double, upper: Double, step: Double, ticks: [Double]) {
        var a = min(lo, hi), b = max(lo, hi)
        if !(b - a > 1e-12 * max(abs(a), abs(b))) {
            let pad = a == 0 ? 1 : abs(a) * 0.05
            a -= pad; b += pad
        }
        let range = nice(b - a, round: false)
        let step = nice(range / Double(max(count - 1, 1)), round: true)
        let lower = floor(a / step) * step, upper = ceil(b / step) * step
        var ticks: [Double] = []
        var k = 0
        while true {
            let t = lower + Double(k) * step
            if t > upper + 0.5 * step { break }
            ticks.append(abs(t) < 1e-9 * step ? 0 : t)
            k += 1
        }
        return (lower, upper, step, ticks)
    }

    /// Decade bounds [10^m, 10^n] covering [lo, hi] (both > 0); ticks at the decades, with 2 and 5
    /// added when the range spans fewer than three decades.
    public static func logarithmic(_ lo: Double, _ hi: Double) -> (lower: Double, upper: Double, ticks: [Double]) {
        var m = floor(log10(lo)), n = ceil(log10(hi))
        if n <= m { n = m + 1 }
        if !m.isFinite || !n.isFinite { m = 0; n = 1 }
        var ticks: [Double] = []
        for e in Int(m)...Int(n) {
            let p = pow(10, Double(e))
            ticks.append(p)
            if n - m < 3 && e < Int(n) { ticks += [2 * p, 5 * p] }
        }
        return (pow(10, m), pow(10, n), ticks.sorted())
    }

    /// Tick label with as many decimals as the step needs.
    public static func label(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e6 || abs(v) < 1e-4 || step < 1e-6 { return String(format: "%g", v) }
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        return String(format: "%.\(decimals)f", v)
    }

    /// Label for a logarithmic tick: 10^k written plainly when short (0.01 … 1000), else as %g.
    public static func logLabel(_ v: Double) -> String {
        if v >= 1e-3 && v <= 1e4 { return String(format: "%g", v) }
        return String(format: "%.0e", v)
    }
}
