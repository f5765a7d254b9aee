import Foundation
import NNSwift

/// An automatic symmetry-function set for any elements from a cutoff and a few counts, with the
/// radial grids of Gastegger et al., J. Chem. Phys. 148, 241709 (2018) (wACSF) and the angular
/// functions per element pair of n2p2's parameter generator. With Δ = (R_c − r_min)/N:
///
/// - `radial` = N shifted G2 per neighbor element: R_s = r_min + kΔ (k = 0…N−1), η = 1/(2Δ²);
/// - `centred` = M centred G2 per neighbor element: R_s = 0, width σ_k = r_min + k(R_c − r_min)/M
///   (k = 1…M), η = 1/(2σ_k²);
/// - `angular` = A widths of G5 per unordered neighbor-element pair (centred grid as above with A
///   widths), each with every ζ of `zetas` and λ = ±1.
///
/// Every function uses the cosine cutoff; `alpha` > 0 keeps it at 1 below alpha·R_c (n2p2's
/// inner radius). `pairCutoffs` gives an element pair its own R_c (the grids of that pair end
/// there; a G5 takes the larger R_c of its two neighbour pairs), so the lists differ per central
/// element. Per element: E(N + M) + E(E+1)/2 · A·|ζ|·2 functions for E elements. In a training
/// config: `"symmetryFunctions": {"grid": {"cutoff": 5, ...}}`.
public struct SymmetryFunctionGrid: Codable, Equatable, Sendable {
    /// Cutoff radius R_c (model length unit).
    public var cutoff: Double
    /// Inner end r_min of the grids (model length unit), about the shortest distance in the data.
    public var rmin: Double
    public var radial: Int
    public var centred: Int
    public var angular: Int
    public var zetas: [Double]
    /// Inner radius of every cosine cutoff as a fraction of its R_c (0: the paper's cutoff).
    public var alpha: Double
    /// R_c per unordered element pair, keyed "A-B" (model length unit), at most `cutoff`; other
    /// pairs use `cutoff`.
    public var pairCutoffs: [String: Double]

    public init(cutoff: Double, rmin: Double = 1.0, radial: Int = 8, centred: Int = 4, angular: Int = 3,
                zetas: [Double] = [1, 4, 16], alpha: Double = 0, pairCutoffs: [String: Double] = [:]) {
        self.cutoff = cutoff; self.rmin = rmin; self.radial = radial; self.centred = centred
        self.angular = angular; self.zetas = zetas; self.alpha = alpha; self.pairCutoffs = pairCutoffs
    }

