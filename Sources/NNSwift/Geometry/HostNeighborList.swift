/// A neighbor list from the one an MD host already holds (LAMMPS's and KIM's full lists, as
/// `nnswift_compute_local` receives them): `counts[i]` neighbor indices at `rows[i]` for each
/// center i, indices into `points` (centers first, then ghosts). Pairs beyond the cutoff (the
/// host's skin) are dropped; a center listed as its own neighbor is skipped.
extension NeighborList {
    /// Rejects a negative count, a NULL row with a nonzero count, an index out of range, the same
    /// neighbor listed twice for one center (it would be counted twice) and overlapping atoms.
    /// Two passes (check and count, then fill arrays of exactly that size): growing the arrays by
    /// appending would briefly hold up to three times the list, which sets the peak memory of a
    /// large MD run. The duplicate check stamps each neighbor with its center: O(neighbors) time.
    public static func build(hostCounts counts: UnsafePointer<Int32>, rows: UnsafePointer<UnsafePointer<Int32>?>,
                             points x: [SIMD3<Double>], centers: Int, cutoff: Double) throws -> NeighborList {
        try checkPositions(x)
        let cut2 = cutoff * cutoff
        var lastCenter = [Int32](repeating: -1, count: x.count)
        var kept = 0
        for i in 0..<centers {
            let count = Int(counts[i])
            guard count >= 0 else { throw NNSwiftError.argument("numneigh[\(i)] is negative (\(count))") }
            if count == 0 { continue }
            guard let row = rows[i] else {
                throw NNSwiftError.argument("firstneigh[\(i)] is NULL but numneigh[\(i)] is \(count)")
            }
            for n in 0..<count {
                let j = Int(row[n])
                guard j >= 0, j < x.count else { throw NNSwiftError.argument("neighbor \(j) of atom \(i) is out of range 0..<\(x.count)") }
                if j == i { continue }
                guard lastCenter[j] != Int32(i) else {
                    throw NNSwiftError.argument("the host neighbor list of atom \(i) lists neighbor \(j) twice (0-based indices)")
                }
                lastCenter[j] = Int32(i)
                let d = x[j] - x[i]
                let r2 = (d * d).sum()
                guard r2 < cut2 else { continue }
                guard r2 >= overlapDistance * overlapDistance else { throw overlapError(i, j, r2.squareRoot()) }
                kept += 1
            }
        }
        var list = NeighborList()
        list.offsets.reserveCapacity(centers + 1)
        list.target.reserveCapacity(kept); list.vector.reserveCapacity(kept); list.distance.reserveCapacity(kept)
        for i in 0..<centers {
            let count = Int(counts[i])
            if count > 0, let row = rows[i] {
                for n in 0..<count {
                    let j = Int(row[n])
                    if j == i { continue }
                    let d = x[j] - x[i]
                    let r2 = (d * d).sum()
                    guard r2 < cut2 else { continue }
                    list.target.append(Int32(j)); list.vector.append(d); list.distance.append(r2.squareRoot())
                }
            }
            let found = list.target.count - list.offsets[i]
            guard found <= GeometryLimits.maxNeighborsPerAtom, list.target.count <= GeometryLimits.maxNeighborEntries else {
                throw crowdedError(center: i, found: found, cutoff: cutoff)
            }
            list.offsets.append(list.target.count)
        }
        return list
    }
}
