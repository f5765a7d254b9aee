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
/// Every function uses the cosine cutoff R_c. Per element: E(N + M) + E(E+1)/2 · A·|ζ|·2 functions
/// for E elements. In a training config: `"symmetryFunctions": {"grid": {"cutoff": 5, ...}}`.
public struct SymmetryFunctionGrid: Codable, Equatable, Sendable {
    /// Cutoff radius R_c (model length unit).
    public var cutoff: Double
    /// Inner end r_min of the grids (model length unit), about the shortest distance in the data.
    public var rmin: Double
    public var radial: Int
    public var centred: Int
    public var angular: Int
    public var zetas: [Double]

    public init(cutoff: Double, rmin: Double = 1.0, radial: Int = 8, centred: Int = 4, angular: Int = 3,
                zetas: [Double] = [1, 4, 16]) {
        self.cutoff = cutoff; self.rmin = rmin; self.radial = radial; self.centred = centred
        self.angular = angular; self.zetas = zetas
    }

    /// Any key of the JSON object, to name a misspelled one ("centered") instead of ignoring it.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let known = Set(["cutoff", "rmin", "radial", "centred", "angular", "zetas"])
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
                  zetas: try c.decodeIfPresent([Double].self, forKey: .zetas) ?? d.zetas)
    }

    /// Largest count accepted per grid (keeps a typo from generating millions of functions).
    static let maxCount = 64

    public func validate() throws {
        func bad(_ what: String) -> NNSwiftError { .argument("config: symmetryFunctions.grid: \(what)") }
        guard cutoff.isFinite, cutoff > 0 else { throw bad("cutoff must be a positive number, got \(cutoff)") }
        guard rmin.isFinite, rmin >= 0, rmin < cutoff else { throw bad("rmin must be in [0, cutoff = \(cutoff)), got \(rmin)") }
        for (name, n) in [("radial", radial), ("centred", centred), ("angular", angular)] {
            guard (0...Self.maxCount).contains(n) else { throw bad("\(name) must be in 0...\(Self.maxCount), got \(n)") }
        }
        guard radial + centred + angular > 0 else { throw bad("radial, centred and angular are all 0: no functions") }
        if angular > 0 {
            guard !zetas.isEmpty else { throw bad("zetas is empty but angular = \(angular)") }
            for z in zetas where !(z >= 1 && z <= ModelLimits.maxZeta) { throw bad("zetas: every zeta must be a number in [1, \(ModelLimits.maxZeta)], got \(z)") }
        }
    }

    /// Centred widths σ_k = r_min + k(R_c − r_min)/n, k = 1…n, as η = 1/(2σ²) (decreasing).
    func centredEtas(_ n: Int) -> [Double] {
        guard n > 0 else { return [] }
        return (1...n).map { k in
            let sigma = rmin + Double(k) * (cutoff - rmin) / Double(n)
            return 1 / (2 * sigma * sigma)
        }
    }

    /// The functions of one central element (the same for every element) given all `elements`.
    public func functions(elements: [String]) throws -> [SymmetryFunction] {
        try validate()
        let cut = CutoffFunction.cosine(cutoff)
        var out: [SymmetryFunction] = []
        let delta = (cutoff - rmin) / Double(max(radial, 1))
        for e in elements {
            for k in 0..<radial {
                out.append(.g2(e, eta: 1 / (2 * delta * delta), rs: rmin + Double(k) * delta, cutoff: cut))
            }
            for eta in centredEtas(centred) { out.append(.g2(e, eta: eta, rs: 0, cutoff: cut)) }
        }
        let etas = centredEtas(angular)
        for (i, a) in elements.enumerated() {
            for b in elements[i...] {
                for eta in etas {
                    for zeta in zetas {
                        for lambda in [1.0, -1.0] { out.append(.g5(a, b, eta: eta, lambda: lambda, zeta: zeta, cutoff: cut)) }
                    }
                }
            }
        }
        return out
    }
}
