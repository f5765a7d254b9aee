import Foundation

/// A loaded model ready to evaluate: energies, forces and virial with an adjoint pass.
/// Immutable after creation, so one instance may be used from several threads at once.
public final class Potential: @unchecked Sendable {
    public let model: Model
    public let cutoff: Double
    let kernels: [ElementKernel]
    /// The model's pair baseline, compiled (nil: none, and the evaluation skips it).
    let pairKernel: PairBaselineKernel?
    let workspacePool = ReusePool { Workspace() }

    public init(model: Model) throws {
        try model.validate()
        self.model = model
        self.cutoff = model.cutoff
        self.kernels = model.species.map { ElementKernel(element: $0, elements: model.elements, normalization: model.normalization) }
        self.pairKernel = try model.pairBaseline.map { try PairBaselineKernel(baseline: $0, elements: model.elements, units: model.units) }
    }

    public var elements: [String] { model.elements }

    /// Species index of each element symbol, or an error naming the first unknown one.
    public func speciesIndices(_ symbols: [String]) throws -> [Int] {
        var map: [String: Int] = [:]
        for (i, e) in model.elements.enumerated() { map[e] = i }
        return try symbols.map { s in
            guard let i = map[s] else { throw NNSwiftError.unknownElement(s) }
            return i
        }
    }

    /// Energy, forces and virial of a structure (free cluster or periodic).
    public func evaluate(_ structure: Structure, options: EvaluationOptions = .init()) throws -> Evaluation {
        let species = try speciesIndices(structure.elements)
        let list = try NeighborList.build(positions: structure.positions, cell: structure.cell, pbc: structure.pbc, cutoff: cutoff,
                                          threads: options.threads)
        return try evaluate(species: species, neighbors: list, targetCount: structure.count, options: options)
    }

