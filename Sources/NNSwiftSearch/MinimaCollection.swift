/// One local minimum found by a search.
public struct FoundMinimum: Sendable {
    public var x: [Double]
    public var energy: Double
    public var fmax: Double
    public var converged: Bool
    public var fingerprint: StructureFingerprint
    /// How often the search landed in it.
    public var hits: Int = 1
    /// Which run (restart) and hop first found it.
    public var run: Int
    public var hop: Int
}

/// The distinct lowest minima: two minima are the same when their energies differ by at most
/// `energyTolerance` AND their fingerprints (sorted interatomic distances) by at most
/// `fingerprintTolerance`. Keeps the `keep` lowest, sorted by energy.
public struct MinimaCollection: Sendable {
    public var keep: Int
    public var energyTolerance: Double
    public var fingerprintTolerance: Double
    public private(set) var minima: [FoundMinimum] = []

    public init(keep: Int = 5, energyTolerance: Double = 1e-4, fingerprintTolerance: Double = 0.02) {
        self.keep = keep; self.energyTolerance = energyTolerance; self.fingerprintTolerance = fingerprintTolerance
    }

    public var lowest: FoundMinimum? { minima.first }

    /// Index of a stored minimum that `m` duplicates, if any.
    public func match(_ m: FoundMinimum) -> Int? {
        minima.firstIndex { abs($0.energy - m.energy) <= energyTolerance
            && $0.fingerprint.distance(to: m.fingerprint) <= fingerprintTolerance }
    }

    /// Adds `m` unless it duplicates a stored minimum (the lower of the two is kept). True when new.
    @discardableResult
    public mutating func insert(_ m: FoundMinimum) -> Bool {
        if let k = match(m) {
            var kept = m.energy < minima[k].energy ? m : minima[k]
            kept.hits = minima[k].hits + m.hits
            kept.run = minima[k].run; kept.hop = minima[k].hop
            minima[k] = kept
            return false
        }
        let index = minima.firstIndex { $0.energy > m.energy } ?? minima.count
        guard index < keep else { return false }
        minima.insert(m, at: index)
        if minima.count > keep { minima.removeLast() }
        return true
    }

    public mutating func merge(_ other: MinimaCollection) {
        for m in other.minima { insert(m) }
    }
}
