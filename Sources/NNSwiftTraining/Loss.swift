import Foundation
import NNSwift

/// The training loss of a batch B and its exact gradient with respect to every weight and bias:
///
///     L = (1/|B|) Σ_b ((E_b − E_b^ref) / N_b)²  +  w_F · (1/C) Σ_{b,k,c} (F_bkc − F_bkc^ref)²
///         +  w_S · (1/C_S) Σ_{b,c} (σ_bc − σ_bc^ref)²
///
/// with each structure's terms multiplied by its weight ω_b (`PreparedStructure.weight`, 1 by default).
///
/// C = number of force components in B (structures with reference forces; with `forceAtoms`
/// only those atoms'), C_S = 6 × structures with a reference stress (Voigt components).
/// The stress term is the force term's twin: σ = (1/V) Σ_i Σ_s (∂E_i/∂x_is) c_s Ξ_is, so its
/// adjoint adds −(1/V) Σ_c λ_c Ξ_isc to the same direction u (see `StressVoigt`).
/// Energy part: backpropagation through each atomic network. Force part: with v_k = ∂L/∂F_k,
/// ∂L/∂θ = −Σ_i ∂/∂θ [Σ_s (∂E_i/∂x_is) c_s u_is], u_is = Σ_k (∂G_is/∂r_k)·v_k, computed
/// analytically from the stored descriptor Jacobian; the bracket is the derivative of the atomic
/// network along the input direction c·u, differentiated by a forward-over-reverse pass.
public struct LossFunction: Sendable {
    public let layout: ParameterLayout
    /// Per element: scaled x_s = offset_s + factor_s (G_s − shift_s). The scaling statistics
    /// are fixed for the whole run, also when the function parameters are trained.
    let offset: [[Double]], factor: [[Double]], shift: [[Double]]
    public var forceWeight: Double
    /// Weight w_S of the stress term (0 = not trained). Not combined with trained function
    /// parameters (∂Ξ/∂p is not implemented; `TrainingConfig.validate` refuses it).
    public var stressWeight: Double
    let elements: [String]
    /// The model's functions (trained parameters are substituted from θ) and their neighbor species.
    let baseFunctions: [[SymmetryFunction]]
    let neighbors: [[[Int]]]
    /// The kernel of the model's functions, for recomputed derivatives (nil only for a model whose
    /// functions name an unknown element, which `TrainingSetup.prepare` has refused).
    let kernel: DescriptorKernel?
    /// Atomic energy = network output · energyScale + energyShift: the model's normalization
    /// (1/convEnergy, meanEnergy), as in the evaluation kernel; (1, 0) without one.
    let energyScale: Double, energyShift: Double

    public init(model: Model, forceWeight: Double, trainSymmetryFunctions: Bool = false, stressWeight: Double = 0) {
        energyScale = model.normalization.map { 1 / $0.convEnergy } ?? 1
        energyShift = model.normalization?.meanEnergy ?? 0
        layout = ParameterLayout(model: model, trainSymmetryFunctions: trainSymmetryFunctions)
        let c = model.species.map { e in (0..<e.symmetryFunctions.count).map { e.scaling.coefficients($0) } }
        offset = c.map { $0.map(\.offset) }; factor = c.map { $0.map(\.factor) }; shift = c.map { $0.map(\.shift) }
        self.forceWeight = forceWeight
        self.stressWeight = stressWeight
        elements = model.elements
        baseFunctions = model.species.map(\.symmetryFunctions)
        neighbors = (try? DescriptorCalculator.neighborIndices(elements: model.elements, functions: baseFunctions)) ?? []
        kernel = try? DescriptorKernel(functions: baseFunctions, elements: model.elements)
    }

    /// Prediction and errors of one structure.
    public struct StructureResult: Sendable {
        public var energy: Double
        public var forces: [SIMD3<Double>]
        /// Voigt stress (empty unless requested for a structure with a reference stress).
        public var stress: [Double] = []
    }

    func scaled(_ g: [Double], species e: Int) -> [Double] {
        var x = g
        for s in x.indices { x[s] = Scaling.apply(g[s], offset: offset[e][s], factor: factor[e][s], shift: shift[e][s]) }
        return x
    }

    /// The functions of every element at θ; nil when the function parameters are not trained.
    public func functions(_ theta: UnsafeBufferPointer<Double>) -> [[SymmetryFunction]]? {
        guard layout.trainsFunctions else { return nil }
        return baseFunctions.indices.map { layout.functions(theta, base: baseFunctions[$0], element: $0) }
    }