    /// Evaluation over an explicit neighbor list: centers 0..<neighbors.centerCount,
    /// `species[t]` for every target index t (centers included), forces per target.
    public func evaluate(species: [Int], neighbors: NeighborList, targetCount: Int,
                         options: EvaluationOptions = .init()) throws -> Evaluation {
        let nCenters = neighbors.centerCount
        try GeometryLimits.checkAtomCount(targetCount)
        guard species.count >= targetCount, targetCount >= nCenters else {
            throw NNSwiftError.argument("species array has \(species.count) entries for \(targetCount) atoms")
        }
        _ = try ThreadCount.validated(options.threads)
        for (i, s) in species.enumerated() where s < 0 || s >= kernels.count {
            throw NNSwiftError.argument("species index \(s) of atom \(i + 1) is not in 0..<\(kernels.count)")
        }
        for t in neighbors.target where Int(t) >= targetCount || t < 0 {
            throw NNSwiftError.argument("neighbor index \(t) out of range 0..<\(targetCount)")
        }
        let n = neighbors.target.count
        guard neighbors.offsets.first == 0, neighbors.offsets.last == n, neighbors.vector.count == n, neighbors.distance.count == n,
              zip(neighbors.offsets, neighbors.offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw NNSwiftError.argument("inconsistent neighbor list (offsets, targets, vectors and distances do not match)")
        }
        // Never-empty arrays, so every base address below exists (only copied when empty).
        let target = n > 0 ? neighbors.target : [0], vector = n > 0 ? neighbors.vector : [.zero]
        let distance = n > 0 ? neighbors.distance : [0]
        var result = Evaluation(energy: 0, atomEnergies: [Double](repeating: 0, count: nCenters),
                                forces: options.forces ? [SIMD3<Double>](repeating: .zero, count: targetCount) : [],
                                virial: .zero,
                                atomVirials: options.atomVirials ? [Matrix3](repeating: .zero, count: targetCount) : [],
                                descriptors: options.descriptors ? [[Double]](repeating: [], count: nCenters) : [],
                                extrapolations: 0)
        let needGradient = options.forces || options.virial || options.atomVirials
        let groups = CenterGroups(centers: nCenters)
        // One pooled workspace per worker thread. The groups' force and atom-virial buffers
        // (GroupRing) are allocated per call: kept, they would add to the peak memory of the next
        // neighbor-list build.
        let workers = min(options.threads, groups.count)
        let workspaces = workspacePool.take(workers)
        defer { workspacePool.give(workspaces) }
        for ws in workspaces { ws.profile = options.profile ? KernelProfile() : nil }
        // Per group: virial rows and extrapolation count, written by that group only.
        var groupVirials = [Matrix3](repeating: .zero, count: groups.count)
        var groupExtrapolations = [Int](repeating: 0, count: groups.count)
        species.withUnsafeBufferPointer { sp in
            neighbors.offsets.withUnsafeBufferPointer { off in
                target.withUnsafeBufferPointer { tg in
                    vector.withUnsafeBufferPointer { vc in
                        distance.withUnsafeBufferPointer { ds in
                            result.forces.withUnsafeMutableBufferPointer { forces in
                                result.atomVirials.withUnsafeMutableBufferPointer { atomVirials in
                                    result.atomEnergies.withUnsafeMutableBufferPointer { atomEnergies in
                                        result.descriptors.withUnsafeMutableBufferPointer { descriptors in
                                            groupVirials.withUnsafeMutableBufferPointer { gv in
                                                groupExtrapolations.withUnsafeMutableBufferPointer { gx in
            let ring = GroupRing(groups: groups.count, workers: workers, targetCount: targetCount,
                                 forces: options.forces ? forces.baseAddress : nil,
                                 atomVirials: options.atomVirials ? atomVirials.baseAddress : nil)
            parallelFor(groups.count, workers: workers) { worker, gi in
                let ws = workspaces[worker]
                let (f, v) = ring.buffers(gi)
                var virialRows = (SIMD3<Double>.zero, SIMD3<Double>.zero, SIMD3<Double>.zero)
                var extrapolations = 0
                for i in groups.range(gi) {
                    let kernel = kernels[sp[i]]
                    var sink = AtomSink(forces: f, atomVirials: v, center: i)
                    atomEnergies[i] = kernel.evaluateAtom(
                        ws: ws, neighbors: off[i]..<off[i + 1], species: sp.baseAddress!,
                        target: tg.baseAddress!, vector: vc.baseAddress!, distance: ds.baseAddress!,
                        gradient: needGradient, sink: &sink, extrapolations: &extrapolations)
                    if let pairs = pairKernel {
                        atomEnergies[i] += pairs.addCenter(i, neighbors: off[i]..<off[i + 1], species: sp.baseAddress!,
                                                           target: tg.baseAddress!, vector: vc.baseAddress!,
                                                           distance: ds.baseAddress!, gradient: needGradient, sink: &sink)
                    }
                    virialRows.0 += sink.virial.0; virialRows.1 += sink.virial.1; virialRows.2 += sink.virial.2
                    if options.descriptors {
                        descriptors[i] = Array(UnsafeBufferPointer(start: ws.g.base, count: kernel.count))
                    }
                }
                gv[gi] = Matrix3(virialRows.0, virialRows.1, virialRows.2)
                gx[gi] = extrapolations
                ring.finish(gi)
            }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        result.extrapolations = groupExtrapolations.reduce(0, +)
        if options.profile { result.profile = workspaces.compactMap(\.profile).reduce(KernelProfile(), +) }
        let virial = groupVirials.reduce(Matrix3.zero, +)
        result.energy = result.atomEnergies.reduce(0, +)
        if options.virial { result.virial = virial }
        try result.checkFinite()
        return result
    }
}

/// Where one atom's force and virial contributions go.
struct AtomSink {
    let forces: UnsafeMutablePointer<SIMD3<Double>>?
    let atomVirials: UnsafeMutablePointer<Matrix3>?
    let center: Int
    var virial = (SIMD3<Double>.zero, SIMD3<Double>.zero, SIMD3<Double>.zero)

    init(forces: UnsafeMutablePointer<SIMD3<Double>>?, atomVirials: UnsafeMutablePointer<Matrix3>?, center: Int) {
        self.forces = forces; self.atomVirials = atomVirials; self.center = center
    }

    /// Applies dE/dd for the displacement d = r_t - r_center: forces on both atoms and the virial -d ⊗ g.
    @inline(__always)
    mutating func bond(target t: Int, d: SIMD3<Double>, gradient g: SIMD3<Double>) {
        if let forces {
            forces[t] -= g
            forces[center] += g
        }
        let r0 = -d.x * g, r1 = -d.y * g, r2 = -d.z * g
        virial.0 += r0; virial.1 += r1; virial.2 += r2
        if let atomVirials {
            let half = Matrix3(0.5 * r0, 0.5 * r1, 0.5 * r2)
            atomVirials[t] += half
            atomVirials[center] += half
        }
    }
}
