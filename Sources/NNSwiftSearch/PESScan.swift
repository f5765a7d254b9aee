import NNSwift

/// One curve of a potential-energy scan: energies of a structure scaled uniformly about its
/// centroid, as a function of its nearest-neighbor distance.
public struct ScanCurve: Sendable {
    public var name: String
    public var atoms: Int
    /// Nearest-neighbor distance of each scanned structure.
    public var distances: [Double]
    public var energies: [Double]
    public var energiesPerAtom: [Double] { energies.map { $0 / Double(atoms) } }
}

/// Potential-energy scans (the paper's Fig. 5): a structure is scaled uniformly about its
/// centroid (cell included, for periodic structures) so that its nearest-neighbor distance
/// takes each requested value.
public enum PESScan {
    /// `points` evenly spaced values from `from` to `to` inclusive.
    public static func grid(from: Double, to: Double, points: Int) -> [Double] {
        guard points > 1 else { return [from] }
        return (0..<points).map { from + (to - from) * Double($0) / Double(points - 1) }
    }

    /// Shortest interatomic distance (periodic images included).
    public static func nearestNeighborDistance(_ s: Structure) throws -> Double {
        guard s.count > 1 || s.isPeriodic else { throw NNSwiftError.argument("a scan needs at least two atoms") }
        if !s.isPeriodic { return StructureFingerprint(positions: s.positions).distances.first! }
        var cutoff = 2.0
        while true {
            let list = try NeighborList.build(positions: s.positions, cell: s.cell, pbc: s.pbc, cutoff: cutoff)
            if let d = list.distance.min() { return d }
            cutoff *= 2
            if cutoff > 1e4 { throw NNSwiftError.geometry("no neighbors found") }
        }
    }

    /// Smallest and largest nearest-neighbor distance over `structures` (the range of distances
    /// that training data cover, to mark on a scan).
    public static func distanceRange(_ structures: [Structure]) throws -> ClosedRange<Double> {
        let d = try structures.map(nearestNeighborDistance)
        guard let lo = d.min(), let hi = d.max() else { throw NNSwiftError.argument("no structures for a distance range") }
        return lo...hi
    }

    /// `s` scaled by `factor` about its centroid (positions and cell).
    public static func scaled(_ s: Structure, by factor: Double) -> Structure {
        var t = s
        let c = s.positions.reduce(SIMD3<Double>.zero, +) / Double(max(s.count, 1))
        t.positions = s.positions.map { c + factor * ($0 - c) }
        if let cell = s.cell { t.cell = Cell(a: factor * cell.a, b: factor * cell.b, c: factor * cell.c) }
        t.energy = nil; t.forces = nil; t.stress = nil
        return t
    }

    /// Energies of `s` scaled to each nearest-neighbor distance in `distances`.
    public static func scan(_ s: Structure, name: String, distances: [Double], calculator: AtomicCalculator) throws -> ScanCurve {
        let d0 = try nearestNeighborDistance(s)
        var energies: [Double] = []
        for d in distances {
            energies.append(try calculator.calculate(scaled(s, by: d / d0)).energy)
        }
        return ScanCurve(name: name, atoms: s.count, distances: distances, energies: energies)
    }

    /// A regular shape of `elements` (cycled when shorter than the shape) scanned over `distances`.
    public static func scan(_ shape: ScanShape, elements: [String], distances: [Double], calculator: AtomicCalculator) throws -> ScanCurve {
        guard !elements.isEmpty else { throw NNSwiftError.argument("a shape scan needs an element") }
        let species = (0..<shape.atoms).map { elements[$0 % elements.count] }
        let s = Structure(positions: shape.positions(edge: 1), elements: species)
        let label = Set(species).count == 1 ? "\(species[0])\(shape.atoms) \(shape.rawValue)" : "\(species.joined(separator: "-")) \(shape.rawValue)"
        return try scan(s, name: label, distances: distances, calculator: calculator)
    }

    /// The dimer distance of lowest energy on a grid of 400 points in [lo, hi] (nil when the
    /// lowest point is an end of the range: no bound dimer there).
    public static func dimerMinimum(element: String, calculator: AtomicCalculator, in range: ClosedRange<Double>) throws -> Double? {
        let d = grid(from: range.lowerBound, to: range.upperBound, points: 400)
        let c = try scan(.dimer, elements: [element], distances: d, calculator: calculator)
        guard let k = c.energies.indices.min(by: { c.energies[$0] < c.energies[$1] }), k > 0, k < d.count - 1 else { return nil }
        return d[k]
    }

    /// CSV: `curve,atoms,distance,energy,energy_per_atom`, one row per point.
    public static func csv(_ curves: [ScanCurve]) -> String {
        var o = "curve,atoms,distance,energy,energy_per_atom\n"
        for c in curves {
            let name = c.name.contains(",") || c.name.contains("\"") ? "\"" + c.name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : c.name
            for (d, e) in zip(c.distances, c.energies) {
                o += "\(name),\(c.atoms),\(d),\(e),\(e / Double(c.atoms))\n"
            }
        }
        return o
    }
}
