import ArgumentParser
import Foundation
import NNSwift
import NNSwiftCommandLine
import NNSwiftSearch
import NNSwiftOptimize

struct Minimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Relax a structure to a local energy minimum (L-BFGS or FIRE), optionally with its cell.",
        discussion: """
        Converged when the largest force component is below --fmax (with --relax-cell also the
        cell components (σ + p)·V/N, in energy units). Progress (step, energy, fmax) goes to
        stderr. Exit code 2 when the run stops unconverged (the output is still written).
        """)

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "Structure file (the first structure is used).")
    var structure: String

    @Option(help: "Minimizer: lbfgs or fire.")
    var algorithm: String = "lbfgs"

    @Option(help: "Force tolerance: largest force component (model energy/length).")
    var fmax: Double = 1e-4

    @Option(help: "Most minimizer steps.")
    var steps: Int = 1000

    @Option(help: "Largest move of any coordinate in one step (model length unit).")
    var maxStep: Double = 0.2

    @Option(help: "Write every step to this extended XYZ file (energy, forces).")
    var trajectory: String?

    @Option(name: .shortAndLong, help: "Write the minimized structure here (default: <structure>.min.xyz).")
    var output: String?

    @Flag(help: "Relax the cell too (periodic structures): minimizes the enthalpy E + pV.")
    var relaxCell = false

    @Option(help: "Target pressure in GPa for --relax-cell.")
    var pressure: Double = 0

    @OptionGroup var structureOptions: StructureOptions

    @OptionGroup var unitOptions: StructureUnitOptions

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() throws {
        var converged = true
        try reportingErrors {
            guard let kind = MinimizerKind(rawValue: algorithm.lowercased()) else {
                throw NNSwiftError.argument("unknown algorithm '\(algorithm)' (lbfgs or fire)")
            }
            guard fmax > 0, steps >= 0, maxStep > 0 else { throw NNSwiftError.argument("--fmax and --max-step must be positive, --steps not negative") }
            let (potential, units) = try modelOptions.loadPotential(structureUnits: unitOptions)
            let model = potential.model
            let out = output ?? defaultOutput(structure)
            try units.checkOutput(out)
            if let trajectory { try units.checkOutput(trajectory) }
            let start = try structureOptions.reader.first(structure, units: units, checkedWith: potential)
            if pressure != 0 && !relaxCell { throw NNSwiftError.argument("--pressure needs --relax-cell") }
            let p = try PhysicalUnits.pressure(gigapascal: pressure, units: model.units)
            let surface = try StructureSurface(calculator: potential, structure: start, relaxCell: relaxCell, pressure: p)
            let writer = try trajectory.map { try TrajectoryWriter(path: $0) }
            var frameError: Error?
            let e = model.units.energyName, l = model.units.lengthName
            let options = MinimizationOptions(fmax: fmax, maxSteps: steps, maxStep: maxStep, observer: { step in
                if !quiet {
                    FileHandle.standardError.write(Data(String(format: "%@ step %5d  E = %.10f %@  fmax = %.3e\n",
                                                              kind.rawValue, step.step, step.point.energy, e, step.fmax).utf8))
                }
                if let writer, frameError == nil {
                    do {
                        var s = try surface.structure(at: step.x)
                        s.info["step"] = "\(step.step)"
                        try writer.append(units.forOutput(s))
                    } catch { frameError = error }
                }
            })
            let r = try kind.make(options).minimize(surface, from: surface.initialCoordinates)
            if let frameError { throw frameError }
            var final = try surface.structure(at: r.x)
            final.info["minimizer"] = kind.rawValue
            final.info["converged"] = r.converged ? "T" : "F"
            final.info["fmax"] = "\(r.fmax)"
            try StructureFile.write([units.forOutput(final)], to: out)
            let e0 = try surface.evaluate(surface.initialCoordinates).energy
            print(String(format: "%@: %@ after %d steps (%d evaluations)", kind.rawValue, r.status.rawValue, r.steps, r.evaluations))
            print(String(format: "energy %.10f -> %.10f %@ (%@)", e0, final.energy!, e, relaxCell ? "enthalpy \(r.energy)" : "E/atom \(final.energy! / Double(final.count))"))
            print(String(format: "fmax %.3e %@/%@ (tolerance %.1e)", r.fmax, e, l, fmax))
            if let st = final.stress, let c = final.cell {
                let f = st.flat
                print(String(format: "stress (%@/%@^3) xx yy zz yz xz xy: %.4e %.4e %.4e %.4e %.4e %.4e  volume %.6f %@^3", e, l, f[0], f[4], f[8], f[5], f[2], f[1], c.volume, l))
            }
            print("minimized structure written to \(out)" + (trajectory.map { "; trajectory in \($0)" } ?? ""))
            converged = r.converged
        }
        if !converged { throw ExitCode(2) }
    }

    func defaultOutput(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingPathExtension().lastPathComponent + ".min.xyz"
    }
}
