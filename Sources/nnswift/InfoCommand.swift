import ArgumentParser
import Foundation
import NNSwift
import NNSwiftCommandLine

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Describe a model: units, elements, symmetry functions, networks.")

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "List every symmetry function.")
    var functions = false

    func run() throws {
        try reportingErrors {
            let m = try modelOptions.load()
            print("units: length \(m.units.lengthName), energy \(m.units.energyName)")
            print("elements: \(m.elements.joined(separator: " "))")
            print(String(format: "cutoff: %.6g %@", m.cutoff, m.units.lengthName))
            if let n = m.normalization {
                print("normalization: mean_energy \(n.meanEnergy), conv_energy \(n.convEnergy), conv_length \(n.convLength)")
            }
            if let b = m.pairBaseline {
                print("pair baseline: \(b.type.rawValue), inner \(b.inner) \(m.units.lengthName), outer \(b.outer) \(m.units.lengthName)")
            }
            for s in m.species {
                let counts = Dictionary(grouping: s.symmetryFunctions, by: \.kind.rawValue).map { "\($0.value.count) \($0.key)" }.sorted()
                let arch = ([s.network.inputCount] + s.network.layers.map(\.outputs)).map(String.init).joined(separator: "-")
                let acts = s.network.layers.map(\.activation.rawValue).joined()
                print("\(s.element): \(s.symmetryFunctions.count) symmetry functions (\(counts.joined(separator: ", "))), network \(arch) [\(acts)], \(s.network.parameterCount) parameters, scaling \(s.scaling.mode.rawValue), reference energy \(s.referenceEnergy)")
                if functions {
                    for (i, f) in s.symmetryFunctions.enumerated() {
                        print(String(format: "  %3d %@ %@ eta=%g rs=%g kappa=%g lambda=%g zeta=%g cutoff=%@(%g, alpha %g)", i + 1, f.kind.rawValue,
                                     f.neighbors.joined(separator: "-"), f.eta, f.rs, f.kappa, f.lambda, f.zeta,
                                     f.cutoff.kind.name, f.cutoff.radius, f.cutoff.alpha))
                    }
                }
            }
            for (k, v) in m.metadata.sorted(by: { $0.key < $1.key }) { print("\(k): \(v)") }
        }
    }
}

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a model (native .json <-> n2p2 directory) or structure files (extxyz, input.data, LAMMPS data).")

    @Argument(help: "Input: model (.json or n2p2 directory) or structure file.")
    var input: String

    @Argument(help: "Output: .json model, a directory for n2p2, or a structure file.")
    var output: String

    @Option(help: "Output kind: json | n2p2 for models; extxyz | n2p2 | lammps-data for structures (default: from the name).")
    var to: String?

    @OptionGroup var modelUnits: ModelUnitOptions

    @OptionGroup var structureOptions: StructureOptions

    @Option(help: "Multiply structure lengths by this factor (e.g. 0.52917720859 for Bohr to Å); forces and stress follow.")
    var lengthFactor: Double?

    @Option(help: "Multiply structure energies by this factor (e.g. 27.21138386 for Hartree to eV); forces and stress follow.")
    var energyFactor: Double?

    func run() throws {
        try reportingErrors {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: input, isDirectory: &isDir)
            if exists && (isDir.boolValue || input.hasSuffix(".json")) {
                let model = try modelUnits.load(input)
                let kind = to ?? (output.hasSuffix(".json") ? "json" : "n2p2")
                switch kind {
                case "json": try ModelFile.write(model, to: output)
                case "n2p2":
                    try N2P2Potential.write(model, to: output)
                    if model.pairBaseline != nil {
                        FileHandle.standardError.write(Data("warning: the model's ZBL pair baseline is NOT in the n2p2 files (n2p2 has no ZBL); \(output)/\(N2P2Potential.pairBaselineReadme) gives the LAMMPS lines (pair_style hybrid/overlay ... zbl) that add it back\n".utf8))
                    }
                default: throw NNSwiftError.argument("--to must be json or n2p2 for a model, got '\(kind)'")
                }
                print("model written to \(output) (\(kind))")
            } else {
                var structures = try structureOptions.reader.read(input)
                if lengthFactor != nil || energyFactor != nil {
                    let l = lengthFactor ?? 1, e = energyFactor ?? 1
                    guard l.isFinite, l > 0, e.isFinite, e > 0 else {
                        throw NNSwiftError.argument("--length-factor and --energy-factor must be positive and finite (got \(l), \(e))")
                    }
                    structures = structures.map { $0.converted(length: l, energy: e) }
                }
                try StructureFile.write(structures, to: output, format: to)
                print("\(structures.count) structure(s) written to \(output)")
            }
        }
    }
}
