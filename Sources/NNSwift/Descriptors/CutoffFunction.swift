import Foundation

/// The cutoff function types of n2p2 (numbered as in its `cutoff_type` keyword).
/// `cos` with alpha = 0 is the cutoff of the paper: 0.5 [cos(π r / R_c) + 1].
public enum CutoffKind: Int, CaseIterable, Codable, Sendable {
    case hard = 0, cos = 1, tanhu = 2, tanh = 3, exp = 4, poly1 = 5, poly2 = 6, poly3 = 7, poly4 = 8

    public var name: String {
        switch self {
        case .hard: return "hard"
        case .cos: return "cos"
        case .tanhu: return "tanhu"
        case .tanh: return "tanh"
        case .exp: return "exp"
        case .poly1: return "poly1"
        case .poly2: return "poly2"
        case .poly3: return "poly3"
        case .poly4: return "poly4"
        }
    }

    public init?(name: String) {
        guard let k = CutoffKind.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = k
    }

    /// True for the types whose inner radius alpha·R_c applies (n2p2: cos, exp, poly1–4).
    public var usesInnerRadius: Bool { !(self == .hard || self == .tanhu || self == .tanh) }
}

/// A cutoff function f_c(r) with radius `radius` and inner radius `alpha * radius`
/// (f_c = 1 below the inner radius for the types that use it).
public struct CutoffFunction: Hashable, Codable, Sendable {
    public var kind: CutoffKind
    public var radius: Double
    public var alpha: Double

    public init(kind: CutoffKind, radius: Double, alpha: Double = 0) {
        self.kind = kind; self.radius = radius; self.alpha = alpha
    }

    /// The paper's cosine cutoff.
    public static func cosine(_ radius: Double) -> CutoffFunction { .init(kind: .cos, radius: radius) }

    /// (1 / (tanh(1))^3): normalizes the `tanh` type to f_c(0) = 1, as n2p2 does.
    static let tanhPrefactor: Double = {
        let e = Foundation.exp(1.0)
        return Foundation.pow((e + 1 / e) / (e - 1 / e), 3)
    }()

    /// Value and derivative d f_c / d r at `r` (r < radius is assumed by callers; 0 beyond).
    @inline(__always)
    public func evaluate(_ r: Double) -> (f: Double, df: Double) {
        if r >= radius { return (0, 0) }
        switch kind {
        case .hard:
            return (1, 0)
        case .tanhu, .tanh:
            let t = fastTanh(1 - r / radius)
            let t2 = t * t
            let p = kind == .tanh ? CutoffFunction.tanhPrefactor : 1
            return (p * t * t2, p * 3 * t2 * (t2 - 1) / radius)
        default:
            let rInner = alpha * radius
            if r < rInner { return (1, 0) }
            let width = radius - rInner
            let x = (r - rInner) / width
            let (f, dfdx) = CutoffFunction.core(kind, x)
            return (f, dfdx / width)
        }
    }

    /// The switching polynomials and exponential of n2p2 on x in [0, 1).
    @inline(__always)
    static func core(_ kind: CutoffKind, _ x: Double) -> (Double, Double) {
        switch kind {
        case .cos:
            let f = 0.5 * (Foundation.cos(Double.pi * x) + 1)
            return (f, -0.5 * Double.pi * Foundation.sin(Double.pi * x))
        case .poly1:
            return ((2 * x - 3) * x * x + 1, x * (6 * x - 6))
        case .poly2:
            let x2 = x * x
            return (((15 - 6 * x) * x - 10) * x * x2 + 1, x2 * ((60 - 30 * x) * x - 30))
        case .poly3:
            let x2 = x * x
            return ((x * (x * (20 * x - 70) + 84) - 35) * x2 * x2 + 1,
                    x2 * x * (x * (x * (140 * x - 420) + 420) - 140))
        case .poly4:
            let x2 = x * x, x4 = x2 * x2
            return ((x * (x * ((315 - 70 * x) * x - 540) + 420) - 126) * x * x4 + 1,
                    x4 * (x * (x * ((2520 - 630 * x) * x - 3780) + 2520) - 630))
        case .exp:
            // exp(1 - 1 / (1 - x²)), smooth to all orders at x = 1.
            let d = 1 - x * x
            let f = fastExp(1 - 1 / d)
            return (f, -2 * x * f / (d * d))
        case .hard, .tanhu, .tanh:
            return (1, 0)
        }
    }
}

/// tanh for x >= 0 through one exp, several times cheaper than libm's tanh or expm1.
/// Near x = 0 the result carries an absolute error of about 1e-16 (the cutoff there is ~x³).
@inline(__always)
func fastTanh(_ x: Double) -> Double {
    let t = fastExp(-2 * x)
    return (1 - t) / (1 + t)
}

