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
