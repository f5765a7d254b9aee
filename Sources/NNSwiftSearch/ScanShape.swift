/// Regular cluster shapes with all nearest-neighbor distances equal (the paper's Fig. 5):
/// a dimer, an equilateral triangle and a regular tetrahedron, centred at the origin.
public enum ScanShape: String, CaseIterable, Sendable {
    case dimer, triangle, tetrahedron

    public var atoms: Int {
        switch self { case .dimer: return 2; case .triangle: return 3; case .tetrahedron: return 4 }
    }

    /// Positions with every edge of length `d`.
    public func positions(edge d: Double) -> [SIMD3<Double>] {
        switch self {
        case .dimer:
            return [[-d / 2, 0, 0], [d / 2, 0, 0]]
        case .triangle:
            let r = d / 3.0.squareRoot()
            return [[r, 0, 0], [-r / 2, d / 2, 0], [-r / 2, -d / 2, 0]]
        case .tetrahedron:
            let a = d / (2 * 2.0.squareRoot())
            return [[a, a, a], [a, -a, -a], [-a, a, -a], [-a, -a, a]]
        }
    }
}
