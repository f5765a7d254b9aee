/// A 3x3 tensor stored by rows (virial, stress, strain, cell matrices).
public struct Matrix3: Equatable, Sendable {
    public var rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    public init(_ r0: SIMD3<Double>, _ r1: SIMD3<Double>, _ r2: SIMD3<Double>) { rows = (r0, r1, r2) }
    public static var zero: Matrix3 { Matrix3(.zero, .zero, .zero) }

    /// Row-major array of 9 values.
    public init(flat v: [Double]) {
        precondition(v.count == 9)
        self.init(SIMD3(v[0], v[1], v[2]), SIMD3(v[3], v[4], v[5]), SIMD3(v[6], v[7], v[8]))
    }
    public var flat: [Double] {
        [rows.0.x, rows.0.y, rows.0.z, rows.1.x, rows.1.y, rows.1.z, rows.2.x, rows.2.y, rows.2.z]
    }

    public subscript(i: Int, j: Int) -> Double {
        get { flat[3 * i + j] }
        set { var f = flat; f[3 * i + j] = newValue; self = Matrix3(flat: f) }
    }

    public var trace: Double { rows.0.x + rows.1.y + rows.2.z }

    /// Outer product u ⊗ v (element [a][b] = u[a] v[b]).
    @inlinable public static func outer(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> Matrix3 {
        Matrix3(u.x * v, u.y * v, u.z * v)
    }

    public static func * (m: Matrix3, v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(dot(m.rows.0, v), dot(m.rows.1, v), dot(m.rows.2, v))
    }
    public static func + (l: Matrix3, r: Matrix3) -> Matrix3 {
        Matrix3(l.rows.0 + r.rows.0, l.rows.1 + r.rows.1, l.rows.2 + r.rows.2)
    }
    public static func += (l: inout Matrix3, r: Matrix3) { l = l + r }
    public static func * (s: Double, m: Matrix3) -> Matrix3 {
        Matrix3(s * m.rows.0, s * m.rows.1, s * m.rows.2)
    }
    public static func == (l: Matrix3, r: Matrix3) -> Bool { l.flat == r.flat }

    // The few operations the cell degrees of freedom of a relaxation need.

    public static var identity: Matrix3 { Matrix3([1, 0, 0], [0, 1, 0], [0, 0, 1]) }

    public var transposed: Matrix3 {
        let f = flat
        return Matrix3(flat: [f[0], f[3], f[6], f[1], f[4], f[7], f[2], f[5], f[8]])
    }

    public var determinant: Double { dot(rows.0, cross(rows.1, rows.2)) }

    /// Inverse (the caller guarantees a non-singular matrix).
    public var inverse: Matrix3 {
        let (r0, r1, r2) = rows
        let c0 = cross(r1, r2), c1 = cross(r2, r0), c2 = cross(r0, r1)
        let d = dot(r0, c0)
        // Columns of the inverse are the cofactor rows divided by the determinant.
        return Matrix3(c0 / d, c1 / d, c2 / d).transposed
    }

    public static func * (l: Matrix3, r: Matrix3) -> Matrix3 {
        let rt = r.transposed
        func row(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(dot(v, rt.rows.0), dot(v, rt.rows.1), dot(v, rt.rows.2)) }
        return Matrix3(row(l.rows.0), row(l.rows.1), row(l.rows.2))
    }

    public static func - (l: Matrix3, r: Matrix3) -> Matrix3 { l + (-1) * r }

    /// Largest absolute element.
    public var maxAbs: Double { flat.reduce(0) { max($0, abs($1)) } }
}
