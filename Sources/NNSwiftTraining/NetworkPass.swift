import Foundation
import NNSwift

/// Where every trainable parameter of a model lives in one flat parameter vector θ:
/// per element, per layer, the weights (input-major, as DenseLayer stores them) then the biases;
/// then, when symmetry-function parameters are trained, one entry per free function parameter
/// (per element, per function, in `FunctionParameterKind` order) in its unconstrained form:
/// η = exp(θ), ζ = 1 + softplus(θ), R_s = θ, κ = θ.
public struct ParameterLayout: Sendable {
    public struct Layer: Sendable {
        public var inputs: Int, outputs: Int
        public var activation: Activation
        public var weightOffset: Int, biasOffset: Int
        /// Pre-activation factor: 1/inputs with n2p2's normalize_nodes, else 1.
        public var scale: Double
    }
    /// One trainable symmetry-function parameter.
    public struct FunctionParameter: Sendable {
        public var element: Int, function: Int
        public var kind: FunctionParameterKind
        public var offset: Int
    }
    /// Layers of each element's network (model species order).
    public var networks: [[Layer]]
    /// Number of weights and biases (the first entries of θ).
    public var networkCount: Int
    /// Trainable symmetry-function parameters (after the network entries); empty when the
    /// functions are fixed.
    public var functionParameters: [FunctionParameter] = []
    /// Per element: the indices into `functionParameters` of its parameters.
    public var elementFunctionParameters: [[Int]]
    /// Per element and function: whether any parameter of the function is trained.
    public var activeFunctions: [[Bool]]
    public var count: Int
    public var trainsFunctions: Bool { !functionParameters.isEmpty }

    public init(model: Model, trainSymmetryFunctions: Bool = false) {
        var offset = 0
        networks = model.species.map { e in
            e.network.layers.map { l in
                let layer = Layer(inputs: l.inputs, outputs: l.outputs, activation: l.activation, weightOffset: offset,
                                  biasOffset: offset + l.weights.count,
                                  scale: e.network.normalizeNeurons ? 1 / Double(l.inputs) : 1)
                offset += l.weights.count + l.biases.count
                return layer
            }
        }
        networkCount = offset
        elementFunctionParameters = model.species.map { _ in [] }
        activeFunctions = model.species.map { e in e.symmetryFunctions.map { _ in false } }
        if trainSymmetryFunctions {
            for (e, em) in model.species.enumerated() {
                for (s, f) in em.symmetryFunctions.enumerated() {
                    for k in FunctionParameterKind.trainable(f) {
                        elementFunctionParameters[e].append(functionParameters.count)
                        functionParameters.append(FunctionParameter(element: e, function: s, kind: k, offset: offset))
                        activeFunctions[e][s] = true
                        offset += 1
                    }
                }
            }
        }
        count = offset
    }

    /// The model's weights and biases as one vector.
    public static func parameters(of model: Model) -> [Double] {
        model.species.flatMap { $0.network.layers.flatMap { $0.weights + $0.biases } }
    }

    /// θ of `model` for this layout: weights and biases, then the unconstrained function parameters.
    public func parameters(of model: Model) -> [Double] {
        Self.parameters(of: model) + functionParameters.map { p in
            p.kind.raw(p.kind.value(of: model.species[p.element].symmetryFunctions[p.function]))
        }
    }

    /// `model` with its weights and biases replaced by `theta`.
    public static func apply(_ theta: [Double], to model: Model) -> Model {
        var m = model
        var offset = 0
        for e in m.species.indices {
            for l in m.species[e].network.layers.indices {
                let nw = m.species[e].network.layers[l].weights.count, nb = m.species[e].network.layers[l].biases.count
                m.species[e].network.layers[l].weights = Array(theta[offset..<(offset + nw)])
                m.species[e].network.layers[l].biases = Array(theta[(offset + nw)..<(offset + nw + nb)])
                offset += nw + nb
            }
        }
        return m
    }

    /// `model` with its weights, biases and trained symmetry-function parameters from `theta`.
    public func apply(_ theta: [Double], to model: Model) -> Model {
        var m = Self.apply(theta, to: model)
        for e in m.species.indices {
            m.species[e].symmetryFunctions = theta.withUnsafeBufferPointer { functions($0, base: m.species[e].symmetryFunctions, element: e) }
        }
        return m
    }

    /// The functions of element `e` with the trained parameters of `theta` substituted into `base`.
    public func functions(_ theta: UnsafeBufferPointer<Double>, base: [SymmetryFunction], element e: Int) -> [SymmetryFunction] {
        var fs = base
        for i in elementFunctionParameters[e] {
            let p = functionParameters[i]
            p.kind.set(&fs[p.function], p.kind.physical(theta[p.offset]))
        }
        return fs
    }

