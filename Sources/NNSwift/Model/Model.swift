/// Length and energy units a model declares.
public struct Units: Equatable, Codable, Sendable {
    public var length: String
    public var energy: String
    public init(length: String, energy: String) { self.length = length; self.energy = energy }
    public static let metal = Units(length: "angstrom", energy: "eV")
    public static let atomic = Units(length: "bohr", energy: "hartree")
    public static let unknown = Units(length: "unknown", energy: "unknown")
}

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
    /// Free-form description: origin, training settings, dates.
    public var metadata: [String: String]

    public init(units: Units, species: [ElementModel], normalization: Normalization? = nil, metadata: [String: String] = [:]) {
        self.units = units
        self.elements = species.map(\.element)
        self.species = species
        self.normalization = normalization
        self.metadata = metadata
    }

    public var cutoff: Double {
        species.flatMap(\.symmetryFunctions).map(\.cutoff.radius).max() ?? 0
    }
}

extension Units {
    /// Bohr per Angstrom and Hartree per eV (the factors DESIGN.md fixes for n2p2 potentials).
    public static let bohrPerAngstrom = 1.8897261328
    public static let hartreePerEV = 0.0367493254

    /// Multiply a length in unit `from` by this to get unit `to` (angstrom or bohr).
    public static func lengthFactor(from: String, to: String) throws -> Double {
        func inAngstrom(_ u: String) throws -> Double {
            switch u.lowercased() {
            case "angstrom", "a", "å": return 1
            case "bohr", "au": return 1 / bohrPerAngstrom
            default: throw NNSwiftError.argument("unknown length unit '\(u)' (angstrom or bohr)")
            }
        }
        return try inAngstrom(from) / inAngstrom(to)
    }

    /// Multiply an energy in unit `from` by this to get unit `to` (eV or hartree).
    public static func energyFactor(from: String, to: String) throws -> Double {
        func inEV(_ u: String) throws -> Double {
            switch u.lowercased() {
            case "ev": return 1
            case "hartree", "ha": return 1 / hartreePerEV
            default: throw NNSwiftError.argument("unknown energy unit '\(u)' (eV or hartree)")
            }
        }
        return try inEV(from) / inEV(to)
    }
}

extension Structure {
    /// The structure with lengths multiplied by `factor` (positions, cell; stress and forces follow).
    public func scaledLengths(by factor: Double) -> Structure {
        var s = self
        s.positions = positions.map { $0 * factor }
        if let c = cell { s.cell = Cell(a: c.a * factor, b: c.b * factor, c: c.c * factor) }
        s.forces = forces?.map { $0 / factor }
        s.stress = stress.map { (1 / (factor * factor * factor)) * $0 }
        return s
    }
}
