import Foundation
import NNSwift

/// Force subsampling (`forceFraction`, the analogue of n2p2's `force_fraction`): in every epoch
/// each structure with reference forces contributes the force components of a random subset of
/// max(1, round(f · N)) of its N atoms to the loss, drawn afresh per epoch from a generator seeded
/// by (seed, epoch, structure index), so a run is reproducible and a resumed run draws the same
/// subsets. The force term is normalized by the number of selected components, so it stays an
/// estimate of the same per-component mean; f = 1 is the full loss.
public enum ForceSubsampling {
    /// Number of atoms selected out of `atoms` at fraction `f` (0 < f <= 1).
    public static func count(atoms: Int, fraction f: Double) -> Int {
        guard atoms > 0 else { return 0 }
        guard f < 1 else { return atoms }
        return min(atoms, max(1, Int((max(0, f) * Double(atoms)).rounded())))
    }

    /// The selected atoms (sorted) of structure `index` in `epoch`.
    public static func atoms(count atoms: Int, fraction f: Double, seed: UInt64, epoch: Int, index: Int) -> [Int] {
        let n = count(atoms: atoms, fraction: f)
        var all = Array(0..<atoms)
        guard n < atoms else { return all }
        let epochStream = SeededGenerator.stream(seed: seed ^ 0xF0_7CE5_A3B1_E5C7, index: epoch)
        var g = SeededGenerator.stream(seed: epochStream.state, index: index)
        // Partial Fisher–Yates: the first n entries are a uniform random subset.
        for j in 0..<n {
            let r = j + Int(g.next() % UInt64(atoms - j))
            all.swapAt(j, r)
        }
        return all[..<n].sorted()
    }
}

extension PreparedStructure {
    /// Force components entering the loss: 3 per selected atom (0 without reference forces).
    public var forceComponents: Int { forces == nil ? 0 : 3 * (forceAtoms?.count ?? atoms) }

    /// This structure with the force subset of `epoch` (itself when f >= 1 or without forces).
    public func subsamplingForces(fraction f: Double, seed: UInt64, epoch: Int, index: Int) -> PreparedStructure {
        guard f < 1, forces != nil else { return self }
        var p = self
        p.forceAtoms = ForceSubsampling.atoms(count: atoms, fraction: f, seed: seed, epoch: epoch, index: index)
        return p
    }
}
