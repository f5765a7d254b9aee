/// The evaluation kernel's symmetry functions without a network, for training: per center atom the
/// values G_s and, on request, their gradients ∂G_s/∂d_n with respect to every neighbor vector d_n.
///
/// Values come from the kernel's forward pass (`forwardDescriptors`) and gradients from its adjoint
/// pass (`adjointDescriptors`) run once per function with dE/dG = e_s, which skips the blocks the
/// function is not in. So training and `Potential` share one definition of every function type.
public final class DescriptorKernel: @unchecked Sendable {
    let kernels: [ElementKernel]
    let pool = ReusePool { Workspace() }

    /// `functions[e]`: the functions of species e, in network-input order (species e = `elements[e]`).
    /// Throws for a neighbor element that is not in `elements`.
    public init(functions: [[SymmetryFunction]], elements: [String]) throws {
        for fs in functions {
            for f in fs {
                for n in f.neighbors where !elements.contains(n) { throw NNSwiftError.unknownElement(n) }
            }
        }
        kernels = functions.map { ElementKernel(functions: $0, elements: elements) }
    }

    /// Number of functions of species `e`.
    public func functionCount(species e: Int) -> Int { kernels.indices.contains(e) ? kernels[e].count : 0 }

    /// G of a center of species `center` whose neighbors n have vectors `vectors[n]` (r_n − r_center),
    /// distances `distances[n]` = |vectors[n]| and species `species[n]`; with `gradients`, also
    /// ∂G_s/∂d_n at `gradients[s * count + n]` (count = number of neighbors; the gradient with
    /// respect to the center's position is minus their sum).
    public func evaluate(center: Int, vectors: [SIMD3<Double>], distances: [Double], species: [Int],
                         gradients: Bool) throws -> (values: [Double], gradients: [SIMD3<Double>]) {
        let nn = distances.count
        guard kernels.indices.contains(center) else {
            throw NNSwiftError.argument("center species \(center) is not in 0..<\(kernels.count)")
        }
        guard vectors.count == nn, species.count == nn else {
            throw NNSwiftError.argument("\(vectors.count) neighbor vectors, \(nn) distances and \(species.count) species do not match")
        }
        for n in 0..<nn {
            guard kernels.indices.contains(species[n]) else {
                throw NNSwiftError.argument("species \(species[n]) of neighbor \(n + 1) is not in 0..<\(kernels.count)")
            }
            guard distances[n] > 0, distances[n].isFinite else {
                throw NNSwiftError.argument("distance \(distances[n]) of neighbor \(n + 1) is not positive and finite")
            }
        }
        let kernel = kernels[center]
        let S = kernel.count
        let ws = pool.take(1)[0]
        defer { pool.give([ws]) }
        // Target of neighbor n is n itself, so the kernel's element-sorted order maps back through `ws.target`.
        let target = (0..<max(1, nn)).map { Int32(truncatingIfNeeded: $0) }
        let vec = nn > 0 ? vectors : [.zero], dist = nn > 0 ? distances : [1], sp = nn > 0 ? species : [0]
        var values = [Double](repeating: 0, count: S)
        var grad = [SIMD3<Double>](repeating: .zero, count: gradients ? S * nn : 0)
        sp.withUnsafeBufferPointer { spp in
            target.withUnsafeBufferPointer { tp in
                vec.withUnsafeBufferPointer { vp in
                    dist.withUnsafeBufferPointer { dp in
                        _ = kernel.forwardDescriptors(ws: ws, neighbors: 0..<nn, species: spp.baseAddress!, target: tp.baseAddress!,
                                                      vector: vp.baseAddress!, distance: dp.baseAddress!)
                    }
                }
            }
        }
        for s in 0..<S { values[s] = ws.g.base[s] }
        guard gradients, nn > 0 else { return (values, grad) }
        let dEdG = ws.dEdG.base
        for s in 0..<S { dEdG[s] = 0 }
        let x = ws.x.base, y = ws.y.base, z = ws.z.base, tgt = ws.target.base
        let gS = ws.gS.base, gX = ws.gX.base, gY = ws.gY.base, gZ = ws.gZ.base
        grad.withUnsafeMutableBufferPointer { out in
            for s in 0..<S {
                dEdG[s] = 1
                kernel.adjointDescriptors(ws: ws, nn: nn, mode: SparseAdjoint.self)
                dEdG[s] = 0
                let row = out.baseAddress! + s * nn
                for q in 0..<nn { row[tgt[q]] = gS[q] * SIMD3(x[q], y[q], z[q]) + SIMD3(gX[q], gY[q], gZ[q]) }
            }
        }
        return (values, grad)
    }
}

extension ElementKernel {
    /// A kernel for the functions alone: identity scaling and a network that is never evaluated.
    convenience init(functions: [SymmetryFunction], elements: [String]) {
        let S = functions.count
        let stats = [FunctionStatistics](repeating: FunctionStatistics(min: 0, max: 1, mean: 0, sigma: 1), count: S)
        self.init(element: ElementModel(element: "", symmetryFunctions: functions, scaling: Scaling(mode: .none, statistics: stats),
                                        network: DenseNetwork(inputs: S, hidden: [], activations: [])),
                  elements: elements, normalization: nil)
    }
}