    /// Descriptors of `p`: the precomputed ones, or recomputed from its stored environments
    /// with the functions `fs` (trained parameters).
    func descriptors(_ p: PreparedStructure, functions fs: [[SymmetryFunction]]?, jacobian: Bool, strain: Bool = false) -> [AtomDescriptors] {
        guard let fs else {
            guard (jacobian || strain) && p.structure != nil, let kernel else { return p.descriptors }
            // Cannot fail: the same neighbor search succeeded when the structure was prepared.
            return (try? DescriptorCalculator.derivatives(of: p, elements: elements, functions: baseFunctions, kernel: kernel,
                                                          jacobian: jacobian, strain: strain)) ?? p.descriptors
        }
        guard let env = p.environments else {
            preconditionFailure("trainable symmetry functions need structures prepared with environments: true")
        }
        // Cannot fail: trained parameters keep each function's elements, and the environments were built by `prepare`.
        guard let trained = try? DescriptorKernel(functions: fs, elements: elements),
              let d = try? env.indices.map({ i in
                  try DescriptorCalculator.descriptors(env[i], kernel: trained, species: p.species[i], jacobian: jacobian)
              }) else { return p.descriptors }
        return d
    }

    /// Energy (network part, without the reference energies), forces and (with `stress`, for a
    /// structure with a reference stress) the Voigt stress of one structure.
    public func predict(_ p: PreparedStructure, theta: UnsafeBufferPointer<Double>, forces: Bool, stress: Bool = false) -> StructureResult {
        let st = stress && p.stress != nil
        return predict(p, descriptors: descriptors(p, functions: functions(theta), jacobian: forces, strain: st), theta: theta,
                       forces: forces, stress: st)
    }

    func predict(_ p: PreparedStructure, descriptors: [AtomDescriptors], theta: UnsafeBufferPointer<Double>, forces: Bool,
                 stress: Bool = false) -> StructureResult {
        var passes = layout.networks.map { NetworkPass(layers: $0) }
        var energy = 0.0
        var f = [SIMD3<Double>](repeating: .zero, count: forces ? p.atoms : 0)
        var sigma = [Double](repeating: 0, count: stress ? 6 : 0)
        for (i, d) in descriptors.enumerated() {
            let e = p.species[i]
            energy += passes[e].forward(theta, input: scaled(d.values, species: e)) * energyScale + energyShift
            if forces || stress {
                let dEdx = passes[e].inputGradient(theta).map { $0 * energyScale }
                let S = d.values.count
                for (a, atom) in d.atoms.enumerated() where forces {
                    var acc = SIMD3<Double>.zero
                    for s in 0..<S { acc += (dEdx[s] * factor[e][s]) * d.jacobian[a * S + s] }
                    f[atom] -= acc
                }
                if stress, d.strain.count == 6 * S {
                    for c in 0..<6 { for s in 0..<S { sigma[c] += dEdx[s] * factor[e][s] * d.strain[c * S + s] } }
                }
            }
        }
        if stress, p.volume > 0 { for c in 0..<6 { sigma[c] /= p.volume } }
        return StructureResult(energy: energy, forces: f, stress: sigma)
    }

    /// Batch-wide normalizers: 1/|B|, w_F/C and w_S/C_S.
    public struct Weights: Sendable {
        public var energy: Double
        public var force: Double
        public var stress: Double = 0

        /// The normalizers of one structure with loss weight ω.
        func scaled(by omega: Double) -> Weights { Weights(energy: energy * omega, force: force * omega, stress: stress * omega) }
    }

    public func weights(for batch: [PreparedStructure]) -> Weights {
        let comps = batch.reduce(0) { $0 + $1.forceComponents }
        let stressComps = batch.reduce(0) { $0 + ($1.stress == nil ? 0 : 6) }
        return Weights(energy: 1 / Double(max(1, batch.count)), force: comps > 0 ? forceWeight / Double(comps) : 0,
                       stress: stressComps > 0 ? stressWeight / Double(stressComps) : 0)
    }

    /// Loss contribution of one structure and its gradient (added to `grad`).
    ///
    /// With trained function parameters p of function s (element e), additionally
    /// ∂L/∂p = Σ_i [ (∂Φ_i/∂x_is) c_s ∂G_is/∂p + (∂Φ_i/∂w_is) c_s ∂u_is/∂p ],
    /// Φ_i = α E_i + β Σ_s (∂E_i/∂x_s) w_s, w = c·u: the first term carries the energy loss and,
    /// through the Hessian-vector part of ∂Φ/∂x, the dependence of ∂E/∂x on G; the second the
    /// mixed derivative ∂²G/∂r∂p contracted with v (∂Φ/∂w = β ∂E/∂x). Chain rule to the
    /// unconstrained θ (η = e^θ, ζ = 1 + softplus θ) at the end.
    public func lossAndGradient(_ p: PreparedStructure, theta: UnsafeBufferPointer<Double>, weights w: Weights,
                                grad: UnsafeMutableBufferPointer<Double>?) -> Double {
        lossAndGradient(p, theta: theta, weights: w, grad: grad, functions: functions(theta))
    }

