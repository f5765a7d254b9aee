import ArgumentParser
import NNSwift

/// Units of the structure files a command reads and writes. Files are Å/eV unless told otherwise
/// (the extended-XYZ convention; a file's own `units=LENGTH,ENERGY` key is honoured); they are
/// converted to the model's units for the computation, and output structures are written in Å/eV
/// unless --write-model-units is given. A model that declares no units (an n2p2 directory without
/// --length-unit/--energy-unit) gets nothing converted.
public struct StructureUnitOptions: ParsableArguments {
    @Option(help: "Length unit of the structure files: angstrom (default), bohr, nm.")
    public var structureLengthUnit: String?

    @Option(help: "Energy unit of the structure files' reference energies and forces: eV (default), hartree, kcal/mol, kJ/mol, Ry.")
    public var structureEnergyUnit: String?

    @Flag(help: "Write output structures in the model's units, recorded in the extended XYZ file as units=LENGTH,ENERGY (default: Å and eV).")
    public var writeModelUnits = false

    public init() {}

    /// The extended XYZ info key that records a file's units.
    public static let infoKey = "units"

    /// The conversions between files and this model.
    public func conversion(model units: Units) throws -> StructureUnits {
        let l = try Units.length(structureLengthUnit), e = try Units.energy(structureEnergyUnit)
        guard let ml = units.length, let me = units.energy else {
            if l != nil || e != nil || writeModelUnits {
                throw NNSwiftError.argument("the model declares no units (length \(units.lengthName), energy \(units.energyName)), so structures cannot be converted: give the model's units with --length-unit and --energy-unit")
            }
            return StructureUnits(model: nil, given: nil, writeModelUnits: false)
        }
        let given = (l != nil || e != nil) ? (l ?? .angstrom, e ?? .eV) : nil
        return StructureUnits(model: (ml, me), given: given, writeModelUnits: writeModelUnits)
    }
}

public struct StructureUnits {
    /// The model's units; nil when it declares none (nothing is converted).
    public let model: (LengthUnit, EnergyUnit)?
    /// Units given on the command line; nil: the file's `units` key, else Å/eV.
    public let given: (LengthUnit, EnergyUnit)?
    public let writeModelUnits: Bool

    public static let metal: (LengthUnit, EnergyUnit) = (.angstrom, .eV)

    /// The units a structure read from `path` is in.
    public func fileUnits(_ s: Structure, path: String) throws -> (LengthUnit, EnergyUnit) {
        guard let recorded = s.info[StructureUnitOptions.infoKey] else { return given ?? Self.metal }
        let parts = recorded.split(separator: ",").map(String.init)
        guard parts.count == 2, let l = LengthUnit(parsing: parts[0]), let e = EnergyUnit(parsing: parts[1]) else {
            throw NNSwiftError.format(location: path, reason: "units=\(recorded) is not LENGTH,ENERGY (e.g. units=bohr,hartree)")
        }
        if let given, given != (l, e) {
            throw NNSwiftError.argument("\(path) records units=\(recorded) but --structure-length-unit/--structure-energy-unit say \(given.0.rawValue),\(given.1.rawValue)")
        }
        return (l, e)
    }

    /// Structures of one file in the model's units.
    public func toModel(_ structures: [Structure], path: String) throws -> [Structure] {
        try structures.map { try toModel($0, path: path) }
    }

    /// One structure read from `path`, in the model's units.
    public func toModel(_ s: Structure, path: String) throws -> Structure {
        guard let model else { return s }
        var c = s.converted(from: try fileUnits(s, path: path), to: model)
        c.info[StructureUnitOptions.infoKey] = nil
        return c
    }

    /// Length and energy factors from the given (or default) units to the model's, for numbers
    /// that carry no units of their own (a scan reference CSV).
    public func factors() -> (length: Double, energy: Double) {
        guard let model else { return (1, 1) }
        let from = given ?? Self.metal
        return (Units.factor(from: from.0, to: model.0), Units.factor(from: from.1, to: model.1))
    }

    /// A structure in the model's units as it is written: Å/eV, or model units recorded in the file.
    public func forOutput(_ s: Structure) -> Structure {
        guard let model else { return s }
        if writeModelUnits {
            var c = s
            c.info[StructureUnitOptions.infoKey] = "\(model.0.rawValue),\(model.1.rawValue)"
            return c
        }
        return s.converted(from: model, to: Self.metal)
    }

    /// Refuses --write-model-units for formats that cannot record units.
    public func checkOutput(_ path: String) throws {
        guard writeModelUnits, model != nil else { return }
        let lower = path.lowercased()
        if !(lower.hasSuffix(".xyz") || lower.hasSuffix(".extxyz")) {
            throw NNSwiftError.argument("--write-model-units records the units only in extended XYZ; \(path) is not an .xyz/.extxyz file")
        }
    }
}
