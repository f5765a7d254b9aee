import XCTest
@testable import NNSwift

/// The bounds of the library's own domain search (NeighborList.build(localAndGhost:), behind
/// nnswift_neighbor_list_build): radii it cannot search, and inputs that once made it quadratic.
final class NeighborListLimitsTests: XCTestCase {
    let pair: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(1, 0, 0)]

    func argumentMessage(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let NNSwiftError.argument(m) { return m } catch { return "other: \(error)" }
    }

    func testRadiusAtMostTheOverlapDistanceOrNotFiniteIsAnArgumentErrorNamingIt() {
        for r in [0, -1, 1e-300, Double.leastNonzeroMagnitude, NeighborList.overlapDistance, .nan, .infinity] {
            let m = argumentMessage { _ = try NeighborList.build(localAndGhost: pair, centers: 2, cutoff: r) }
            XCTAssertNotNil(m, "radius \(r)")
            XCTAssertTrue(m?.contains("radius \(r)") ?? false, m ?? "")
        }
    }

    func testCenterCountOutsideThePointsIsAnArgumentError() {
        for c in [-1, 3] {
            let m = argumentMessage { _ = try NeighborList.build(localAndGhost: pair, centers: c, cutoff: 2) }
            XCTAssertTrue(m?.contains("got \(c) centers of 2 points") ?? false, m ?? "no error")
        }
    }

    /// The smallest radius over a box of 2e9: bin counts (2e9 / 1e-6) must clamp and stay linear,
    /// and a pair 1.5e-6 apart is still found (brute force: the only pair within the radius).
    func testSmallestRadiusOverTheWidestBoxFindsTheOnePair() throws {
        var rng = SeededRandom(seed: 5)
        var points = (0..<2000).map { _ in rng.vector(-1e9, 1e9) }
        points[1] = points[0] + SIMD3(1.5e-6, 0, 0)
        let list = try NeighborList.build(localAndGhost: points, centers: points.count, cutoff: 2e-6, indicesOnly: true)
        XCTAssertEqual(Array(list.target[list.offsets[0]..<list.offsets[1]]), [1])
        XCTAssertEqual(Array(list.target[list.offsets[1]..<list.offsets[2]]), [0])
        XCTAssertEqual(list.offsets.last, 2)
    }

    /// Ghosts (no neighbor limit of their own) piled just beyond the radius of a center: more than
    /// maxCandidatesPerAtom to examine is a geometry error naming the center, not a quadratic search.
    func testGhostsPiledNearACenterAreAGeometryError() {
        let n = GeometryLimits.maxCandidatesPerAtom + 1
        let points = [SIMD3<Double>(0, 0, 0)] + [SIMD3<Double>](repeating: SIMD3(1.5, 0, 0), count: n)
        XCTAssertThrowsError(try NeighborList.build(localAndGhost: points, centers: 1, cutoff: 1, indicesOnly: true)) { error in
            guard case NNSwiftError.geometry(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.hasPrefix("atom 1 has \(n + 1) points"), m)
            XCTAssertTrue(m.contains("(list radius 1.0)"), m)
        }
    }

    /// A host's list call names its radius, not a model cutoff, when a center has too many neighbors.
    func testTooManyNeighborsWithinAHostListRadiusNamesTheRadius() {
        var rng = SeededRandom(seed: 3)
        let points = (0..<12_000).map { _ in rng.vector(0, 10) }
        XCTAssertThrowsError(try NeighborList.build(localAndGhost: points, centers: 1, cutoff: 100, indicesOnly: true)) { error in
            XCTAssertTrue("\(error)".contains("atom 1 has more than 10000 neighbors within the list radius 100.0"), "\(error)")
        }
    }
}
