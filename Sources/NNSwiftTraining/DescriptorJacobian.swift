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
    /// Strain derivative Ξ_s = ∂G_s/∂ε = Σ_n sym(∂G_s/∂d_n ⊗ d_n) over the neighbor vectors d_n,
    /// Voigt component c (xx, yy, zz, yz, xz, xy) at `strain[c * S + s]`; empty unless requested.
    /// It gives the stress without per-image bookkeeping: σ = (1/V) Σ_i Σ_s (∂E_i/∂G_is) Ξ_is.
    public var strain: [Double] = []
}

/// The neighbors of one center atom within the largest cutoff: fixed geometry, independent of
/// the symmetry-function parameters (so it is computed once per structure and reused when the
/// parameters are trained).
public struct AtomEnvironment: Sendable {
    /// Structure atom indices the descriptors depend on (the center first).
    public var atoms: [Int]
    /// Local index (into `atoms`) of each neighbor entry.
    var slot: [Int]
    /// Neighbor vectors r_j − r_i, distances and species indices.
    var d: [SIMD3<Double>], r: [Double], el: [Int]
}

/// G, dG/dr and ∂G/∂ε of every atom, taken from the evaluation kernel (`DescriptorKernel`, the one
/// home of the function formulas), and the derivatives of G and of the force contraction
/// u = Σ_k (∂G/∂r_k)·v_k with respect to the function parameters (`parameterDerivatives`, a
/// different quantity that the kernel does not compute).
public enum DescriptorCalculator {
    /// Neighbor element(s) of every function as species indices.
    public static func neighborIndices(elements: [String], functions: [[SymmetryFunction]]) throws -> [[[Int]]] {
        try functions.map { fs in
            try fs.map { f in try f.neighbors.map { n in
                guard let i = elements.firstIndex(of: n) else { throw NNSwiftError.unknownElement(n) }
                return i
            } }
        }
    }

    /// Species index of every atom and the environment of every atom (cutoff = largest function cutoff).
    public static func environments(structure: Structure, elements: [String], functions: [[SymmetryFunction]]) throws
        -> (species: [Int], environments: [AtomEnvironment]) {
        let species = try structure.elements.map { s -> Int in
            guard let i = elements.firstIndex(of: s) else { throw NNSwiftError.unknownElement(s) }
            return i
        }
        let cutoff = functions.flatMap { $0 }.map(\.cutoff.radius).max() ?? 0
        let list = try NeighborList.build(positions: structure.positions, cell: structure.cell, pbc: structure.pbc, cutoff: cutoff)
        var envs: [AtomEnvironment] = []
        envs.reserveCapacity(structure.count)
        for i in 0..<structure.count {
            let range = list.offsets[i]..<list.offsets[i + 1]
            var atoms = [i]
            var local: [Int: Int] = [i: 0]
            var slot: [Int] = []
            for p in range {
                let t = Int(list.target[p])
                if let l = local[t] { slot.append(l) } else { local[t] = atoms.count; slot.append(atoms.count); atoms.append(t) }
            }
            envs.append(AtomEnvironment(atoms: atoms, slot: slot, d: Array(list.vector[range]), r: Array(list.distance[range]),
                                        el: range.map { species[Int(list.target[$0])] }))
        }
        return (species, envs)
    }

    /// Descriptors of every atom of `structure` for the element models `species`
    /// (indexed by species index, `elements` = model element order).
    public static func compute(structure: Structure, elements: [String], functions: [[SymmetryFunction]],
                               jacobian: Bool = true) throws -> [AtomDescriptors] {
        let (species, envs) = try environments(structure: structure, elements: elements, functions: functions)
        let kernel = try DescriptorKernel(functions: functions, elements: elements)
        return try envs.indices.map { i in
            try descriptors(envs[i], kernel: kernel, species: species[i], jacobian: jacobian)
        }
    }