    var maxWidth: Int { networks.flatMap { $0 }.reduce(0) { max($0, $1.inputs, $1.outputs) } }
}

extension FunctionParameterKind {
    /// The free parameters of a function: G1 none; G2 η, R_s; G3 κ; G4/G5 η, R_s, ζ. Parameters
    /// on the boundary of their domain stay fixed: η = 0 (then R_s has no effect either) and
    /// ζ = 1 cannot be reached by η = exp(θ), ζ = 1 + softplus(θ).
    public static func trainable(_ f: SymmetryFunction) -> [FunctionParameterKind] {
        switch f.kind {
        case .g1: return []
        case .g2: return f.eta > 0 ? [.eta, .rs] : []
        case .g3: return [.kappa]
        case .g4, .g5: return (f.eta > 0 ? [.eta, .rs] : []) + (f.zeta > 1 ? [.zeta] : [])
        }
    }

    public func value(of f: SymmetryFunction) -> Double {
        switch self { case .eta: f.eta; case .rs: f.rs; case .kappa: f.kappa; case .zeta: f.zeta }
    }

    public func set(_ f: inout SymmetryFunction, _ v: Double) {
        switch self { case .eta: f.eta = v; case .rs: f.rs = v; case .kappa: f.kappa = v; case .zeta: f.zeta = v }
    }

    /// Unconstrained θ of a physical value.
    public func raw(_ v: Double) -> Double {
        switch self {
        case .eta: return Foundation.log(v)
        case .zeta:
            let y = v - 1  // softplus⁻¹(y) = y + log(1 − e^(−y))
            return y + Foundation.log(-Foundation.expm1(-y))
        case .rs, .kappa: return v
        }
    }

    /// Physical value of θ.
    public func physical(_ t: Double) -> Double {
        switch self {
        case .eta: return Foundation.exp(t)
        case .zeta: return 1 + Swift.max(t, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(t)))
        case .rs, .kappa: return t
        }
    }

    /// d(physical)/dθ.
    public func derivative(_ t: Double) -> Double {
        switch self {
        case .eta: return Foundation.exp(t)
        case .zeta: return 1 / (1 + Foundation.exp(-t))
        case .rs, .kappa: return 1
        }
    }
}

extension Activation {
    /// Second derivative at x, given f(x) and f'(x) from `apply`.
    @inline(__always)
    func secondDerivative(_ x: Double, f: Double, df: Double) -> Double {
        switch self {
        case .identity, .relu: return 0
        case .tanh: return -2 * f * df
        case .logistic: return df * (1 - 2 * f)
        case .softplus:
            if x > Activation.trainingExpLimit || x < -Activation.trainingExpLimit { return 0 }
            return df * (1 - df)
        case .gaussian: return (x * x - 1) * f
        case .cos: return -f
        case .reverseLogistic:
            let s = 1 - f
            return -(s * (1 - s) * (1 - 2 * s))
        case .exp: return f
        case .harmonic: return 2
        }
    }
    static let trainingExpLimit = 35.0
}

/// Forward, input-gradient and parameter-gradient passes of one atomic network on a flat
/// parameter vector, with every layer's pre-activations and activations kept.
///
/// The parameter gradient is that of Φ = α·E(x) + β·h(x), where h = Σ_s (∂E/∂x_s) w_s is the
/// derivative of the atomic energy along the input direction w (forward-over-reverse): α
/// carries the energy loss, β·w the force loss.
struct NetworkPass {
    let layers: [ParameterLayout.Layer]
    /// Per layer: pre-activation z, activation a, f'(z), f''(z).
    var z: [[Double]], a: [[Double]], d1: [[Double]], d2: [[Double]]
    /// Tangents ż, ȧ for the direction pass.
    var zt: [[Double]], at: [[Double]]
    var input: [Double]

    init(layers: [ParameterLayout.Layer]) {
        self.layers = layers
        z = layers.map { [Double](repeating: 0, count: $0.outputs) }
        a = z; d1 = z; d2 = z; zt = z; at = z
        input = [Double](repeating: 0, count: layers.first?.inputs ?? 0)
    }

    /// Atomic network output for input x (stored for the backward passes).
    mutating func forward(_ theta: UnsafeBufferPointer<Double>, input x: [Double]) -> Double {
        input = x
        for (l, layer) in layers.enumerated() {
            let nIn = layer.inputs, nOut = layer.outputs
            let prev = l == 0 ? input : a[l - 1]
            var zl = [Double](repeating: 0, count: nOut)
            for o in 0..<nOut { zl[o] = theta[layer.biasOffset + o] }
            for i in 0..<nIn {
                let xi = prev[i]
                if xi == 0 { continue }
                let row = layer.weightOffset + i * nOut
                for o in 0..<nOut { zl[o] += xi * theta[row + o] }
            }
            for o in 0..<nOut {
                let zz = zl[o] * layer.scale
                let (f, df) = layer.activation.apply(zz)
                z[l][o] = zz; a[l][o] = f; d1[l][o] = df
                d2[l][o] = layer.activation.secondDerivative(zz, f: f, df: df)
            }
        }
        return a[layers.count - 1][0]
    }

