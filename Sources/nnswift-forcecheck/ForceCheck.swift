// nnswift-forcecheck: compares the analytic forces and virial of a model with central finite
// differences of its energy. Every energy, force and virial comes from the C API entry points
// (nnswift_model_load, nnswift_compute, ...) — the same code a C or Fortran host calls through
// libnnswift.so; the NNSwift module is used only to read the structure file.
import ArgumentParser
import Foundation
import NNSwift
import NNSwiftC
import NNSwiftCommandLine

/// A failure to read the model or structure: exit status 2.
struct InputError: Error, CustomStringConvertible {
    let description: String
}

func fail(_ message: String, code: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("nnswift-forcecheck: error: \(message)\n".utf8))
    return ExitCode(code)
}

func lastError() -> String { String(cString: nnswift_last_error()) }

/// A loaded model behind the C API, with the system to evaluate.
final class CAPISystem: @unchecked Sendable {
    let model: OpaquePointer
    let species: [Int32]
    let natoms: Int32
    let pbc: [Int32]

    init(model: OpaquePointer, species: [Int32], pbc: [Int32]) {
        self.model = model; self.species = species; natoms = Int32(species.count); self.pbc = pbc
    }

    deinit { nnswift_model_free(model) }

    struct Result {
        var energy = 0.0
        var forces: [Double] = []
        var virial = [Double](repeating: 0, count: 9)
        var atomEnergies: [Double] = []
    }

    /// Energy (and per-atom energies; forces and virial when asked) through nnswift_compute.
    func compute(_ positions: [Double], cell: [Double]?, derivatives: Bool) throws -> Result {
        var r = Result()
        // Scratch buffers handed to the C entry point exactly as a C host would.
        let f = UnsafeMutablePointer<Double>.allocate(capacity: max(1, 3 * species.count))
        let w = UnsafeMutablePointer<Double>.allocate(capacity: 9)
        let ae = UnsafeMutablePointer<Double>.allocate(capacity: max(1, species.count))
        defer { f.deallocate(); w.deallocate(); ae.deallocate() }
        var e = 0.0
        let status: Int32 = positions.withUnsafeBufferPointer { x in
            species.withUnsafeBufferPointer { sp in
                pbc.withUnsafeBufferPointer { pb in
                    let c = cell.map { cell -> UnsafeMutablePointer<Double> in
                        let c = UnsafeMutablePointer<Double>.allocate(capacity: 9)
                        c.initialize(from: cell, count: 9)
                        return c
                    }
                    defer { c?.deallocate() }
                    return nnswift_compute(model, natoms, x.baseAddress, sp.baseAddress, c.map { UnsafePointer($0) },
                                           c == nil ? nil : pb.baseAddress, &e,
                                           derivatives ? f : nil, derivatives ? w : nil, ae, nil)
                }
            }
        }
        r.energy = e
        r.atomEnergies = Array(UnsafeBufferPointer(start: ae, count: species.count))
        if derivatives {
            r.forces = Array(UnsafeBufferPointer(start: f, count: 3 * species.count))
            r.virial = Array(UnsafeBufferPointer(start: w, count: 9))
        }
        guard status == 0 else { throw InputError(description: "nnswift_compute failed (status \(status)): \(lastError())") }
        return r
    }
}

/// Sum of (a[i] - b[i]) with Kahan compensation: the finite-difference numerator. Atoms whose
/// environment did not change give exact zeros, so only the affected atoms add round-off.
func differenceSum(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0, c = 0.0
    for i in a.indices {
        let y = (a[i] - b[i]) - c
        let t = s + y
        c = (t - s) - y
        s = t
    }
    return s
}

