import Foundation

/// Neighbors within a cutoff, in compressed rows: the neighbors of center i are the entries
/// `offsets[i] ..< offsets[i + 1]`. `target` is the atom that receives the force (the original
/// atom of a periodic image, or a ghost atom of a domain), `vector` is r_j - r_i.
public struct NeighborList: Sendable {
    public var offsets: [Int]
    public var target: [Int32]
    public var vector: [SIMD3<Double>]
    public var distance: [Double]

    public init(offsets: [Int] = [0], target: [Int32] = [], vector: [SIMD3<Double>] = [], distance: [Double] = []) {
        self.offsets = offsets; self.target = target; self.vector = vector; self.distance = distance
    }

    public var centerCount: Int { offsets.count - 1 }

    /// Atoms closer than this are reported as overlapping.
    public static let overlapDistance = 1e-6

    /// Neighbor list of a structure: free cluster, or periodic along the axes `pbc` with
    /// images of every atom as far as the cutoff needs (cutoffs beyond half the cell included).
    /// Positions outside the cell are wrapped for the search only.
    /// `threads` (>= 1) only changes the speed, never the list.
    public static func build(positions: [SIMD3<Double>], cell: Cell?, pbc: PBC, cutoff: Double, threads: Int = 1) throws -> NeighborList {
        try checkPositions(positions)
        guard let cell, pbc.any else {
            return try search(points: positions, targets: nil, centers: positions.count, cutoff: cutoff, threads: threads)
        }
        guard cell.isValid else { throw NNSwiftError.geometry("the cell is degenerate or not finite") }
        for (name, v) in zip(["a", "b", "c"], cell.vectors) where GeometryLimits.beyondCoordinateLimit(v) {
            throw NNSwiftError.geometry("cell vector \(name) = (\(v.x), \(v.y), \(v.z)) has a component beyond ±\(GeometryLimits.maxCoordinate)")
        }
        let widths = cell.perpendicularWidths
        let n = positions.count
        // Bound the images before making any: along a periodic axis an atom has at most 2 + 2·margin copies.
        var copies = 1.0
        for axis in 0..<3 where pbc[axis] { copies *= 2 + 2 * cutoff / widths[axis] }
        guard copies - 1 <= Double(GeometryLimits.maxImagesPerAtom) else {
            let w = (0..<3).filter { pbc[$0] }.map { "\(widths[$0])" }.joined(separator: ", ")
            throw NNSwiftError.geometry("cell too small for the cutoff \(cutoff): would need \(formatCount(copies - 1)) periodic images per atom (limit \(GeometryLimits.maxImagesPerAtom); cell widths \(w))")
        }
        guard Double(n) * copies <= Double(GeometryLimits.maxPoints) else {
            throw NNSwiftError.geometry("\(n) atoms with up to \(formatCount(copies - 1)) periodic images each exceed the limit of \(GeometryLimits.maxPoints) points")
        }
        // Wrap into [0, 1) along periodic axes.
        var frac = positions.map { cell.fractional($0) }
        for i in 0..<n {
            for axis in 0..<3 where pbc[axis] {
                frac[i][axis] -= frac[i][axis].rounded(.down)
                if frac[i][axis] >= 1 { frac[i][axis] = 0 }
            }
        }
        var points = frac.map { cell.cartesian($0) }
        var targets = (0..<n).map { Int32($0) }
        // Images within `cutoff` of the cell: fractional margin cutoff / width along each periodic axis.
        var margin = SIMD3<Double>(repeating: 0), reps = SIMD3<Int>(repeating: 0)
        for axis in 0..<3 where pbc[axis] {
            margin[axis] = cutoff / widths[axis]
            reps[axis] = Int(margin[axis].rounded(.up))
        }
        for i in 0..<n {
            let s = frac[i]
            for na in -reps.x...reps.x {
                for nb in -reps.y...reps.y {
                    for nc in -reps.z...reps.z where na != 0 || nb != 0 || nc != 0 {
                        let t = s + SIMD3(Double(na), Double(nb), Double(nc))
                        var inside = true
                        for axis in 0..<3 where pbc[axis] && (t[axis] < -margin[axis] || t[axis] > 1 + margin[axis]) {
                            inside = false
                        }
                        if inside { points.append(cell.cartesian(t)); targets.append(Int32(i)) }
                    }
                }
            }
        }
        return try search(points: points, targets: targets, centers: n, cutoff: cutoff, threads: threads)
    }

