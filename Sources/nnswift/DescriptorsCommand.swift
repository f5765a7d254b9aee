import ArgumentParser
import Foundation
import NNSwift
import NNSwiftCommandLine

struct Descriptors: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write each atom's unscaled symmetry-function values (one line per atom, in network-input order).")

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "Structure file.")
    var structure: String

    @OptionGroup var structureOptions: StructureOptions

    @OptionGroup var unitOptions: StructureUnitOptions

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output: String?

    func run() throws {
        try reportingErrors {
            let (potential, units) = try modelOptions.loadPotential(structureUnits: unitOptions)
            let located = try structureOptions.reader.readWithOrigins(structure, units: units)
            var text = "# structure atom element G_1 ... G_n (unscaled, network-input order; see `nnswift info --functions`)\n"
            for (n, (s, origin)) in located.enumerated() {
                let ev: Evaluation
                do { ev = try potential.evaluate(s, options: .init(forces: false, virial: false, descriptors: true)) } catch { throw origin.locating(error) }
                for (i, g) in ev.descriptors.enumerated() {
                    text += "\(n + 1) \(i + 1) \(s.elements[i])" + g.map { " " + String(format: "%.16e", $0) }.joined() + "\n"
                }
            }
            try writeOutput(text, to: output)
        }
    }
}