    /// G of one center atom of species `e` and, with `jacobian`, dG/dr of every atom it depends on;
    /// with `strain`, Ξ = ∂G/∂ε. All from the evaluation kernel (`DescriptorKernel`): its values and
    /// its per-function adjoint gradients ∂G_s/∂d_n, gathered per atom and contracted with d_n for Ξ.
    public static func descriptors(_ env: AtomEnvironment, kernel: DescriptorKernel, species e: Int,
                                   jacobian: Bool, strain: Bool = false) throws -> AtomDescriptors {
        let S = kernel.functionCount(species: e)
        let nn = env.r.count
        let (g, grad) = try kernel.evaluate(center: e, vectors: env.d, distances: env.r, species: env.el,
                                            gradients: jacobian || strain)
        var jac = [SIMD3<Double>](repeating: .zero, count: jacobian ? env.atoms.count * S : 0)
        var xi = StrainDerivative(functions: strain ? S : 0)
        if jacobian || strain {
            for s in 0..<S {
                for n in 0..<nn {
                    let gn = grad[s * nn + n]
                    if strain { xi.add(gn, env.d[n], function: s) }
                    guard jacobian else { continue }
                    jac[env.slot[n] * S + s] += gn
                    jac[s] -= gn
                }
            }
        }
        return AtomDescriptors(values: g, atoms: jacobian ? env.atoms : [], jacobian: jac, strain: xi.voigt)
    }

    /// Derivatives with respect to the parameters of every function s of one center atom:
    /// `dG[4s + k] = ∂G_s/∂p_k` and, when `v` (one vector per structure atom) is given,
    /// `du[4s + k] = ∂u_s/∂p_k` with u_s = Σ_k (∂G_s/∂r_k)·v_k (the mixed derivative ∂²G/∂r∂p
    /// contracted with v). Slots k: `FunctionParameterKind.slot` (η, R_s, κ, ζ). λ and the
    /// cutoff are fixed; G1 has no parameters. Only functions with `active[s]` are computed.
    ///
    /// Every pair or triplet term's position gradient is a sum of parameter-dependent scalar
    /// coefficients times parameter-independent geometric vectors, so ∂u/∂p is the same sum
    /// with the coefficients differentiated and the vectors contracted with v first:
    /// pair term T(R): u += T'(R) q, q = R̂·(v_j − v_i);
    /// triplet: u += c_cos q_cos + c_ij q_ij + c_ik q_ik + c_jk q_jk (see the descriptor loop).
    public static func parameterDerivatives(_ env: AtomEnvironment, functions fs: [SymmetryFunction], neighbors nbs: [[Int]],
                                            active: [Bool], v: [SIMD3<Double>]?,
                                            dG: inout [Double], du: inout [Double]) {
        let atoms = env.atoms, slot = env.slot, d = env.d, r = env.r, el = env.el
        let nn = r.count
        let S = fs.count
        dG = [Double](repeating: 0, count: 4 * S)
        du = [Double](repeating: 0, count: v == nil ? 0 : 4 * S)
        let vi = v?[atoms[0]] ?? .zero
        // v of each neighbor entry minus v of the center.
        let dv: [SIMD3<Double>] = v.map { vv in (0..<nn).map { vv[atoms[slot[$0]]] - vi } } ?? []
        let withU = v != nil
        let ln2 = Foundation.log(2.0)
        for (s, f) in fs.enumerated() where active[s] && f.kind != .g1 {
            let rc = f.cutoff.radius
            let o = 4 * s
            if !f.kind.isAngular {
                for n in 0..<nn where el[n] == nbs[s][0] && r[n] < rc {
                    let (fc, dfc) = f.cutoff.evaluate(r[n])
                    let q = withU ? (d[n] * dv[n]).sum() / r[n] : 0
                    if f.kind == .g2 {
                        let x = r[n] - f.rs, e = Foundation.exp(-f.eta * x * x)
                        let t = e * fc, tp = e * (dfc - 2 * f.eta * x * fc)
                        dG[o] += -x * x * t
                        dG[o + 1] += 2 * f.eta * x * t
                        if withU {
                            du[o] += (-x * x * tp - 2 * x * e * fc) * q
                            du[o + 1] += (2 * f.eta * x * tp + 2 * f.eta * e * fc) * q
                        }
                    } else {
                        let kr = f.kappa * r[n]
                        let c = Foundation.cos(kr), sn = Foundation.sin(kr)
                        dG[o + 2] += -r[n] * sn * fc
                        if withU { du[o + 2] += (-r[n] * sn * dfc - sn * fc - f.kappa * r[n] * c * fc) * q }
                    }
                }
                continue
            }
            let wide = f.kind == .g5
            let norm = Foundation.pow(2, 1 - f.zeta)
            let e1 = nbs[s][0], e2 = nbs[s][1]
            for t in DescriptorCalculator.triplets(f, elements: (e1, e2), d: d, r: r, el: el, count: nn) {
                do {
                    let (j, k, dj, dk, djk, rij, rik, rjk) = (t.j, t.k, t.dj, t.dk, t.djk, t.rij, t.rik, t.rjk)
                    let (fij, dfij, fik, dfik, fjk, dfjk) = (t.fij, t.dfij, t.fik, t.dfik, t.fjk, t.dfjk)
                    let (cosT, plam) = (t.cosT, t.plam)
                    let a = rij - f.rs, b = rik - f.rs, c = wide ? 0 : rjk - f.rs
                    let Q = a * a + b * b + c * c, S1 = a + b + c
                    let ex = Foundation.exp(-f.eta * Q)
                    let pz1 = Foundation.pow(plam, f.zeta - 1)
                    let radial = norm * ex
                    let g0 = radial * pz1 * plam
                    let fAll = fij * fik * fjk
                    let lnp = Foundation.log(plam) - ln2
                    // ∂g0/∂(η, R_s, ζ)
                    let g0e = -Q * g0, g0r = 2 * f.eta * S1 * g0, g0z = lnp * g0
                    dG[o] += g0e * fAll
                    dG[o + 1] += g0r * fAll
                    dG[o + 3] += g0z * fAll
                    guard withU else { continue }
                    let dCos = radial * f.zeta * f.lambda * pz1 * fAll
                    let kij = dfij * fik * fjk - 2 * f.eta * a * fAll
                    let kik = fij * dfik * fjk - 2 * f.eta * b * fAll
                    let kjk = wide ? 0 : fij * fik * dfjk - 2 * f.eta * c * fAll
                    // Geometric contractions with v (v_j − v_i etc.).
                    let inv = 1 / (rij * rik)
                    let aj = inv * dk - (cosT / (rij * rij)) * dj, ak = inv * dj - (cosT / (rik * rik)) * dk
                    let vj = dv[j], vk = dv[k]
                    let qC = (aj * vj).sum() + (ak * vk).sum()
                    let qj = (dj * vj).sum() / rij, qk = (dk * vk).sum() / rik
                    let qjk = wide ? 0 : (djk * (vk - vj)).sum() / rjk
                    // c_cos = dCos; c_ij = g0 k_ij; …  Differentiate each coefficient.
                    let dCosE = -Q * dCos, dCosR = 2 * f.eta * S1 * dCos, dCosZ = dCos * (lnp + 1 / f.zeta)
                    let kSum = kij * qj + kik * qk + kjk * qjk
                    // ∂k/∂η = −2 a fAll (per term), ∂k/∂R_s = 2η fAll.
                    let kE = -2 * fAll * (a * qj + b * qk + c * qjk)
                    let kR = 2 * f.eta * fAll * (qj + qk + (wide ? 0 : qjk))
                    du[o] += dCosE * qC + g0e * kSum + g0 * kE
                    du[o + 1] += dCosR * qC + g0r * kSum + g0 * kR
                    du[o + 3] += dCosZ * qC + g0z * kSum
                }
            }
        }
    }
}