    /// Any key of the JSON object, to name a misspelled one ("centered") instead of ignoring it.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let known = Set(["cutoff", "rmin", "radial", "centred", "angular", "zetas", "alpha", "pairCutoffs"])
        for key in try decoder.container(keyedBy: AnyKey.self).allKeys where !known.contains(key.stringValue) {
            throw NNSwiftError.argument("config: symmetryFunctions.grid: unknown key '\(key.stringValue)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SymmetryFunctionGrid(cutoff: try c.decode(Double.self, forKey: .cutoff))
        self.init(cutoff: d.cutoff,
                  rmin: try c.decodeIfPresent(Double.self, forKey: .rmin) ?? d.rmin,
                  radial: try c.decodeWhole(Int.self, forKey: .radial, name: "symmetryFunctions.grid.radial") ?? d.radial,
                  centred: try c.decodeWhole(Int.self, forKey: .centred, name: "symmetryFunctions.grid.centred") ?? d.centred,
                  angular: try c.decodeWhole(Int.self, forKey: .angular, name: "symmetryFunctions.grid.angular") ?? d.angular,
                  zetas: try c.decodeIfPresent([Double].self, forKey: .zetas) ?? d.zetas,
                  alpha: try c.decodeIfPresent(Double.self, forKey: .alpha) ?? d.alpha,
                  pairCutoffs: try c.decodeIfPresent([String: Double].self, forKey: .pairCutoffs) ?? d.pairCutoffs)
    }

    /// Largest count accepted per grid (keeps a typo from generating millions of functions).
    static let maxCount = 64

    public func validate(elements: [String]) throws {
        func bad(_ what: String) -> NNSwiftError { .argument("config: symmetryFunctions.grid: \(what)") }
        guard cutoff.isFinite, cutoff > 0 else { throw bad("cutoff must be a positive number, got \(cutoff)") }
        guard rmin.isFinite, rmin >= 0, rmin < cutoff else { throw bad("rmin must be in [0, cutoff = \(cutoff)), got \(rmin)") }
        guard alpha.isFinite, alpha >= 0, alpha < 1 else { throw bad("alpha must be in [0, 1), got \(alpha)") }
        var seen = Set<[String]>()
        for (key, rc) in pairCutoffs.sorted(by: { $0.key < $1.key }) {
            let pair = key.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2 else { throw bad("pairCutoffs: key '\(key)' is not of the form A-B (two element symbols)") }
            for e in pair where !elements.contains(e) {
                throw bad("pairCutoffs: '\(key)': element '\(e)' is not in the training data (\(elements.joined(separator: ", ")))")
            }
            guard seen.insert(pair.sorted()).inserted else { throw bad("pairCutoffs: the pair '\(key)' is given twice") }
            guard rc.isFinite, rc > rmin, rc <= cutoff else {
                throw bad("pairCutoffs: '\(key)' must be in (rmin = \(rmin), cutoff = \(cutoff)], got \(rc)")
            }
        }
        for (name, n) in [("radial", radial), ("centred", centred), ("angular", angular)] {
            guard (0...Self.maxCount).contains(n) else { throw bad("\(name) must be in 0...\(Self.maxCount), got \(n)") }
        }
        guard radial + centred + angular > 0 else { throw bad("radial, centred and angular are all 0: no functions") }
        if angular > 0 {
            guard !zetas.isEmpty else { throw bad("zetas is empty but angular = \(angular)") }
            for z in zetas where !(z >= 1 && z <= ModelLimits.maxZeta) { throw bad("zetas: every zeta must be a number in [1, \(ModelLimits.maxZeta)], got \(z)") }
        }
    }

    /// R_c of the element pair a–b: its `pairCutoffs` entry (either order), else `cutoff`.
    func pairCutoff(_ a: String, _ b: String) -> Double {
        pairCutoffs["\(a)-\(b)"] ?? pairCutoffs["\(b)-\(a)"] ?? cutoff
    }

    /// Centred widths σ_k = r_min + k(R_c − r_min)/n, k = 1…n, as η = 1/(2σ²) (decreasing).
    func centredEtas(_ n: Int, cutoff: Double) -> [Double] {
        guard n > 0 else { return [] }
        return (1...n).map { k in
            let sigma = rmin + Double(k) * (cutoff - rmin) / Double(n)
            return 1 / (2 * sigma * sigma)
        }
    }

    /// The functions of each central element (in the order of `elements`) given all `elements`.
    public func functions(elements: [String]) throws -> [[SymmetryFunction]] {
        try validate(elements: elements)
        return elements.map { functions(center: $0, elements: elements) }
    }

    func functions(center: String, elements: [String]) -> [SymmetryFunction] {
        func cut(_ rc: Double) -> CutoffFunction { CutoffFunction(kind: .cos, radius: rc, alpha: alpha) }
        var out: [SymmetryFunction] = []
        for e in elements {
            let rc = pairCutoff(center, e)
            let delta = (rc - rmin) / Double(max(radial, 1))
            for k in 0..<radial {
                out.append(.g2(e, eta: 1 / (2 * delta * delta), rs: rmin + Double(k) * delta, cutoff: cut(rc)))
            }
            for eta in centredEtas(centred, cutoff: rc) { out.append(.g2(e, eta: eta, rs: 0, cutoff: cut(rc))) }
        }
        for (i, a) in elements.enumerated() {
            for b in elements[i...] {
                let rc = max(pairCutoff(center, a), pairCutoff(center, b))
                for eta in centredEtas(angular, cutoff: rc) {
                    for zeta in zetas {
                        for lambda in [1.0, -1.0] { out.append(.g5(a, b, eta: eta, lambda: lambda, zeta: zeta, cutoff: cut(rc))) }
                    }
                }
            }
        }
        return out
    }
}
