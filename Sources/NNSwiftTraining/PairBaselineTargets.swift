import Foundation
import NNSwift

extension Dataset {
    /// Every structure's energy, forces and stress minus those of the pair baseline (what the
    /// network then learns), and the baseline's evaluation per structure. The errors of the
    /// network on the remainder equal those of network + baseline on the reference.
    public func subtractingBaseline(_ baseline: PairBaseline, units: Units) throws -> (Dataset, [Evaluation]) {
        var out = structures
        var parts: [Evaluation] = []
        parts.reserveCapacity(count)
        for (k, s) in structures.enumerated() {
            let b: Evaluation
            do { b = try baseline.evaluate(s, units: units) } catch {
                let e = NNSwiftError.argument("pair baseline: \(error)")
                throw origins.map { $0[k].locating(e) } ?? NNSwiftError.argument("structure \(k + 1): pair baseline: \(error)")
            }
            out[k].energy = s.energy.map { $0 - b.energy }
            if let f = s.forces, f.count == s.count { out[k].forces = zip(f, b.forces).map { $0 - $1 } }
            if let st = s.stress, let cell = s.cell, cell.volume > 0 { out[k].stress = st - b.stress(volume: cell.volume) }
            parts.append(b)
        }
        return (Dataset(structures: out, origins: origins), parts)
    }
}