    /// ∂E/∂x of the last forward input.
    func inputGradient(_ theta: UnsafeBufferPointer<Double>) -> [Double] {
        var delta = [d1[layers.count - 1][0] * layers[layers.count - 1].scale]
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l]
            var prev = [Double](repeating: 0, count: layer.inputs)
            for i in 0..<layer.inputs {
                let row = layer.weightOffset + i * layer.outputs
                var s = 0.0
                for o in 0..<layer.outputs { s += theta[row + o] * delta[o] }
                prev[i] = s
            }
            if l == 0 { return prev }
            for i in 0..<layer.inputs { prev[i] *= d1[l - 1][i] * layers[l - 1].scale }
            delta = prev
        }
        return delta
    }

    /// Adds ∂Φ/∂θ to `grad` for Φ = α·E + β·Σ_s (∂E/∂x_s) w_s at the last forward input.
    /// `w` may be nil (β = 0). With `inputAdjoints` it also returns ∂Φ/∂x (x = network input;
    /// α ∂E/∂x + β H w) and ∂Φ/∂w (= β ∂E/∂x), which the symmetry-function parameter gradient needs.
    @discardableResult
    mutating func accumulateGradient(_ theta: UnsafeBufferPointer<Double>, alpha: Double, beta: Double, direction w: [Double]?,
                                     into grad: UnsafeMutableBufferPointer<Double>,
                                     inputAdjoints: Bool = false) -> (x: [Double], w: [Double])? {
        let L = layers.count
        let tangent = w != nil && beta != 0
        if tangent {
            // Forward tangent: ż_l = s W ȧ_{l-1}, ȧ_l = f'(z_l) ż_l, ȧ_0 = w.
            for (l, layer) in layers.enumerated() {
                let prev = l == 0 ? w! : at[l - 1]
                var zl = [Double](repeating: 0, count: layer.outputs)
                for i in 0..<layer.inputs {
                    let xi = prev[i]
                    if xi == 0 { continue }
                    let row = layer.weightOffset + i * layer.outputs
                    for o in 0..<layer.outputs { zl[o] += xi * theta[row + o] }
                }
                for o in 0..<layer.outputs {
                    zt[l][o] = zl[o] * layer.scale
                    at[l][o] = d1[l][o] * zt[l][o]
                }
            }
        }
        // Reverse: abar = ∂Φ/∂a_l, tbar = ∂Φ/∂ȧ_l.
        var abar = [alpha]
        var tbar = [tangent ? beta : 0]
        for l in stride(from: L - 1, through: 0, by: -1) {
            let layer = layers[l]
            let nIn = layer.inputs, nOut = layer.outputs
            // Adjoints of the pre-activation sums (before the scale factor).
            var pbar = [Double](repeating: 0, count: nOut)   // of  W a + b
            var ptbar = [Double](repeating: 0, count: nOut)  // of  W ȧ
            for o in 0..<nOut {
                var zb = abar[o] * d1[l][o]
                if tangent {
                    zb += tbar[o] * d2[l][o] * zt[l][o]
                    ptbar[o] = tbar[o] * d1[l][o] * layer.scale
                }
                pbar[o] = zb * layer.scale
            }
            let prevA = l == 0 ? input : a[l - 1]
            let prevT: [Double]? = tangent ? (l == 0 ? w! : at[l - 1]) : nil
            for o in 0..<nOut { grad[layer.biasOffset + o] += pbar[o] }
            for i in 0..<nIn {
                let row = layer.weightOffset + i * nOut
                let ai = prevA[i]
                if let prevT {
                    let ti = prevT[i]
                    for o in 0..<nOut { grad[row + o] += ai * pbar[o] + ti * ptbar[o] }
                } else if ai != 0 {
                    for o in 0..<nOut { grad[row + o] += ai * pbar[o] }
                }
            }
            if l == 0 && !inputAdjoints { break }
            var nextA = [Double](repeating: 0, count: nIn)
            var nextT = [Double](repeating: 0, count: nIn)
            for i in 0..<nIn {
                let row = layer.weightOffset + i * nOut
                var s = 0.0, t = 0.0
                for o in 0..<nOut { s += theta[row + o] * pbar[o] }
                if tangent { for o in 0..<nOut { t += theta[row + o] * ptbar[o] } }
                nextA[i] = s; nextT[i] = t
            }
            if l == 0 { return (nextA, nextT) }
            abar = nextA; tbar = nextT
        }
        return nil
    }
}
