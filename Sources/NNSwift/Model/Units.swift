import Foundation

/// Physical units: the one table of conversion factors in nnswift. Every other part (CLI, C API,
/// Fortran, LAMMPS style, training reports, plots) converts through `factor(from:to:)`.
///
/// Bohr and Hartree are CODATA 2006 (the values n2p2 and its published potentials use, and the
/// ones the conformance data were converted with): a0 = 0.52917720859 Å, Eh = 27.21138386 eV.
/// kcal/mol (thermochemical calorie, 4.184 J) and kJ/mol follow from the exact SI constants
/// N_A = 6.02214076e23 /mol and e = 1.602176634e-19 C. Ry = Eh / 2.

/// A length unit. `rawValue` is the canonical spelling nnswift writes.
public enum LengthUnit: String, CaseIterable, Codable, Sendable {
    case angstrom, bohr, nm

    /// How many of this unit make one Ångström.
    public var perAngstrom: Double {
        switch self {
        case .angstrom: return 1
        case .bohr: return 1.8897261328
        case .nm: return 0.1
        }
    }

    /// Tolerant reading of a user's spelling (case-insensitive): Å, A, ang, angstrom, Bohr, au, a0, nm...
    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "angstrom", "angstroms", "ang", "a", "å", "ångström", "aa": self = .angstrom
        case "bohr", "au", "a.u.", "a0", "bohrs": self = .bohr
        case "nm", "nanometer", "nanometers", "nanometre", "nanometres": self = .nm
        default: return nil
        }
    }
}

/// An energy unit. `rawValue` is the canonical spelling nnswift writes.
public enum EnergyUnit: String, CaseIterable, Codable, Sendable {
    case eV, hartree, kcalPerMol = "kcal/mol", kJPerMol = "kJ/mol", Ry

    /// Faraday constant over 1 J/mol: N_A·e (exact since SI 2019), i.e. J/mol per eV.
    static let joulePerMolPerEV = 6.02214076e23 * 1.602176634e-19

    /// How many of this unit make one eV.
    public var perEV: Double {
        switch self {
        case .eV: return 1
        case .hartree: return 0.0367493254
        case .Ry: return 2 * 0.0367493254
        case .kcalPerMol: return EnergyUnit.joulePerMolPerEV / 4184
        case .kJPerMol: return EnergyUnit.joulePerMolPerEV / 1000
        }
    }

    /// Tolerant reading of a user's spelling (case-insensitive): eV, Ha, Hartree, au, kcal/mol, Ry...
    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "ev", "electronvolt", "electronvolts": self = .eV
        case "hartree", "hartrees", "ha", "eh", "au", "a.u.": self = .hartree
        case "ry", "rydberg", "rydbergs": self = .Ry
        case "kcal/mol", "kcal mol-1", "kcal_mol", "kcalmol", "kcal": self = .kcalPerMol
        case "kj/mol", "kj mol-1", "kj_mol", "kjmol", "kj": self = .kJPerMol
        default: return nil
        }
    }
}

/// Length and energy units a model declares; nil where it declares none (an n2p2 directory).
public struct Units: Equatable, Sendable {
    public var length: LengthUnit?
    public var energy: EnergyUnit?
    public init(length: LengthUnit?, energy: EnergyUnit?) { self.length = length; self.energy = energy }

    public static let metal = Units(length: .angstrom, energy: .eV)
    public static let atomic = Units(length: .bohr, energy: .hartree)
    public static let unknown = Units(length: nil, energy: nil)

    /// The spelling written in files and messages for an undeclared unit.
    public static let unknownName = "unknown"

    /// Units from user spellings; nil or "unknown" leaves that unit undeclared.
    public init(parsingLength length: String?, energy: String?) throws {
        self.init(length: try Units.length(length), energy: try Units.energy(energy))
    }

    public var lengthName: String { length?.rawValue ?? Units.unknownName }
    public var energyName: String { energy?.rawValue ?? Units.unknownName }

