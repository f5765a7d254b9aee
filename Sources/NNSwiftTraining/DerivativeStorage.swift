import Foundation
import NNSwift

/// Memory bound for the descriptor derivatives of a training run.
///
/// With fixed symmetry functions the values G of every atom are always stored (S doubles per
/// atom). Their position derivatives ∂G/∂r take S × (neighbors + 1) × 32 bytes per atom (a SIMD3
/// is padded to 32 bytes) and the strain derivatives Ξ = ∂G/∂ε 6 × S × 8: for thousands of
/// periodic cells that is tens of GB. Structures are given stored derivatives in their order
/// while the total stays within `limit` bytes; the others keep only their geometry and have the
/// derivatives recomputed (bit-identically: same code, same neighbor order) whenever a batch or
/// an error metric needs forces or stress.
public final class DerivativeBudget: @unchecked Sendable {
    public let limit: Int
    public private(set) var used = 0
    /// Structures (of all sets prepared with this budget) with stored / recomputed derivatives.
    public private(set) var stored = 0, recomputed = 0
    /// Bytes all derivatives would take if stored.
    public private(set) var required = 0

    public init(bytes: Int) { limit = max(0, bytes) }

    /// Bytes of ∂G/∂r (with the atom index list) and of Ξ for atoms with environments `envs`.
    static func bytes(_ envs: [AtomEnvironment], species: [Int], functions: [[SymmetryFunction]], jacobian: Bool, strain: Bool) -> Int {
        var b = 0
        for (i, e) in envs.enumerated() {
            let S = functions[species[i]].count
            if jacobian { b += e.atoms.count * (S * MemoryLayout<SIMD3<Double>>.stride + MemoryLayout<Int>.stride) }
            if strain { b += 6 * S * MemoryLayout<Double>.stride }
        }
        return b
    }

    /// Stores the derivatives of the structures of `prepared` that fit (in order).
    func store(_ prepared: inout [PreparedStructure], model: Model, jacobian: Bool) throws {
        var keep: [Int] = []
        for (b, p) in prepared.enumerated() where p.structure != nil {
            required += p.derivativeBytes
            if used + p.derivativeBytes <= limit {
                used += p.derivativeBytes; keep.append(b)
            } else {
                recomputed += 1
            }
        }
        stored += keep.count
        let functions = model.species.map(\.symmetryFunctions)
        let kernel = try DescriptorKernel(functions: functions, elements: model.elements)
        var results = [Result<[AtomDescriptors], Error>?](repeating: nil, count: keep.count)
        let lock = NSLock()
        let items = prepared
        DispatchQueue.concurrentPerform(iterations: keep.count) { k in
            let p = items[keep[k]]
            let r = Result { try DescriptorCalculator.derivatives(of: p, elements: model.elements, functions: functions, kernel: kernel,
                                                                jacobian: jacobian, strain: p.stress != nil) }
            lock.lock(); results[k] = r; lock.unlock()
        }
        for (k, b) in keep.enumerated() {
            guard let r = results[k] else { continue }
            prepared[b].descriptors = try r.get()
            prepared[b].structure = nil
        }
    }
}

extension DescriptorCalculator {
    /// Descriptors of a prepared structure recomputed from its kept `structure`, with ∂G/∂r
    /// (`jacobian`) and Ξ (`strain`). With `forceAtoms` only the centers whose functions depend
    /// on one of those atoms get ∂G/∂r (the forces on the others are not needed); centers
    /// needing neither keep their stored values.
    static func derivatives(of p: PreparedStructure, elements: [String], functions: [[SymmetryFunction]], kernel: DescriptorKernel,
                            jacobian: Bool, strain: Bool) throws -> [AtomDescriptors] {
        guard let s = p.structure else { return p.descriptors }
        let (species, envs) = try environments(structure: s, elements: elements, functions: functions)
        var wanted: [Bool]? = nil
        if jacobian, let sel = p.forceAtoms {
            var w = [Bool](repeating: false, count: p.atoms)
            for k in sel where k >= 0 && k < p.atoms { w[k] = true }
            wanted = w
        }
        return try envs.indices.map { i in
            let jac = jacobian && (wanted.map { w in envs[i].atoms.contains { w[$0] } } ?? true)
            guard jac || strain else { return p.descriptors[i] }
            return try descriptors(envs[i], kernel: kernel, species: species[i], jacobian: jac, strain: strain)
        }
    }
}