    /// Neighbor list for a domain as MD codes hold it: the first `centers` points are owned atoms,
    /// the rest ghosts; every point is its own force target.
    /// `indicesOnly`: offsets and targets only (vector and distance empty), for a list kept over
    /// several steps as a host list (`nnswift_neighbor_list_build`).
    public static func build(localAndGhost points: [SIMD3<Double>], centers: Int, cutoff: Double, threads: Int = 1,
                             indicesOnly: Bool = false) throws -> NeighborList {
        guard centers >= 0, centers <= points.count else {
            throw NNSwiftError.argument("need 0 <= centers <= points, got \(centers) centers of \(points.count) points")
        }
        try checkRadius(cutoff)
        try checkPositions(points)
        return try search(points: points, targets: nil, centers: centers, cutoff: cutoff, threads: threads,
                          indicesOnly: indicesOnly)
    }

    /// A search radius must be finite and exceed the overlap distance (as a model's cutoff must,
    /// ModelLimits): a smaller one finds only overlaps, and its bins and cells, counted over a
    /// box of up to 2e9, would no longer be countable.
    public static func checkRadius(_ radius: Double) throws {
        guard radius.isFinite, radius > overlapDistance else {
            throw NNSwiftError.argument("neighbor radius \(radius) must be finite and larger than the overlap distance \(overlapDistance)")
        }
    }

    /// Positions must be finite and within ±GeometryLimits.maxCoordinate; the count within maxAtoms.
    static func checkPositions(_ p: [SIMD3<Double>]) throws {
        try GeometryLimits.checkAtomCount(p.count)
        for (i, r) in p.enumerated() where !(r.x.isFinite && r.y.isFinite && r.z.isFinite) {
            throw NNSwiftError.geometry("position of atom \(i + 1) is not finite (\(r.x), \(r.y), \(r.z))")
        }
        for (i, r) in p.enumerated() where GeometryLimits.beyondCoordinateLimit(r) {
            throw NNSwiftError.geometry("position of atom \(i + 1) = (\(r.x), \(r.y), \(r.z)) has a coordinate beyond ±\(GeometryLimits.maxCoordinate)")
        }
    }

    /// A large count in short scientific form ("2.1e9").
    static func formatCount(_ x: Double) -> String {
        x < 1e6 ? "\(Int(x.rounded(.up)))" : String(format: "%.1e", x).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
    }

