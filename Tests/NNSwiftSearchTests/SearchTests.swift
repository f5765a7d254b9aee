import NNSwift
import XCTest
@testable import NNSwiftSearch
import NNSwiftOptimize

final class SearchTests: XCTestCase {
    func options(seed: UInt64, hops: Int, restarts: Int) -> ClusterSearchOptions {
        var o = ClusterSearchOptions()
        o.seed = seed; o.hops = hops; o.restarts = restarts
        o.kT = 0.8; o.stepSize = 0.4; o.bondLength = 1.12
        o.local = MinimizationOptions(fmax: 1e-5, maxSteps: 2000)
        return o
    }

    /// Basin hopping from random compact clusters finds the LJ global minima (fixed seed).
    func testBasinHoppingFindsLennardJonesGlobalMinima() throws {
        for (n, reference) in [(6, -12.712062), (7, -16.505384), (8, -19.821489)] {
            let search = ClusterSearch(options: options(seed: 42, hops: 60, restarts: 2))
            let r = try search.run(atoms: n, makeSurface: { LennardJonesCluster(atoms: n) })
            let best = try XCTUnwrap(r.minima.lowest)
            XCTAssertEqual(best.energy, reference, accuracy: 1e-5, "LJ\(n)")
            XCTAssertTrue(best.converged)
            // Distinct minima, sorted.
            let e = r.minima.minima.map(\.energy)
            XCTAssertEqual(e, e.sorted())
            for i in r.minima.minima.indices {
                for j in (i + 1)..<r.minima.minima.count {
                    let a = r.minima.minima[i], b = r.minima.minima[j]
                    XCTAssertFalse(abs(a.energy - b.energy) <= 1e-4 && a.fingerprint.distance(to: b.fingerprint) <= 0.02)
                }
            }
        }
    }

    /// A surface that reports collapsed atoms (as a potential without a repulsive wall does) for
    /// some hops: those hops are rejected and the search goes on to the global minimum.
    func testHopsThatCollapseAtomsAreRejected() throws {
        final class Collapsing: EnergySurface {
            let lj = LennardJonesCluster(atoms: 6)
            var calls = 0, failures = 0
            var dimension: Int { lj.dimension }
            func evaluate(_ x: [Double]) throws -> SurfacePoint {
                calls += 1
                if calls > 50 && calls % 97 == 0 {
                    failures += 1
                    throw NNSwiftError.geometry("atoms 1 and 2 overlap")
                }
                return try lj.evaluate(x)
            }
        }
        let surface = Collapsing()
        let r = try ClusterSearch(options: options(seed: 42, hops: 60, restarts: 1)).run(atoms: 6, makeSurface: { surface })
        XCTAssertGreaterThan(surface.failures, 0, "the test surface must have failed some hops")
        XCTAssertEqual(try XCTUnwrap(r.minima.lowest).energy, -12.712062, accuracy: 1e-5)
    }

    func testSearchIsDeterministicAndIndependentOfParallelism() throws {
        var o = options(seed: 9, hops: 15, restarts: 3)
        let a = try ClusterSearch(options: o).run(atoms: 7, makeSurface: { LennardJonesCluster(atoms: 7) })
        o.parallelRuns = 2
        let b = try ClusterSearch(options: o).run(atoms: 7, makeSurface: { LennardJonesCluster(atoms: 7) })
        XCTAssertEqual(a.minima.minima.map(\.energy), b.minima.minima.map(\.energy))
        XCTAssertEqual(a.minima.minima.map(\.x), b.minima.minima.map(\.x))
        o.seed = 10
        let c = try ClusterSearch(options: o).run(atoms: 7, makeSurface: { LennardJonesCluster(atoms: 7) })
        XCTAssertNotEqual(a.minima.minima.map(\.x), c.minima.minima.map(\.x))
    }

    func testRandomRestartsOnly() throws {
        let r = try ClusterSearch(options: options(seed: 5, hops: 0, restarts: 12))
            .run(atoms: 6, makeSurface: { LennardJonesCluster(atoms: 6) })
        XCTAssertEqual(r.runs.count, 12)
        XCTAssertEqual(try XCTUnwrap(r.minima.lowest).energy, -12.712062, accuracy: 1e-5)
    }

    func testRandomClusterRespectsMinimumDistance() {
        var rng = SeededGenerator(seed: 1)
        let p = RandomCluster.positions(atoms: 20, bondLength: 2.8, minDistance: 2.0, using: &rng)
        XCTAssertEqual(p.count, 20)
        XCTAssertGreaterThanOrEqual(StructureFingerprint(positions: p).distances.first!, 2.0)
        let c = p.reduce(SIMD3<Double>.zero, +) / 20
        let radius = RandomCluster.radius(atoms: 20, bondLength: 2.8)
        XCTAssertLessThan(p.map { length($0 - c) }.max()!, 2.2 * radius)
    }

    func testDeduplicationNeedsEnergyAndFingerprint() {
        let fp1 = StructureFingerprint(positions: [.zero, [1, 0, 0], [0, 1, 0]])
        let fp2 = StructureFingerprint(positions: [.zero, [1.5, 0, 0], [0, 1, 0]])
        var c = MinimaCollection(keep: 3, energyTolerance: 1e-3, fingerprintTolerance: 0.01)
        func m(_ e: Double, _ f: StructureFingerprint) -> FoundMinimum {
            FoundMinimum(x: [], energy: e, fmax: 0, converged: true, fingerprint: f, run: 0, hop: 0)
        }
        XCTAssertTrue(c.insert(m(-1, fp1)))
        XCTAssertFalse(c.insert(m(-1.0005, fp1)))          // same energy and shape
        XCTAssertTrue(c.insert(m(-1.0002, fp2)))           // same energy, other shape
        XCTAssertTrue(c.insert(m(-2, fp1)))                // same shape, other energy
        XCTAssertFalse(c.insert(m(-0.5, fp2)))             // beyond `keep`
        XCTAssertEqual(c.minima.map(\.energy), [-2, -1.0005, -1.0002])
        XCTAssertEqual(c.minima[1].hits, 2)
    }
}
