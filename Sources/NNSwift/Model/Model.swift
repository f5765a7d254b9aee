/// n2p2's normalization: the network was trained on energies (E - N·mean)·convEnergy and
/// lengths r·convLength. Physical atomic energy = output / convEnergy + meanEnergy.
public struct Normalization: Equatable, Codable, Sendable {
    public var meanEnergy: Double
    public var convEnergy: Double
    public var convLength: Double
    public init(meanEnergy: Double, convEnergy: Double, convLength: Double) {
        self.meanEnergy = meanEnergy; self.convEnergy = convEnergy; self.convLength = convLength
    }
}

/// Everything nnswift knows about one element: its symmetry functions (in network-input order),
/// their scaling, its atomic network and its reference energy.
public struct ElementModel: Equatable, Codable, Sendable {
    public var element: String
    public var symmetryFunctions: [SymmetryFunction]
    public var scaling: Scaling
    public var network: DenseNetwork
    /// Added to each atom's energy (free-atom reference energy, model energy units).
    public var referenceEnergy: Double

    public init(element: String, symmetryFunctions: [SymmetryFunction], scaling: Scaling, network: DenseNetwork,
                referenceEnergy: Double = 0) {
        self.element = element; self.symmetryFunctions = symmetryFunctions
        self.scaling = scaling; self.network = network; self.referenceEnergy = referenceEnergy
    }
}

/// A Behler–Parrinello potential: per-element symmetry functions, scaling and atomic networks.
public struct Model: Equatable, Codable, Sendable {
    public var units: Units
    /// Element symbols in model order (species index = position in this list).
    public var elements: [String]
    public var species: [ElementModel]
    public var normalization: Normalization?
    /// Repulsive pair potential added to the network's energy (nil: none).
    public var pairBaseline: PairBaseline?
    /// Free-form description: origin, training settings, dates.
    public var metadata: [String: String]

    public init(units: Units, species: [ElementModel], normalization: Normalization? = nil, pairBaseline: PairBaseline? = nil,
                metadata: [String: String] = [:]) {
        self.units = units
        self.elements = species.map(\.element)
        self.species = species
        self.normalization = normalization
        self.pairBaseline = pairBaseline
        self.metadata = metadata
    }

    public var cutoff: Double {
        species.flatMap(\.symmetryFunctions).map(\.cutoff.radius).max() ?? 0
    }
}

extension Structure {
    /// The structure with lengths multiplied by `length` and energies by `energy` (positions,
    /// cell, energy; forces by energy/length, stress by energy/length³).
    public func converted(length: Double, energy: Double = 1) -> Structure {
        var s = self
        s.positions = positions.map { $0 * length }
        if let c = cell { s.cell = Cell(a: c.a * length, b: c.b * length, c: c.c * length) }
        s.energy = self.energy.map { $0 * energy }
        s.forces = forces?.map { $0 * (energy / length) }
        s.stress = stress.map { (energy / (length * length * length)) * $0 }
        return s
    }

    /// The structure converted from units `from` to units `to`.
    public func converted(from: (LengthUnit, EnergyUnit), to: (LengthUnit, EnergyUnit)) -> Structure {
        if from == to { return self }
        return converted(length: Units.factor(from: from.0, to: to.0), energy: Units.factor(from: from.1, to: to.1))
    }
}
