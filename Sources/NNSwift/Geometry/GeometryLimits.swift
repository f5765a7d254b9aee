/// Bounds on the work one evaluation may do, so that no input makes nnswift trap, exhaust memory
/// or run for hours: beyond them the evaluation fails with a geometry error that gives the numbers.
/// docs/robustness.md lists them.
public enum GeometryLimits {
    /// Atoms (centers plus ghosts) per evaluation; checked before any per-atom array is allocated.
    public static let maxAtoms = 10_000_000
    /// |coordinate| and |cell vector component| at most this (model length units): beyond it the
    /// spacing of doubles (1e9 · 2.2e-16 ≈ 2e-7) approaches the overlap distance.
    public static let maxCoordinate = 1e9
    /// Periodic images of each atom kept within the cutoff: a cell much smaller than the cutoff.
    public static let maxImagesPerAtom = 10_000
    /// Atoms plus periodic images in one neighbor search.
    public static let maxPoints = 20_000_000
    /// Neighbors within the cutoff of one atom (dense liquids with long cutoffs have a few hundred).
    public static let maxNeighborsPerAtom = 10_000
    /// Neighbor entries in one list (36 bytes each: 3.6 GB).
    public static let maxNeighborEntries = 100_000_000
    /// Points the search examines for one center (its bins or cells): a liquid at the neighbor
    /// limit needs at most ~4e5; points piled near a center that are not its neighbors (ghosts,
    /// which no neighbor limit covers) would otherwise make the search quadratic.
    public static let maxCandidatesPerAtom = 1_000_000

    /// Throws unless `count` atoms are within maxAtoms.
    public static func checkAtomCount(_ count: Int, _ what: String = "atoms") throws {
        guard count >= 0, count <= maxAtoms else {
            throw NNSwiftError.geometry("\(count) \(what) exceed the limit of \(maxAtoms) atoms per evaluation")
        }
    }

    static func beyondCoordinateLimit(_ v: SIMD3<Double>) -> Bool {
        max(abs(v.x), abs(v.y), abs(v.z)) > maxCoordinate
    }
}
