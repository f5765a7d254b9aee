/// An atomic configuration: positions, element symbols, optional cell with per-axis
/// periodicity, and optional reference data (energy, forces, stress) read from a file.
public struct Structure: Equatable, Sendable {
    public var positions: [SIMD3<Double>]
    public var elements: [String]
    /// nil for a free cluster.
    public var cell: Cell?
    /// Periodicity along a, b, c (ignored without a cell).
    public var pbc: PBC

    /// Reference (or predicted) total energy.
    public var energy: Double?
    /// Reference (or predicted) forces, one per atom.
    public var forces: [SIMD3<Double>]?
    /// Stress tensor (energy/length³, ASE sign convention: positive = tensile).
    public var stress: Matrix3?
    /// Per-atom charges where the file has them (n2p2 input.data).
    public var charges: [Double]?
    /// Total charge (n2p2 `charge` line).
    public var totalCharge: Double?
    /// Free-form comment (extxyz info keys other than the ones above, n2p2 `comment`).
    public var comment: String?
    /// Extra per-configuration key/value pairs (extxyz info line).
    public var info: [String: String]

    public init(positions: [SIMD3<Double>], elements: [String], cell: Cell? = nil,
                pbc: PBC = .none, energy: Double? = nil,
                forces: [SIMD3<Double>]? = nil, stress: Matrix3? = nil, charges: [Double]? = nil,
                totalCharge: Double? = nil, comment: String? = nil, info: [String: String] = [:]) {
        self.positions = positions
        self.elements = elements
        self.cell = cell
        self.pbc = cell == nil ? .none : pbc
        self.energy = energy
        self.forces = forces
        self.stress = stress
        self.charges = charges
        self.totalCharge = totalCharge
        self.comment = comment
        self.info = info
    }

    public var count: Int { positions.count }
    public var isPeriodic: Bool { cell != nil && pbc.any }

    /// Throws when elements, forces or charges do not have one entry per atom.
    public func checkArrayLengths() throws {
        let n = count
        guard elements.count == n else {
            throw NNSwiftError.argument("structure has \(n) positions but \(elements.count) elements")
        }
        if let f = forces, f.count != n {
            throw NNSwiftError.argument("structure has \(n) positions but \(f.count) forces")
        }
        if let q = charges, q.count != n {
            throw NNSwiftError.argument("structure has \(n) positions but \(q.count) charges")
        }
    }
}

/// Periodicity along the three lattice vectors.
public struct PBC: Equatable, Sendable {
    public var a: Bool, b: Bool, c: Bool
    public init(_ a: Bool, _ b: Bool, _ c: Bool) { self.a = a; self.b = b; self.c = c }
    public static let none = PBC(false, false, false)
    public static let all = PBC(true, true, true)
    public subscript(axis: Int) -> Bool { axis == 0 ? a : axis == 1 ? b : c }
    public var any: Bool { a || b || c }
}
