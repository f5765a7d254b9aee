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
