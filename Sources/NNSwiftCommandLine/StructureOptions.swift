import ArgumentParser
import NNSwift

/// `--types` for LAMMPS data files.
public struct StructureOptions: ParsableArguments {
    @Option(help: "Element of each LAMMPS atom type, comma-separated (e.g. H,O).")
    public var types: String?

    public init() {}

    public var reader: StructureReader { StructureReader(types: types) }
}

/// Reads structure files, naming the atom types of LAMMPS data files with a `--types` list.
public struct StructureReader {
    /// Element of each LAMMPS atom type; nil: taken from the file.
    public let typeToElement: [String]?

    /// `types`: comma-separated elements; blanks around them are ignored.
    public init(types: String?) {
        typeToElement = types.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    }

    public func read(_ path: String) throws -> [Structure] {
        try readWithOrigins(path).map(\.structure)
    }

    /// The structures with their places (file, index, line) for later messages.
    public func readWithOrigins(_ path: String) throws -> [(structure: Structure, origin: StructureOrigin)] {
        try StructureFile.readWithOrigins(path: path, typeToElement: typeToElement)
    }

    /// The same, converted to the model's units.
    public func readWithOrigins(_ path: String, units: StructureUnits) throws -> [(structure: Structure, origin: StructureOrigin)] {
        try readWithOrigins(path).map { (try units.toModel($0.structure, path: path), $0.origin) }
    }

    /// The first structure of `path` in the model's units; an error if the file holds none.
    public func first(_ path: String, units: StructureUnits) throws -> (structure: Structure, origin: StructureOrigin) {
        guard let (read, origin) = try readWithOrigins(path).first else {
            throw NNSwiftError.argument("no structure in \(path)")
        }
        return (try units.toModel(read, path: path), origin)
    }

    /// The first structure, evaluated once with `potential` so that a bad geometry is reported
    /// with the file, line and index before any work starts.
    public func first(_ path: String, units: StructureUnits, checkedWith potential: Potential) throws -> Structure {
        let (s, origin) = try first(path, units: units)
        do { _ = try potential.evaluate(s, options: .init(forces: false, virial: false)) } catch { throw origin.locating(error) }
        return s
    }
}
