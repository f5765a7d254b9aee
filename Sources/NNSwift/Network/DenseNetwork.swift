/// One fully connected layer. Weights are stored input-major, `weights[i * outputs + o]`,
/// so the forward pass runs over contiguous outputs.
public struct DenseLayer: Equatable, Codable, Sendable {
    public var inputs: Int
    public var outputs: Int
    public var activation: Activation
    public var weights: [Double]
    public var biases: [Double]

    public init(inputs: Int, outputs: Int, activation: Activation, weights: [Double]? = nil, biases: [Double]? = nil) {
        self.inputs = inputs; self.outputs = outputs; self.activation = activation
        self.weights = weights ?? [Double](repeating: 0, count: inputs * outputs)
        self.biases = biases ?? [Double](repeating: 0, count: outputs)
    }

    public func weight(from i: Int, to o: Int) -> Double { weights[i * outputs + o] }
}

/// An atomic network: dense layers from the scaled symmetry functions to one atomic energy.
/// `normalizeNeurons` divides each pre-activation by the fan-in (n2p2's `normalize_nodes`).
public struct DenseNetwork: Equatable, Codable, Sendable {
    public var layers: [DenseLayer]
    public var normalizeNeurons: Bool

    public init(layers: [DenseLayer], normalizeNeurons: Bool = false) {
        self.layers = layers; self.normalizeNeurons = normalizeNeurons
    }

    /// A network with the given hidden sizes and activations and one linear output, zero weights.
    public init(inputs: Int, hidden: [Int], activations: [Activation], output: Activation = .identity) {
        var layers: [DenseLayer] = []
        var n = inputs
        for (h, a) in zip(hidden, activations) { layers.append(DenseLayer(inputs: n, outputs: h, activation: a)); n = h }
        layers.append(DenseLayer(inputs: n, outputs: 1, activation: output))
        self.init(layers: layers)
    }

    public var inputCount: Int { layers.first?.inputs ?? 0 }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.weights.count + $1.biases.count } }
    /// Largest layer width including the input: the size of per-layer scratch vectors.
    var maxWidth: Int { layers.reduce(inputCount) { max($0, $1.outputs) } }
    /// Total neurons over all layers (scratch for the backward pass).
    var neuronCount: Int { layers.reduce(0) { $0 + $1.outputs } }
}
