import XCTest
@testable import NNSwift

/// Analytic forces and virial against central finite differences of the energy.
final class FiniteDifferenceTests: XCTestCase {
    /// Checks forces (-dE/dr) and virial (-dE/dε under homogeneous strain) to `tolerance` relative.
    func check(_ model: Model, _ s: Structure, tolerance: Double = 1e-6, file: StaticString = #filePath, line: UInt = #line) throws {
        try Self.checkDerivatives(model, s, tolerance: tolerance, file: file, line: line)
    }

    /// `check` for other suites (the pair baseline's).
    static func checkDerivatives(_ model: Model, _ s: Structure, tolerance: Double = 1e-6, file: StaticString = #filePath,
                                 line: UInt = #line) throws {
        let pot = try Potential(model: model)
        let ev = try pot.evaluate(s)
        let h = 1e-5
        var fd = [SIMD3<Double>](repeating: .zero, count: s.count)
        for i in 0..<s.count {
            for a in 0..<3 {
                var p = s, m = s
                p.positions[i][a] += h; m.positions[i][a] -= h
                fd[i][a] = -(try pot.evaluate(p, options: .energyOnly).energy - pot.evaluate(m, options: .energyOnly).energy) / (2 * h)
            }
        }
        let scale = max(Fixtures.maxAbs(ev.forces), 1e-2)
        XCTAssertLessThan(Fixtures.maxDiff(ev.forces, fd) / scale, tolerance, "forces", file: file, line: line)
        XCTAssertGreaterThan(Fixtures.maxAbs(ev.forces), 1e-4, "forces should not vanish in this test", file: file, line: line)

        var fdVirial = Matrix3.zero
        for a in 0..<3 {
            for b in 0..<3 {
                func strained(_ e: Double) -> Structure {
                    var strain = Matrix3.zero
                    strain[a, b] = e
                    var t = s
                    t.positions = s.positions.map { $0 + strain * $0 }
                    t.cell = s.cell?.strained(by: strain)
                    return t
                }
                fdVirial[a, b] = -(try pot.evaluate(strained(h), options: .energyOnly).energy
                                   - pot.evaluate(strained(-h), options: .energyOnly).energy) / (2 * h)
            }
        }
        let vScale = max(ev.virial.flat.map(abs).max()!, 1e-2)
        XCTAssertLessThan(Fixtures.maxDiff(ev.virial, fdVirial) / vScale, tolerance, "virial", file: file, line: line)
        // Per-atom virials add up to the total.
        let perAtom = try pot.evaluate(s, options: .init(atomVirials: true)).atomVirials.reduce(Matrix3.zero, +)
        XCTAssertLessThan(Fixtures.maxDiff(perAtom, ev.virial) / vScale, 1e-12, "atom virials", file: file, line: line)
    }

    func testEverySymmetryFunctionTypeInTriclinicCell() throws {
        var rng = SeededRandom(seed: 1)
        let cell = Fixtures.triclinicCell(7, rng: &rng)
        let s = Fixtures.randomStructure(elements: ["Si", "O"], count: 10, cell: cell, rng: &rng)
        let model = try Fixtures.randomModel(elements: ["O", "Si"], functions: {
            Fixtures.allTypes(center: $0, elements: ["O", "Si"], cutoff: .cosine(4.5))
        }, sample: s, rng: &rng)
        try check(model, s)
    }

    func testSmallCellCutoffBeyondHalfTheCell() throws {
        var rng = SeededRandom(seed: 2)
        let cell = Fixtures.triclinicCell(3.2, rng: &rng)
        let s = Fixtures.randomStructure(elements: ["Au"], count: 3, cell: cell, rng: &rng)
        XCTAssertGreaterThan(4.0, cell.perpendicularWidths.max() / 2)
        let model = try Fixtures.randomModel(elements: ["Au"], functions: {
            Fixtures.allTypes(center: $0, elements: ["Au"], cutoff: .cosine(4.0))
        }, sample: s, rng: &rng)
        try check(model, s)
    }

    func testFreeClusterAndMixedPeriodicity() throws {
        var rng = SeededRandom(seed: 3)
        let cluster = Fixtures.randomStructure(elements: ["H", "O"], count: 8, cell: nil, clusterSize: 3.5, rng: &rng)
        let model = try Fixtures.randomModel(elements: ["H", "O"], functions: {
            Fixtures.allTypes(center: $0, elements: ["H", "O"], cutoff: CutoffFunction(kind: .poly2, radius: 5, alpha: 0.2))
        }, sample: cluster, rng: &rng)
        try check(model, cluster)
        // A slab: periodic along a and b only.
        var slab = Fixtures.randomStructure(elements: ["H", "O"], count: 8, cell: Cell(orthorhombic: 4.5, 5, 20), pbc: PBC(true, true, false), rng: &rng)
        slab.positions = slab.positions.map { SIMD3($0.x, $0.y, $0.z * 0.2) }
        try check(model, slab)
    }

    func testEveryCutoffType() throws {
        var rng = SeededRandom(seed: 4)
        let s = Fixtures.randomStructure(elements: ["C", "H"], count: 7, cell: nil, clusterSize: 3, rng: &rng)
        for kind in CutoffKind.allCases {
            let cutoff = CutoffFunction(kind: kind, radius: 4.2, alpha: kind.usesInnerRadius ? 0.25 : 0)
            let model = try Fixtures.randomModel(elements: ["H", "C"], functions: {
                Fixtures.allTypes(center: $0, elements: ["H", "C"], cutoff: cutoff)
            }, hidden: [5], sample: s, rng: &rng)
            try check(model, s)
        }
    }

    func testEveryActivation() throws {
        var rng = SeededRandom(seed: 5)
        let s = Fixtures.randomStructure(elements: ["Au"], count: 6, cell: nil, clusterSize: 3, rng: &rng)
        for activation in Activation.allCases {
            let model = try Fixtures.randomModel(elements: ["Au"], functions: {
                Fixtures.allTypes(center: $0, elements: ["Au"], cutoff: .cosine(4.5))
            }, hidden: [5, 4], activation: activation, sample: s, rng: &rng)
            try check(model, s)
        }
    }

    func testCutoffFunctionDerivativesAndLimits() {
        for kind in CutoffKind.allCases {
            let c = CutoffFunction(kind: kind, radius: 5, alpha: kind.usesInnerRadius ? 0.3 : 0)
            for r in stride(from: 0.1, to: 4.95, by: 0.173) {
                let h = 1e-6
                let fd = (c.evaluate(r + h).f - c.evaluate(r - h).f) / (2 * h)
                XCTAssertEqual(c.evaluate(r).df, fd, accuracy: 1e-7, "\(kind) at r = \(r)")
                XCTAssertLessThanOrEqual(c.evaluate(r).f, 1 + 1e-12)
            }
            XCTAssertEqual(c.evaluate(5).f, 0)
            XCTAssertEqual(c.evaluate(7).f, 0)
            if kind != .hard { XCTAssertEqual(c.evaluate(5 - 1e-7).f, 0, accuracy: 1e-6, "\(kind) goes to zero at the cutoff") }
        }
        // The paper's cosine cutoff.
        XCTAssertEqual(CutoffFunction.cosine(6).evaluate(2).f, 0.5 * (cos(Double.pi * 2 / 6) + 1), accuracy: 1e-15)
    }
}
