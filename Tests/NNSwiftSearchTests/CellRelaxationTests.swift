import NNSwift
import XCTest
@testable import NNSwiftSearch
import NNSwiftOptimize

final class CellRelaxationTests: XCTestCase {
    /// A strained, sheared fcc Lennard-Jones crystal (2x2x2 conventional cells, 32 atoms).
    func strainedCrystal(rattle: Double = 0.02) -> Structure {
        let a = 1.6
        let basis: [SIMD3<Double>] = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]
        var rng = SeededGenerator(seed: 11)
        var p: [SIMD3<Double>] = []
        for i in 0..<2 { for j in 0..<2 { for k in 0..<2 { for b in basis {
            p.append((SIMD3(Double(i), Double(j), Double(k)) + b) * a
                     + SIMD3(rng.uniform(-rattle, rattle), rng.uniform(-rattle, rattle), rng.uniform(-rattle, rattle)))
        } } } }
        let cell = Cell(a: [2 * a * 1.04, 0, 0], b: [0.1, 2 * a * 0.97, 0], c: [0.05, -0.08, 2 * a * 1.02])
        // Map the ideal positions into the strained cell.
        let ideal = Cell(orthorhombic: 2 * a, 2 * a, 2 * a)
        p = p.map { cell.cartesian(ideal.fractional($0)) }
        return Structure(positions: p, elements: [String](repeating: "Ar", count: p.count), cell: cell, pbc: .all)
    }

    /// The enthalpy gradient of the variable-cell surface matches finite differences.
    func testCellGradientMatchesFiniteDifferences() throws {
        let s = strainedCrystal()
        let surface = try StructureSurface(calculator: LennardJones(cutoff: 2.5), structure: s, relaxCell: true, pressure: 0.3)
        var x = surface.initialCoordinates
        // Move away from F = 1 so the F⁻ᵀ factor matters.
        let n = 3 * s.count
        x[n] *= 1.03; x[n + 1] += 0.4; x[n + 5] -= 0.3; x[n + 8] *= 0.98
        let g = try surface.evaluate(x).gradient
        let h = 1e-5
        for k in [0, 1, 17, 50, n, n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8] {
            var xp = x, xm = x
            xp[k] += h; xm[k] -= h
            let fd = (try surface.evaluate(xp).energy - surface.evaluate(xm).energy) / (2 * h)
            XCTAssertEqual(g[k], fd, accuracy: 1e-5 * max(1, abs(fd)), "coordinate \(k)")
        }
    }

    /// Variable-cell relaxation removes the stress of the strained crystal (and hits a target pressure).
    func testVariableCellRelaxationRemovesStress() throws {
        for (pressure, kind) in [(0.0, MinimizerKind.lbfgs), (0.5, .lbfgs), (0.0, .fire)] {
            let s = strainedCrystal()
            let lj = LennardJones(cutoff: 2.5)
            let surface = try StructureSurface(calculator: lj, structure: s, relaxCell: true, pressure: pressure)
            let before = try surface.structure(at: surface.initialCoordinates)
            let r = try kind.make(MinimizationOptions(fmax: 1e-5, maxSteps: 5000, maxStep: 0.05))
                .minimize(surface, from: surface.initialCoordinates)
            XCTAssertTrue(r.converged, "\(kind) p=\(pressure): \(r.status)")
            let after = try surface.structure(at: r.x)
            let target = Matrix3([-pressure, 0, 0], [0, -pressure, 0], [0, 0, -pressure])
            let residual = (after.stress! - target).maxAbs
            let initial = (before.stress! - target).maxAbs
            XCTAssertGreaterThan(initial, 0.1)
            XCTAssertLessThan(residual, 1e-4, "\(kind) p=\(pressure)")
            XCTAssertLessThan(Fixtures.maxForce(after.forces!), 1e-4)
            if kind == .lbfgs { XCTAssertTrue(r.lineSearches.allSatisfy(\.didNotRaiseEnergy)) }
            // The relaxed cell is still an fcc lattice: three equal, orthogonal vectors.
            let c = after.cell!
            let l = [length(c.a), length(c.b), length(c.c)]
            XCTAssertLessThan(l.max()! - l.min()!, 0.02 * l.max()!, "\(l)")
            XCTAssertEqual(dot(c.a, c.b) / (l[0] * l[1]), 0, accuracy: 0.01)
        }
    }

    func testCellRelaxationNeedsPeriodicCell() {
        let s = Structure(positions: [.zero, [1, 0, 0]], elements: ["Ar", "Ar"])
        XCTAssertThrowsError(try StructureSurface(calculator: LennardJones(), structure: s, relaxCell: true))
    }
}

enum Fixtures {
    static func maxForce(_ f: [SIMD3<Double>]) -> Double { f.map { max(abs($0.x), abs($0.y), abs($0.z)) }.max() ?? 0 }
}
