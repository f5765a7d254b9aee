import Foundation
import NNSwift

/// Reads `count` xyz triples, refusing NULL and non-finite values (NNSWIFT_ERROR_ARGUMENT, as
/// nnswift.h documents for NaN).
func readPositions(_ p: UnsafePointer<Double>?, _ count: Int) throws -> [SIMD3<Double>] {
    let p = try required(p, "positions")
    return try (0..<count).map { i in
        let r = SIMD3(p[3 * i], p[3 * i + 1], p[3 * i + 2])
        guard r.x.isFinite, r.y.isFinite, r.z.isFinite else {
            throw NNSwiftError.argument("position of atom \(i + 1) is not finite (\(r.x), \(r.y), \(r.z))")
        }
        return r
    }
}

func readSpecies(_ p: UnsafePointer<Int32>?, _ count: Int, elements: Int) throws -> [Int] {
    let p = try required(p, "species")
    return try (0..<count).map { i in
        let s = Int(p[i])
        guard s >= 0, s < elements else {
            throw NNSwiftError.speciesIndex(index: s, atom: i + 1, elements: elements)
        }
        return s
    }
}

/// The outputs of one evaluation, written (never added: the header's convention) to those of the
/// caller's arrays that are not NULL.
func write(_ ev: Evaluation, energy: UnsafeMutablePointer<Double>, forces: UnsafeMutablePointer<Double>?,
           virial: UnsafeMutablePointer<Double>?, atomEnergies: UnsafeMutablePointer<Double>?,
           atomVirials: UnsafeMutablePointer<Double>?) {
    energy.pointee = ev.energy
    if let forces { for (i, f) in ev.forces.enumerated() { forces[3 * i] = f.x; forces[3 * i + 1] = f.y; forces[3 * i + 2] = f.z } }
    if let virial { writeMatrix(ev.virial, to: virial) }
    if let atomEnergies { for (i, e) in ev.atomEnergies.enumerated() { atomEnergies[i] = e } }
    if let atomVirials { for (i, v) in ev.atomVirials.enumerated() { writeMatrix(v, to: atomVirials + 9 * i) } }
}

func writeMatrix(_ m: Matrix3, to p: UnsafeMutablePointer<Double>) {
    for (k, v) in m.flat.enumerated() { p[k] = v }
}

@_cdecl("nnswift_compute")
public func nnswift_compute(_ model: OpaquePointer?, _ natoms: Int32, _ positions: UnsafePointer<Double>?,
                            _ species: UnsafePointer<Int32>?, _ cell: UnsafePointer<Double>?, _ pbc: UnsafePointer<Int32>?,
                            _ energy: UnsafeMutablePointer<Double>?, _ forces: UnsafeMutablePointer<Double>?,
                            _ virial: UnsafeMutablePointer<Double>?, _ atomEnergies: UnsafeMutablePointer<Double>?,
                            _ atomVirials: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        _ = try computeSystem(model, natoms, positions, species, cell, pbc, energy, forces, virial, atomEnergies, atomVirials)
    }
}

@_cdecl("nnswift_compute_extrapolations")
public func nnswift_compute_extrapolations(_ model: OpaquePointer?, _ natoms: Int32, _ positions: UnsafePointer<Double>?,
                                           _ species: UnsafePointer<Int32>?, _ cell: UnsafePointer<Double>?, _ pbc: UnsafePointer<Int32>?,
                                           _ energy: UnsafeMutablePointer<Double>?, _ forces: UnsafeMutablePointer<Double>?,
                                           _ virial: UnsafeMutablePointer<Double>?, _ atomEnergies: UnsafeMutablePointer<Double>?,
                                           _ atomVirials: UnsafeMutablePointer<Double>?,
                                           _ extrapolations: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded {
        let out = try required(extrapolations, "extrapolations")
        let ev = try computeSystem(model, natoms, positions, species, cell, pbc, energy, forces, virial, atomEnergies, atomVirials)
        out.pointee = Int64(ev.extrapolations)
    }
}

