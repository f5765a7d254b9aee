import Foundation
import NNSwift

/// A set of structures packed for the energy-only loss: per element, the scaled network inputs
/// of its atoms as one contiguous row-major matrix (one row per atom), so each element's network
/// runs as a few dense matrix passes over all its atoms instead of one small pass per atom with
/// per-atom arrays. Used whenever neither forces, stress nor symmetry-function parameters enter
/// the loss (`LossFunction.batch`, the L-BFGS loss surface, `Trainer.metrics`).
///
/// The structures are cut into blocks of consecutive structures of about `blockAtoms` atoms.
/// Each block's loss and gradient go to its own slot and the slots are added in block order, so
/// the result does not depend on the number of threads (the blocks depend on the data only).
struct PackedEnergySet {
    static let blockAtoms = 128

    struct Block {
        var structures: Range<Int>
        /// Per element: number of rows, scaled inputs (rows × S) and each row's structure.
        var rows: [Int]
        var inputs: [[Double]]
        var owner: [[Int]]
        /// Element, row and block-local structure of every atom of the block's structures, in
        /// structure then atom order.
        var atomRow: [(element: Int, row: Int, structure: Int)]
    }

    let items: [PreparedStructure]
    let blocks: [Block]
    let networks: [[ParameterLayout.Layer]]
    let parameterCount: Int
    let energyScale: Double, energyShift: Double

    init(_ items: [PreparedStructure], loss: LossFunction) {
        self.items = items
        networks = loss.layout.networks
        parameterCount = loss.layout.count
        energyScale = loss.energyScale; energyShift = loss.energyShift
        let E = networks.count
        var blocks: [Block] = []
        var start = 0
        while start < items.count {
            var end = start, atoms = 0
            while end < items.count && (end == start || atoms + items[end].atoms <= Self.blockAtoms) {
                atoms += items[end].atoms; end += 1
            }
            var b = Block(structures: start..<end, rows: [Int](repeating: 0, count: E),
                          inputs: [[Double]](repeating: [], count: E), owner: [[Int]](repeating: [], count: E), atomRow: [])
            for s in start..<end {
                let p = items[s]
                for (i, d) in p.descriptors.enumerated() {
                    let e = p.species[i]
                    b.atomRow.append((e, b.rows[e], s - start))
                    b.rows[e] += 1
                    b.owner[e].append(s)
                    for k in d.values.indices {
                        b.inputs[e].append(Scaling.apply(d.values[k], offset: loss.offset[e][k], factor: loss.factor[e][k], shift: loss.shift[e][k]))
                    }
                }
            }
            blocks.append(b)
            start = end
        }
        self.blocks = blocks
    }

    /// Activations and activation derivatives of every layer of one network over `rows` inputs.
    struct Pass {
        var a: [[Double]], d1: [[Double]]
    }

    /// Forward pass of `layers` over the row-major inputs `x` (rows × inputs of the first layer).
    /// Same operation order per row as `NetworkPass.forward`.
    static func forward(_ theta: UnsafeBufferPointer<Double>, layers: [ParameterLayout.Layer], x: [Double], rows: Int) -> Pass {
        var pass = Pass(a: [], d1: [])
        for (l, layer) in layers.enumerated() {
            let nIn = layer.inputs, nOut = layer.outputs
            var a = [Double](repeating: 0, count: rows * nOut), d1 = a
            let prev = l == 0 ? x : pass.a[l - 1]
            prev.withUnsafeBufferPointer { xp in
                a.withUnsafeMutableBufferPointer { ap in
                    d1.withUnsafeMutableBufferPointer { dp in
                        for r in 0..<rows {
                            let z = ap.baseAddress! + r * nOut, xr = xp.baseAddress! + r * nIn
                            for o in 0..<nOut { z[o] = theta[layer.biasOffset + o] }
                            for i in 0..<nIn {
                                let xi = xr[i], w = theta.baseAddress! + layer.weightOffset + i * nOut
                                for o in 0..<nOut { z[o] += xi * w[o] }
                            }
                            for o in 0..<nOut {
                                let (f, df) = layer.activation.apply(z[o] * layer.scale)
                                z[o] = f; dp[r * nOut + o] = df
                            }
                        }
                    }
                }
            }
            pass.a.append(a); pass.d1.append(d1)
        }
        return pass
    }

