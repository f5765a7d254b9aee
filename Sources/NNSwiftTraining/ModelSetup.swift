import Foundation
import NNSwift

/// Hidden layers in the paper's notation: widths joined by '-', each followed by an n2p2
/// activation letter, e.g. `30t-30t` or `40t-20t-20t-10t`. The output neuron is linear.
public struct Architecture: Equatable, Sendable, CustomStringConvertible {
    public var hidden: [(width: Int, activation: Activation)]

    public init(_ text: String) throws {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !text.isEmpty else { throw NNSwiftError.argument("empty architecture string") }
        hidden = try parts.map { p in
            guard let last = p.last, let act = Activation(rawValue: String(last)), let w = Int(p.dropLast()), w > 0 else {
                throw NNSwiftError.argument("architecture layer '\(p)' is not <width><activation letter> (e.g. 30t)")
            }
            return (w, act)
        }
    }

    public var description: String { hidden.map { "\($0.width)\($0.activation.rawValue)" }.joined(separator: "-") }

    public static func == (l: Architecture, r: Architecture) -> Bool { l.description == r.description }

    /// A network for `inputs` symmetry functions with Glorot-uniform weights from `rng` and zero biases;
    /// the output layer starts at a tenth of that scale so the initial energies are small.
    /// Throws when the network would exceed `ModelLimits.maxNetworkParameters` (before allocating).
    public func network(inputs: Int, rng: inout SeededGenerator) throws -> DenseNetwork {
        do { _ = try DenseNetwork.checkedParameterCount(widths: [inputs] + hidden.map(\.width) + [1]) } catch {
            throw NNSwiftError.argument("config: architecture '\(description)' with \(inputs) symmetry functions: \(error)")
        }
        var net = DenseNetwork(inputs: inputs, hidden: hidden.map(\.width), activations: hidden.map(\.activation))
        for l in net.layers.indices {
            let layer = net.layers[l]
            var limit = (6.0 / Double(layer.inputs + layer.outputs)).squareRoot()
            if l == net.layers.count - 1 { limit *= 0.1 }
            net.layers[l].weights = (0..<layer.weights.count).map { _ in (2 * rng.unit() - 1) * limit }
        }
        return net
    }
}

/// Generated symmetry-function sets.
public enum SymmetryFunctionPreset: String, Codable, Sendable, CaseIterable {
    /// The paper's 24 radial functions: 8 G1 (cutoff radii spread from rmin + 1 to R_c),
    /// 8 G2 (Gaussians centred on a grid rmin..R_c), 8 G3 (κ = kπ/R_c, k = 1..8), cosine cutoff.
    case radial24 = "radial24"
    /// Radial + angular: 12 G2 (8 shifted + 4 centred) and 24 G5 (ζ ∈ {1, 2, 4, 16},
    /// λ = ±1, η ∈ {0, 0.01, 0.04}/Å²) — 36 per element pair like the paper's Aenet set.
    case radialAngular = "radial-angular"

