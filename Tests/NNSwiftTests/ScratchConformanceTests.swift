import XCTest
@testable import NNSwift

final class ScratchConformanceTests: XCTestCase {
    func parse(_ path: String) -> [Structure] {
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        var out: [Structure] = []
        var pos: [SIMD3<Double>] = [], el: [String] = [], f: [SIMD3<Double>] = [], lat: [SIMD3<Double>] = [], e = 0.0
        for line in text.split(separator: "\n") {
            let t = line.split(separator: " ")
            switch t.first {
            case "begin": pos = []; el = []; f = []; lat = []
            case "lattice": lat.append(SIMD3(Double(t[1])!, Double(t[2])!, Double(t[3])!))
            case "atom": pos.append(SIMD3(Double(t[1])!, Double(t[2])!, Double(t[3])!)); el.append(String(t[4])); f.append(SIMD3(Double(t[7])!, Double(t[8])!, Double(t[9])!))
            case "energy": e = Double(t[1])!
            case "end": out.append(Structure(positions: pos, elements: el, cell: lat.count == 3 ? Cell(a: lat[0], b: lat[1], c: lat[2]) : nil, pbc: .all, energy: e, forces: f))
            default: break
            }
        }
        return out
    }
    func testTrain20() throws {
        let dir = "/work/shared/conformance/n2p2-H2O_RPBE-D3"
        let model = try N2P2Potential.read(directory: dir)
        let pot = try Potential(model: model)
        let ref = parse(dir + "/train20.n2p2-prediction.data")
        let inp = parse(dir + "/train20.input.data")
        var maxRelE = 0.0, maxF = 0.0
        for (s, r) in zip(inp, ref) {
            let ev = try pot.evaluate(s)
            maxRelE = max(maxRelE, abs(ev.energy - r.energy!) / abs(r.energy!))
            for (a, b) in zip(ev.forces, r.forces!) { let d = a - b; maxF = max(maxF, max(abs(d.x), abs(d.y), abs(d.z))) }
        }
        print("maxRelE", maxRelE, "maxF", maxF)
    }
}
extension ScratchConformanceTests {
    func testSpeed1080() throws {
        let dir = "/work/shared/conformance/n2p2-H2O_RPBE-D3"
        let pot = try Potential(model: try N2P2Potential.read(directory: dir))
        let s = parse(dir + "/liquid1080.input.data")[0]
        let ref = parse(dir + "/liquid1080.n2p2-prediction.data")[0]
        var ev = try pot.evaluate(s)
        let t0 = Date()
        for _ in 0..<3 { ev = try pot.evaluate(s) }
        let dt = Date().timeIntervalSince(t0) / 3
        let nl0 = Date(); _ = try NeighborList.build(positions: s.positions, cell: s.cell, pbc: s.pbc, cutoff: pot.cutoff)
        print("us/atom", dt / Double(s.count) * 1e6, "nl us/atom", Date().timeIntervalSince(nl0) / Double(s.count) * 1e6, "relE", abs(ev.energy - ref.energy!) / abs(ref.energy!))
    }
}
