import Foundation
import XCTest
@testable import NNSwift

/// The tests' seeded generator: nnswift's own SplitMix64, with a vector helper.
typealias SeededRandom = SeededGenerator

extension SeededGenerator {
    mutating func vector(_ a: Double, _ b: Double) -> SIMD3<Double> { SIMD3(uniform(a, b), uniform(a, b), uniform(a, b)) }
}

enum Fixtures {
    /// ../shared/conformance/n2p2-H2O_RPBE-D3 beside the package, or nil (tests then skip).
    static var waterDirectory: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.deletingLastPathComponent().appendingPathComponent("shared/conformance/n2p2-H2O_RPBE-D3").path
        return FileManager.default.fileExists(atPath: dir + "/input.nn") ? dir : nil
    }

    static func requireWater() throws -> String {
        guard let d = waterDirectory else {
            throw XCTSkip("../shared/conformance/n2p2-H2O_RPBE-D3 is absent: conformance tests need the shared data beside the repository")
        }
        return d
    }

    /// Atoms placed at random with a minimum separation, in a box or cell.
    static func randomStructure(elements: [String], count: Int, cell: Cell?, pbc: PBC = .all, minDistance: Double = 0.9,
                                clusterSize: Double = 4, rng: inout SeededRandom) -> Structure {
        var positions: [SIMD3<Double>] = []
        while positions.count < count {
            let p: SIMD3<Double>
            if let cell { p = cell.cartesian(rng.vector(0, 1)) } else { p = rng.vector(0, clusterSize) }
            let s = Structure(positions: positions + [p], elements: [String](repeating: "X", count: positions.count + 1), cell: cell, pbc: pbc)
            if let list = try? NeighborList.build(positions: s.positions, cell: cell, pbc: pbc, cutoff: minDistance),
               list.target.isEmpty {
                positions.append(p)
            }
        }
        let species = (0..<count).map { elements[$0 % elements.count] }
        return Structure(positions: positions, elements: species, cell: cell, pbc: pbc)
    }

    /// The atoms of `s` followed by their 26 nearest periodic images as ghosts (a domain-decomposed
    /// host's view of a small cell), and the atom each point is a copy of.
    static func withImages(_ s: Structure, cell: Cell) -> (points: [SIMD3<Double>], owner: [Int]) {
        var points = s.positions, owner = Array(0..<s.count)
        for i in 0..<s.count {
            for a in -1...1 { for b in -1...1 { for c in -1...1 where a != 0 || b != 0 || c != 0 {
                points.append(s.positions[i] + Double(a) * cell.a + Double(b) * cell.b + Double(c) * cell.c)
                owner.append(i)
            } } }
        }
        return (points, owner)
    }

    static func triclinicCell(_ size: Double, rng: inout SeededRandom) -> Cell {
        Cell(a: SIMD3(size, 0, 0) + rng.vector(-0.3, 0.3),
             b: SIMD3(0.2 * size, size, 0) + rng.vector(-0.3, 0.3),
             c: SIMD3(-0.15 * size, 0.1 * size, size) + rng.vector(-0.3, 0.3))
    }

    /// A model with random weights over the given symmetry functions (the same for every element),
    /// scaled with statistics taken from `sample` so network inputs are of order one.
    static func randomModel(elements: [String], functions: (String) -> [SymmetryFunction], hidden: [Int] = [6, 5],
                            activation: Activation = .tanh, sample: Structure, rng: inout SeededRandom) throws -> Model {
        var species: [ElementModel] = []
        for e in elements {
            let fs = functions(e)
            var net = DenseNetwork(inputs: fs.count, hidden: hidden, activations: [Activation](repeating: activation, count: hidden.count))
            for l in net.layers.indices {
                let scale = 1 / Double(net.layers[l].inputs).squareRoot()
                net.layers[l].weights = net.layers[l].weights.map { _ in rng.uniform(-1, 1) * scale }
                // ReLU units get positive biases so they are active and the test sees their slope.
                let shift = activation == .relu && l < net.layers.count - 1 ? 1.0 : 0.0
                net.layers[l].biases = net.layers[l].biases.map { _ in rng.uniform(-0.5, 0.5) + shift }
            }
            let stats = [FunctionStatistics](repeating: .init(min: 0, max: 1, mean: 0, sigma: 1), count: fs.count)
            species.append(ElementModel(element: e, symmetryFunctions: fs, scaling: Scaling(mode: .none, statistics: stats),
                                        network: net, referenceEnergy: rng.uniform(-1, 1)))
        }
        var model = Model(units: .metal, species: species)
        // Statistics from the sample so the scaled inputs span about [0, 1].
        let raw = try Potential(model: model).evaluate(sample, options: .init(forces: false, virial: false, descriptors: true))
        let speciesIndex = try Potential(model: model).speciesIndices(sample.elements)
        for (e, _) in elements.enumerated() {
            let rows = zip(raw.descriptors, speciesIndex).filter { $0.1 == e }.map(\.0)
            guard !rows.isEmpty else { continue }
            let n = model.species[e].symmetryFunctions.count
            model.species[e].scaling = Scaling(mode: .scaleCenter, statistics: (0..<n).map { i in
                let v = rows.map { $0[i] }
                let mean = v.reduce(0, +) / Double(v.count)
                var lo = v.min()!, hi = v.max()!
                if hi - lo < 1e-8 { lo -= 0.5; hi += 0.5 }
                return FunctionStatistics(min: lo, max: hi, mean: mean, sigma: 1)
            })
        }
        return model
    }

    /// A mixed set covering every symmetry-function type for a two-element model.
    static func allTypes(center: String, elements: [String], cutoff: CutoffFunction) -> [SymmetryFunction] {
        let (a, b) = (elements[0], elements[elements.count - 1])
        let c2 = CutoffFunction(kind: cutoff.kind, radius: cutoff.radius * 0.8, alpha: cutoff.alpha)
        return [
            .g1(a, cutoff: cutoff), .g1(b, cutoff: c2),
            .g2(a, eta: 0.3, rs: 1.2, cutoff: cutoff), .g2(b, eta: 0.05, cutoff: cutoff),
            .g3(a, kappa: 1.3, cutoff: cutoff), .g3(b, kappa: 0.7, cutoff: c2),
            .g4(a, b, eta: 0.02, lambda: 1, zeta: 1, cutoff: cutoff),
            .g4(a, a, eta: 0.05, lambda: -1, zeta: 4, cutoff: cutoff),
            .g4(b, b, eta: 0.01, lambda: 1, zeta: 2.5, rs: 0.5, cutoff: c2),
            .g5(a, b, eta: 0.03, lambda: -1, zeta: 2, cutoff: cutoff),
            .g5(a, a, eta: 0.01, lambda: 1, zeta: 3.5, rs: 0.3, cutoff: c2),
        ]
    }

    static func maxAbs(_ v: [SIMD3<Double>]) -> Double { v.map { max(abs($0.x), abs($0.y), abs($0.z)) }.max() ?? 0 }
    static func maxDiff(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> Double { maxAbs(zip(a, b).map { $0 - $1 }) }
    static func maxDiff(_ a: Matrix3, _ b: Matrix3) -> Double { zip(a.flat, b.flat).map { abs($0 - $1) }.max()! }
}
