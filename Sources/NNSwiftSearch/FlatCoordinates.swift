/// Flat coordinates <-> positions.
public enum FlatCoordinates {
    public static func flatten(_ positions: [SIMD3<Double>]) -> [Double] {
        var x: [Double] = []
        x.reserveCapacity(3 * positions.count)
        for p in positions { x.append(p.x); x.append(p.y); x.append(p.z) }
        return x
    }

    public static func positions(_ x: [Double], count: Int? = nil) -> [SIMD3<Double>] {
        let n = count ?? x.count / 3
        return (0..<n).map { SIMD3(x[3 * $0], x[3 * $0 + 1], x[3 * $0 + 2]) }
    }
}