/// One angular term's geometry: neighbors j < k of the right elements inside the cutoff, with
/// cutoff values, cos θ and 1 + λ cos θ > 0 (terms with 1 + λ cos θ <= 0 contribute nothing).
struct TripletGeometry {
    var j: Int, k: Int
    var dj: SIMD3<Double>, dk: SIMD3<Double>, djk: SIMD3<Double>
    var rij: Double, rik: Double, rjk: Double
    var fij: Double, dfij: Double, fik: Double, dfik: Double, fjk: Double, dfjk: Double
    var cosT: Double, plam: Double
}

extension DescriptorCalculator {
    /// The contributing triplets of angular function `f` (G4 also needs R_jk inside the cutoff).
    static func triplets(_ f: SymmetryFunction, elements: (Int, Int), d: [SIMD3<Double>], r: [Double], el: [Int],
                         count nn: Int) -> [TripletGeometry] {
        let rc = f.cutoff.radius, wide = f.kind == .g5
        let (e1, e2) = elements
        var out: [TripletGeometry] = []
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
                out.append(TripletGeometry(j: j, k: k, dj: dj, dk: dk, djk: djk, rij: rij, rik: rik, rjk: rjk,
                                           fij: fij, dfij: dfij, fik: fik, dfik: dfik, fjk: fjk, dfjk: dfjk,
                                           cosT: cosT, plam: plam))
            }
        }
        return out
    }
}
