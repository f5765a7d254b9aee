import Foundation

extension ElementKernel {
    /// Energy of one center atom. Forward: symmetry functions (keeping their partial derivatives),
    /// scaling, network. Adjoint: dE/dG from the network, contracted with the kept partials over
    /// the same pairs and triplets into forces and virial. Leaves the unscaled G in `ws.g`.
    @inline(__always)
    func evaluateAtom(ws: Workspace, neighbors range: Range<Int>, species: UnsafePointer<Int>,
                      target: UnsafePointer<Int32>, vector: UnsafePointer<SIMD3<Double>>,
                      distance: UnsafePointer<Double>, gradient: Bool, sink: inout AtomSink,
                      extrapolations: inout Int) -> Double {
        let nn = range.count
        let nCut = layout.cutoffs.count
        ws.vec.reserve(nn); ws.dist.reserve(nn); ws.elem.reserve(nn); ws.target.reserve(nn)
        ws.fc.reserve(nn * nCut); ws.dfc.reserve(nn * nCut)
        ws.g.reserve(count); ws.scaled.reserve(count); ws.dEdG.reserve(count)
        let vec = ws.vec.base, dist = ws.dist.base, elem = ws.elem.base, tgt = ws.target.base
        for (n, p) in range.enumerated() {
            vec[n] = vector[p]; dist[n] = distance[p]
            let t = Int(target[p])
            tgt[n] = t; elem[n] = species[t]
        }
        let fc = ws.fc.base, dfc = ws.dfc.base
        for (c, cutoff) in layout.cutoffs.enumerated() {
            for n in 0..<nn {
                let (f, df) = cutoff.evaluate(dist[n])
                fc[c * nn + n] = f; dfc[c * nn + n] = df
            }
        }
        let g = ws.g.base
        for s in 0..<count { g[s] = 0 }

        // Radial forward.
        var nRadial = 0
        for block in layout.radialBlocks { nRadial += block.terms.count * nn }
        ws.radialPartials.reserve(nRadial)
        let rp = ws.radialPartials.base
        var p = 0
        for block in layout.radialBlocks {
            let rc = layout.cutoffs[block.cutoff].radius
            let cf = fc + block.cutoff * nn, cdf = dfc + block.cutoff * nn
            for n in 0..<nn where elem[n] == block.element && dist[n] < rc {
                let r = dist[n], f = cf[n], df = cdf[n]
                for t in block.terms {
                    let term = radialTerms[t]
                    let value: Double, deriv: Double
                    switch term.kind {
                    case DescriptorLayout.kindG1:
                        value = f; deriv = df
                    case DescriptorLayout.kindG2:
                        let x = r - term.rs
                        let e = Foundation.exp(-term.eta * x * x)
                        value = e * f; deriv = e * (df - 2 * term.eta * x * f)
                    default:
                        let cs = Foundation.cos(term.kappa * r), sn = Foundation.sin(term.kappa * r)
                        value = cs * f; deriv = cs * df - term.kappa * sn * f
                    }
                    g[term.output] += value
                    rp[p] = deriv; p += 1
                }
            }
        }

        // Angular forward.
        var nTriplets = 0, nPartials = 0
        if layout.hasAngular {
            forwardAngular(ws: ws, nn: nn, nTriplets: &nTriplets, nPartials: &nPartials)
        }

        // Scaling and network.
        let scaled = ws.scaled.base, dEdG = ws.dEdG.base
        for s in 0..<count {
            scaled[s] = scaleOffset[s] + scaleFactor[s] * (g[s] - scaleShift[s])
            if checksRange && (g[s] < trainMin[s] || g[s] > trainMax[s]) { extrapolations += 1 }
        }
        ws.netDerivatives.reserve(network.neuronCount)
        ws.netA.reserve(network.maxWidth); ws.netB.reserve(network.maxWidth)
        let output = NetworkEvaluator.evaluate(network, input: scaled, gradient: gradient ? dEdG : nil,
                                               derivatives: ws.netDerivatives.base, a: ws.netA.base, b: ws.netB.base)
        let energy = output * energyScale + energyShift
        guard gradient else { return energy }
        for s in 0..<count { dEdG[s] *= scaleFactor[s] * energyScale }

        // Radial adjoint.
        p = 0
        for block in layout.radialBlocks {
            let rc = layout.cutoffs[block.cutoff].radius
            for n in 0..<nn where elem[n] == block.element && dist[n] < rc {
                var s = 0.0
                for t in block.terms { s += dEdG[radialTerms[t].output] * rp[p]; p += 1 }
                let d = vec[n]
                sink.bond(target: tgt[n], d: d, gradient: (s / dist[n]) * d)
            }
        }
        if nTriplets > 0 { adjointAngular(ws: ws, nTriplets: nTriplets, sink: &sink) }
        return energy
    }

