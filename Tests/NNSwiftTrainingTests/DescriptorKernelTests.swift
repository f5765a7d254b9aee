import Foundation
import XCTest
@testable import NNSwift
@testable import NNSwiftTraining

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

    /// The kernel-based training values, ∂G/∂r and Ξ = ∂G/∂ε equal the former training formulas
    /// (independent code) to 1e-12 relative to each function's largest entry.
    func testMatchesFormerTrainingFormulas() throws {
        for kind in CutoffKind.allCases {
            let fs = allTypeFunctions(elements: elements, kind: kind)
            let functions = [fs, fs]
            let kernel = try DescriptorKernel(functions: functions, elements: elements)
            let nbs = try DescriptorCalculator.neighborIndices(elements: elements, functions: functions)
            for s in descriptorTestStructures(elements: elements) {
                let (species, envs) = try DescriptorCalculator.environments(structure: s, elements: elements, functions: functions)
                for i in envs.indices {
                    let new = try DescriptorCalculator.descriptors(envs[i], kernel: kernel, species: species[i], jacobian: true, strain: true)
                    let old = DescriptorCalculator.legacyDescriptors(envs[i], functions: fs, neighbors: nbs[species[i]],
                                                                     jacobian: true, strain: true)
                    XCTAssertEqual(new.atoms, old.atoms)
                    let S = fs.count
                    for f in 0..<S {
                        XCTAssertEqual(new.values[f], old.values[f], accuracy: 1e-12 * max(1, abs(old.values[f])), "\(kind) G\(f)")
                        var scale = 1e-300, worst = 0.0
                        for a in old.atoms.indices {
                            let o = old.jacobian[a * S + f], n = new.jacobian[a * S + f]
                            scale = max(scale, maxAbs(o)); worst = max(worst, maxAbs(n - o))
                        }
                        XCTAssertLessThanOrEqual(worst, 1e-12 * scale, "\(kind) ∂G\(f)/∂r atom \(i)")
                        let ox = (0..<6).map { old.strain[$0 * S + f] }, nx = (0..<6).map { new.strain[$0 * S + f] }
                        let xs = ox.map(abs).max()!
                        for c in 0..<6 { XCTAssertEqual(nx[c], ox[c], accuracy: 1e-12 * max(xs, 1e-300), "\(kind) Ξ\(f) \(c)") }
                    }
                }
            }
        }
    }
}