/// exp(x) without a libm call, branch-free so that loops over arrays vectorize: x = n ln2 + r with
/// |r| <= ln2/2 (Cody–Waite), a degree-11 Chebyshev fit in r (truncation 3e-18, mpmath.chebyfit), and 2^n
/// assembled in the exponent bits. Relative error ~2 ulp; 0 for x < -708 (no subnormals),
/// x is clamped at 709 (no overflow to infinity); NaN propagates.
@inline(__always)
func fastExp(_ x: Double) -> Double {
    let xc = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x)
    let shifter = 6755399441055744.0  // 1.5 * 2^52: adding it rounds to an integer in the low bits
    let t = muladd(xc, 1.4426950408889634, shifter)
    let n = t - shifter
    let r = muladd(n, -1.90821492927058770002e-10, muladd(n, -6.93147180369123816490e-01, xc))
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let p01 = 1.0 + r, p23 = muladd(r, 0.1666666666666668, 0.5000000000000019)
    let p45 = muladd(r, 0.008333333333319601, 0.0416666666664881)
    let p67 = muladd(r, 0.00019841269890047113, 0.0013888888952314775)
    let p89 = muladd(r, 2.755724091857897e-06, 2.4801485482328494e-05)
    let p1011 = muladd(r, 2.5110037605963777e-08, 2.763263963904103e-07)
    let lo = muladd(r4, muladd(r2, p67, p45), muladd(r2, p23, p01))
    let hi = muladd(r2, p1011, p89)
    let p = muladd(r8, hi, lo)
    let bits = (t.bitPattern &- shifter.bitPattern &+ 1023) &<< 52
    let y = p * Double(bitPattern: bits)
    return x < -708.0 ? 0 : y
}

typealias Lanes = SIMD4<Double>

/// a * b + c: one fused multiply-add where the build enables it (`-DNNSWIFT_FMA`, set by
/// scripts/build.sh for hosts with FMA), else a multiply and an add. (Without hardware FMA,
/// `addingProduct` would become a libm call per element, so it is never used unconditionally.)
@inline(__always) func muladd(_ a: Lanes, _ b: Lanes, _ c: Lanes) -> Lanes {
    #if NNSWIFT_FMA
    return c.addingProduct(a, b)
    #else
    return a * b + c
    #endif
}
@inline(__always) func muladd(_ a: Double, _ b: Double, _ c: Double) -> Double {
    #if NNSWIFT_FMA
    return c.addingProduct(a, b)
    #else
    return a * b + c
    #endif
}

@inline(__always) func loadLanes(_ p: UnsafePointer<Double>, _ i: Int) -> Lanes {
    UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
}
@inline(__always) func storeLanes(_ p: UnsafeMutablePointer<Double>, _ i: Int, _ v: Lanes) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Lanes.self)
}

/// `fastExp` on four lanes at once (explicit vectors: the same operations, no libm call).
@inline(__always)
func fastExp(_ x: Lanes) -> Lanes {
    let lo = Lanes(repeating: -708.0), hi = Lanes(repeating: 709.0)
    var xc = x.replacing(with: lo, where: x .< lo)
    xc = xc.replacing(with: hi, where: xc .> hi)
    let shifter = Lanes(repeating: 6755399441055744.0)
    let t = muladd(xc, Lanes(repeating: 1.4426950408889634), shifter)
    let n = t - shifter
    let r = muladd(n, Lanes(repeating: -1.90821492927058770002e-10), muladd(n, Lanes(repeating: -6.93147180369123816490e-01), xc))
    let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
    let p01 = 1.0 + r, p23 = muladd(r, Lanes(repeating: 0.1666666666666668), Lanes(repeating: 0.5000000000000019))
    let p45 = muladd(r, Lanes(repeating: 0.008333333333319601), Lanes(repeating: 0.0416666666664881))
    let p67 = muladd(r, Lanes(repeating: 0.00019841269890047113), Lanes(repeating: 0.0013888888952314775))
    let p89 = muladd(r, Lanes(repeating: 2.755724091857897e-06), Lanes(repeating: 2.4801485482328494e-05))
    let p1011 = muladd(r, Lanes(repeating: 2.5110037605963777e-08), Lanes(repeating: 2.763263963904103e-07))
    let low = muladd(r4, muladd(r2, p67, p45), muladd(r2, p23, p01))
    let high = muladd(r2, p1011, p89)
    let p = muladd(r8, high, low)
    let tb = unsafeBitCast(t, to: SIMD4<UInt64>.self)
    let bits = (tb &- SIMD4(repeating: (6755399441055744.0).bitPattern &- 1023)) &<< 52
    let y = p * unsafeBitCast(bits, to: Lanes.self)
    return y.replacing(with: 0, where: x .< lo)
}

