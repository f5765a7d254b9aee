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
}
