import Foundation
import XCTest
import NNSwift
import NNSwiftTraining

/// Every function type on two elements with cutoff type `kind`: η multiples with a shared R_s (taken
/// as powers in the kernel), integer ζ up to 16 and a non-integer ζ, shifted G4/G5, two radii.
func allTypeFunctions(elements: [String], kind: CutoffKind) -> [SymmetryFunction] {
    let alpha = kind.usesInnerRadius ? 0.1 : 0
    let c = CutoffFunction(kind: kind, radius: 4.5, alpha: alpha), c2 = CutoffFunction(kind: kind, radius: 3.6, alpha: alpha)
    var fs: [SymmetryFunction] = []
    for a in elements {
        fs += [.g1(a, cutoff: c2), .g2(a, eta: 0.3, rs: 1.2, cutoff: c), .g2(a, eta: 0.6, rs: 1.2, cutoff: c),
               .g2(a, eta: 0.05, cutoff: c2), .g3(a, kappa: 1.3, cutoff: c)]
    }
    for (i, a) in elements.enumerated() {
        for b in elements[i...] {
            fs += [.g4(a, b, eta: 0.02, lambda: 1, zeta: 1, cutoff: c), .g4(a, b, eta: 0.04, lambda: -1, zeta: 4, cutoff: c),
                   .g4(a, b, eta: 0.01, lambda: 1, zeta: 16, cutoff: c), .g4(a, b, eta: 0.01, lambda: -1, zeta: 2.5, rs: 0.5, cutoff: c2),
                   .g5(a, b, eta: 0.03, lambda: -1, zeta: 2, cutoff: c), .g5(a, b, eta: 0.06, lambda: 1, zeta: 3.5, rs: 0.3, cutoff: c2)]
        }
    }
    return fs
}

/// Structures for the descriptor tests: a free cluster, a periodic cell and a cell smaller than
/// the cutoff (every atom sees images of itself).
func descriptorTestStructures(elements: [String]) -> [Structure] {
    var rng = SeededGenerator(seed: 41)
    var out = [randomStructure(elements: elements, count: 7, periodic: false, rng: &rng),
               randomStructure(elements: elements, count: 8, periodic: true, rng: &rng)]
    let cell = Cell(a: SIMD3(3.1, 0, 0), b: SIMD3(0.4, 2.9, 0), c: SIMD3(0.3, -0.2, 3.3))
    out.append(Structure(positions: [SIMD3(0.1, 0.2, 0.3), SIMD3(1.6, 1.3, 1.9)], elements: [elements[0], elements[1]],
                         cell: cell, pbc: .all))
    return out
}

/// Largest absolute component.
func maxAbs(_ v: SIMD3<Double>) -> Double { max(abs(v.x), abs(v.y), abs(v.z)) }

final class DescriptorKernelTests: XCTestCase {
    let elements = ["H", "O"]

    /// Training G, ∂G/∂r and Ξ against the evaluation kernel (`Potential` descriptors): values to
    /// 1e-12, derivatives against fourth-order central differences of the kernel's G in the
    /// positions and in a symmetric strain of cell and positions.
    func testJacobianAndStrainAgainstKernelFiniteDifferences() throws {
        for kind in CutoffKind.allCases where kind != .hard {
            let fs = allTypeFunctions(elements: elements, kind: kind)
            let stats = fs.map { _ in FunctionStatistics(min: 0, max: 1, mean: 0, sigma: 1) }
            let model = Model(units: .metal, species: elements.map {
                ElementModel(element: $0, symmetryFunctions: fs, scaling: Scaling(mode: .none, statistics: stats),
                             network: DenseNetwork(inputs: fs.count, hidden: [3], activations: [.tanh]))
            })
            let potential = try Potential(model: model)
            let kernel = try DescriptorKernel(functions: [fs, fs], elements: elements)
            func G(_ s: Structure) throws -> [[Double]] {
                try potential.evaluate(s, options: EvaluationOptions(forces: false, virial: false, descriptors: true)).descriptors
            }
            /// d/dt of G(move(t)) at t = 0, fourth order with step h.
            func derivative(step h: Double, _ move: (Double) -> Structure) throws -> [[Double]] {
                let (p1, m1, p2, m2) = (try G(move(h)), try G(move(-h)), try G(move(2 * h)), try G(move(-2 * h)))
                return p1.indices.map { i in p1[i].indices.map { f in (8 * (p1[i][f] - m1[i][f]) - (p2[i][f] - m2[i][f])) / (12 * h) } }
            }
            let S = fs.count
            for s in descriptorTestStructures(elements: elements) {
                let (species, envs) = try DescriptorCalculator.environments(structure: s, elements: elements, functions: [fs, fs])
                let d = try envs.indices.map {
                    try DescriptorCalculator.descriptors(envs[$0], kernel: kernel, species: species[$0], jacobian: true, strain: true)
                }
                let g0 = try G(s)
                for i in d.indices {
                    for f in 0..<S { XCTAssertEqual(d[i].values[f], g0[i][f], accuracy: 1e-12 * max(1, abs(g0[i][f])), "\(kind) G\(f)") }
                }
                var worst = 0.0, checked = 0
                for k in 0..<s.count {
                    for c in 0..<3 {
                        let fd = try derivative(step: 1e-3) { t in var m = s; m.positions[k][c] += t; return m }
                        for i in d.indices {
                            for f in 0..<S {
                                let an = d[i].atoms.firstIndex(of: k).map { d[i].jacobian[$0 * S + f][c] } ?? 0
                                worst = max(worst, abs(an - fd[i][f]) / max(1, abs(fd[i][f])))
                                if an != 0 { checked += 1 }
                            }
                        }
                    }
                }
                XCTAssertLessThan(worst, 1e-9, "\(kind): ∂G/∂r vs finite differences")
                XCTAssertGreaterThan(checked, S * s.count)
                guard let cell = s.cell else { continue }
                for (c, (a, b)) in [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)].enumerated() {
                    // A smaller step: a strain t moves a distance R by up to R t (exp cutoff's steep derivatives).
                    let fd = try derivative(step: 2e-4) { t in
                        var e = Matrix3(SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))
                        e[a, b] += t
                        if a != b { e[b, a] += t }
                        var m = s
                        m.positions = s.positions.map { e * $0 }
                        m.cell = Cell(a: e * cell.a, b: e * cell.b, c: e * cell.c)
                        return m
                    }
                    for i in d.indices {
                        for f in 0..<S {
                            // A shear t on ε_ab and ε_ba changes G by 2 Ξ_ab t.
                            let expected = fd[i][f] / (a == b ? 1 : 2)
                            XCTAssertEqual(d[i].strain[c * S + f], expected, accuracy: 1e-9 * max(1, abs(expected)),
                                           "\(kind) Ξ\(f) component \(c) atom \(i)")
                        }
                    }
                }
            }
        }
    }
}
