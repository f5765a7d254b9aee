import ArgumentParser
import Foundation
import NNSwift

@main
struct NNSwiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnswift",
        abstract: "Neural-network interatomic potentials (Behler–Parrinello): evaluate, inspect, convert, benchmark.",
        version: NNSwiftVersion.string,
        subcommands: [Eval.self, Descriptors.self, Info.self, Convert.self, Bench.self, Train.self, Minimize.self, Search.self, Scan.self, LearningCurves.self])
}

/// Options shared by the commands that load a model.
struct ModelOptions: ParsableArguments {
    @Argument(help: "Model: a native .json file or an n2p2 potential directory.")
    var model: String

    @Option(help: "Length unit of an n2p2 potential that declares none (angstrom, bohr).")
    var lengthUnit: String?

    @Option(help: "Energy unit of an n2p2 potential that declares none (eV, hartree).")
    var energyUnit: String?

    func load() throws -> Model {
        var units: Units?
        if lengthUnit != nil || energyUnit != nil {
            units = Units(length: lengthUnit ?? "unknown", energy: energyUnit ?? "unknown")
        }
        return try ModelLoader.load(path: model, units: units)
    }
}

/// `--types` for LAMMPS data files, and reading structure files with it.
struct StructureOptions: ParsableArguments {
    @Option(help: "Element of each LAMMPS atom type, comma-separated (e.g. H,O).")
    var types: String?

    func read(_ path: String) throws -> [Structure] {
        try readWithOrigins(path).map(\.structure)
    }

    /// The structures with their places (file, index, line) for later messages.
    func readWithOrigins(_ path: String) throws -> [(structure: Structure, origin: StructureOrigin)] {
        try StructureFile.readWithOrigins(path: path, typeToElement: types.map { $0.split(separator: ",").map(String.init) })
    }
}

/// The first structure of `path`, evaluated once with `potential` so that a bad geometry is
/// reported with the file, line and index before any work starts.
func firstStructure(_ path: String, types: String?, checkedWith potential: Potential) throws -> Structure {
    guard let (s, origin) = try StructureFile.readWithOrigins(path: path, typeToElement: types.map { $0.split(separator: ",").map(String.init) }).first else {
        throw NNSwiftError.argument("no structure in \(path)")
    }
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

enum NNSwiftVersion {
    static let string = "0.1.0"
}
