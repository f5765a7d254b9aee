import XCTest
@testable import NNSwift

/// Sanity checks of the optimized atom kernel on a model exercising every code path: three
/// elements, all cutoff types (several radii, inner radius alpha), G1–G5, integer and
/// non-integer zeta, lambda ±1, R_s ≠ 0. Descriptors against a naive direct sum, forces
/// against central finite differences, virial against Σ r ⊗ F of a free cluster.
final class KernelSanityTests: XCTestCase {
    static let elements = ["H", "C", "O"]

    static func functions(_ center: Int) -> [SymmetryFunction] {
        let poly2 = CutoffFunction(kind: .poly2, radius: 5.0, alpha: 0.3)
        let cosC = CutoffFunction(kind: .cos, radius: 4.0, alpha: 0.2)
        let expC = CutoffFunction(kind: .exp, radius: 4.5, alpha: 0.1)
        let tanh = CutoffFunction(kind: .tanh, radius: 4.5)
        let tanhu = CutoffFunction(kind: .tanhu, radius: 5.0)
        let hard = CutoffFunction(kind: .hard, radius: 3.5)
        let poly1 = CutoffFunction(kind: .poly1, radius: 4.2, alpha: 0.0)
        let poly3 = CutoffFunction(kind: .poly3, radius: 4.8, alpha: 0.5)
        let poly4 = CutoffFunction(kind: .poly4, radius: 5.0, alpha: 0.25)
        var f: [SymmetryFunction] = [
            .g1("H", cutoff: poly2), .g1("O", cutoff: tanhu),
            .g2("H", eta: 0.3, rs: 0.5, cutoff: cosC), .g2("C", eta: 0.1, cutoff: poly2), .g2("O", eta: 0.7, rs: 1.2, cutoff: poly4),
            .g2("O", eta: 0.2, cutoff: expC), .g2("H", eta: 0.05, cutoff: poly2),
            .g3("C", kappa: 1.3, cutoff: poly1), .g3("O", kappa: 0.7, cutoff: tanh),
            .g4("H", "O", eta: 0.05, lambda: 1, zeta: 1, cutoff: poly2),
            .g4("H", "O", eta: 0.05, lambda: -1, zeta: 1, cutoff: poly2),
            .g4("H", "O", eta: 0.02, lambda: 1, zeta: 4, cutoff: poly2),
            .g4("O", "O", eta: 0.1, lambda: -1, zeta: 2.5, rs: 0.8, cutoff: tanh),
            .g4("H", "H", eta: 0.2, lambda: 1, zeta: 3, rs: 0.4, cutoff: hard),
            .g4("C", "H", eta: 0.01, lambda: 1, zeta: 7, cutoff: poly3),
            .g5("H", "C", eta: 0.03, lambda: 1, zeta: 4, cutoff: poly2),
            .g5("C", "O", eta: 0.08, lambda: -1, zeta: 1, cutoff: cosC),
            .g5("C", "O", eta: 0.08, lambda: 1, zeta: 2, cutoff: cosC),
            .g5("O", "H", eta: 0.04, lambda: -1, zeta: 1.5, rs: 0.3, cutoff: expC),
            .g5("H", "H", eta: 0.02, lambda: 1, zeta: 2, cutoff: poly2),
            .g4("C", "C", eta: 0.06, lambda: 1, zeta: 2, cutoff: poly4),
            // Integer multiples of a base eta (shared exponentials), eta = 0.
            .g4("H", "O", eta: 0.1, lambda: 1, zeta: 2, cutoff: poly2),
            .g4("H", "O", eta: 0.0, lambda: -1, zeta: 1, cutoff: poly2),
            .g5("H", "C", eta: 0.09, lambda: -1, zeta: 1, cutoff: poly2),
            .g2("C", eta: 0.0, cutoff: poly2), .g2("C", eta: 0.7, cutoff: poly2),
        ]
        if center == 1 { f.append(.g4("O", "O", eta: 0.01, lambda: 1, zeta: 16, cutoff: tanhu)) }
        if center == 2 { f.removeLast(2) }
        return f
    }

