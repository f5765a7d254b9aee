import Foundation
import NNSwift

/// Reference structures with energies (and forces) for training.
public struct Dataset: Sendable {
    public var structures: [Structure]

    public init(structures: [Structure]) { self.structures = structures }

    /// Reads every structure of the files (extended XYZ, n2p2 input.data; format from the name or
    /// content). Structures without an energy are an error.
    public static func load(paths: [String], format: String? = nil) throws -> Dataset {
        var all: [Structure] = []
        for p in paths {
            let s = try StructureFile.read(path: p, format: format)
            for (i, x) in s.enumerated() where x.energy == nil {
                throw NNSwiftError.argument("\(p): structure \(i + 1) has no energy")
            }
            all += s
        }
        guard !all.isEmpty else { throw NNSwiftError.argument("no structures in \(paths.joined(separator: ", "))") }
        return Dataset(structures: all)
    }

    public var count: Int { structures.count }
    public var elements: [String] {
        PeriodicTable.sortedByAtomicNumber(Array(Set(structures.flatMap(\.elements))))
    }
    public var hasForces: Bool { structures.contains { $0.forces?.count == $0.count } }

    /// How configurations are grouped for the outlier rule.
    public enum OutlierGrouping: String, Codable, Sendable {
        /// Statistics over each composition (same element counts) separately: one MD run each.
        case composition
        /// Statistics over the whole set.
        case all
    }

    /// Removes configurations whose energy per atom is more than `sigmas` standard deviations
    /// above the mean of their group (the paper's preprocessing rule: high-energy first MD steps).
    /// Returns the dataset kept and the number removed.
    public func removingOutliers(sigmas: Double, grouping: OutlierGrouping = .composition) -> (Dataset, removed: Int) {
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, s) in structures.enumerated() {
            let key: String
            switch grouping {
            case .all: key = ""
            case .composition:
                var counts: [String: Int] = [:]
                for e in s.elements { counts[e, default: 0] += 1 }
                key = counts.keys.sorted().map { "\($0)\(counts[$0]!)" }.joined()
            }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        var drop = Set<Int>()
        for key in order {
            let idx = groups[key]!
            let e = idx.map { structures[$0].energy! / Double(structures[$0].count) }
            let mean = e.reduce(0, +) / Double(e.count)
            let sigma = (e.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(e.count)).squareRoot()
            for (k, v) in zip(idx, e) where v > mean + sigmas * sigma { drop.insert(k) }
        }
        let kept = structures.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        return (Dataset(structures: kept), drop.count)
    }

    /// Seeded random split: `fraction` of the structures (rounded, at least one when there are
    /// two or more) go to validation. Returns (training, validation) index lists, each sorted.
    public func split(validationFraction fraction: Double, seed: UInt64) -> (training: [Int], validation: [Int]) {
        var idx = Array(0..<count)
        var rng = SeededGenerator(seed: seed ^ 0x5EED_5EED)
        rng.shuffle(&idx)
        var nv = Int((fraction * Double(count)).rounded())
        if fraction > 0 && nv == 0 && count > 1 { nv = 1 }
        nv = min(nv, count - 1)
        return (Array(idx[nv...]).sorted(), Array(idx[..<nv]).sorted())
    }

    /// Per-element reference energies minimizing Σ_b (E_b - Σ_e n_be ε_e)² over `indices`
    /// (normal equations, solved by Gaussian elimination with partial pivoting; a tiny ridge
    /// keeps elements that always appear in the same ratio solvable).
    public func referenceEnergies(elements: [String], indices: [Int]) -> [Double] {
        let n = elements.count
        var ata = [Double](repeating: 0, count: n * n), atb = [Double](repeating: 0, count: n)
        for b in indices {
            let s = structures[b]
            var c = [Double](repeating: 0, count: n)
            for e in s.elements { if let k = elements.firstIndex(of: e) { c[k] += 1 } }
            for i in 0..<n {
                atb[i] += c[i] * s.energy!
                for j in 0..<n { ata[i * n + j] += c[i] * c[j] }
            }
        }
        let trace = (0..<n).reduce(0.0) { $0 + ata[$1 * n + $1] }
        for i in 0..<n { ata[i * n + i] += 1e-12 * max(trace, 1) }
        return LinearSolve.solve(ata, atb, n: n) ?? [Double](repeating: 0, count: n)
    }
}

enum LinearSolve {
    /// Solves A x = b (A row-major n×n); nil when singular.
    static func solve(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
        var m = a, x = b
        for c in 0..<n {
            var p = c
            for r in (c + 1)..<max(c + 1, n) where abs(m[r * n + c]) > abs(m[p * n + c]) { p = r }
            if abs(m[p * n + c]) < 1e-300 { return nil }
            if p != c {
                for k in 0..<n { m.swapAt(c * n + k, p * n + k) }
                x.swapAt(c, p)
            }
            for r in 0..<n where r != c {
                let f = m[r * n + c] / m[c * n + c]
                if f == 0 { continue }
                for k in c..<n { m[r * n + k] -= f * m[c * n + k] }
                x[r] -= f * x[c]
            }
        }
        return (0..<n).map { x[$0] / m[$0 * n + $0] }
    }
}
