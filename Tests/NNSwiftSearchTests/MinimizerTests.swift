import NNSwift
import Foundation
import XCTest
@testable import NNSwiftSearch
import NNSwiftOptimize

final class MinimizerTests: XCTestCase {
    let kinds: [MinimizerKind] = [.lbfgs, .fire]

    func testRosenbrockConverges() throws {
        for kind in kinds {
            for dim in [2, 6] {
                let surface = Rosenbrock(dimension: dim)
                let x0 = (0..<dim).map { $0 % 2 == 0 ? -1.2 : 1.0 }
                let r = try kind.make(MinimizationOptions(fmax: 1e-6, maxSteps: 20000, maxStep: 0.2)).minimize(surface, from: x0)
                XCTAssertTrue(r.converged, "\(kind) dim \(dim): \(r.status) fmax \(r.fmax)")
                XCTAssertLessThan(r.fmax, 1e-4)
                for v in r.x { XCTAssertEqual(v, 1, accuracy: 1e-4, "\(kind)") }
                if kind == .lbfgs { assertNoEnergyRise(r) }
            }
        }
    }

    func testIllConditionedQuadratic() throws {
        let surface = QuadraticSurface(stiffness: [1, 10, 100, 1000, 0.1], center: [1, -2, 3, 0.5, -1])
        for kind in kinds {
            let r = try kind.make(MinimizationOptions(maxSteps: 20000, maxStep: 1)).minimize(surface, from: [0, 0, 0, 0, 0])
            XCTAssertTrue(r.converged, "\(kind): \(r.status)")
            XCTAssertLessThan(r.fmax, 1e-4)
            XCTAssertEqual(r.energy, 0, accuracy: 1e-7)  // fmax 1e-4 on k = 0.1: |x − c| < 1e-3
            if kind == .lbfgs { assertNoEnergyRise(r); XCTAssertLessThan(r.steps, 100) }
        }
    }

    /// FIRE and L-BFGS reach the same Lennard-Jones cluster minimum, the literature value.
    func testLennardJonesClusterMinima() throws {
        let cases: [(Int, Double, [SIMD3<Double>])] = [
            (6, -12.712062, octahedron()), (7, -16.505384, pentagonalBipyramid()), (13, -44.326801, icosahedron()),
        ]
        var rng = SeededGenerator(seed: 7)
        for (n, reference, ideal) in cases {
            // A perturbed version of the ideal structure, so both minimizers have work to do.
            let x0 = FlatCoordinates.flatten(ideal.map { $0 + SIMD3(rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1)) })
            let surface = LennardJonesCluster(atoms: n)
            var energies: [Double] = []
            var fingerprints: [StructureFingerprint] = []
            for kind in kinds {
                let r = try kind.make(MinimizationOptions(fmax: 1e-5, maxSteps: 5000)).minimize(surface, from: x0)
                XCTAssertTrue(r.converged, "LJ\(n) \(kind): \(r.status)")
                XCTAssertLessThan(r.fmax, 1e-4)
                XCTAssertEqual(r.energy, reference, accuracy: 1e-6, "LJ\(n) \(kind)")
                if kind == .lbfgs { assertNoEnergyRise(r) }
                energies.append(r.energy)
                fingerprints.append(StructureFingerprint(coordinates: r.x, atoms: n))
            }
            XCTAssertEqual(energies[0], energies[1], accuracy: 1e-8)
            XCTAssertLessThan(fingerprints[0].distance(to: fingerprints[1]), 1e-4)
        }
    }

    /// The StructureSurface over the LJ calculator matches the analytic cluster surface.
    func testStructureSurfaceMatchesClusterSurface() throws {
        var rng = SeededGenerator(seed: 3)
        let positions = RandomCluster.positions(atoms: 8, bondLength: 1.12, using: &rng)
        let s = Structure(positions: positions, elements: [String](repeating: "Ar", count: 8))
        let a = try StructureSurface(calculator: LennardJones(), structure: s)
        let x = a.initialCoordinates
        let pa = try a.evaluate(x), pb = try LennardJonesCluster(atoms: 8).evaluate(x)
        XCTAssertEqual(pa.energy, pb.energy, accuracy: 1e-10)
        for (u, v) in zip(pa.gradient, pb.gradient) { XCTAssertEqual(u, v, accuracy: 1e-9) }
    }

    func testObserverAndStepLimit() throws {
        var seen: [Int] = []
        let opts = MinimizationOptions(fmax: 1e-12, maxSteps: 5, observer: { seen.append($0.step) })
        let r = try LBFGS(options: opts).minimize(Rosenbrock(), from: [-1.2, 1])
        XCTAssertEqual(r.status, .maxSteps)
        XCTAssertEqual(r.steps, 5)
        XCTAssertEqual(seen, [0, 1, 2, 3, 4, 5])
    }

    func assertNoEnergyRise(_ r: MinimizationResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.lineSearches.isEmpty, file: file, line: line)
        for (k, ls) in r.lineSearches.enumerated() {
            XCTAssertTrue(ls.didNotRaiseEnergy, "line search \(k): \(ls.startEnergy) -> \(ls.acceptedEnergy ?? .nan)", file: file, line: line)
        }
    }
}

// Ideal cluster geometries (nearest-neighbor distance ≈ 2^(1/6)).
func octahedron() -> [SIMD3<Double>] {
    let a = 1.1 / 2.0.squareRoot()
    return [[a, 0, 0], [-a, 0, 0], [0, a, 0], [0, -a, 0], [0, 0, a], [0, 0, -a]]
}

func pentagonalBipyramid() -> [SIMD3<Double>] {
    let r = 1.1 / (2 * sin(Double.pi / 5))
    var p = (0..<5).map { k -> SIMD3<Double> in
        let t = 2 * Double.pi * Double(k) / 5
        return SIMD3(r * cos(t), r * sin(t), 0)
    }
    let h = (1.1 * 1.1 - r * r).squareRoot()
    p += [[0, 0, h], [0, 0, -h]]
    return p
}

func icosahedron() -> [SIMD3<Double>] {
    let phi = (1 + 5.0.squareRoot()) / 2
    var p: [SIMD3<Double>] = [.zero]
    for s1 in [-1.0, 1] {
        for s2 in [-1.0, 1] { p += [[0, s1, s2 * phi], [s1, s2 * phi, 0], [s2 * phi, 0, s1]] }
    }
    // Vertices at distance sqrt(1 + phi²) from the centre; scale to a centre–vertex distance of 1.09.
    let scale = 1.09 / (1 + phi * phi).squareRoot()
    return p.map { $0 * scale }
}