    /// All triplets j < k of the center whose element pair has angular functions; stores each
    /// triplet and, per function, (∂g/∂cosθ, ∂g/∂R_ij, ∂g/∂R_ik, ∂g/∂R_jk).
    @inline(__always)
    func forwardAngular(ws: Workspace, nn: Int, nTriplets: inout Int, nPartials: inout Int) {
        let vec = ws.vec.base, dist = ws.dist.base, elem = ws.elem.base
        let fc = ws.fc.base, dfc = ws.dfc.base, g = ws.g.base
        let nE = layout.elementCount
        ws.expValues.reserve(expGroups.count)
        let ex = ws.expValues.base
        let maxBlocks = layout.maxBlocksPerPair, maxTerms = layout.maxTermsPerBlock
        for j in 0..<max(0, nn - 1) {
            // Room for every triplet (j, k > j), so the k loop never checks capacity.
            let room = (nn - j - 1) * maxBlocks
            ws.triplets.reserve(nTriplets + room, keep: nTriplets)
            ws.angularPartials.reserve(nPartials + room * maxTerms, keep: nPartials)
            let triplets = ws.triplets.base, partials = ws.angularPartials.base
            let ej = elem[j], rij = dist[j], dj = vec[j]
            let rowOffset = ej * nE
            for k in (j + 1)..<nn {
                let pair = rowOffset + elem[k]
                let b0 = pairOffsets[pair], b1 = pairOffsets[pair + 1]
                if b0 == b1 { continue }
                let rik = dist[k], dk = vec[k]
                let djk = dk - dj
                let rjk2 = (djk * djk).sum()
                let cosT = (dj * dk).sum() / (rij * rik)
                var rjk = -1.0
                for bi in b0..<b1 {
                    let blockIndex = pairBlocks[bi]
                    let block = angularBlocks[blockIndex]
                    let cutoff = cutoffs[block.cutoff]
                    let rc = cutoff.radius
                    if rij >= rc || rik >= rc { continue }
                    var fjk = 1.0, dfjk = 0.0
                    if !block.wide {
                        if rjk2 >= rc * rc { continue }
                        if rjk < 0 { rjk = rjk2.squareRoot() }
                        (fjk, dfjk) = cutoff.evaluate(rjk)
                    } else if rjk < 0 {
                        rjk = rjk2.squareRoot()
                    }
                    let cbase = block.cutoff * nn
                    let fij = fc[cbase + j], fik = fc[cbase + k], dfij = dfc[cbase + j], dfik = dfc[cbase + k]
                    triplets[nTriplets] = Workspace.Triplet(j: Int32(j), k: Int32(k), block: Int32(blockIndex),
                                                                    cos: cosT, rjk: rjk)
                    nTriplets += 1
                    let out = partials + nPartials
                    nPartials += block.terms.count
                    for e in block.exps {
                        let grp = expGroups[e]
                        let a = rij - grp.rs, b = rik - grp.rs, c = rjk - grp.rs
                        let s = block.wide ? a * a + b * b : a * a + b * b + c * c
                        ex[e] = Foundation.exp(-grp.eta * s)
                    }
                    let fAll = fij * fik * fjk
                    let dRij = dfij * fik * fjk, dRik = fij * dfik * fjk, dRjk = fij * fik * dfjk
                    for (m, t) in block.terms.enumerated() {
                        let term = angularTerms[t]
                        let plam = 1 + term.lambda * cosT
                        if plam <= 0 { out[m] = .zero; continue }
                        var pz1 = 1.0  // plam^(zeta - 1)
                        if term.zetaInt > 0 {
                            var n = term.zetaInt - 1
                            var base = plam
                            while n > 0 { if n & 1 == 1 { pz1 *= base }; base *= base; n >>= 1 }
                        } else {
                            pz1 = _pow(plam, term.zeta - 1)
                        }
                        let radial = term.norm * ex[term.expGroup]
                        let g0 = radial * pz1 * plam
                        g[term.output] += g0 * fAll
                        let twoEta = 2 * term.eta
                        let dCos = radial * term.zeta * term.lambda * pz1 * fAll
                        let dij = g0 * (dRij - twoEta * (rij - term.rs) * fAll)
                        let dik = g0 * (dRik - twoEta * (rik - term.rs) * fAll)
                        let djkPart = block.wide ? 0 : g0 * (dRjk - twoEta * (rjk - term.rs) * fAll)
                        out[m] = SIMD4(dCos, dij, dik, djkPart)
                    }
                }
            }
        }
    }

    /// Contracts the kept triplet partials with dE/dG into bond gradients on R_ij and R_ik.
    @inline(__always)
    func adjointAngular(ws: Workspace, nTriplets: Int, sink: inout AtomSink) {
        let vec = ws.vec.base, dist = ws.dist.base, tgt = ws.target.base, dEdG = ws.dEdG.base
        var partials = UnsafePointer(ws.angularPartials.base)
        for t in 0..<nTriplets {
            let tr = ws.triplets.base[t]
            let block = angularBlocks[Int(tr.block)]
            var acc = SIMD4<Double>.zero
            for (m, ti) in block.terms.enumerated() { acc += dEdG[angularTerms[ti].output] * partials[m] }
            partials += block.terms.count
            let j = Int(tr.j), k = Int(tr.k)
            let dj = vec[j], dk = vec[k], rij = dist[j], rik = dist[k]
            let inv = 1 / (rij * rik)
            // cosθ = dj·dk / (rij rik): ∂/∂dj = dk/(rij rik) - cosθ dj/rij², and symmetric for dk.
            var gj = acc[0] * (inv * dk - (tr.cos / (rij * rij)) * dj) + (acc[1] / rij) * dj
            var gk = acc[0] * (inv * dj - (tr.cos / (rik * rik)) * dk) + (acc[2] / rik) * dk
            if acc[3] != 0 {
                let djk = dk - dj
                let w = (acc[3] / tr.rjk) * djk
                gj -= w; gk += w
            }
            sink.bond(target: tgt[j], d: dj, gradient: gj)
            sink.bond(target: tgt[k], d: dk, gradient: gk)
        }
    }
}
