import ArgumentParser
import Foundation
import NNSwift
import NNSwiftCommandLine

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Energies, forces and stress of structures; errors against reference data when present.")

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "Structure files (extended XYZ, n2p2 input.data, LAMMPS data).")
    var structures: [String]

    @OptionGroup var structureOptions: StructureOptions

    @OptionGroup var unitOptions: StructureUnitOptions

    @Option(name: .shortAndLong, help: "Write predictions (energy, forces, stress) to this file (.xyz or input.data style; Å/eV unless --write-model-units).")
    var output: String?

    @Option(help: "Symmetry-function values outside the training range: warn (default: count on stderr), error (exit 1), ignore.")
    var extrapolation: ExtrapolationPolicy = .warn

    @Flag(help: "Print the force on every atom.")
    var forces = false

    @Flag(help: "Print per-atom energies.")
    var atomEnergies = false

    @Option(help: "Threads per structure (1-1024), structures one after another. Default: structures in parallel on all cores, one thread each.")
    var threads: Int?

    func run() throws {
        try reportingErrors {
            let (potential, units) = try modelOptions.loadPotential(structureUnits: unitOptions)
            let model = potential.model
            if let output { try units.checkOutput(output) }
            var located: [(structure: Structure, origin: StructureOrigin)] = []
            for path in structures { located += try structureOptions.reader.readWithOrigins(path, units: units) }
            guard !located.isEmpty else { throw NNSwiftError.argument("no structures in \(structures.joined(separator: ", "))") }
            for (s, origin) in located where s.count == 0 {
                throw NNSwiftError.format(location: "\(origin.path):\(origin.line)", reason: "structure \(origin.index) has no atoms (no energy per atom to report)")
            }
            let all = located.map(\.structure)
            let threadCount = try threads.map { try ThreadCount.validated($0, source: "--threads") }
            let results = try evaluateAll(potential, all, origins: located.map(\.origin), threads: threadCount)
            let e = model.units.energyName, l = model.units.lengthName
            var extrapolated = ExtrapolationCount()
            // Values the kernel checks: elements whose scaling records the training range.
            let functionCounts = Dictionary(uniqueKeysWithValues: model.species.map {
                ($0.element, $0.scaling.mode == .none ? 0 : $0.symmetryFunctions.count)
            })
            var stats = ErrorStatistics()
            var predictions: [Structure] = []
            for (n, (s, r)) in zip(all, results).enumerated() {
                let origin = located[n].origin
                print(String(format: "structure %d: %d atoms  E = %.10f %@  E/atom = %.10f %@", n + 1, s.count, r.energy, e, r.energy / Double(s.count), e))
                if let ref = s.energy {
                    print(String(format: "  reference E = %.10f  error/atom = %.3e %@", ref, (r.energy - ref) / Double(s.count), e))
                    if !stats.addEnergy(predicted: r.energy, reference: ref, atoms: s.count) {
                        warn("\(origin): the error of the reference energy \(ref) \(e) overflows when squared; this structure is left out of the energy RMSE and MAE")
                    }
                }
                if let cell = s.cell, s.pbc.any {
                    let st = r.stress(volume: cell.volume).flat
                    print(String(format: "  stress (%@/%@^3) xx yy zz yz xz xy: %.6e %.6e %.6e %.6e %.6e %.6e", e, l, st[0], st[4], st[8], st[5], st[2], st[1]))
                }
                if let ref = s.forces, ref.count == s.count, let atom = stats.addForces(predicted: r.forces, reference: ref) {
                    warn("\(origin): the error of the reference force on atom \(atom) (\(ref[atom - 1].x), \(ref[atom - 1].y), \(ref[atom - 1].z)) \(e)/\(l) overflows when squared; the forces of this structure are left out of the force RMSE and MAE")
                }
                let values = s.elements.reduce(0) { sum, el in sum + (functionCounts[el] ?? 0) }
                extrapolated.add(r.extrapolations, of: values)
                if extrapolation != .ignore && r.extrapolations > 0 {
                    print("  extrapolation: \(r.extrapolations) of \(values) symmetry-function values outside the training range")
                }
                if atomEnergies {
                    for (i, ae) in r.atomEnergies.enumerated() { print(String(format: "  atom %5d %-2@ E = %.10f", i + 1, s.elements[i], ae)) }
                }
                if forces {
                    print("  atom element            fx            fy            fz  (\(e)/\(l))")
                    for (i, f) in r.forces.enumerated() {
                        print(String(format: "  %4d %-7@ %13.6e %13.6e %13.6e", i + 1, s.elements[i], f.x, f.y, f.z))
                    }
                }
                var p = s
                p.energy = r.energy; p.forces = r.forces
                p.stress = s.cell.map { r.stress(volume: $0.volume) }
                predictions.append(units.forOutput(p))
            }
            if let summary = stats.summary(energyUnit: e, lengthUnit: l) { print(summary) }
            if let output {
                try StructureFile.write(predictions, to: output)
                let written = units.model == nil ? "model units, undeclared" : units.writeModelUnits ? "model units \(l), \(e)" : "angstrom, eV"
                print("predictions written to \(output) (\(written))")
            }
            if extrapolation != .ignore { print(extrapolated.summary(structures: all.count)) }
            if extrapolation != .ignore && extrapolated.values > 0 {
                let message = "nnswift: \(extrapolation == .error ? "error" : "warning"): \(extrapolated.summary(structures: all.count))\n"
                FileHandle.standardError.write(Data(message.utf8))
                if extrapolation == .error { throw ExitCode.failure }
            }
        }
    }
}