    func lossAndGradient(_ p: PreparedStructure, theta: UnsafeBufferPointer<Double>, weights batchWeights: Weights,
                         grad: UnsafeMutableBufferPointer<Double>?, functions fs: [[SymmetryFunction]]?) -> Double {
        let w = batchWeights.scaled(by: p.weight)
        let useForces = w.force > 0 && p.forces != nil
        let useStress = w.stress > 0 && p.stress != nil && fs == nil
        var passes = layout.networks.map { NetworkPass(layers: $0) }
        let descs = descriptors(p, functions: fs, jacobian: useForces, strain: useStress)
        let pred = predict(p, descriptors: descs, theta: theta, forces: useForces, stress: useStress)
        let n = Double(p.atoms)
        let de = (pred.energy - p.targetEnergy) / n
        var loss = w.energy * de * de
        var v = [SIMD3<Double>]()
        if useForces {
            v = [SIMD3<Double>](repeating: .zero, count: p.atoms)
            for k in p.forceAtoms ?? Array(0..<p.atoms) {
                let diff = pred.forces[k] - p.forces![k]
                loss += w.force * (diff * diff).sum()
                v[k] = 2 * w.force * diff
            }
        }
        // λ_c = ∂L/∂σ_c / V: the stress adjoint, contracted with Ξ below.
        var lambda = [Double](repeating: 0, count: 6)
        if useStress {
            for c in 0..<6 {
                let diff = pred.stress[c] - p.stress![c]
                loss += w.stress * diff * diff
                lambda[c] = 2 * w.stress * diff / p.volume
            }
        }
        guard let grad else { return loss }
        let alpha = 2 * w.energy * de / n * energyScale
        var dG: [Double] = [], du: [Double] = []
        for (i, d) in descs.enumerated() {
            let e = p.species[i]
            _ = passes[e].forward(theta, input: scaled(d.values, species: e))
            var dir: [Double]? = nil
            if useForces || useStress {
                let S = d.values.count
                var u = [Double](repeating: 0, count: S)
                for (a, atom) in d.atoms.enumerated() where useForces {
                    let va = v[atom]
                    if va == .zero { continue }
                    for s in 0..<S { u[s] += (d.jacobian[a * S + s] * va).sum() }
                }
                if useStress, d.strain.count == 6 * S {
                    for c in 0..<6 { for s in 0..<S { u[s] -= lambda[c] * d.strain[c * S + s] } }
                }
                for s in 0..<S { u[s] *= factor[e][s] }
                dir = u
            }
            let trained = fs != nil && !layout.elementFunctionParameters[e].isEmpty
            let adj = passes[e].accumulateGradient(theta, alpha: alpha, beta: -energyScale, direction: dir, into: grad, inputAdjoints: trained)
            guard trained, let fs, let adj, let env = p.environments else { continue }
            DescriptorCalculator.parameterDerivatives(env[i], functions: fs[e], neighbors: neighbors[e], active: layout.activeFunctions[e],
                                                      v: useForces ? v : nil, dG: &dG, du: &du)
            for idx in layout.elementFunctionParameters[e] {
                let q = layout.functionParameters[idx]
                let s = q.function, k = 4 * s + q.kind.slot
                var g = adj.x[s] * factor[e][s] * dG[k]
                if useForces { g += adj.w[s] * factor[e][s] * du[k] }
                grad[q.offset] += g * q.kind.derivative(theta[q.offset])
            }
        }
        return loss
    }

    /// True when only the energy term is trained with weights `w` (no force, stress or
    /// function-parameter term): `PackedEnergySet` evaluates such a loss as batched network passes.
    func isEnergyOnly(_ w: Weights) -> Bool { w.force == 0 && w.stress == 0 && !layout.trainsFunctions }

    /// Loss and gradient of a batch, parallel over structures; the per-structure gradients are
    /// summed in structure order, so the result does not depend on the number of threads.
    /// `threads`: nil = one work item per structure on all cores (Dispatch); n = n workers,
    /// worker w taking structures w, w + n, … (1 = serial on the calling thread).
    public func batch(_ items: [PreparedStructure], theta: [Double], gradient: Bool = true, threads: Int? = nil) -> (loss: Double, gradient: [Double]) {
        let w = weights(for: items)
        if isEnergyOnly(w) {
            let r = PackedEnergySet(items, loss: self).evaluate(theta: theta, weight: w.energy, gradient: gradient, errors: false,
                                                                loss: self, threads: threads)
            return (r.loss, r.gradient)
        }
        let P = layout.count
        var losses = [Double](repeating: 0, count: items.count)
        var grads = [Double](repeating: 0, count: gradient ? items.count * P : 0)
        theta.withUnsafeBufferPointer { th in
            let fs = functions(th)
            losses.withUnsafeMutableBufferPointer { lp in
                grads.withUnsafeMutableBufferPointer { gp in
                    // An empty array's base address is the shared empty-storage singleton: never write there.
                    let lbase = lp.baseAddress!, gbase = gradient ? gp.baseAddress : nil
                    func one(_ b: Int) {
                        let g = gbase.map { UnsafeMutableBufferPointer(start: $0 + b * P, count: P) }
                        lbase[b] = lossAndGradient(items[b], theta: th, weights: w, grad: g, functions: fs)
                    }
                    parallelFor(items.count, threads: threads, one)
                }
            }
        }
        var total = [Double](repeating: 0, count: gradient ? P : 0)
        if gradient {
            for b in 0..<items.count { for k in 0..<P { total[k] += grads[b * P + k] } }
        }
        return (losses.reduce(0, +), total)
    }
}
