import Foundation
import XCTest
import NNSwift
import NNSwiftTraining

/// The automatic symmetry-function grid: counts per element and element pair, the documented
/// parameter spacing, and finite non-zero values on structures with every element pair.
final class SymmetryFunctionGridTests: XCTestCase {
    let grid = SymmetryFunctionGrid(cutoff: 5.0, rmin: 1.0, radial: 6, centred: 3, angular: 2, zetas: [1, 4])

    func testCountsPerElementAndPair() throws {
        for elements in [["Si", "C"], ["H", "O", "N"], ["Au"]] {
            let lists = try grid.functions(elements: elements)
            XCTAssertEqual(lists.count, elements.count)
            XCTAssertTrue(lists.allSatisfy { $0 == lists[0] }, "one cutoff: the same list for every central element")
            let fs = lists[0]
            XCTAssertEqual(Set(fs).count, fs.count, "\(elements): duplicate functions")
            for e in elements {
                XCTAssertEqual(fs.filter { $0.kind == .g2 && $0.neighbors == [e] }.count, 6 + 3, "radial, neighbor \(e)")
            }
            var pairs = 0
            for (i, a) in elements.enumerated() {
                for b in elements[i...] {
                    pairs += 1
                    let n = fs.filter { $0.kind == .g5 && $0.neighbors.sorted() == [a, b].sorted() }.count
                    XCTAssertEqual(n, 2 * 2 * 2, "angular, pair \(a)-\(b)")  // widths × ζ × λ
                }
            }
            XCTAssertEqual(pairs, elements.count * (elements.count + 1) / 2)
            XCTAssertEqual(fs.count, elements.count * 9 + pairs * 8, "\(elements): nothing else is generated")
            XCTAssertTrue(fs.allSatisfy { $0.cutoff == .cosine(5.0) })
        }
    }

    func testParametersFollowTheGrid() throws {
        let fs = try grid.functions(elements: ["Si", "C"])[0]
        let shifted = fs.filter { $0.kind == .g2 && $0.neighbors == ["C"] && $0.rs > 0 }
        XCTAssertEqual(shifted.count, 6)
        XCTAssertEqual(shifted.first?.rs ?? -1, 1.0, accuracy: 1e-12)  // first centre at r_min
        for (f, g) in zip(shifted, shifted.dropFirst()) {
            XCTAssertGreaterThan(g.rs, f.rs)
            // Neighbouring Gaussians are one standard deviation apart: η·ΔR_s² = 1/2.
            XCTAssertEqual(f.eta * (g.rs - f.rs) * (g.rs - f.rs), 0.5, accuracy: 1e-12)
            XCTAssertEqual(f.eta, g.eta)
        }
        XCTAssertLessThan(shifted.last?.rs ?? 99, 5.0)
        let centred = fs.filter { $0.kind == .g2 && $0.neighbors == ["C"] && $0.rs == 0 }
        XCTAssertEqual(centred.count, 3)
        for (f, g) in zip(centred, centred.dropFirst()) { XCTAssertLessThan(g.eta, f.eta, "widths grow") }
        // The widest centred Gaussian has σ = R_c.
        XCTAssertEqual(centred.last?.eta ?? 0, 1 / (2 * 5.0 * 5.0), accuracy: 1e-15)
        let angular = fs.filter { $0.kind == .g5 && $0.neighbors == ["C", "Si"].sorted() && $0.lambda == -1 && $0.zeta == 4 }
        XCTAssertEqual(angular.count, 2)
        XCTAssertGreaterThan(angular[0].eta, angular[1].eta)
        XCTAssertTrue(fs.allSatisfy { $0.eta > 0 && $0.eta.isFinite })
    }

