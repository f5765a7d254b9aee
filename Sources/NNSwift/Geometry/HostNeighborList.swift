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
    /// Both passes run over contiguous runs of centers on `threads` threads (the MD step's only
    /// serial part otherwise); the list and the first error named are the same for every count.
    public static func build(hostCounts counts: UnsafePointer<Int32>, rows: UnsafePointer<UnsafePointer<Int32>?>,
                             points x: [SIMD3<Double>], centers: Int, cutoff: Double, threads: Int = 1) throws -> NeighborList {
        try checkPositions(x)
        guard centers >= 0, centers <= x.count else {
            throw NNSwiftError.argument("\(centers) centers for \(x.count) atoms")
        }
        let cut2 = cutoff * cutoff, minD2 = overlapDistance * overlapDistance
        let chunks = threads > 1 ? max(1, min(8 * threads, centers / 64)) : 1
        let workers = min(threads, chunks)
        func range(_ c: Int) -> Range<Int> { (c * centers / chunks)..<((c + 1) * centers / chunks) }
        // offsets[i + 1] holds center i's count after pass 1, the running sum after the scan.
        var offsets = [Int](repeating: 0, count: centers + 1)
        var failures = [NNSwiftError?](repeating: nil, count: chunks)
        // Duplicate stamps, one array per worker: a worker sees each center once, so a stamp
        // equal to the current center was set by this center's row.
        let stamps = UnsafeMutablePointer<Int32>.allocate(capacity: workers * x.count)
        stamps.initialize(repeating: -1, count: workers * x.count)
        defer { stamps.deallocate() }
        x.withUnsafeBufferPointer { p in
            offsets.withUnsafeMutableBufferPointer { off in
                failures.withUnsafeMutableBufferPointer { fail in
                    parallelFor(chunks, workers: workers) { w, c in
                        let last = stamps + w * p.count
                        for i in range(c) {
                            let count = Int(counts[i])
                            guard count >= 0 else { fail[c] = .argument("numneigh[\(i)] is negative (\(count))"); return }
                            if count == 0 { continue }
                            guard let row = rows[i] else {
                                fail[c] = .argument("firstneigh[\(i)] is NULL but numneigh[\(i)] is \(count)"); return
                            }
                            let pi = p[i]
                            var kept = 0
                            for n in 0..<count {
                                let j = Int(row[n])
                                guard j >= 0, j < p.count else {
                                    fail[c] = .argument("neighbor \(j) of atom \(i) is out of range 0..<\(p.count)"); return
                                }
                                if j == i { continue }
                                guard last[j] != Int32(i) else {
                                    fail[c] = .argument("the host neighbor list of atom \(i) lists neighbor \(j) twice (0-based indices)")
                                    return
                                }
                                last[j] = Int32(i)
                                let d = p[j] - pi
                                let r2 = (d * d).sum()
                                guard r2 >= minD2 else { fail[c] = overlapError(i, j, r2.squareRoot()); return }
                                kept &+= r2 < cut2 ? 1 : 0    // no branch on the unpredictable test
                            }
                            off[i + 1] = kept
                        }
                    }
                }
            }
        }
        // The first failing run holds the first bad center (runs are in center order).
        if let failure = failures.first(where: { $0 != nil }) { throw failure! }
        for i in 0..<centers {
            let found = offsets[i + 1]
            offsets[i + 1] += offsets[i]
            guard found <= GeometryLimits.maxNeighborsPerAtom, offsets[i + 1] <= GeometryLimits.maxNeighborEntries else {
                throw crowdedError(center: i, found: found, cutoff: cutoff)
            }
        }
        // Pass 2: the kept entries, with the same arithmetic as pass 1.
        let total = offsets[centers]
        var vector: [SIMD3<Double>] = [], distance: [Double] = []
        let target = [Int32](unsafeUninitializedCapacity: total) { tb, tn in
            vector = [SIMD3<Double>](unsafeUninitializedCapacity: total) { vb, vn in
                distance = [Double](unsafeUninitializedCapacity: total) { db, dn in
                    x.withUnsafeBufferPointer { p in
                        offsets.withUnsafeBufferPointer { off in
                            parallelFor(chunks, workers: workers) { _, c in
                                for i in range(c) {
                                    let count = Int(counts[i])
                                    guard count > 0, let row = rows[i] else { continue }
                                    let pi = p[i]
                                    var e = off[i]
                                    let end = off[i + 1]
                                    // Every candidate is written at e, which advances only for a kept
                                    // one (no branch on the unpredictable test); e < end stops the
                                    // writes after this center's last kept entry.
                                    for n in 0..<count {
                                        let j = Int(row[n])
                                        if j == i { continue }
                                        let d = p[j] - pi
                                        let r2 = (d * d).sum()
                                        if e < end { tb[e] = Int32(j); vb[e] = d; db[e] = r2.squareRoot() }
                                        e &+= r2 < cut2 ? 1 : 0
                                    }
                                }
                            }
                        }
                    }
                    dn = total
                }
                vn = total
            }
            tn = total
        }
        return NeighborList(offsets: offsets, target: target, vector: vector, distance: distance)
    }
}