@main
struct ForceCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnswift-forcecheck",
        abstract: "Check analytic forces and virial of a model against central finite differences of its energy.",
        discussion: """
            Energies, forces and the virial are computed through the nnswift C API only.
            Numeric force: F_ia = -(E(r_ia + h) - E(r_ia - h)) / 2h.
            Numeric virial (LAMMPS convention W = sum_i r_i (x) F_i): under the homogeneous strain
            r -> (1 + eps) r of positions and cell, W_ab = -dE/d(eps_ba); for a rotation-invariant
            potential W is symmetric, so this is also -dE/d(eps_ab).
            Relative error of a component: |analytic - numeric| / max(|numeric|, scale), where scale is
            the RMS of the analytic force components (for the virial: of the analytic virial entries),
            so that components near zero are not judged on a vanishing denominator.
            Exit status: 0 if the worst relative error is below the tolerance, 1 if not,
            2 if the model or structure cannot be read or used, 64 for bad options.
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "Structure file (extended XYZ, n2p2 input.data, LAMMPS data).")
    var structure: String

    @Option(help: "Largest accepted relative error.")
    var tolerance: Double = 1e-6

    @Option(help: "Finite-difference step: displacement (model length units) and strain (dimensionless).")
    var step: Double = 1e-5

    @OptionGroup var structureOptions: StructureOptions

    @Option(help: "Length unit of the structure file (default angstrom; converted to the model's declared unit; ignored, and refused, when the model declares none).")
    var structureLengthUnit: String?

    @Option(help: "Which structure of the file to check (1-based).")
    var index: Int = 1

    @Flag(help: "Do not check the virial.")
    var noVirial = false

    @Flag(help: "Print only the summary, not the per-atom table.")
    var quiet = false

    /// The structure with lengths in the model's declared unit (through nnswift_unit_factor).
    func inModelLength(_ s: Structure, _ handle: OpaquePointer) throws -> Structure {
        var l: UnsafePointer<CChar>?, e: UnsafePointer<CChar>?
        guard nnswift_model_units(handle, &l, &e) == 0, let l else { throw ValidationError("model units: \(lastError())") }
        let modelLength = String(cString: l)
        if modelLength == "unknown" {
            if let u = structureLengthUnit { throw ValidationError("--structure-length-unit \(u): the model declares no length unit (give --length-unit)") }
            return s
        }
        var f = 0.0
        guard nnswift_unit_factor(structureLengthUnit ?? "angstrom", modelLength, &f) == 0 else { throw ValidationError(lastError()) }
        return f == 1 ? s : s.converted(length: f)
    }

    func validate() throws {
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be a positive number, got \(tolerance)") }
        guard step.isFinite, step > 0 else { throw ValidationError("--step must be a positive number, got \(step)") }
        guard index >= 1 else { throw ValidationError("--index must be >= 1, got \(index)") }
        if let types = structureOptions.types, types.split(separator: ",").isEmpty { throw ValidationError("--types must list elements, e.g. H,O") }
    }

    func run() throws {
        // Model, through the C API.
        var handle: OpaquePointer?
        let model = modelOptions.model, units = modelOptions.units
        let status = units.lengthUnit == nil && units.energyUnit == nil ? nnswift_model_load(model, &handle)
            : nnswift_model_load_with_units(model, units.lengthUnit, units.energyUnit, &handle)
        guard status == 0, let handle else { throw fail("cannot load model '\(model)': \(lastError())", code: 2) }

        // Structure, through the NNSwift readers.
        let structures: [(structure: Structure, origin: StructureOrigin)]
        do { structures = try structureOptions.reader.readWithOrigins(structure) } catch {
            nnswift_model_free(handle)
            throw fail("cannot read structure file '\(structure)': \(error)", code: 2)
        }
        guard index <= structures.count else {
            nnswift_model_free(handle)
            throw fail("--index \(index): '\(structure)' holds \(structures.count) structure(s)", code: 2)
        }
        var (s, origin) = structures[index - 1]
        do { s = try inModelLength(s, handle) } catch {
            nnswift_model_free(handle)
            throw fail("\(error)", code: 2)
        }
        guard s.count > 0 else {
            nnswift_model_free(handle)
            throw fail("\(origin): has no atoms", code: 2)
        }
        var species: [Int32] = []
        for el in s.elements {
            var k: Int32 = -1
            guard nnswift_model_element_index(handle, el, &k) == 0 else {
                nnswift_model_free(handle)
                throw fail("\(origin): element '\(el)' is not in the model: \(lastError())", code: 2)
            }
            species.append(k)
        }
        let periodic = s.cell != nil && s.pbc.any
        let system = CAPISystem(model: handle, species: species,
                                pbc: [s.pbc.a ? 1 : 0, s.pbc.b ? 1 : 0, s.pbc.c ? 1 : 0])
        let x0 = s.positions.flatMap { [$0.x, $0.y, $0.z] }
        let cell0: [Double]? = periodic ? s.cell!.vectors.flatMap { [$0.x, $0.y, $0.z] } : nil

        let analytic: CAPISystem.Result
        do { analytic = try system.compute(x0, cell: cell0, derivatives: true) } catch {
            throw fail("\(origin): \(error)", code: 2)
        }

        // Numeric forces: one row of 3 components per atom, atoms in parallel (a model may be
        // used from several threads at once).
        let n = s.count, h = step
        var numeric = [Double](repeating: 0, count: 3 * n)
        var firstError: Error?
        let lock = NSLock()
        numeric.withUnsafeMutableBufferPointer { out in
            let out = UncheckedSendable(out)
            DispatchQueue.concurrentPerform(iterations: n) { i in
                do {
                    for a in 0..<3 {
                        var xp = x0, xm = x0
                        xp[3 * i + a] += h; xm[3 * i + a] -= h
                        let ep = try system.compute(xp, cell: cell0, derivatives: false)
                        let em = try system.compute(xm, cell: cell0, derivatives: false)
                        out.value[3 * i + a] = -differenceSum(ep.atomEnergies, em.atomEnergies) / (2 * h)
                    }
                } catch {
                    lock.lock(); if firstError == nil { firstError = error }; lock.unlock()
                }
            }
        }
        if let firstError { throw fail("\(firstError)", code: 2) }

        // Numeric virial: strain eps = ±h e_pq of positions and cell, W_qp = -dE/d(eps_pq).
        var numericVirial = [Double](repeating: 0, count: 9)
        if !noVirial {
            func strained(_ v: [Double], p: Int, q: Int, by e: Double) -> [Double] {
                var w = v
                for k in stride(from: 0, to: v.count, by: 3) { w[k + p] += e * v[k + q] }
                return w
            }
            do {
                for p in 0..<3 {
                    for q in 0..<3 {
                        let ep = try system.compute(strained(x0, p: p, q: q, by: h), cell: cell0.map { strained($0, p: p, q: q, by: h) }, derivatives: false)
                        let em = try system.compute(strained(x0, p: p, q: q, by: -h), cell: cell0.map { strained($0, p: p, q: q, by: -h) }, derivatives: false)
                        numericVirial[3 * q + p] = -differenceSum(ep.atomEnergies, em.atomEnergies) / (2 * h)
                    }
                }
            } catch { throw fail("\(error)", code: 2) }
        }

        // Report.
        let forceScale = max((analytic.forces.map { $0 * $0 }.reduce(0, +) / Double(3 * n)).squareRoot(), .leastNormalMagnitude)
        let virialScale = max((analytic.virial.map { $0 * $0 }.reduce(0, +) / 9).squareRoot(), .leastNormalMagnitude)
        func relative(_ a: Double, _ b: Double, _ scale: Double) -> Double {
            let e = abs(a - b) / max(abs(b), scale)
            return e.isNaN ? .infinity : e
        }
        let axes = ["x", "y", "z"]
        print("model: \(model)")
        print("structure: \(structure) #\(index): \(n) atoms\(periodic ? ", periodic" : ", no cell")")
        print(String(format: "step %.3e  tolerance %.3e", h, tolerance))
        print(String(format: "energy: %.17g", analytic.energy))
        var worst = 0.0, worstWhere = "-"
        if !quiet {
            print("atom element comp      analytic force           numeric force            abs error")
        }
        for i in 0..<n {
            for a in 0..<3 {
                let fa = analytic.forces[3 * i + a], fn = numeric[3 * i + a]
                let r = relative(fa, fn, forceScale)
                if r > worst || (r.isInfinite && worst.isFinite) { worst = r; worstWhere = "force on atom \(i + 1) (\(s.elements[i])) \(axes[a])" }
                if !quiet {
                    print(String(format: "%4d ", i + 1) + s.elements[i].padding(toLength: 7, withPad: " ", startingAt: 0)
                          + String(format: " f%@  % .16e  % .16e  %.3e", axes[a], fa, fn, abs(fa - fn)))
                }
            }
        }
        if !noVirial {
            if !quiet { print("virial W = sum r (x) F  analytic                 numeric                  abs error") }
            for p in 0..<3 {
                for q in 0..<3 {
                    let wa = analytic.virial[3 * p + q], wn = numericVirial[3 * p + q]
                    let r = relative(wa, wn, virialScale)
                    if r > worst { worst = r; worstWhere = "virial \(axes[p])\(axes[q])" }
                    if !quiet { print(String(format: "  W%@%@              % .16e  % .16e  %.3e", axes[p], axes[q], wa, wn, abs(wa - wn))) }
                }
            }
        }
        print(String(format: "worst relative error: %.3e at %@", worst, worstWhere))
        if worst < tolerance {
            print("PASS")
        } else {
            print(String(format: "FAIL (tolerance %.3e)", tolerance))
            throw ExitCode.failure
        }
    }
}

struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
