/// A permutation-, rotation- and translation-invariant fingerprint of a cluster: its sorted
/// interatomic distances. Two minima with equal energies and fingerprints are the same structure.
public struct StructureFingerprint: Sendable, Equatable {
    public var distances: [Double]

    public init(positions: [SIMD3<Double>]) {
        var d: [Double] = []
        d.reserveCapacity(positions.count * (positions.count - 1) / 2)
        for i in positions.indices {
            for j in (i + 1)..<positions.count {
                let v = positions[j] - positions[i]
                d.append((v * v).sum().squareRoot())
            }
        }
        distances = d.sorted()
    }

    /// Fingerprint of flat atomic coordinates (x1 y1 z1 x2 ...; trailing cell entries ignored).
    public init(coordinates x: [Double], atoms: Int) {
        self.init(positions: FlatCoordinates.positions(x, count: atoms))
    }

    /// Largest difference between corresponding sorted distances (∞ for different sizes).
    public func distance(to other: StructureFingerprint) -> Double {
        guard distances.count == other.distances.count else { return .infinity }
        return zip(distances, other.distances).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