/// A whole system as the C calls receive it (positions, species, optional cell and pbc), checked
/// and with its neighbor list: shared by nnswift_compute, nnswift_compute_extrapolations and
/// nnswift_descriptors.
func readSystem(_ h: ModelHandle, _ natoms: Int32, _ positions: UnsafePointer<Double>?,
                _ species: UnsafePointer<Int32>?, _ cell: UnsafePointer<Double>?,
                _ pbc: UnsafePointer<Int32>?) throws -> (count: Int, species: [Int], neighbors: NeighborList) {
    guard natoms >= 0 else { throw NNSwiftError.argument("natoms must be >= 0, got \(natoms)") }
    let n = Int(natoms)
    try GeometryLimits.checkAtomCount(n)
    let x = try readPositions(positions, n)
    let sp = try readSpecies(species, n, elements: h.potential.elements.count)
    var c: Cell?
    if let cell {
        c = Cell(a: SIMD3(cell[0], cell[1], cell[2]), b: SIMD3(cell[3], cell[4], cell[5]), c: SIMD3(cell[6], cell[7], cell[8]))
    }
    var periodic = pbc.map { PBC($0[0] != 0, $0[1] != 0, $0[2] != 0) } ?? .all
    // A zero cell row along a non-periodic axis (ASE's 2D cells) gets a unit normal.
    if let cell0 = c {
        c = cell0.completingNonPeriodicAxes(pbc: periodic)
        if c == nil { periodic = .none }
    }
    let list = try NeighborList.build(positions: x, cell: c, pbc: c == nil ? .none : periodic, cutoff: h.potential.cutoff,
                                      threads: try currentThreadCount())
    return (n, sp, list)
}

/// The whole-system computation behind nnswift_compute and nnswift_compute_extrapolations.
func computeSystem(_ model: OpaquePointer?, _ natoms: Int32, _ positions: UnsafePointer<Double>?,
                   _ species: UnsafePointer<Int32>?, _ cell: UnsafePointer<Double>?, _ pbc: UnsafePointer<Int32>?,
                   _ energy: UnsafeMutablePointer<Double>?, _ forces: UnsafeMutablePointer<Double>?,
                   _ virial: UnsafeMutablePointer<Double>?, _ atomEnergies: UnsafeMutablePointer<Double>?,
                   _ atomVirials: UnsafeMutablePointer<Double>?) throws -> Evaluation {
    let h = try handle(model), energy = try required(energy, "energy")
    let system = try readSystem(h, natoms, positions, species, cell, pbc)
    let options = EvaluationOptions(forces: forces != nil, virial: virial != nil, atomVirials: atomVirials != nil,
                                    threads: try currentThreadCount())
    let ev = try h.potential.evaluate(species: system.species, neighbors: system.neighbors, targetCount: system.count, options: options)
    write(ev, energy: energy, forces: forces, virial: virial, atomEnergies: atomEnergies, atomVirials: atomVirials)
    return ev
}

@_cdecl("nnswift_compute_local")
public func nnswift_compute_local(_ model: OpaquePointer?, _ nlocal: Int32, _ nghost: Int32,
                                  _ positions: UnsafePointer<Double>?, _ species: UnsafePointer<Int32>?,
                                  _ numneigh: UnsafePointer<Int32>?, _ firstneigh: UnsafePointer<UnsafePointer<Int32>?>?,
                                  _ energy: UnsafeMutablePointer<Double>?, _ forces: UnsafeMutablePointer<Double>?,
                                  _ virial: UnsafeMutablePointer<Double>?, _ atomEnergies: UnsafeMutablePointer<Double>?,
                                  _ atomVirials: UnsafeMutablePointer<Double>?, _ extrapolations: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded {
        let h = try handle(model), energy = try required(energy, "energy")
        guard nlocal >= 0, nghost >= 0 else { throw NNSwiftError.argument("nlocal and nghost must be >= 0 (got \(nlocal), \(nghost))") }
        let nl = Int(nlocal), total = Int(nlocal) + Int(nghost)
        try GeometryLimits.checkAtomCount(total, "local plus ghost atoms")
        let x = try readPositions(positions, total)
        let sp = try readSpecies(species, total, elements: h.potential.elements.count)
        let cutoff = h.potential.cutoff
        let list: NeighborList
        switch (numneigh, firstneigh) {
        case (nil, nil):
            list = try NeighborList.build(localAndGhost: x, centers: nl, cutoff: cutoff, threads: try currentThreadCount())
        case let (num?, first?):
            list = try NeighborList.build(hostCounts: num, rows: first, points: x, centers: nl, cutoff: cutoff,
                                          threads: try currentThreadCount())
        default:
            throw NNSwiftError.argument("numneigh and firstneigh must both be given or both be NULL")
        }
        let options = EvaluationOptions(forces: forces != nil, virial: virial != nil, atomVirials: atomVirials != nil,
                                        threads: try currentThreadCount())
        let ev = try h.potential.evaluate(species: sp, neighbors: list, targetCount: total, options: options)
        write(ev, energy: energy, forces: forces, virial: virial, atomEnergies: atomEnergies, atomVirials: atomVirials)
        extrapolations?.pointee = Int64(ev.extrapolations)
    }
}