    /// Functions for a center element given all `elements`: radial ones per neighbor element,
    /// angular ones per unordered neighbor pair.
    public func functions(elements: [String], cutoff rc: Double, rmin: Double = 2.0) -> [SymmetryFunction] {
        let cut = CutoffFunction.cosine(rc)
        var out: [SymmetryFunction] = []
        func grid(_ a: Double, _ b: Double, _ n: Int) -> [Double] { (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) } }
        switch self {
        case .radial24:
            for e in elements {
                for r in grid(rmin + 1, rc, 8) { out.append(.g1(e, cutoff: .cosine(r))) }
                let centres = grid(rmin, rc - 0.5, 8)
                let step = centres[1] - centres[0]
                for rs in centres { out.append(.g2(e, eta: 1 / (2 * step * step), rs: rs, cutoff: cut)) }
                for k in 1...8 { out.append(.g3(e, kappa: Double(k) * Double.pi / rc, cutoff: cut)) }
            }
        case .radialAngular:
            for e in elements {
                let centres = grid(rmin, rc - 0.5, 8)
                let step = centres[1] - centres[0]
                for rs in centres { out.append(.g2(e, eta: 1 / (2 * step * step), rs: rs, cutoff: cut)) }
                for w in [0.5, 1.0, 1.5, 2.5] { out.append(.g2(e, eta: 1 / (2 * (w * rc / 3) * (w * rc / 3)), rs: 0, cutoff: cut)) }
            }
            for (i, a) in elements.enumerated() {
                for b in elements[i...] {
                    for eta in [0.0, 0.01, 0.04] {
                        for zeta in [1.0, 2.0, 4.0, 16.0] {
                            for lambda in [1.0, -1.0] {
                                out.append(.g5(a, b, eta: eta, lambda: lambda, zeta: zeta, cutoff: cut))
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Descriptors and reference data of one structure, precomputed for training.
public struct PreparedStructure: Sendable {
    public var atoms: Int
    public var species: [Int]
    public var descriptors: [AtomDescriptors]
    /// Reference energy minus the per-element reference energies (what the networks learn).
    public var targetEnergy: Double
    public var referenceEnergy: Double
    public var forces: [SIMD3<Double>]?
    /// The pair baseline's energy and forces, already subtracted from `referenceEnergy` and
    /// `forces` (0 and nil without a baseline); added back where totals are reported.
    public var baselineEnergy: Double = 0
    public var baselineForces: [SIMD3<Double>]? = nil
    /// Neighbor geometry of every atom, kept when the function parameters are trained
    /// (descriptors are then recomputed from it at every step).
    public var environments: [AtomEnvironment]? = nil
    /// Reference stress (Voigt components, `StressVoigt`) and cell volume; nil when the
    /// structure has no stress, is not periodic in all three directions, or stress is not trained.
    public var stress: [Double]? = nil
    public var volume: Double = 0
    /// The structure, kept when its descriptor derivatives are not stored (memory budget):
    /// they are then recomputed from it whenever forces or stress are needed.
    public var structure: Structure? = nil
    /// Atoms whose force components enter the loss (sorted); nil = all. Set per epoch by the
    /// trainer for `forceFraction` < 1.
    public internal(set) var forceAtoms: [Int]? = nil
    /// Bytes the stored ∂G/∂r (and Ξ) of this structure take (or would take).
    public internal(set) var derivativeBytes: Int = 0
    /// File, line and index of the structure, for error messages (nil when not read from a file).
    public var origin: StructureOrigin? = nil
    /// Loss weight ω of the structure (config `structureWeights`): it counts ω times in every loss term.
    public var weight: Double = 1
}

public enum TrainingSetup {
    /// Precomputes descriptors (and their Jacobians when `jacobian`) of `structures` in parallel.
    /// With `environments` the neighbor geometry is kept for trainable symmetry functions.
    /// Errors name the structure's file, line and index when `origins` are given.
    /// `stress`: keep reference stresses and compute the strain derivatives Ξ for them.
    /// `budget`: store ∂G/∂r and Ξ only while they fit (in structure order, deterministic); the
    /// others keep their structure and have them recomputed when needed (`LossFunction`).
    public static func prepare(_ structures: [Structure], origins: [StructureOrigin]? = nil, model: Model, jacobian: Bool,
                               environments keep: Bool = false, stress: Bool = false,
                               budget: DerivativeBudget? = nil) throws -> [PreparedStructure] {
        var out = [Result<PreparedStructure, Error>?](repeating: nil, count: structures.count)
        let lock = NSLock()
        let functions = model.species.map(\.symmetryFunctions)
        let refs = model.species.map(\.referenceEnergy)
        let kernel = try DescriptorKernel(functions: functions, elements: model.elements)
        DispatchQueue.concurrentPerform(iterations: structures.count) { b in
            let r = Result<PreparedStructure, Error> {
                let s = structures[b]
                let (species, envs) = try DescriptorCalculator.environments(structure: s, elements: model.elements, functions: functions)
                let ref = stress ? StressVoigt.reference(s) : nil
                let store = budget == nil
                let d = try envs.indices.map { i in
                    try DescriptorCalculator.descriptors(envs[i], kernel: kernel, species: species[i],
                                                         jacobian: jacobian && store, strain: ref != nil && store)
                }
                let shift = species.reduce(0.0) { $0 + refs[$1] }
                let bytes = DerivativeBudget.bytes(envs, species: species, functions: functions, jacobian: jacobian, strain: ref != nil)
                return PreparedStructure(atoms: s.count, species: species, descriptors: d,
                                         targetEnergy: (s.energy ?? 0) - shift, referenceEnergy: s.energy ?? 0,
                                         forces: s.forces?.count == s.count ? s.forces : nil,
                                         environments: keep ? envs : nil, stress: ref?.stress, volume: ref?.volume ?? 0,
                                         structure: store || bytes == 0 ? nil : s, derivativeBytes: bytes)
            }
            lock.lock(); out[b] = r; lock.unlock()
        }
        var prepared = try out.enumerated().map { i, r in
            do { return try r!.get() } catch let e as NNSwiftError {
                if let origins, i < origins.count { throw origins[i].locating(e) }
                throw NNSwiftError.argument("structure \(i + 1): \(e)")
            }
        }
        if let origins { for i in prepared.indices where i < origins.count { prepared[i].origin = origins[i] } }
        if let budget { try budget.store(&prepared, model: model, jacobian: jacobian) }
        return prepared
    }

    /// Per-element statistics (min, max, mean, sigma) of each function over the atoms of `prepared`.
    /// A function that never varies gets sigma 1 and max = min + 1, so scaling stays finite.
    public static func statistics(_ prepared: [PreparedStructure], model: Model) -> [[FunctionStatistics]] {
        model.species.enumerated().map { e, em in
            let S = em.symmetryFunctions.count
            var mn = [Double](repeating: .infinity, count: S), mx = [Double](repeating: -.infinity, count: S)
            var sum = [Double](repeating: 0, count: S), sum2 = [Double](repeating: 0, count: S)
            var n = 0
            for p in prepared {
                for (i, sp) in p.species.enumerated() where sp == e {
                    n += 1
                    for (s, g) in p.descriptors[i].values.enumerated() {
                        mn[s] = min(mn[s], g); mx[s] = max(mx[s], g); sum[s] += g; sum2[s] += g * g
                    }
                }
            }
            return (0..<S).map { s in
                guard n > 0 else { return FunctionStatistics(min: 0, max: 1, mean: 0, sigma: 1) }
                let mean = sum[s] / Double(n)
                var sigma = max(0, sum2[s] / Double(n) - mean * mean).squareRoot()
                var hi = mx[s]
                if sigma <= 1e-12 * max(1, abs(mean)) { sigma = 1 }
                if hi - mn[s] <= 1e-12 * max(1, abs(mean)) { hi = mn[s] + 1 }
                return FunctionStatistics(min: mn[s], max: hi, mean: mean, sigma: sigma)
            }
        }
    }
}
