import Foundation
import NNSwift

/// Symmetry-function values of one center atom and their derivatives with respect to the
/// positions of every atom they depend on.
///
/// Training keeps the symmetry-function parameters fixed, so each structure's descriptors and
/// their Jacobian are computed once and reused every epoch. The clusters and small cells that
/// are trained on make this storage small (S functions × m atoms × 3 per center); the
/// production evaluator (Potential) never stores it and uses an adjoint pass instead.
public struct AtomDescriptors: Sendable {
    /// Unscaled symmetry-function values, in the model's network-input order.
    public var values: [Double]
    /// Structure atom indices the values depend on (the center first).
    public var atoms: [Int]
    /// dG_s/dr_atoms[a] stored at `jacobian[a * S + s]`.
    public var jacobian: [SIMD3<Double>]
}

/// Computes G and dG/dr for the symmetry functions of the paper (G1–G5, any cutoff type),
/// independently of the production kernel (tests compare the two).
public enum DescriptorCalculator {
    /// Descriptors of every atom of `structure` for the element models `species`
    /// (indexed by species index, `elements` = model element order).
    public static func compute(structure: Structure, elements: [String], functions: [[SymmetryFunction]],
                               jacobian: Bool = true) throws -> [AtomDescriptors] {
        func index(_ s: String) -> Int? { elements.firstIndex(of: s) }
        let species = try structure.elements.map { s -> Int in
            guard let i = index(s) else { throw NNSwiftError.unknownElement(s) }
            return i
        }
        let cutoff = functions.flatMap { $0 }.map(\.cutoff.radius).max() ?? 0
        let list = try NeighborList.build(positions: structure.positions, cell: structure.cell, pbc: structure.pbc, cutoff: cutoff)
        // Neighbor elements of each function as species indices.
        let fnNeighbors: [[[Int]]] = try functions.map { fs in
            try fs.map { f in try f.neighbors.map { n in
                guard let i = index(n) else { throw NNSwiftError.unknownElement(n) }
                return i
            } }
        }
        var result: [AtomDescriptors] = []
        result.reserveCapacity(structure.count)
        for i in 0..<structure.count {
            let fs = functions[species[i]], nbs = fnNeighbors[species[i]]
            let S = fs.count
            let range = list.offsets[i]..<list.offsets[i + 1]
            var atoms = [i]
            var local: [Int: Int] = [i: 0]
            var slot: [Int] = []  // local index of each neighbor entry
            for p in range {
                let t = Int(list.target[p])
                if let l = local[t] { slot.append(l) } else { local[t] = atoms.count; slot.append(atoms.count); atoms.append(t) }
            }
            var g = [Double](repeating: 0, count: S)
            var jac = [SIMD3<Double>](repeating: .zero, count: jacobian ? atoms.count * S : 0)
            let nn = range.count
            let d = Array(list.vector[range]), r = Array(list.distance[range])
            let el = range.map { species[Int(list.target[$0])] }
            for (s, f) in fs.enumerated() {
                let rc = f.cutoff.radius
                if !f.kind.isAngular {
                    for n in 0..<nn where el[n] == nbs[s][0] && r[n] < rc {
                        let (fc, dfc) = f.cutoff.evaluate(r[n])
                        let value: Double, deriv: Double
                        switch f.kind {
                        case .g1: value = fc; deriv = dfc
                        case .g2:
                            let x = r[n] - f.rs, e = Foundation.exp(-f.eta * x * x)
                            value = e * fc; deriv = e * (dfc - 2 * f.eta * x * fc)
                        default:
                            let c = Foundation.cos(f.kappa * r[n]), sn = Foundation.sin(f.kappa * r[n])
                            value = c * fc; deriv = c * dfc - f.kappa * sn * fc
                        }
                        g[s] += value
                        if jacobian {
                            let grad = (deriv / r[n]) * d[n]
                            jac[slot[n] * S + s] += grad
                            jac[s] -= grad
                        }
                    }
                    continue
                }
                let wide = f.kind == .g5
                let norm = Foundation.pow(2, 1 - f.zeta)
                let e1 = nbs[s][0], e2 = nbs[s][1]
                for j in 0..<max(0, nn - 1) where r[j] < rc {
                    for k in (j + 1)..<nn where r[k] < rc {
                        guard (el[j] == e1 && el[k] == e2) || (el[j] == e2 && el[k] == e1) else { continue }
                        let dj = d[j], dk = d[k], rij = r[j], rik = r[k]
                        let djk = dk - dj
                        let rjk = (djk * djk).sum().squareRoot()
                        var fjk = 1.0, dfjk = 0.0
                        if !wide {
                            if rjk >= rc { continue }
                            (fjk, dfjk) = f.cutoff.evaluate(rjk)
                        }
                        let (fij, dfij) = f.cutoff.evaluate(rij)
                        let (fik, dfik) = f.cutoff.evaluate(rik)
                        let cosT = (dj * dk).sum() / (rij * rik)
                        let plam = 1 + f.lambda * cosT
                        if plam <= 0 { continue }
                        let a = rij - f.rs, b = rik - f.rs, c = rjk - f.rs
                        let ex = Foundation.exp(-f.eta * (wide ? a * a + b * b : a * a + b * b + c * c))
                        let pz1 = Foundation.pow(plam, f.zeta - 1)
                        let radial = norm * ex
                        let g0 = radial * pz1 * plam
                        let fAll = fij * fik * fjk
                        g[s] += g0 * fAll
                        guard jacobian else { continue }
                        let dCos = radial * f.zeta * f.lambda * pz1 * fAll
                        let dRij = g0 * (dfij * fik * fjk - 2 * f.eta * a * fAll)
                        let dRik = g0 * (fij * dfik * fjk - 2 * f.eta * b * fAll)
                        let dRjk = wide ? 0 : g0 * (fij * fik * dfjk - 2 * f.eta * c * fAll)
                        let inv = 1 / (rij * rik)
                        var gj = dCos * (inv * dk - (cosT / (rij * rij)) * dj) + (dRij / rij) * dj
                        var gk = dCos * (inv * dj - (cosT / (rik * rik)) * dk) + (dRik / rik) * dk
                        if dRjk != 0 {
                            let w = (dRjk / rjk) * djk
                            gj -= w; gk += w
                        }
                        jac[slot[j] * S + s] += gj
                        jac[slot[k] * S + s] += gk
                        jac[s] -= gj + gk
                    }
                }
            }
            result.append(AtomDescriptors(values: g, atoms: atoms, jacobian: jac))
        }
        return result
    }
}
