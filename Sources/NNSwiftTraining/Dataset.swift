import Foundation
import NNSwift

/// Reference structures with energies (and forces) for training.
public struct Dataset: Sendable {
    public var structures: [Structure]
    /// Where each structure was read (file, index, line), for messages; nil for in-memory sets.
    public var origins: [StructureOrigin]?

    public init(structures: [Structure], origins: [StructureOrigin]? = nil) {
        self.structures = structures
        self.origins = origins?.count == structures.count ? origins : nil
    }

    /// Reads every structure of the files (extended XYZ, n2p2 input.data; format from the name or
    /// content). A structure without an energy, or with a reference energy per atom or force
    /// component whose square overflows (|x| ≳ 1e154, which would make the loss infinite), is an
    /// error naming its file, line and index.
    public static func load(paths: [String], format: String? = nil) throws -> Dataset {
        var all: [Structure] = [], origins: [StructureOrigin] = []
        for p in paths {
            for (s, origin) in try StructureFile.readWithOrigins(path: p, format: format) {
                guard s.count > 0 else { throw NNSwiftError.format(location: "\(p):\(origin.line)", reason: "structure \(origin.index) has no atoms") }
                guard let e = s.energy else { throw NNSwiftError.format(location: "\(p):\(origin.line)", reason: "structure \(origin.index) has no energy") }
                let perAtom = e / Double(s.count)
                guard (perAtom * perAtom).isFinite else {
                    throw NNSwiftError.format(location: "\(p):\(origin.line)", reason: "structure \(origin.index): reference energy \(e) is too large to train on (its square overflows)")
                }
                for (i, f) in (s.forces ?? []).enumerated() where !(f * f).sum().isFinite {
                    throw NNSwiftError.format(location: "\(p):\(origin.line)", reason: "structure \(origin.index): reference force on atom \(i + 1) (\(f.x), \(f.y), \(f.z)) is too large to train on (its square overflows)")
                }
                all.append(s); origins.append(origin)
            }
        }
        guard !all.isEmpty else { throw NNSwiftError.argument("no structures in \(paths.joined(separator: ", "))") }
        return Dataset(structures: all, origins: origins)
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
        let keep = structures.indices.filter { !drop.contains($0) }
        return (Dataset(structures: keep.map { structures[$0] }, origins: origins.map { o in keep.map { o[$0] } }), drop.count)
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
