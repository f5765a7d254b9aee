/// A simulation cell: three lattice vectors (the rows `a`, `b`, `c`), orthorhombic or triclinic.
public struct Cell: Equatable, Sendable {
    public var a: SIMD3<Double>
    public var b: SIMD3<Double>
    public var c: SIMD3<Double>

    public init(a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>) {
        self.a = a; self.b = b; self.c = c
    }

    /// Orthorhombic cell with edge lengths `lx`, `ly`, `lz`.
    public init(orthorhombic lx: Double, _ ly: Double, _ lz: Double) {
        self.init(a: [lx, 0, 0], b: [0, ly, 0], c: [0, 0, lz])
    }

    public var vectors: [SIMD3<Double>] { [a, b, c] }

    public var volume: Double { abs(dot(a, cross(b, c))) }

    /// Reciprocal vectors without 2π: `dot(reciprocal[i], vectors[j]) == δij`.
    public var reciprocal: [SIMD3<Double>] {
        let v = dot(a, cross(b, c))
        return [cross(b, c) / v, cross(c, a) / v, cross(a, b) / v]
    }

    /// Distances between opposite faces: the largest sphere diameter the cell holds along each axis.
    public var perpendicularWidths: SIMD3<Double> {
        let r = reciprocal
        return SIMD3(1 / length(r[0]), 1 / length(r[1]), 1 / length(r[2]))
    }

    public func fractional(_ r: SIMD3<Double>) -> SIMD3<Double> {
        let q = reciprocal
        return SIMD3(dot(q[0], r), dot(q[1], r), dot(q[2], r))
    }

    public func cartesian(_ s: SIMD3<Double>) -> SIMD3<Double> { s.x * a + s.y * b + s.z * c }

    /// The cell deformed by `(1 + strain)`: each lattice vector v becomes v + strain·v.
    public func strained(by strain: Matrix3) -> Cell {
        Cell(a: a + strain * a, b: b + strain * b, c: c + strain * c)
    }

    /// ASE writes the lattice vector of a non-periodic axis as zero (a slab: pbc T T F with
    /// c = 0; a wire: pbc T F F with b = c = 0). This cell with each such zero vector replaced by
    /// a unit vector normal to the others, so that it spans a volume. Non-periodic axes are never
    /// wrapped or imaged, so the length changes no energy or force (only the volume a stress
    /// refers to). nil when every vector is zero along non-periodic axes (a free cluster); zero
    /// vectors along periodic axes are kept (a degenerate cell, reported where it is used).
    public func completingNonPeriodicAxes(pbc: PBC) -> Cell? {
        var v = vectors
        let fill = (0..<3).filter { v[$0] == .zero && !pbc[$0] }
        guard !fill.isEmpty else { return self }
        func unit(_ u: SIMD3<Double>) -> SIMD3<Double> { u / length(u) }
        switch fill.count {
        case 3:
            return nil
        case 2:
            let a = v[3 - fill[0] - fill[1]]
            // Cross with the coordinate axis least aligned with a: never parallel to it.
            let m = SIMD3(abs(a.x), abs(a.y), abs(a.z))
            let e: SIMD3<Double> = m.x <= m.y && m.x <= m.z ? [1, 0, 0] : m.y <= m.z ? [0, 1, 0] : [0, 0, 1]
            let n1 = unit(cross(a, e))
            v[fill[0]] = n1
            v[fill[1]] = unit(cross(a, n1))
        default:
            let i = fill[0], n = cross(v[(i + 1) % 3], v[(i + 2) % 3])
            guard length(n) > 0 else { return self }
            v[i] = unit(n)
        }
        return Cell(a: v[0], b: v[1], c: v[2])
    }

    /// True when the three vectors span a volume (not degenerate) and are finite.
    public var isValid: Bool {
        let all = [a, b, c]
        return all.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite } && volume > 1e-12
    }
}

@inlinable public func dot(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> Double { (u * v).sum() }
@inlinable public func length(_ u: SIMD3<Double>) -> Double { (u * u).sum().squareRoot() }
@inlinable public func cross(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
}
