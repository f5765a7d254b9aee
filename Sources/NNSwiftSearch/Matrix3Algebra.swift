import NNSwift

/// The few 3x3 operations the cell degrees of freedom need (row-major `Matrix3`).
extension Matrix3 {
    static var identity: Matrix3 { Matrix3([1, 0, 0], [0, 1, 0], [0, 0, 1]) }

    var transposed: Matrix3 {
        let f = flat
        return Matrix3(flat: [f[0], f[3], f[6], f[1], f[4], f[7], f[2], f[5], f[8]])
    }

    var determinant: Double { dot(rows.0, cross(rows.1, rows.2)) }

    /// Inverse (the caller guarantees a non-singular matrix).
    var inverse: Matrix3 {
        let (r0, r1, r2) = rows
        let c0 = cross(r1, r2), c1 = cross(r2, r0), c2 = cross(r0, r1)
        let d = dot(r0, c0)
        // Columns of the inverse are the cofactor rows divided by the determinant.
        return Matrix3(c0 / d, c1 / d, c2 / d).transposed
    }

    static func * (l: Matrix3, r: Matrix3) -> Matrix3 {
        let rt = r.transposed
        func row(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(dot(v, rt.rows.0), dot(v, rt.rows.1), dot(v, rt.rows.2)) }
        return Matrix3(row(l.rows.0), row(l.rows.1), row(l.rows.2))
    }

    static func - (l: Matrix3, r: Matrix3) -> Matrix3 { l + (-1) * r }

    var maxAbs: Double { flat.reduce(0) { max($0, abs($1)) } }
}
