import ArgumentParser
import Foundation
import NNSwift

@main
struct NNSwiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnswift",
        abstract: "Neural-network interatomic potentials (Behler–Parrinello): evaluate, inspect, convert, benchmark.",
        version: NNSwiftVersion.string,
        subcommands: [Eval.self, Descriptors.self, Info.self, Convert.self, Bench.self, Train.self, Minimize.self, Search.self, Scan.self, LearningCurves.self, BuildInfo.self])
}

/// Options shared by the commands that load a model.
struct ModelOptions: ParsableArguments {
    @Argument(help: "Model: a native .json file or an n2p2 potential directory.")
    var model: String

    @Option(help: "Length unit of an n2p2 potential that declares none (angstrom, bohr, nm); an error if the model declares another.")
    var lengthUnit: String?

    @Option(help: "Energy unit of an n2p2 potential that declares none (eV, hartree, kcal/mol, kJ/mol, Ry); an error if the model declares another.")
    var energyUnit: String?

    func load() throws -> Model {
        try ModelLoader.load(path: model, units: try Units(parsingLength: lengthUnit, energy: energyUnit))
    }
}

/// `--types` for LAMMPS data files, and reading structure files with it.
struct StructureOptions: ParsableArguments {
    @Option(help: "Element of each LAMMPS atom type, comma-separated (e.g. H,O).")
    var types: String?

    func read(_ path: String) throws -> [Structure] {
        try readWithOrigins(path).map(\.structure)
    }

    /// Reads a file and converts its structures to the model's units.
    func read(_ path: String, units: StructureUnits) throws -> [Structure] {
        try units.toModel(read(path), path: path)
    }

    /// The structures with their places (file, index, line) for later messages.
    func readWithOrigins(_ path: String) throws -> [(structure: Structure, origin: StructureOrigin)] {
        try StructureFile.readWithOrigins(path: path, typeToElement: types.map { $0.split(separator: ",").map(String.init) })
    }

    /// The same, converted to the model's units.
    func readWithOrigins(_ path: String, units: StructureUnits) throws -> [(structure: Structure, origin: StructureOrigin)] {
        try readWithOrigins(path).map { (try units.toModel($0.structure, path: path), $0.origin) }
    }
}

/// The first structure of `path` in the model's units, evaluated once with `potential` so that a
/// bad geometry is reported with the file, line and index before any work starts.
func firstStructure(_ path: String, types: String?, units: StructureUnits, checkedWith potential: Potential) throws -> Structure {
    guard let (read, origin) = try StructureFile.readWithOrigins(path: path, typeToElement: types.map { $0.split(separator: ",").map(String.init) }).first else {
        throw NNSwiftError.argument("no structure in \(path)")
    }
    let s = try units.toModel(read, path: path)
    do { _ = try potential.evaluate(s, options: .init(forces: false, virial: false)) } catch { throw origin.locating(error) }
    return s
}

/// Prints "nnswift: warning: <message>" on standard error.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("nnswift: warning: \(message)\n".utf8))
}

/// Runs `body`, turning nnswift errors into a one-line message and exit code 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as NNSwiftError {
        FileHandle.standardError.write(Data("nnswift: error: \(e)\n".utf8))
        throw ExitCode.failure
    }
}
