// Symmetry-function values for analysis (include/nnswift.h: nnswift_descriptors and the
// per-element function names). The values come from the core's evaluation and, scaled, from the
// core's Scaling (the kernel's own formula).
import Foundation
import NNSwift

/// The symmetry functions of the element at `index` of the model's element list.
func elementFunctions(_ h: ModelHandle, _ index: Int32) throws -> [SymmetryFunction] {
    let species = h.potential.model.species
    guard index >= 0, Int(index) < species.count else {
        throw NNSwiftError.argument("element index \(index) out of range 0..<\(species.count)")
    }
    return species[Int(index)].symmetryFunctions
}

/// "G2 H eta=0.5 rs=0 rc=12 cos": type, neighbor element(s), the parameters that type uses, cutoff.
func descriptorName(_ f: SymmetryFunction) -> String {
    func g(_ x: Double) -> String { String(format: "%.10g", x) }
    var parts = [f.kind.rawValue, f.neighbors.joined(separator: "-")]
    switch f.kind {
    case .g1: break
    case .g2: parts += ["eta=\(g(f.eta))", "rs=\(g(f.rs))"]
    case .g3: parts += ["kappa=\(g(f.kappa))"]
    case .g4, .g5: parts += ["eta=\(g(f.eta))", "lambda=\(g(f.lambda))", "zeta=\(g(f.zeta))", "rs=\(g(f.rs))"]
    }
    parts.append("rc=\(g(f.cutoff.radius))")
    parts.append(f.cutoff.kind.usesInnerRadius && f.cutoff.alpha != 0 ? "\(f.cutoff.kind.name)(alpha=\(g(f.cutoff.alpha)))" : f.cutoff.kind.name)
    return parts.joined(separator: " ")
}

@_cdecl("nnswift_model_num_descriptors")
public func nnswift_model_num_descriptors(_ model: OpaquePointer?, _ element: Int32, _ count: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded {
        let out = try required(count, "count")
        out.pointee = Int32(try elementFunctions(try handle(model), element).count)
    }
}

@_cdecl("nnswift_model_descriptor_name")
public func nnswift_model_descriptor_name(_ model: OpaquePointer?, _ element: Int32, _ index: Int32,
                                          _ name: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    guarded {
        let functions = try elementFunctions(try handle(model), element)
        let out = try required(name, "name")
        guard index >= 0, Int(index) < functions.count else {
            throw NNSwiftError.argument("descriptor index \(index) out of range 0..<\(functions.count)")
        }
        let bytes = Array(descriptorName(functions[Int(index)]).utf8CString)
        guard capacity >= bytes.count else {
            throw NNSwiftError.argument("name buffer of \(capacity) bytes is too small (\(bytes.count) needed)")
        }
        for (k, b) in bytes.enumerated() { out[k] = b }
    }
}

@_cdecl("nnswift_descriptors")
public func nnswift_descriptors(_ model: OpaquePointer?, _ natoms: Int32, _ positions: UnsafePointer<Double>?,
                                _ species: UnsafePointer<Int32>?, _ cell: UnsafePointer<Double>?, _ pbc: UnsafePointer<Int32>?,
                                _ scaled: Int32, _ values: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let h = try handle(model), values = try required(values, "values")
        let system = try readSystem(h, natoms, positions, species, cell, pbc)
        let sp = system.species
        let ev = try h.potential.evaluate(species: sp, neighbors: system.neighbors, targetCount: system.count,
                                          options: EvaluationOptions(forces: false, virial: false, descriptors: true))
        var k = 0
        for (i, g) in ev.descriptors.enumerated() {
            let scaling = h.potential.model.species[sp[i]].scaling
            for (s, v) in g.enumerated() {
                let x = scaled != 0 ? scaling.scaled(v, function: s) : v
                guard x.isFinite else {   // extreme (finite) scaling coefficients can overflow
                    throw NNSwiftError.numeric("\(scaled != 0 ? "scaled " : "")symmetry function \(s + 1) of atom \(i + 1) is \(x)")
                }
                values[k] = x
                k += 1
            }
        }
    }
}
