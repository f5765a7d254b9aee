import Foundation
import NNSwift

/// How the training targets are normalized (config `energyNormalization`). The network is
/// trained on normalized energies and the normalization is stored in the model
/// (`Model.normalization`, n2p2's `mean_energy`/`conv_energy`/`conv_length`), so every
/// evaluation path gives physical energies: atomic energy = output / convEnergy + meanEnergy
/// (+ the element's reference energy).
///
/// All statistics come from the training structures only (never the validation set), from the
/// energies the networks fit: the reference energies are already subtracted.
public enum EnergyNormalizationMode: String, Codable, CaseIterable, Sendable {
    /// Physical energies (convEnergy = 1, no model normalization).
    case none
    /// As n2p2's nnp-norm: meanEnergy = mean energy per atom over the structures, convEnergy =
    /// 1/σ (σ: sample standard deviation of the energy per atom), convLength = σ_F/σ (σ_F:
    /// sample standard deviation of the force components about their mean; 1 without forces).
    case n2p2
    /// As aenet: the energies per atom span [−1, 1] (meanEnergy = mid-range, convEnergy =
    /// 2/(max − min)); convLength = 1.
    case range

    /// The normalization of `structures` (energies per atom: `targetEnergy / atoms`), nil for
    /// `.none`. Fails when the energies per atom do not vary (nothing to scale by).
    public func fit(_ structures: [PreparedStructure]) throws -> Normalization? {
        if self == .none { return nil }
        let e = structures.map { $0.targetEnergy / Double($0.atoms) }
        guard e.count >= 2 else {
            throw NNSwiftError.argument("energyNormalization \(rawValue) needs at least 2 training structures, got \(e.count)")
        }
        let mean = e.reduce(0, +) / Double(e.count)
        let sigma = (e.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(e.count - 1)).squareRoot()
        let lo = e.min()!, hi = e.max()!
        let spread = self == .n2p2 ? sigma : (hi - lo) / 2
        guard spread > 1e-12 * max(1, abs(mean)) else {
            throw NNSwiftError.argument("energyNormalization \(rawValue): the training energies per atom do not vary (all \(mean)); use \"none\"")
        }
        switch self {
        case .none: return nil
        case .range:
            return Normalization(meanEnergy: (hi + lo) / 2, convEnergy: 1 / spread, convLength: 1)
        case .n2p2:
            let f = structures.flatMap { p in (p.forces ?? []).flatMap { [$0.x, $0.y, $0.z] } }
            var convLength = 1.0
            if f.count >= 2 {
                let fm = f.reduce(0, +) / Double(f.count)
                let sf = (f.reduce(0) { $0 + ($1 - fm) * ($1 - fm) } / Double(f.count - 1)).squareRoot()
                if sf > 0 { convLength = sf / sigma }
            }
            return Normalization(meanEnergy: mean, convEnergy: 1 / sigma, convLength: convLength)
        }
    }
}
