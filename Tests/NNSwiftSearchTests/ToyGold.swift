import Foundation
import NNSwift
@testable import NNSwiftSearch

/// A small "gold" network potential with a physical dimer well, for tests of the commands on a
/// real `Potential`: a linear network over two radial functions, so each pair contributes
/// V(r) = 2 [A exp(−η₁ r²) − B exp(−η₂ (r − R_s)²)] f_c(r) (minimum ≈ −1.94 eV at 2.67 Å),
/// plus −65.87 eV per atom.
enum ToyGold {
    static let a = 300.0, eta1 = 1.0, b = 2.0, eta2 = 0.4, rs = 2.3, cutoff = 6.0, atomEnergy = -65.87

    static func model() -> Model {
        let fc = CutoffFunction.cosine(cutoff)
        let functions: [SymmetryFunction] = [.g2("Au", eta: eta1, cutoff: fc), .g2("Au", eta: eta2, rs: rs, cutoff: fc)]
        let net = DenseNetwork(layers: [DenseLayer(inputs: 2, outputs: 1, activation: .identity, weights: [a, -b], biases: [0])])
        let stats = [FunctionStatistics](repeating: .init(min: 0, max: 1, mean: 0, sigma: 1), count: 2)
        let au = ElementModel(element: "Au", symmetryFunctions: functions, scaling: Scaling(mode: .none, statistics: stats),
                              network: net, referenceEnergy: atomEnergy)
        return Model(units: .metal, species: [au])
    }

    static func potential() throws -> Potential { try Potential(model: model()) }

    /// The pair energy V(r) of the model.
    static func pair(_ r: Double) -> Double {
        guard r < cutoff else { return 0 }
        let fc = 0.5 * (cos(Double.pi * r / cutoff) + 1)
        return 2 * (a * exp(-eta1 * r * r) - b * exp(-eta2 * (r - rs) * (r - rs))) * fc
    }

    static func energy(_ p: [SIMD3<Double>]) -> Double {
        var e = atomEnergy * Double(p.count)
        for i in p.indices { for j in (i + 1)..<p.count { e += pair(length(p[j] - p[i])) } }
        return e
    }

    /// Writes the model to a temporary file and returns its path.
    static func write(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("toy-gold.json").path
        try ModelFile.write(model(), to: path)
        return path
    }
}