    static func model() -> Model {
        var rng = SeededRandom(seed: UInt64(42))
        let species = elements.enumerated().map { (ci, e) -> ElementModel in
            let fs = functions(ci)
            var net = DenseNetwork(inputs: fs.count, hidden: [7, 5], activations: [.tanh, .tanh])
            for l in 0..<net.layers.count {
                net.layers[l].weights = net.layers[l].weights.map { _ in rng.uniform(0, 1) - 0.5 }
                net.layers[l].biases = net.layers[l].biases.map { _ in rng.uniform(0, 1) - 0.5 }
            }
            let stats = fs.map { _ in FunctionStatistics(min: 0, max: 3, mean: 1, sigma: 1) }
            return ElementModel(element: e, symmetryFunctions: fs,
                                scaling: Scaling(mode: .scaleCenter, targetMin: -1, targetMax: 1, statistics: stats),
                                network: net, referenceEnergy: -0.1 * Double(ci))
        }
        return Model(units: .metal, species: species)
    }

    static func cluster(_ n: Int, seed: UInt64) -> Structure {
        var rng = SeededRandom(seed: UInt64(seed))
        var pos: [SIMD3<Double>] = []
        while pos.count < n {
            let p = SIMD3(rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0, 1)) * 6.5
            if pos.allSatisfy({ (($0 - p) * ($0 - p)).sum() > 0.8 }) { pos.append(p) }
        }
        let el = (0..<n).map { elements[$0 % 3] }
        return Structure(positions: pos, elements: el)
    }

    /// Direct sum of one center's symmetry functions over all other atoms.
    static func naiveDescriptors(_ s: Structure, center i: Int, functions: [SymmetryFunction]) -> [Double] {
        let n = s.positions.count
        return functions.map { f in
            var sum = 0.0
            let c = f.cutoff
            for j in 0..<n where j != i {
                let dj = s.positions[j] - s.positions[i]
                let rij = (dj * dj).sum().squareRoot()
                if rij >= c.radius { continue }
                let fij = c.evaluate(rij).f
                switch f.kind {
                case .g1: if s.elements[j] == f.neighbors[0] { sum += fij }
                case .g2: if s.elements[j] == f.neighbors[0] { sum += exp(-f.eta * (rij - f.rs) * (rij - f.rs)) * fij }
                case .g3: if s.elements[j] == f.neighbors[0] { sum += cos(f.kappa * rij) * fij }
                case .g4, .g5:
                    for k in (j + 1)..<n where k != i {
                        let pair = [s.elements[j], s.elements[k]]
                        guard pair.sorted() == f.neighbors.sorted() else { continue }
                        let dk = s.positions[k] - s.positions[i]
                        let rik = (dk * dk).sum().squareRoot()
                        if rik >= c.radius { continue }
                        let djk = dk - dj
                        let rjk = (djk * djk).sum().squareRoot()
                        var e = (rij - f.rs) * (rij - f.rs) + (rik - f.rs) * (rik - f.rs)
                        var fjk = 1.0
                        if f.kind == .g4 {
                            if rjk >= c.radius { continue }
                            e += (rjk - f.rs) * (rjk - f.rs)
                            fjk = c.evaluate(rjk).f
                        }
                        let cosT = (dj * dk).sum() / (rij * rik)
                        let plam = 1 + f.lambda * cosT
                        if plam <= 0 { continue }
                        sum += pow(2, 1 - f.zeta) * pow(plam, f.zeta) * exp(-f.eta * e) * fij * c.evaluate(rik).f * fjk
                    }
                }
            }
            return sum
        }
    }

    func testDescriptorsForcesVirial() throws {
        let model = Self.model()
        let pot = try Potential(model: model)
        // The model exercises exponentials shared through powers (angular and radial) and eta = 0.
        let layout = pot.kernels[0].layout
        XCTAssertTrue(layout.expGroups.contains { $0.power > 1 })
        XCTAssertTrue(layout.expGroups.contains { $0.power == 0 })
        XCTAssertTrue(layout.radialTerms.contains { $0.power > 1 })
        XCTAssertTrue(layout.angularBlocks.contains { $0.wide && $0.exps.contains { layout.expGroups[$0].power > 1 } })
        for seed in [UInt64(1), 7, 99] {
            let s = Self.cluster(17, seed: seed)
            let ev = try pot.evaluate(s, options: EvaluationOptions(forces: true, virial: true, descriptors: true))
            // Descriptors.
            var maxG = 0.0
            for i in 0..<s.positions.count {
                let sp = Self.elements.firstIndex(of: s.elements[i])!
                let ref = Self.naiveDescriptors(s, center: i, functions: model.species[sp].symmetryFunctions)
                XCTAssertEqual(ev.descriptors[i].count, ref.count)
                for (a, b) in zip(ev.descriptors[i], ref) { maxG = max(maxG, abs(a - b) / max(1, abs(b))) }
            }
            XCTAssertLessThan(maxG, 1e-12, "descriptors, seed \(seed)")
            // Forces by central differences.
            let h = 1e-5
            var maxF = 0.0, scale = 0.0
            for a in 0..<s.positions.count {
                for d in 0..<3 {
                    var sp = s, sm = s
                    sp.positions[a][d] += h; sm.positions[a][d] -= h
                    let fd = -(try pot.evaluate(sp, options: .energyOnly).energy - pot.evaluate(sm, options: .energyOnly).energy) / (2 * h)
                    maxF = max(maxF, abs(fd - ev.forces[a][d])); scale = max(scale, abs(fd))
                }
            }
            XCTAssertGreaterThan(scale, 1e-3)
            XCTAssertLessThan(maxF, 1e-7 * max(1, scale), "forces, seed \(seed)")
            // Virial of a free cluster: W = Σ r ⊗ F.
            var w = Matrix3.zero
            for (r, f) in zip(s.positions, ev.forces) { w += Matrix3.outer(r, f) }
            var maxW = 0.0
            for p in 0..<3 { for q in 0..<3 { maxW = max(maxW, abs(w[p, q] - ev.virial[p, q])) } }
            XCTAssertLessThan(maxW, 1e-10, "virial, seed \(seed)")
            // Energy only must agree with the full evaluation.
            XCTAssertEqual(try pot.evaluate(s, options: .energyOnly).energy, ev.energy, accuracy: 1e-12)
            print("seed", seed, "maxRelG", maxG, "maxFerr", maxF, "Fscale", scale, "maxWerr", maxW)
        }
    }

    /// Atoms without neighbors, a lone atom, and per-atom virials summing to the total.
    func testEdgeCases() throws {
        let pot = try Potential(model: Self.model())
        var s = Self.cluster(8, seed: 3)
        s.positions.append(SIMD3(100, 100, 100)); s.elements.append("O")
        let ev = try pot.evaluate(s, options: EvaluationOptions(forces: true, virial: true, atomVirials: true))
        XCTAssertEqual(ev.forces[8], .zero)
        var sum = Matrix3.zero
        for w in ev.atomVirials { sum += w }
        for p in 0..<3 { for q in 0..<3 { XCTAssertEqual(sum[p, q], ev.virial[p, q], accuracy: 1e-12) } }
        let lone = try pot.evaluate(Structure(positions: [.zero], elements: ["O"]))
        XCTAssertEqual(lone.forces, [.zero])
        XCTAssertEqual(ev.atomEnergies[8], lone.energy, accuracy: 1e-12)  // same network input (all G = 0)
    }

    /// A periodic box small enough that neighbors include images of the center itself.
    func testSmallPeriodicCell() throws {
        let pot = try Potential(model: Self.model())
        var s = Self.cluster(9, seed: 5)
        s.cell = Cell(orthorhombic: 4.1, 4.5, 4.3); s.pbc = .all
        let ev = try pot.evaluate(s)
        let h = 1e-5
        var maxF = 0.0
        for a in 0..<s.positions.count {
            for d in 0..<3 {
                var sp = s, sm = s
                sp.positions[a][d] += h; sm.positions[a][d] -= h
                let fd = -(try pot.evaluate(sp, options: .energyOnly).energy - pot.evaluate(sm, options: .energyOnly).energy) / (2 * h)
                maxF = max(maxF, abs(fd - ev.forces[a][d]))
            }
        }
        print("periodic maxFerr", maxF)
        XCTAssertLessThan(maxF, 1e-6)
    }
}

extension KernelSanityTests {
    /// fastExp (scalar and 4-lane) against libm: relative error, underflow to 0, large arguments.
    func testFastExp() {
        var rng = SeededRandom(seed: UInt64(11))
        var maxRel = 0.0
        for _ in 0..<200_000 {
            let x = (rng.uniform(0, 1) - 0.8) * 900
            let ref = Foundation.exp(x)
            let v = fastExp(x), w = fastExp(Lanes(repeating: x))[2]
            XCTAssertEqual(v, w)
            if x < -708 { XCTAssertEqual(v, 0); continue }
            maxRel = max(maxRel, abs(v - ref) / ref)
        }
        for x in [-1e-300, 0, 1e-17, -0.34657359, 0.34657359, -2, 1] { maxRel = max(maxRel, abs(fastExp(x) - Foundation.exp(x)) / Foundation.exp(x)) }
        XCTAssertEqual(fastExp(-Double.infinity), 0)
        XCTAssertEqual(fastExp(0), 1)
        XCTAssertTrue(fastExp(Double.nan).isNaN)
        print("fastExp max relative error", maxRel)
        XCTAssertLessThan(maxRel, 1e-15)
    }
}
