/// SeededGenerator: a small deterministic random number generator, so training, searches and tests
/// are reproducible from a seed on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }

    /// An independent stream for sub-task `index` (restart number, ...).
    public static func stream(seed: UInt64, index: Int) -> SeededGenerator {
        var g = SeededGenerator(seed: seed ^ (0xD1B5_4A32_D192_ED03 &* UInt64(index + 1)))
        _ = g.next()
        return g
    }

    /// Fisher–Yates shuffle with this generator (no dependence on the standard library's algorithm).
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            a.swapAt(i, j)
        }
    }
}