    /// Reverse pass from ∂L/∂(output) per row (`outBar`): adds ∂L/∂θ to `grad` when given and
    /// returns ∂L/∂x per row (rows × inputs) when `inputAdjoint`.
    static func backward(_ theta: UnsafeBufferPointer<Double>, layers: [ParameterLayout.Layer], x: [Double], pass: Pass, rows: Int,
                         outBar: [Double], grad: UnsafeMutablePointer<Double>?, inputAdjoint: Bool) -> [Double] {
        var abar = outBar
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l], nIn = layer.inputs, nOut = layer.outputs
            // ∂L/∂(W a + b): abar · f'(z) · scale.
            let d1 = pass.d1[l], scale = layer.scale
            var pbar = [Double](repeating: 0, count: rows * nOut)
            for k in pbar.indices { pbar[k] = abar[k] * d1[k] * scale }
            let prev = l == 0 ? x : pass.a[l - 1]
            if let grad {
                prev.withUnsafeBufferPointer { xp in
                    pbar.withUnsafeBufferPointer { pp in
                        let gb = grad + layer.biasOffset
                        for r in 0..<rows {
                            let pr = pp.baseAddress! + r * nOut, xr = xp.baseAddress! + r * nIn
                            for o in 0..<nOut { gb[o] += pr[o] }
                            for i in 0..<nIn {
                                let xi = xr[i], gw = grad + layer.weightOffset + i * nOut
                                for o in 0..<nOut { gw[o] += xi * pr[o] }
                            }
                        }
                    }
                }
            }
            if l == 0 && !inputAdjoint { return [] }
            var next = [Double](repeating: 0, count: rows * nIn)
            pbar.withUnsafeBufferPointer { pp in
                next.withUnsafeMutableBufferPointer { np in
                    for r in 0..<rows {
                        let pr = pp.baseAddress! + r * nOut
                        for i in 0..<nIn {
                            let w = theta.baseAddress! + layer.weightOffset + i * nOut
                            var s = 0.0
                            for o in 0..<nOut { s += w[o] * pr[o] }
                            np[r * nIn + i] = s
                        }
                    }
                }
            }
            abar = next
        }
        return abar
    }

    /// Network energies (without reference energies) of the block's structures and the passes.
    func energies(_ b: Block, theta: UnsafeBufferPointer<Double>) -> (energy: [Double], passes: [Pass?]) {
        var passes: [Pass?] = []
        for e in networks.indices {
            passes.append(b.rows[e] == 0 ? nil : Self.forward(theta, layers: networks[e], x: b.inputs[e], rows: b.rows[e]))
        }
        // Network outputs per element (the last layer has one unit, so row r is entry r).
        let outputs = passes.map { $0?.a.last ?? [] }
        var energy = [Double](repeating: 0, count: b.structures.count)
        for (e, r, j) in b.atomRow { energy[j] += outputs[e][r] * energyScale + energyShift }
        return (energy, passes)
    }

    /// Per structure: squared energy error per atom, squared force error summed over components
    /// and number of force components (0 without reference forces), as `Trainer.metrics` needs.
    struct Errors {
        var e2: [Double], f2: [Double], components: [Int]
        /// Loss weight ω of each structure (the loss is weighted, the RMSEs are not).
        var weights: [Double]
        func metrics(forceWeight: Double) -> ErrorMetrics {
            ErrorMetrics(energySquares: e2, forceSquares: f2, forceComponents: components, weights: weights, forceWeight: forceWeight)
        }
    }

    /// Energy-only loss (1/|B|) Σ ω ((E − E_ref)/N)² with `weight` = 1/|B| (as `LossFunction.batch`),
    /// its gradient when `gradient`, and the per-structure errors when `errors`, from one forward
    /// pass (forces from ∂E/∂x of a second reverse pass and the stored descriptor Jacobian,
    /// recomputed through `loss` for structures that do not keep it).
    func evaluate(theta: [Double], weight w: Double, gradient: Bool, errors: Bool, loss lf: LossFunction,
                  threads: Int?) -> (loss: Double, gradient: [Double], errors: Errors?) {
        let P = parameterCount
        var losses = [Double](repeating: 0, count: blocks.count)
        var grads = [Double](repeating: 0, count: gradient ? blocks.count * P : 0)
        var out = Errors(e2: [Double](repeating: 0, count: errors ? items.count : 0), f2: [Double](repeating: 0, count: errors ? items.count : 0),
                         components: [Int](repeating: 0, count: errors ? items.count : 0),
                         weights: errors ? items.map(\.weight) : [])
        theta.withUnsafeBufferPointer { th in
            losses.withUnsafeMutableBufferPointer { lp in
            grads.withUnsafeMutableBufferPointer { gp in
            out.e2.withUnsafeMutableBufferPointer { ep in
            out.f2.withUnsafeMutableBufferPointer { fp in
            out.components.withUnsafeMutableBufferPointer { cp in
                // An empty array's base address is the shared empty-storage singleton: never write there.
                let lbase = lp.baseAddress!, gbase = gradient ? gp.baseAddress : nil
                let ebase = errors ? ep.baseAddress : nil, fbase = errors ? fp.baseAddress : nil, cbase = errors ? cp.baseAddress : nil
                parallelFor(blocks.count, threads: threads) { k in
                    let b = blocks[k], first = b.structures.lowerBound
                    let (energy, passes) = energies(b, theta: th)
                    // ∂L/∂(network output) per structure.
                    var alpha = [Double](repeating: 0, count: energy.count)
                    var l = 0.0
                    for j in energy.indices {
                        let p = items[first + j]
                        let n = Double(p.atoms), de = (energy[j] - p.targetEnergy) / n
                        l += w * p.weight * de * de
                        alpha[j] = 2 * w * p.weight * de / n * energyScale
                        ebase?[first + j] = de * de
                    }
                    lbase[k] = l
                    if let g = gbase.map({ $0 + k * P }) {
                        for e in networks.indices {
                            guard let pass = passes[e] else { continue }
                            _ = Self.backward(th, layers: networks[e], x: b.inputs[e], pass: pass, rows: b.rows[e],
                                              outBar: b.owner[e].map { alpha[$0 - first] }, grad: g, inputAdjoint: false)
                        }
                    }
                    guard errors, b.structures.contains(where: { items[$0].forces != nil }), let fbase, let cbase else { return }
                    let dEdx = networks.indices.map { e in
                        passes[e].map { Self.backward(th, layers: networks[e], x: b.inputs[e], pass: $0, rows: b.rows[e],
                                                      outBar: [Double](repeating: energyScale, count: b.rows[e]), grad: nil, inputAdjoint: true) } ?? []
                    }
                    forceErrors(b, dEdx: dEdx, loss: lf, f2: fbase, components: cbase)
                }
            }
            }
            }
            }
            }
        }
        var total = [Double](repeating: 0, count: gradient ? P : 0)
        if gradient {
            grads.withUnsafeBufferPointer { gp in
                for k in blocks.indices { for i in 0..<P { total[i] += gp[k * P + i] } }
            }
        }
        return (losses.reduce(0, +), total, errors ? out : nil)
    }

    /// Squared force errors of the block's structures with reference forces, F = −Σ ∂E/∂x · c ∂G/∂r
    /// (`dEdx` per element and row, including the energy scale).
    func forceErrors(_ b: Block, dEdx: [[Double]], loss: LossFunction, f2: UnsafeMutablePointer<Double>, components: UnsafeMutablePointer<Int>) {
        var atom0 = 0
        var c = [Double](repeating: 0, count: networks.map { $0.first?.inputs ?? 0 }.max() ?? 0)
        for s in b.structures {
            let p = items[s]
            defer { atom0 += p.atoms }
            guard let ref = p.forces else { continue }
            let descs = loss.descriptors(p, functions: nil, jacobian: true)
            var f = [SIMD3<Double>](repeating: .zero, count: p.atoms)
            for (i, d) in descs.enumerated() {
                let (e, r, _) = b.atomRow[atom0 + i]
                let S = d.values.count
                // c_t = ∂E/∂x_t · factor_t (= ∂E/∂G_t), then F_atom −= Σ_t c_t ∂G_t/∂r_atom.
                for t in 0..<S { c[t] = dEdx[e][r * S + t] * loss.factor[e][t] }
                d.jacobian.withUnsafeBufferPointer { jp in
                    for (a, atom) in d.atoms.enumerated() {
                        var acc = SIMD3<Double>.zero
                        let ja = jp.baseAddress! + a * S
                        for t in 0..<S { acc += c[t] * ja[t] }
                        f[atom] -= acc
                    }
                }
            }
            var sum = 0.0
            for i in 0..<p.atoms { let d = f[i] - ref[i]; sum += (d * d).sum() }
            f2[s] = sum; components[s] = 3 * p.atoms
        }
    }
}