extension CutoffFunction {
    /// Value and derivative for `count` distances at once (0 at and beyond the radius),
    /// with the cutoff type resolved outside the loops.
    @inline(__always)
    func evaluate(count: Int, r: UnsafePointer<Double>, f: UnsafeMutablePointer<Double>, df: UnsafeMutablePointer<Double>) {
        let rc = radius
        switch kind {
        case .hard:
            for i in 0..<count { f[i] = r[i] < rc ? 1 : 0; df[i] = 0 }
        case .tanhu, .tanh:
            let p = kind == .tanh ? CutoffFunction.tanhPrefactor : 1
            let inv = 1 / rc, p3 = 3 * p * inv
            // Two loops, the exponential (kept in df) and then the cutoff with its division: each
            // dependency chain is shorter, so more chunks are in flight.
            var i = 0
            while i + 4 <= count { storeLanes(df, i, CutoffFunction.tanhExp(loadLanes(r, i), radius: rc)); i += 4 }
            i = 0
            while i + 4 <= count {
                let (fv, dfv) = CutoffFunction.tanhLanes(loadLanes(r, i), exp: loadLanes(df, i), radius: rc, scale: p)
                storeLanes(f, i, fv); storeLanes(df, i, dfv)
                i += 4
            }
            while i < count {
                let ri = r[i]
                let t = fastTanh(1 - ri * inv)
                let t2 = t * t
                let inside = ri < rc
                f[i] = inside ? p * t * t2 : 0
                df[i] = inside ? p3 * t2 * (t2 - 1) : 0
                i += 1
            }
        case .poly1: polynomialLoop(.poly1, count: count, r: r, f: f, df: df)
        case .poly2: polynomialLoop(.poly2, count: count, r: r, f: f, df: df)
        case .poly3: polynomialLoop(.poly3, count: count, r: r, f: f, df: df)
        case .poly4: polynomialLoop(.poly4, count: count, r: r, f: f, df: df)
        case .cos, .exp:
            for i in 0..<count { (f[i], df[i]) = evaluate(r[i]) }
        }
    }

    /// Value and derivative on four distances (0 at and beyond the radius): vector code for the
    /// tanh types, the others per lane.
    @inline(__always)
    func evaluate(lanes r: Lanes) -> (f: Lanes, df: Lanes) {
        guard let p = tanhScale else { return evaluateOther(lanes: r) }
        return CutoffFunction.tanhLanes(r, radius: radius, scale: p)
    }

    /// The prefactor of the tanh types (1 for `tanhu`), nil for the other types.
    var tanhScale: Double? { kind == .tanh ? CutoffFunction.tanhPrefactor : kind == .tanhu ? 1 : nil }

    /// p tanh³(1 - r / R_c) and its derivative on four distances (0 at and beyond R_c): straight-line
    /// code with no global access, so that it inlines into the lane loops (the caller passes
    /// `tanhScale`).
    @inline(__always)
    static func tanhLanes(_ r: Lanes, radius: Double, scale p: Double) -> (f: Lanes, df: Lanes) {
        tanhLanes(r, exp: tanhExp(r, radius: radius), radius: radius, scale: p)
    }

    /// The two halves of `tanhLanes`, for loops that run them apart (each half's dependency chain
    /// is shorter, so more chunks are in flight): exp(-2 (1 - r / R_c)), then the cutoff from it.
    @inline(__always)
    static func tanhExp(_ r: Lanes, radius: Double) -> Lanes {
        fastExp(-2 * (1 - r * (1 / radius)))
    }
    @inline(__always)
    static func tanhLanes(_ r: Lanes, exp e: Lanes, radius: Double, scale p: Double) -> (f: Lanes, df: Lanes) {
        let zero = Lanes(repeating: 0)
        let outside = r .>= Lanes(repeating: radius)
        let p3 = 3 * p * (1 / radius)
        let t = (1 - e) / (1 + e)
        let t2 = t * t
        return ((p * t * t2).replacing(with: zero, where: outside),
                (p3 * t2 * (t2 - 1)).replacing(with: zero, where: outside))
    }

    @inline(never)
    private func evaluateOther(lanes r: Lanes) -> (f: Lanes, df: Lanes) {
        let zero = Lanes(repeating: 0)
        var f = zero, df = zero
        switch kind {
        case .poly1, .poly2, .poly3, .poly4: for i in 0..<4 { (f[i], df[i]) = polynomial(kind, r[i]) }
        default: for i in 0..<4 { (f[i], df[i]) = evaluate(r[i]) }
        }
        return (f, df)
    }

    @inline(__always)
    private func polynomialLoop(_ k: CutoffKind, count: Int, r: UnsafePointer<Double>, f: UnsafeMutablePointer<Double>,
                                df: UnsafeMutablePointer<Double>) {
        for i in 0..<count { (f[i], df[i]) = polynomial(k, r[i]) }
    }

    @inline(__always)
    private func polynomial(_ k: CutoffKind, _ ri: Double) -> (Double, Double) {
        let rc = radius, rInner = alpha * radius
        let width = rc - rInner, invWidth = 1 / width
        let x = (ri - rInner) / width
        let (v, dv) = CutoffFunction.core(k, x)
        let inner = ri < rInner, inside = ri < rc
        return (inner ? 1 : (inside ? v : 0), inner || !inside ? 0 : dv * invWidth)
    }
}