/// Evaluates structures on all cores; results in input order.
/// An error is reported with the file, line and index of its structure when `origins` are given.
/// Evaluates every structure: several structures at once, one thread each, unless `threads` asks
/// for that many threads inside each structure (one structure after the other).
func evaluateAll(_ potential: Potential, _ structures: [Structure], origins: [StructureOrigin]? = nil,
                 threads: Int? = nil) throws -> [Evaluation] {
    var results = [Result<Evaluation, Error>?](repeating: nil, count: structures.count)
    if let threads {
        let options = EvaluationOptions(threads: threads)
        for i in structures.indices { results[i] = Result { try potential.evaluate(structures[i], options: options) } }
    } else {
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: structures.count) { i in
            let r = Result { try potential.evaluate(structures[i]) }
            lock.lock(); results[i] = r; lock.unlock()
        }
    }
    return try results.enumerated().map { i, r in
        do { return try r!.get() } catch let e as NNSwiftError {
            if let origins { throw origins[i].locating(e) }
            throw NNSwiftError.argument("structure \(i + 1): \(e)")
        }
    }
}

/// RMSE and MAE of energies per atom and force components against references.
struct ErrorStatistics {
    var energyErrors: [Double] = []
    var forceErrors: [Double] = []

    /// False (and nothing added) when the error cannot be squared in Double (a reference of 1e308).
    mutating func addEnergy(predicted: Double, reference: Double, atoms: Int) -> Bool {
        let d = (predicted - reference) / Double(atoms)
        guard (d * d).isFinite else { return false }
        energyErrors.append(d)
        return true
    }
    /// nil when added; else the first atom (1-based) whose error cannot be squared (nothing added).
    mutating func addForces(predicted: [SIMD3<Double>], reference: [SIMD3<Double>]) -> Int? {
        var d: [Double] = []
        for (i, (p, r)) in zip(predicted, reference).enumerated() {
            let e = p - r
            guard (e * e).sum().isFinite else { return i + 1 }
            d += [e.x, e.y, e.z]
        }
        forceErrors += d
        return nil
    }

    /// Scaled by the largest |v| so that the sum of squares cannot overflow.
    static func rmse(_ v: [Double]) -> Double {
        let m = v.map(abs).max() ?? 0
        guard m > 0 else { return 0 }
        return m * (v.map { ($0 / m) * ($0 / m) }.reduce(0, +) / Double(v.count)).squareRoot()
    }
    static func mae(_ v: [Double]) -> Double { v.map(abs).reduce(0, +) / Double(v.count) }

    func summary(energyUnit e: String, lengthUnit l: String) -> String? {
        var lines: [String] = []
        if !energyErrors.isEmpty {
            lines.append(String(format: "energy per atom (%d structures): RMSE %.6e %@  MAE %.6e %@", energyErrors.count,
                                Self.rmse(energyErrors), e, Self.mae(energyErrors), e))
        }
        if !forceErrors.isEmpty {
            lines.append(String(format: "force components (%d): RMSE %.6e %@/%@  MAE %.6e %@/%@", forceErrors.count,
                                Self.rmse(forceErrors), e, l, Self.mae(forceErrors), e, l))
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}

/// What to do with symmetry-function values outside the training range (as pair_style nnswift).
enum ExtrapolationPolicy: String, ExpressibleByArgument, CaseIterable {
    case warn, error, ignore
}

/// Extrapolated (atom, function) values over several structures.
struct ExtrapolationCount {
    var values = 0, total = 0, structures = 0

    mutating func add(_ extrapolated: Int, of count: Int) {
        values += extrapolated; total += count
        if extrapolated > 0 { structures += 1 }
    }

    func summary(structures n: Int) -> String {
        if total == 0 { return "extrapolation: not checked (the model's scaling is 'none': it records no training range)" }
        return "extrapolation: \(values) of \(total) symmetry-function values outside the training range, in \(structures) of \(n) structures"
    }
}