extension ErrorMetrics {
    /// Metrics from per-structure squared errors and loss weights (`s2`: summed squared stress
    /// errors, `stressComponents` of them), summed in structure order. The RMSEs are unweighted;
    /// the loss is the training loss, each structure's terms times its weight.
    init(energySquares e2: [Double], forceSquares f2: [Double], forceComponents fc: [Int], weights: [Double], forceWeight: Double,
         stressSquares s2: [Double] = [], stressComponents: Int = 0, stressWeight: Double = 0) {
        let components = fc.reduce(0, +)
        let n = Double(max(1, e2.count)), nf = Double(max(1, components)), ns = Double(max(1, stressComponents))
        let eMSE = e2.reduce(0, +) / n, fMSE = f2.reduce(0, +) / nf, sMSE = s2.reduce(0, +) / ns
        func weighted(_ x: [Double]) -> Double { zip(x, weights).reduce(0) { $0 + $1.0 * $1.1 } }
        let loss = weighted(e2) / n + (components > 0 ? forceWeight * (weighted(f2) / nf) : 0)
            + (stressComponents > 0 ? stressWeight * (weighted(s2) / ns) : 0)
        self.init(energyRMSE: eMSE.squareRoot(), forceRMSE: fMSE.squareRoot(), loss: loss, stressRMSE: sMSE.squareRoot())
    }
}
