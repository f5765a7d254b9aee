import ArgumentParser
import Foundation
import NNSwift

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Energies, forces and stress of structures; errors against reference data when present.")

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "Structure files (extended XYZ, n2p2 input.data, LAMMPS data).")
    var structures: [String]

    @OptionGroup var structureOptions: StructureOptions

    @Option(name: .shortAndLong, help: "Write predictions (energy, forces, stress) to this file (.xyz or input.data style).")
    var output: String?

    @Flag(help: "Print the force on every atom.")
    var forces = false

    @Flag(help: "Print per-atom energies.")
    var atomEnergies = false

    @Option(help: "Threads per structure (1-1024), structures one after another. Default: structures in parallel on all cores, one thread each.")
    var threads: Int?

    func run() throws {
        try reportingErrors {
            let model = try modelOptions.load()
            let potential = try Potential(model: model)
            var all: [Structure] = []
            for path in structures { all += try structureOptions.read(path) }
            guard !all.isEmpty else { throw NNSwiftError.argument("no structures in \(structures.joined(separator: ", "))") }
            let results: [Evaluation]
            if let threads {
                let options = EvaluationOptions(threads: try ThreadCount.validated(threads, source: "--threads"))
                results = try all.enumerated().map { i, s in
                    do { return try potential.evaluate(s, options: options) } catch let e as NNSwiftError {
                        throw NNSwiftError.argument("structure \(i + 1): \(e)")
                    }
                }
            } else {
                results = try evaluateAll(potential, all)
            }
            let e = model.units.energy, l = model.units.length
            var stats = ErrorStatistics()
            var predictions: [Structure] = []
            for (n, (s, r)) in zip(all, results).enumerated() {
                print(String(format: "structure %d: %d atoms  E = %.10f %@  E/atom = %.10f %@", n + 1, s.count, r.energy, e, r.energy / Double(s.count), e))
                if let ref = s.energy {
                    print(String(format: "  reference E = %.10f  error/atom = %.3e %@", ref, (r.energy - ref) / Double(s.count), e))
                    stats.addEnergy(predicted: r.energy, reference: ref, atoms: s.count)
                }
                if let cell = s.cell, s.pbc.any {
                    let st = r.stress(volume: cell.volume).flat
                    print(String(format: "  stress (%@/%@^3) xx yy zz yz xz xy: %.6e %.6e %.6e %.6e %.6e %.6e", e, l, st[0], st[4], st[8], st[5], st[2], st[1]))
                }
                if let ref = s.forces, ref.count == s.count { stats.addForces(predicted: r.forces, reference: ref) }
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
                predictions.append(p)
            }
            if let summary = stats.summary(energyUnit: e, lengthUnit: l) { print(summary) }
            if let output { try StructureFile.write(predictions, to: output) ; print("predictions written to \(output)") }
        }
    }
}

/// Evaluates structures on all cores; results in input order.
func evaluateAll(_ potential: Potential, _ structures: [Structure]) throws -> [Evaluation] {
    var results = [Result<Evaluation, Error>?](repeating: nil, count: structures.count)
    let lock = NSLock()
    DispatchQueue.concurrentPerform(iterations: structures.count) { i in
        let r = Result { try potential.evaluate(structures[i]) }
        lock.lock(); results[i] = r; lock.unlock()
    }
    return try results.enumerated().map { i, r in
        do { return try r!.get() } catch let e as NNSwiftError {
            throw NNSwiftError.argument("structure \(i + 1): \(e)")
        }
    }
}

/// RMSE and MAE of energies per atom and force components against references.
struct ErrorStatistics {
    var energyErrors: [Double] = []
    var forceErrors: [Double] = []

    mutating func addEnergy(predicted: Double, reference: Double, atoms: Int) {
        energyErrors.append((predicted - reference) / Double(atoms))
    }
    mutating func addForces(predicted: [SIMD3<Double>], reference: [SIMD3<Double>]) {
        for (p, r) in zip(predicted, reference) { let d = p - r; forceErrors += [d.x, d.y, d.z] }
    }

    static func rmse(_ v: [Double]) -> Double { (v.map { $0 * $0 }.reduce(0, +) / Double(v.count)).squareRoot() }
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
