import ArgumentParser
import Foundation
import NNSwift
import NNSwiftCommandLine
import NNSwiftSearch
import NNSwiftOptimize

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Global minimum search for a free cluster: basin hopping from random compact clusters.",
        discussion: """
        Runs --restarts independent basin-hopping runs of --hops hops each (run 1 starts from
        --start when given, the others from random compact clusters; --hops 0 gives plain random
        restarts). Every hop displaces all atoms by up to --step-size per coordinate, minimizes with
        L-BFGS, and accepts with the Metropolis rule at --temperature. Minima are deduplicated by
        energy (--energy-tolerance) and sorted interatomic distances (--fingerprint-tolerance) and
        the --keep lowest are written, ranked, to --output. Deterministic for a given --seed.
        """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Element of the cluster atoms (comma-separated elements are cycled over the atoms).")
    var element: String?

    @Option(help: "Number of atoms (default: that of --start).")
    var atoms: Int?

    @Option(help: "Start run 1 from this structure (first structure of the file).")
    var start: String?

    @Option(help: "Basin-hopping steps per run.")
    var hops: Int = 200

    @Option(help: "Independent runs from random compact clusters.")
    var restarts: Int = 20

    @Option(help: "Metropolis temperature in K.")
    var temperature: Double = 1000

    @Option(help: "Largest displacement per coordinate in a hop (model length unit; default 0.35 × bond length).")
    var stepSize: Double?

    @Option(help: "Typical nearest-neighbor distance (model length unit; default: the model's dimer minimum).")
    var bondLength: Double?

    @Option(help: "Force tolerance of the local minimizations.")
    var fmax: Double = 1e-4

    @Option(help: "Number of distinct minima to keep.")
    var keep: Int = 5

    @Option(help: "Minima closer in energy than this (model energy unit) and in fingerprint are the same.")
    var energyTolerance: Double = 1e-4

    @Option(help: "Largest difference of sorted interatomic distances for the same minimum (model length unit).")
    var fingerprintTolerance: Double = 0.02

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Runs at the same time (the result does not depend on it).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .shortAndLong, help: "Ranked minima, extended XYZ.")
    var output: String = "minima.xyz"

    @Option(help: "Element of each LAMMPS atom type for --start, comma-separated.")
    var types: String?

    @Flag(help: "Print every hop on stderr.")
    var verbose = false

    @OptionGroup var unitOptions: StructureUnitOptions

    func run() throws {
        try reportingErrors {
            let (potential, units) = try modelOptions.loadPotential(structureUnits: unitOptions)
            let model = potential.model
            try units.checkOutput(output)
            var startStructure: Structure?
            if let start {
                let s = try StructureReader(types: types).first(start, units: units, checkedWith: potential)
                guard !s.isPeriodic else { throw NNSwiftError.argument("search works on free clusters; \(start) is periodic") }
                startStructure = s
            }
            let n = atoms ?? startStructure?.count ?? 0
            guard n >= 2 else { throw NNSwiftError.argument("give --atoms N (at least 2) or --start") }
            if let s = startStructure, s.count != n { throw NNSwiftError.argument("--start has \(s.count) atoms, --atoms is \(n)") }
            let elementList = element.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            let species: [String]
            if let list = elementList, !list.isEmpty { species = (0..<n).map { list[$0 % list.count] } }
            else if let s = startStructure { species = s.elements }
            else { throw NNSwiftError.argument("give --element (or --start)") }
            _ = try potential.speciesIndices(species)
            guard hops >= 0, restarts >= 1, keep >= 1, temperature > 0 else {
                throw NNSwiftError.argument("--hops must be ≥ 0, --restarts and --keep ≥ 1, --temperature > 0")
            }

            let l = model.units.lengthName, e = model.units.energyName
            let d: Double
            if let b = bondLength { d = b } else {
                let rc = potential.cutoff
                d = try PESScan.dimerMinimum(element: species[0], calculator: potential, in: (0.15 * rc)...rc) ?? 0.4 * rc
                FileHandle.standardError.write(Data(String(format: "bond length from the %@ dimer minimum: %.4f %@\n", species[0], d, l).utf8))
            }
            var o = ClusterSearchOptions()
            o.hops = hops; o.restarts = restarts; o.keep = keep; o.seed = seed
            o.kT = try PhysicalUnits.thermalEnergy(kelvin: temperature, units: model.units)
            o.bondLength = d
            o.stepSize = stepSize ?? 0.35 * d
            o.energyTolerance = energyTolerance; o.fingerprintTolerance = fingerprintTolerance
            o.local = MinimizationOptions(fmax: fmax, maxSteps: 2000, maxStep: 0.2 * d)
            o.parallelRuns = max(1, jobs)
            let template = Structure(positions: [SIMD3<Double>](repeating: .zero, count: n), elements: species)
            let progress: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let result = try ClusterSearch(options: o).run(
                atoms: n,
                start: startStructure.map { FlatCoordinates.flatten($0.positions) },
                makeSurface: { try StructureSurface(calculator: potential, structure: template) },
                progress: verbose ? progress : { line in if line.contains("done") { progress(line) } })

            let surface = try StructureSurface(calculator: potential, structure: template)
            var frames: [Structure] = []
            print(String(format: "%d atoms, %d runs × %d hops, kT = %.5g %@, %d energy evaluations", n, restarts, hops, o.kT, e, result.evaluations))
            print("rank        energy (\(e))    E/atom         ΔE        fmax  hits  run/hop  converged")
            let lowest = result.minima.lowest?.energy ?? 0
            for (k, m) in result.minima.minima.enumerated() {
                var s = try surface.structure(at: m.x)
                let c = s.positions.reduce(SIMD3<Double>.zero, +) / Double(n)
                s.positions = s.positions.map { $0 - c }
                s.info["rank"] = "\(k + 1)"; s.info["hits"] = "\(m.hits)"; s.info["converged"] = m.converged ? "T" : "F"
                s.info["fmax"] = "\(m.fmax)"; s.info["found"] = "run\(m.run + 1)_hop\(m.hop)"
                frames.append(units.forOutput(s))
                print(String(format: "%4d  %16.8f  %12.8f  %9.6f  %9.2e  %4d  %4d/%-4d  %@", k + 1, m.energy, m.energy / Double(n),
                             m.energy - lowest, m.fmax, m.hits, m.run + 1, m.hop, m.converged ? "yes" : "no"))
            }
            try StructureFile.write(frames, to: output)
            print("\(frames.count) minima written to \(output) (lowest first)")
        }
    }
}
