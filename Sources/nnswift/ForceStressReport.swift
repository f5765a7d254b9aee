import Foundation
import NNSwiftTraining

extension TrainingReport {
    /// What `nnswift train` says about force subsampling, stress and stored derivatives: which
    /// structures contribute a stress term is never left implicit.
    static func forceStressLines(_ t: Trainer) -> [String] {
        let cfg = t.config
        var out: [String] = []
        if cfg.forceFraction < 1 {
            out.append("forces: forceFraction \(cfg.forceFraction): per epoch a new random subset of max(1, round(\(cfg.forceFraction) × N)) atoms of each structure enters the force term (seed \(cfg.seed))")
        }
        let withStress = { (set: [PreparedStructure]) in set.reduce(0) { $0 + ($1.stress == nil ? 0 : 1) } }
        if cfg.stressWeight > 0 {
            let nt = withStress(t.training), nv = withStress(t.validation)
            let missing = t.training.count + t.validation.count - nt - nv
            out.append("stress: weight \(cfg.stressWeight) (Voigt components, \(t.model.units.energyName)/\(t.model.units.lengthName)³, ASE sign); reference stresses for \(nt) of \(t.training.count) training and \(nv) of \(t.validation.count) validation structures"
                       + (missing > 0 ? "; the other \(missing) (no stress, or not periodic in all three directions) contribute no stress term" : ""))
        } else if t.structuresWithStress > 0 {
            out.append("stress: \(t.structuresWithStress) structures have a stress; stressWeight is 0, so stress is not trained")
        }
        let b = t.derivativeBudget
        if b.recomputed > 0 || b.stored > 0 {
            out.append(String(format: "descriptor derivatives: %d structures stored (%.2f GB), %d recomputed per batch (derivativeMemoryGB %g; all stored would take %.2f GB)",
                              b.stored, Double(b.used) / 1e9, b.recomputed, cfg.derivativeMemoryGB, Double(b.required) / 1e9))
        }
        return out
    }
}