    /// O(N) cell-list search: bins of edge >= cutoff / 2 over the bounding box, 125 bins per center
    /// (about half the candidates of 27 bins of edge >= cutoff).
    /// `threads` > 1 splits the centers over threads; the list is the same for every count.
    static func search(points: [SIMD3<Double>], targets: [Int32]?, centers: Int, cutoff: Double, threads: Int = 1,
                       indicesOnly: Bool = false) throws -> NeighborList {
        try checkRadius(cutoff)
        // An index-only list is a host's list: its radius is the host's, not a model's cutoff.
        let rangeName = indicesOnly ? "list radius" : "cutoff"
        var list = NeighborList(offsets: [0], target: [], vector: [], distance: [])
        list.offsets.reserveCapacity(centers + 1)
        guard !points.isEmpty else { return list }
        guard points.count <= GeometryLimits.maxPoints, centers >= 0, centers <= points.count else {
            throw NNSwiftError.geometry("\(points.count) points (\(centers) centers) exceed the limit of \(GeometryLimits.maxPoints) points")
        }
        var lo = points[0], hi = points[0]
        for p in points { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        // Bin edge at least half the cutoff; at most ~8 points' worth of bins per point keeps memory O(N).
        var edge = cutoff / 2
        // Bin counts are computed in floating point and clamped, so far-apart points cannot overflow them.
        func dims(_ e: Double) -> SIMD3<Int> {
            let d = (hi - lo) / e
            func count(_ x: Double) -> Int { x.isNaN ? 1 : Int(min(1e15, max(1, x.rounded(.down)))) }
            return SIMD3(count(d.x), count(d.y), count(d.z))
        }
        var nb = dims(edge)
        while Double(nb.x) * Double(nb.y) * Double(nb.z) > Double(8 * points.count + 64) { edge *= 2; nb = dims(edge) }
        let binSize = (hi - lo) / SIMD3<Double>(Double(nb.x), Double(nb.y), Double(nb.z))
        // Bins searched on each side of a center's bin: ceil(cutoff / bin size), 1 or 2.
        var reach = SIMD3<Int>(repeating: 1)
        for a in 0..<3 where binSize[a] > 0 { reach[a] = Int(min(Double(nb[a]), (cutoff / binSize[a]).rounded(.up))) }
        func bin(_ p: SIMD3<Double>) -> SIMD3<Int> {
            var b = SIMD3<Int>(repeating: 0)
            for a in 0..<3 where binSize[a] > 0 {
                let x = (p[a] - lo[a]) / binSize[a]
                b[a] = x.isNaN ? 0 : Int(min(Double(nb[a] - 1), max(0, x)))
            }
            return b
        }
        let nBins = nb.x * nb.y * nb.z
        let n = points.count
        // Points sorted by bin (stable counting sort), so each bin is a contiguous run in index order.
        var binStart = [Int](repeating: 0, count: nBins + 1)
        var binOf = [SIMD3<Int>](repeating: .zero, count: n)
        var flatOf = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let b = bin(points[i]); binOf[i] = b
            let flat = (b.z * nb.y + b.y) * nb.x + b.x
            flatOf[i] = flat; binStart[flat + 1] += 1
        }
        for f in 0..<nBins { binStart[f + 1] += binStart[f] }
        // Uniform bins widened beyond the cutoff (points far apart) can pile a dense cluster into a
        // few bins and make this search quadratic: hash cutoff-sized cells instead.
        if edge > cutoff, zip(binStart, binStart.dropFirst()).contains(where: { $1 - $0 > hashedSearchOccupancy }) {
            var list = try hashedSearch(points: points, targets: targets, centers: centers, cutoff: cutoff, origin: lo, rangeName: rangeName)
            if indicesOnly { list.vector = []; list.distance = [] }
            return list
        }
        var sortedPoint = [SIMD3<Double>](repeating: .zero, count: n)
        var sortedIndex = [Int32](repeating: 0, count: n)
        var cursor = binStart
        for i in 0..<n {
            let q = cursor[flatOf[i]]
            cursor[flatOf[i]] = q + 1
            sortedPoint[q] = points[i]; sortedIndex[q] = Int32(i)
        }
        let targetOf = targets ?? (0..<n).map { Int32($0) }
        let cut2 = cutoff * cutoff
        let minD2 = overlapDistance * overlapDistance
        return try sortedPoint.withUnsafeBufferPointer { sp in
            try sortedIndex.withUnsafeBufferPointer { si in
                try binStart.withUnsafeBufferPointer { bs in
                    try targetOf.withUnsafeBufferPointer { tg in
                        try points.withUnsafeBufferPointer { pts in
                            try binOf.withUnsafeBufferPointer { bo in
            // Pass 1: which sorted points are neighbors of the centers in `range`, in center order;
            // stops at the first overlap or crowded center.
            func scan(_ range: Range<Int>) -> Rows {
                var rows = Rows()
                rows.ends.reserveCapacity(range.count)
                for i in range {
                    let pi = pts[i], b = bo[i]
                    var examined = 0
                    for z in max(0, b.z - reach.z)...min(nb.z - 1, b.z + reach.z) {
                        for y in max(0, b.y - reach.y)...min(nb.y - 1, b.y + reach.y) {
                            let row = (z * nb.y + y) * nb.x
                            // Bins x-reach ... x+reach of one row are contiguous in the sorted order.
                            let lo = bs[row + max(0, b.x - reach.x)], hi = bs[row + min(nb.x - 1, b.x + reach.x) + 1]
                            examined += hi - lo
                            if examined > GeometryLimits.maxCandidatesPerAtom { rows.piled = (i, examined); return rows }
                            for q in lo..<hi {
                                let d = sp[q] - pi
                                let r2 = (d * d).sum()
                                guard r2 < cut2 else { continue }
                                let jj = Int(si[q])
                                if jj == i { continue }
                                if r2 < minD2 { rows.overlap = (i, Int(tg[jj]), r2.squareRoot()); return rows }
                                rows.slots.append(Int32(q))
                            }
                            // Checked per row of bins, so a crowded center stops early.
                            let found = rows.slots.count - (rows.ends.last ?? 0)
                            if found > GeometryLimits.maxNeighborsPerAtom || rows.slots.count > GeometryLimits.maxNeighborEntries {
                                rows.crowded = (i, found); return rows
                            }
                        }
                    }
                    rows.ends.append(rows.slots.count)
                }
                return rows
            }
            // Contiguous runs of centers, searched in parallel and joined in order: the same list
            // for every thread count.
            var chunks = threads > 1 ? max(1, min(8 * threads, centers / 64)) : 1
            let workers = min(threads, chunks)
            var parts = [Rows](repeating: Rows(), count: chunks)
            parts.withUnsafeMutableBufferPointer { pp in
                parallelFor(chunks, workers: workers) { _, c in pp[c] = scan((c * centers / chunks)..<((c + 1) * centers / chunks)) }
            }
            var base = [0]
            for part in parts { base.append(base.last! + part.slots.count) }
            // Any limit or overlap: the serial scan finds the error the serial search names.
            if chunks > 1, base.last! > GeometryLimits.maxNeighborEntries
                || parts.contains(where: { $0.overlap != nil || $0.crowded != nil || $0.piled != nil }) {
                chunks = 1; parts = [scan(0..<centers)]; base = [0, parts[0].slots.count]
            }
            if let (i, found) = parts[0].crowded { throw crowdedError(center: i, found: found, cutoff: cutoff, range: rangeName) }
            if let (i, tj, r) = parts[0].overlap { throw overlapError(i, tj, r) }
            if let (i, examined) = parts[0].piled { throw piledError(center: i, examined: examined, cutoff: cutoff, range: rangeName) }
            // Pass 2: the entries, into arrays of the exact length, with the same arithmetic as pass 1.
            let total = base.last!, stored = indicesOnly ? 0 : total
            var offsets = [Int](repeating: 0, count: centers + 1)
            var vector: [SIMD3<Double>] = [], distance: [Double] = []
            let target = [Int32](unsafeUninitializedCapacity: total) { tb, tn in
                vector = [SIMD3<Double>](unsafeUninitializedCapacity: stored) { vb, vn in
                    distance = [Double](unsafeUninitializedCapacity: stored) { db, dn in
                        offsets.withUnsafeMutableBufferPointer { ob in
                            parts.withUnsafeMutableBufferPointer { pp in
                                parallelFor(chunks, workers: workers) { _, c in
                                    let first = c * centers / chunks
                                    var e = base[c], start = 0
                                    for (k, end) in pp[c].ends.enumerated() {
                                        let pi = pts[first + k]
                                        for q in pp[c].slots[start..<end] {
                                            let qq = Int(q), d = sp[qq] - pi
                                            tb[e] = tg[Int(si[qq])]
                                            if !indicesOnly { vb[e] = d; db[e] = (d * d).sum().squareRoot() }
                                            e += 1
                                        }
                                        start = end
                                        ob[first + k + 1] = base[c] + end
                                    }
                                    pp[c] = Rows()
                                }
                            }
                        }
                        dn = stored
                    }
                    vn = stored
                }
                tn = total
            }
            return NeighborList(offsets: offsets, target: target, vector: vector, distance: distance)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Pass 1 of `search` over a run of centers: the sorted positions of their neighbors, and
    /// `ends[k]` where the k-th center's entries end; `overlap` or `crowded` if it stopped there.
    private struct Rows {
        var ends: [Int] = []
        var slots: [Int32] = []
        var overlap: (Int, Int, Double)? = nil
        var crowded: (center: Int, total: Int)? = nil
        var piled: (center: Int, examined: Int)? = nil
    }

    /// The error for a center with more than GeometryLimits.maxCandidatesPerAtom points to examine.
    static func piledError(center: Int, examined: Int, cutoff: Double, range: String) -> NNSwiftError {
        .geometry("atom \(center + 1) has \(examined) points in the bins searched around it (\(range) \(cutoff)), more than the \(GeometryLimits.maxCandidatesPerAtom) one center may examine: points piled up near it")
    }

    /// The error for a center with more than GeometryLimits.maxNeighborsPerAtom neighbors (or a full list);
    /// `range` names the distance: the model's cutoff, or the radius a host asked a list for.
    public static func crowdedError(center: Int, found: Int, cutoff: Double, range: String = "cutoff") -> NNSwiftError {
        .geometry("atom \(center + 1) has more than \(GeometryLimits.maxNeighborsPerAtom) neighbors within the \(range) \(cutoff) (\(found) found; at most \(GeometryLimits.maxNeighborEntries) in one list)")
    }

    static func overlapError(_ i: Int, _ tj: Int, _ r: Double) -> NNSwiftError {
        .geometry("atoms \(i + 1) and \(tj + 1) overlap (distance \(r))")
    }

    /// A bin holding more points than this (after widening) switches to the hashed search.
    static let hashedSearchOccupancy = 64

    /// Cell-list search over a hash of occupied cells of edge `cutoff`: memory O(N) and work O(N)
    /// however far apart the points are. Cell coordinates are clamped (a monotone map, so points
    /// within the cutoff stay in adjacent cells). Neighbors come in the same cell-then-index order.
    static func hashedSearch(points: [SIMD3<Double>], targets: [Int32]?, centers: Int, cutoff: Double,
                             origin: SIMD3<Double>, rangeName: String = "cutoff") throws -> NeighborList {
        func cellOf(_ p: SIMD3<Double>) -> SIMD3<Int> {
            let x = (p - origin) / cutoff
            func clamped(_ v: Double) -> Int { v.isNaN ? 0 : Int(min(0x1p52, max(0, v.rounded(.down)))) }
            return SIMD3(clamped(x.x), clamped(x.y), clamped(x.z))
        }
        var cells: [SIMD3<Int>: [Int32]] = [:]
        for (i, p) in points.enumerated() { cells[cellOf(p), default: []].append(Int32(i)) }
        let cut2 = cutoff * cutoff, minD2 = overlapDistance * overlapDistance
        var list = NeighborList(offsets: [0], target: [], vector: [], distance: [])
        for i in 0..<centers {
            let pi = points[i], c = cellOf(pi)
            var examined = 0
            for dz in -1...1 {
                for dy in -1...1 {
                    for dx in -1...1 {
                        guard let members = cells[c &+ SIMD3(dx, dy, dz)] else { continue }
                        examined += members.count
                        if examined > GeometryLimits.maxCandidatesPerAtom {
                            throw piledError(center: i, examined: examined, cutoff: cutoff, range: rangeName)
                        }
                        for j in members {
                            let jj = Int(j)
                            if jj == i { continue }
                            let d = points[jj] - pi
                            let r2 = (d * d).sum()
                            guard r2 < cut2 else { continue }
                            let t = targets?[jj] ?? j
                            if r2 < minD2 { throw overlapError(i, Int(t), r2.squareRoot()) }
                            list.target.append(t); list.vector.append(d); list.distance.append(r2.squareRoot())
                        }
                        let found = list.target.count - list.offsets[i]
                        if found > GeometryLimits.maxNeighborsPerAtom || list.target.count > GeometryLimits.maxNeighborEntries {
                            throw crowdedError(center: i, found: found, cutoff: cutoff, range: rangeName)
                        }
                    }
                }
            }
            list.offsets.append(list.target.count)
        }
        return list
    }
}