    /// These units with the undeclared ones taken from `given`; a declared unit that `given`
    /// contradicts is an error (relabelling would leave every number unconverted).
    public func declaring(_ given: Units, source: String) throws -> Units {
        if let l = length, let g = given.length, l != g {
            throw NNSwiftError.argument("\(source) declares length unit \(l.rawValue), not \(g.rawValue): --length-unit only gives units to a model that declares none (convert the model with `nnswift convert --length-unit` instead)")
        }
        if let e = energy, let g = given.energy, e != g {
            throw NNSwiftError.argument("\(source) declares energy unit \(e.rawValue), not \(g.rawValue): --energy-unit only gives units to a model that declares none (convert the model with `nnswift convert --energy-unit` instead)")
        }
        return Units(length: length ?? given.length, energy: energy ?? given.energy)
    }

    /// The declared length unit, or an error saying how to declare it.
    public func requireLength() throws -> LengthUnit {
        guard let length else { throw NNSwiftError.argument("the model declares no length unit (give one with --length-unit for an n2p2 directory)") }
        return length
    }

    public func requireEnergy() throws -> EnergyUnit {
        guard let energy else { throw NNSwiftError.argument("the model declares no energy unit (give one with --energy-unit for an n2p2 directory)") }
        return energy
    }

    /// Parses a length unit; nil and "unknown" give nil, anything unrecognized is an error.
    public static func length(_ text: String?) throws -> LengthUnit? {
        guard let text, text.lowercased() != unknownName else { return nil }
        guard let u = LengthUnit(parsing: text) else {
            throw NNSwiftError.argument("unknown length unit '\(text)' (angstrom, bohr or nm)")
        }
        return u
    }

    public static func energy(_ text: String?) throws -> EnergyUnit? {
        guard let text, text.lowercased() != unknownName else { return nil }
        guard let u = EnergyUnit(parsing: text) else {
            throw NNSwiftError.argument("unknown energy unit '\(text)' (eV, hartree, kcal/mol, kJ/mol or Ry)")
        }
        return u
    }

    /// value in `to` = value in `from` × factor.
    public static func factor(from: LengthUnit, to: LengthUnit) -> Double {
        from == to ? 1 : to.perAngstrom / from.perAngstrom
    }

    public static func factor(from: EnergyUnit, to: EnergyUnit) -> Double {
        from == to ? 1 : to.perEV / from.perEV
    }

    /// Factor between two units given by name, both lengths or both energies (the C API's
    /// `nnswift_unit_factor`).
    public static func factor(from: String, to: String) throws -> Double {
        if let a = LengthUnit(parsing: from), let b = LengthUnit(parsing: to) { return factor(from: a, to: b) }
        if let a = EnergyUnit(parsing: from), let b = EnergyUnit(parsing: to) { return factor(from: a, to: b) }
        let kinds = [from, to].map { u -> String in
            if LengthUnit(parsing: u) != nil && EnergyUnit(parsing: u) != nil { return "'\(u)' (length or energy)" }
            if LengthUnit(parsing: u) != nil { return "'\(u)' (length)" }
            if EnergyUnit(parsing: u) != nil { return "'\(u)' (energy)" }
            return "'\(u)' (unknown unit)"
        }
        throw NNSwiftError.argument("cannot convert \(kinds[0]) to \(kinds[1]): both must be length units (angstrom, bohr, nm) or both energy units (eV, hartree, kcal/mol, kJ/mol, Ry)")
    }
}

extension Units: Codable {
    enum CodingKeys: String, CodingKey { case length, energy }

    /// Files store the canonical spellings; older files' spellings ("Bohr", "Ha", "ev"...) are accepted.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let l = try c.decodeIfPresent(String.self, forKey: .length)
        let e = try c.decodeIfPresent(String.self, forKey: .energy)
        do { self.init(length: try Units.length(l), energy: try Units.energy(e)) } catch let err as NNSwiftError {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: err.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lengthName, forKey: .length)
        try c.encode(energyName, forKey: .energy)
    }
}