    /// 3C-SiC (zincblende, 8-atom cubic cell, a = 4.36 Å): every atom has Si and C neighbours
    /// within 5 Å, so every radial and every angular function of both elements must be > 0.
    func testFiniteAndNonZeroOnSiC() throws {
        let a = 4.36
        let fcc: [SIMD3<Double>] = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]
        let positions = fcc.map { $0 * a } + fcc.map { ($0 + SIMD3(0.25, 0.25, 0.25)) * a }
        let s = Structure(positions: positions, elements: Array(repeating: "Si", count: 4) + Array(repeating: "C", count: 4),
                          cell: Cell(orthorhombic: a, a, a), pbc: .all)
        try assertAllPositive(s, elements: ["Si", "C"])
    }

    /// A free H/N/O cluster on a puckered 3×3 grid (spacing 1.2 Å, all distances 1.2–3.5 Å): three
    /// atoms of each element, so every centre sees every element pair, two of its own element included.
    func testFiniteAndNonZeroOnThreeElements() throws {
        var positions: [SIMD3<Double>] = []
        var elements: [String] = []
        for i in 0..<3 {
            for j in 0..<3 {
                positions.append(SIMD3(1.2 * Double(i), 1.2 * Double(j), 0.4 * Double((i + 2 * j) % 3)))
                elements.append(["H", "N", "O"][(i + j) % 3])
            }
        }
        try assertAllPositive(Structure(positions: positions, elements: elements), elements: ["H", "N", "O"])
    }

    func assertAllPositive(_ s: Structure, elements: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let lists = try grid.functions(elements: elements)
        let values = try DescriptorCalculator.compute(structure: s, elements: elements, functions: lists, jacobian: false)
        for (i, d) in values.enumerated() {
            let fs = lists[elements.firstIndex(of: s.elements[i]) ?? 0]
            XCTAssertEqual(d.values.count, fs.count, file: file, line: line)
            for (k, g) in d.values.enumerated() where !(g.isFinite && g > 0) {
                XCTFail("atom \(i) (\(s.elements[i])), function \(k) \(fs[k]): G = \(g)", file: file, line: line)
            }
        }
    }

    func testConfigFormAndErrors() throws {
        let json = #"{"data": "x.xyz", "symmetryFunctions": {"grid": {"cutoff": 4.5, "radial": 5}}}"#
        let c = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
        let fs = try c.symmetryFunctions.resolve(elements: ["Si", "C"])
        // Defaults: centred 4, angular 3, ζ ∈ {1, 4, 16}, r_min 1.
        XCTAssertEqual(fs.map(\.count), [2 * (5 + 4) + 3 * 3 * 3 * 2, 2 * (5 + 4) + 3 * 3 * 3 * 2])
        XCTAssertEqual(fs[0], fs[1])

        let both = #"{"data": "x.xyz", "symmetryFunctions": {"preset": "radial24", "grid": {"cutoff": 4.5}}}"#
        let c2 = try JSONDecoder().decode(TrainingConfig.self, from: Data(both.utf8))
        XCTAssertThrowsError(try c2.symmetryFunctions.resolve(elements: ["Si"])) { e in
            XCTAssertTrue("\(e)".contains("give only one"), "\(e)")
        }
        let typo = #"{"data": "x.xyz", "symmetryFunctions": {"grid": {"cutoff": 4.5, "centered": 2}}}"#
        XCTAssertThrowsError(try JSONDecoder().decode(TrainingConfig.self, from: Data(typo.utf8))) { e in
            XCTAssertTrue("\(e)".contains("unknown key 'centered'"), "\(e)")
        }
        for bad in [SymmetryFunctionGrid(cutoff: 3, rmin: 3), SymmetryFunctionGrid(cutoff: .nan),
                    SymmetryFunctionGrid(cutoff: 5, radial: -1), SymmetryFunctionGrid(cutoff: 5, angular: 100),
                    SymmetryFunctionGrid(cutoff: 5, zetas: [0.5]), SymmetryFunctionGrid(cutoff: 5, zetas: []),
                    SymmetryFunctionGrid(cutoff: 5, radial: 0, centred: 0, angular: 0),
                    SymmetryFunctionGrid(cutoff: 5, alpha: 1), SymmetryFunctionGrid(cutoff: 5, alpha: .nan),
                    SymmetryFunctionGrid(cutoff: 5, pairCutoffs: ["Si-Ge": 3]), SymmetryFunctionGrid(cutoff: 5, pairCutoffs: ["Si": 3]),
                    SymmetryFunctionGrid(cutoff: 5, pairCutoffs: ["Si-Si-Si": 3]), SymmetryFunctionGrid(cutoff: 5, pairCutoffs: ["Si-Si": 0.5]),
                    SymmetryFunctionGrid(cutoff: 5, pairCutoffs: ["Si-Si": .infinity]),
                    SymmetryFunctionGrid(cutoff: 5, pairCutoffs: ["Si-Si": 5.5])] {
            XCTAssertThrowsError(try bad.functions(elements: ["Si"])) { e in
                XCTAssertTrue("\(e)".contains("symmetryFunctions.grid"), "\(e)")
            }
        }
    }

    /// `pairCutoffs` and `alpha`: each pair's grids end at its own R_c, a G5 takes the larger R_c of
    /// its two neighbour pairs, every function has the inner radius alpha·R_c, and a pair beyond
    /// its R_c is invisible to that pair's functions.
    func testPairCutoffs() throws {
        let pairs = ["C-C": 2.1, "Si-C": 2.51]  // Si-Si: the default 3.0
        let g = SymmetryFunctionGrid(cutoff: 3.0, rmin: 1.2, radial: 4, centred: 2, angular: 2, zetas: [1], alpha: 0.88,
                                     pairCutoffs: pairs)
        let lists = try g.functions(elements: ["C", "Si"])
        let rc: [String: Double] = ["C-C": 2.1, "C-Si": 2.51, "Si-C": 2.51, "Si-Si": 3.0]
        for (center, fs) in zip(["C", "Si"], lists) {
            XCTAssertEqual(fs.count, 2 * (4 + 2) + 3 * 2 * 1 * 2)
            XCTAssertTrue(fs.allSatisfy { $0.cutoff.kind == .cos && $0.cutoff.alpha == 0.88 })
            for f in fs where f.kind == .g2 {
                let r = rc["\(center)-\(f.neighbors[0])"] ?? 0
                XCTAssertEqual(f.cutoff.radius, r, "\(center) centre, neighbour \(f.neighbors[0])")
                XCTAssertLessThan(f.rs, r)
            }
            for n in ["C", "Si"] {
                let r = rc["\(center)-\(n)"] ?? 0
                let widest = fs.filter { $0.kind == .g2 && $0.neighbors == [n] && $0.rs == 0 }.map(\.eta).min() ?? 0
                XCTAssertEqual(widest, 1 / (2 * r * r), accuracy: 1e-15, "\(center)–\(n): widest centred σ = pair R_c")
            }
            for f in fs where f.kind == .g5 {
                let r = f.neighbors.map { rc["\(center)-\($0)"] ?? 0 }.max() ?? 0
                XCTAssertEqual(f.cutoff.radius, r, "\(center) centre, neighbours \(f.neighbors)")
            }
        }
        // A C–Si dimer at 2.6 Å: beyond the C–Si R_c, so every function of both atoms is 0; at 2.4 Å not.
        for (d, seen) in [(2.6, false), (2.4, true)] {
            let s = Structure(positions: [[0, 0, 0], [d, 0, 0]], elements: ["C", "Si"])
            let values = try DescriptorCalculator.compute(structure: s, elements: ["C", "Si"], functions: lists, jacobian: false)
            let g2 = [lists[0].firstIndex { $0.kind == .g2 && $0.neighbors == ["Si"] && $0.rs == 0 },
                      lists[1].firstIndex { $0.kind == .g2 && $0.neighbors == ["C"] && $0.rs == 0 }]
            for (atom, k) in g2.enumerated() {
                let v = values[atom].values[k ?? -1]
                XCTAssertEqual(v > 0, seen, "C–Si at \(d) Å, atom \(atom): G = \(v)")
            }
        }
    }

    /// The cosine cutoff with inner radius is Tersoff's switching function: with R_c = R + D and
    /// alpha = (R − D)/R_c, f_c = 1/2 − 1/2 sin(π/2 (r − R)/D) on [R − D, R + D] (Tersoff 1989,
    /// Si–Si R = 2.85, D = 0.15 Å), 1 inside, 0 outside; the derivative against central differences.
    func testAlphaCutoffIsTersoffSwitching() {
        let R = 2.85, D = 0.15
        let f = CutoffFunction(kind: .cos, radius: R + D, alpha: (R - D) / (R + D))
        for r in stride(from: 2.5, through: 3.1, by: 0.0125) {
            let tersoff = r < R - D ? 1 : r > R + D ? 0 : 0.5 - 0.5 * sin(Double.pi / 2 * (r - R) / D)
            XCTAssertEqual(f.evaluate(r).f, tersoff, accuracy: 1e-14, "r = \(r)")
            let h = 1e-6
            if abs(r - (R - D)) > h, abs(r - (R + D)) > h {
                let fd = (f.evaluate(r + h).f - f.evaluate(r - h).f) / (2 * h)
                XCTAssertEqual(f.evaluate(r).df, fd, accuracy: 1e-8, "r = \(r)")
            }
        }
    }

    func testPairCutoffConfigForm() throws {
        let json = #"{"data": "x.xyz", "symmetryFunctions": {"grid": {"cutoff": 3.0, "rmin": 1.2, "alpha": 0.88, "pairCutoffs": {"C-C": 2.1, "C-Si": 2.51}}}}"#
        let c = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
        XCTAssertEqual(c.symmetryFunctions.grid?.pairCutoffs, ["C-C": 2.1, "C-Si": 2.51])
        let fs = try c.symmetryFunctions.resolve(elements: ["C", "Si"])
        XCTAssertEqual(Set(fs[0].map(\.cutoff.radius)), [2.1, 2.51])
        XCTAssertEqual(Set(fs[1].map(\.cutoff.radius)), [2.51, 3.0])
        let twice = SymmetryFunctionGrid(cutoff: 3, pairCutoffs: ["C-Si": 2.5, "Si-C": 2.6])
        XCTAssertThrowsError(try twice.functions(elements: ["C", "Si"])) { e in
            XCTAssertTrue("\(e)".contains("given twice"), "\(e)")
        }
        XCTAssertThrowsError(try SymmetryFunctionGrid(cutoff: 3, pairCutoffs: ["C-Ge": 2.5]).functions(elements: ["C", "Si"])) { e in
            XCTAssertTrue("\(e)".contains("'Ge' is not in the training data"), "\(e)")
        }
    }
}
