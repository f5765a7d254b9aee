import Foundation

// Offsets in the per-chunk record of a triplet batch (`chunkRecord`): 4 lanes per quantity.
private let recCos = 0, recRjk = 4, recFjk = 8, recDfjk = 12, recFa = 16, recE = 20

/// Whether the adjoint pass skips functions whose weight dE/dG is 0, fixed at compile time so that
/// `Potential`'s pass carries no checks.
protocol AdjointMode { static var sparse: Bool { get } }
enum DenseAdjoint: AdjointMode { static var sparse: Bool { false } }
enum SparseAdjoint: AdjointMode { static var sparse: Bool { true } }

extension ElementKernel {
    /// Energy of one center atom. Forward: symmetry functions (keeping what the adjoint needs),
    /// scaling, network. Adjoint: dE/dG from the network, contracted over the same pairs and
    /// triplets into a gradient per neighbor vector, applied once per neighbor to forces and virial.
    /// Neighbors are sorted by element so that radial and angular blocks run over contiguous lists,
    /// and the angular triplets of each (block, j) are batched into structure-of-arrays lanes
    /// evaluated four at a time with explicit `SIMD4` vectors (the auto-vectorizer does not
    /// vectorize these loops reliably). Exponentials use the inline `fastExp`; exponentials whose
    /// η is an integer multiple of another's with the same R_s are taken as powers of it.
    /// Leaves the unscaled G in `ws.g`.
    @inline(__always)
    func evaluateAtom(ws: Workspace, neighbors range: Range<Int>, species: UnsafePointer<Int>,
                      target: UnsafePointer<Int32>, vector: UnsafePointer<SIMD3<Double>>,
                      distance: UnsafePointer<Double>, gradient: Bool, sink: inout AtomSink,
                      extrapolations: inout Int) -> Double {
        if ws.profile != nil { ws.clock = profileClock() }
        @inline(__always) func mark(_ section: Int) { ws.mark(section) }
        let nn = forwardDescriptors(ws: ws, neighbors: range, species: species, target: target, vector: vector,
                                    distance: distance)
        let g = ws.g.base

        // Scaling and network.
        let scaled = ws.scaled.base, dEdG = ws.dEdG.base
        for s in 0..<count {
            scaled[s] = Scaling.apply(g[s], offset: scaleOffset[s], factor: scaleFactor[s], shift: scaleShift[s])
            if checksRange && (g[s] < trainMin[s] || g[s] > trainMax[s]) { extrapolations += 1 }
        }
        ws.netDerivatives.reserve(network.neuronCount)
        ws.netA.reserve(network.maxWidth); ws.netB.reserve(network.maxWidth)
        let output = NetworkEvaluator.evaluate(network, input: scaled, gradient: gradient ? dEdG : nil,
                                               derivatives: ws.netDerivatives.base, a: ws.netA.base, b: ws.netB.base)
        let energy = output * energyScale + energyShift
        mark(3)
        if ws.profile != nil { countWork(ws: ws, nn: nn, gradient: gradient) }
        guard gradient else { return energy }
        for s in 0..<count { dEdG[s] *= scaleFactor[s] * energyScale }
        adjointDescriptors(ws: ws, nn: nn, mode: DenseAdjoint.self)

        let x = ws.x.base, y = ws.y.base, z = ws.z.base, tgt = ws.target.base
        let gS = ws.gS.base, gX = ws.gX.base, gY = ws.gY.base, gZ = ws.gZ.base
        for n in 0..<nn {
            let d = SIMD3(x[n], y[n], z[n])
            sink.bond(target: tgt[n], d: d, gradient: gS[n] * d + SIMD3(gX[n], gY[n], gZ[n]))
        }
        mark(6)
        return energy
    }

    /// The symmetry functions of one center into `ws.g`, keeping the partial derivatives that
    /// `adjointDescriptors` contracts; returns the neighbor count.
    @inline(__always)
    func forwardDescriptors(ws: Workspace, neighbors range: Range<Int>, species: UnsafePointer<Int>,
                            target: UnsafePointer<Int32>, vector: UnsafePointer<SIMD3<Double>>,
                            distance: UnsafePointer<Double>) -> Int {
        @inline(__always) func mark(_ section: Int) { ws.mark(section) }
        let nn = range.count
        let nE = layout.elementCount
        let nCut = cutoffs.count
        ws.elemStart.reserve(2 * nE + 2); ws.elemTmp.reserve(nn)
        ws.x.reserve(nn); ws.y.reserve(nn); ws.z.reserve(nn); ws.r.reserve(nn); ws.invR.reserve(nn)
        ws.target.reserve(nn); ws.fc.reserve(nn * nCut); ws.dfc.reserve(nn * nCut)
        ws.gS.reserve(nn); ws.gX.reserve(nn); ws.gY.reserve(nn); ws.gZ.reserve(nn)
        ws.radialValues.reserve(nn)
        ws.g.reserve(count); ws.scaled.reserve(count); ws.dEdG.reserve(count)
        let x = ws.x.base, y = ws.y.base, z = ws.z.base, r = ws.r.base, invR = ws.invR.base, tgt = ws.target.base

        // Counting sort of the neighbors by element.
        let es = ws.elemStart.base, cursor = ws.elemStart.base + (nE + 1), et = ws.elemTmp.base
        for e in 0...nE { es[e] = 0 }
        let p0 = range.lowerBound
        for n in 0..<nn {
            let e = species[Int(target[p0 + n])]
            et[n] = e; es[e + 1] += 1
        }
        for e in 0..<nE { es[e + 1] += es[e]; cursor[e] = es[e] }
        for n in 0..<nn {
            let q = cursor[et[n]]
            cursor[et[n]] = q + 1
            let v = vector[p0 + n], d = distance[p0 + n]
            x[q] = v.x; y[q] = v.y; z[q] = v.z; r[q] = d; invR[q] = 1 / d
            tgt[q] = Int(target[p0 + n])
        }
        let fc = ws.fc.base, dfc = ws.dfc.base
        for c in 0..<nCut { cutoffs[c].evaluate(count: nn, r: r, f: fc + c * nn, df: dfc + c * nn) }
        mark(0)
        let g = ws.g.base
        for s in 0..<count { g[s] = 0 }

        // Radial forward: per block (element, cutoff) and term, a loop over the element's neighbors
        // (those beyond the cutoff have f_c = 0 and contribute nothing).
        var nRadial = 0
        for block in radialBlocks { nRadial += block.terms.count * (es[block.element + 1] - es[block.element]) }
        ws.radialPartials.reserve(nRadial)
        ws.radialExp.reserve(radialTerms.count * nn)
        let rp = ws.radialPartials.base, vals = ws.radialValues.base, rexp = ws.radialExp.base
        var p = 0
        for block in radialBlocks {
            let n0 = es[block.element], cnt = es[block.element + 1] - n0
            if cnt == 0 { continue }
            let f = fc + block.cutoff * nn + n0, df = dfc + block.cutoff * nn + n0, rr = r + n0
            // Exponentials computed directly (the others are integer powers of these).
            for t in block.terms {
                let term = radialTerms[t]
                guard term.kind == DescriptorLayout.kindG2, term.base == t, term.power == 1 else { continue }
                let eta = -term.eta, rs = term.rs, ex = rexp + t * nn
                var i0 = 0
                while i0 + 4 <= cnt { let d = loadLanes(rr, i0) - rs; storeLanes(ex, i0, fastExp(eta * d * d)); i0 += 4 }
                for i in i0..<cnt { let d = rr[i] - rs; ex[i] = fastExp(eta * d * d) }
            }
            for t in block.terms {
                let term = radialTerms[t]
                let out = rp + p
                p += cnt
                switch term.kind {
                case DescriptorLayout.kindG1:
                    for i in 0..<cnt { vals[i] = f[i]; out[i] = df[i] }
                case DescriptorLayout.kindG2:
                    let rs = term.rs, twoEta = 2 * term.eta
                    let ex = rexp + term.base * nn, power = term.power, direct = term.base == t
                    var i0 = 0
                    while i0 + 4 <= cnt {
                        let d = loadLanes(rr, i0) - rs
                        let e = power == 0 ? Lanes(repeating: 1) : direct ? loadLanes(ex, i0) : lanesPower(loadLanes(ex, i0), power)
                        let fi = loadLanes(f, i0)
                        storeLanes(vals, i0, e * fi)
                        storeLanes(out, i0, e * (loadLanes(df, i0) - twoEta * d * fi))
                        i0 += 4
                    }
                    for i in i0..<cnt {
                        let d = rr[i] - rs
                        let e = power == 0 ? 1 : direct ? ex[i] : scalarPower(ex[i], power)
                        vals[i] = e * f[i]
                        out[i] = e * (df[i] - twoEta * d * f[i])
                    }
                default:
                    let kappa = term.kappa
                    for i in 0..<cnt {
                        let cs = Foundation.cos(kappa * rr[i]), sn = Foundation.sin(kappa * rr[i])
                        vals[i] = cs * f[i]
                        out[i] = cs * df[i] - kappa * sn * f[i]
                    }
                }
                g[term.output] += laneSum(vals, cnt)
            }
        }

        mark(1)
        // Angular forward.
        if layout.hasAngular { forwardAngular(ws: ws, nn: nn) }
        mark(2)
        return nn
    }

    /// The gradient of Σ_s dEdG[s] G_s (weights `ws.dEdG`) with respect to each neighbor vector d_n,
    /// gS[n] d_n + (gX, gY, gZ)[n] in `ws`, from the partials kept by `forwardDescriptors`.
    /// `mode`: `SparseAdjoint` skips functions with weight 0 (exactly: they would add 0), for the
    /// one-hot passes of `DescriptorKernel`; `Potential`'s `DenseAdjoint` compiles without the checks.
    @inline(__always)
    func adjointDescriptors<Mode: AdjointMode>(ws: Workspace, nn: Int, mode: Mode.Type) {
        @inline(__always) func mark(_ section: Int) { ws.mark(section) }
        let es = ws.elemStart.base, invR = ws.invR.base, dEdG = ws.dEdG.base
        let rp = ws.radialPartials.base, vals = ws.radialValues.base
        var p = 0
        let gS = ws.gS.base, gX = ws.gX.base, gY = ws.gY.base, gZ = ws.gZ.base
        for n in 0..<nn { gS[n] = 0; gX[n] = 0; gY[n] = 0; gZ[n] = 0 }
        // Radial adjoint: dE/dr per neighbor, then the coefficient of d_n is (dE/dr) / r.
        let dEdr = vals
        for n in 0..<nn { dEdr[n] = 0 }
        p = 0
        for block in radialBlocks {
            let n0 = es[block.element], cnt = es[block.element + 1] - n0
            if cnt == 0 { continue }
            let acc = dEdr + n0
            for t in block.terms {
                let w = dEdG[radialTerms[t].output]
                let src = rp + p
                p += cnt
                if Mode.sparse && w == 0 { continue }
                for i in 0..<cnt { acc[i] += w * src[i] }
            }
        }
        for n in 0..<nn { gS[n] = dEdr[n] * invR[n] }
        mark(4)
        if layout.hasAngular { adjointAngular(ws: ws, nn: nn, mode: mode) }
        mark(5)
    }

    /// Adds this atom's work items and estimated floating-point operations to `ws.profile`
    /// (see `KernelProfile`; per-item counts read off the loops below). Profiling only.
    func countWork(ws: Workspace, nn: Int, gradient: Bool) {
        let es = ws.elemStart.base
        let expCost = 30.0, cutoffCost = 40.0
        var f = [Double](repeating: 0, count: KernelProfile.sections.count)
        f[0] = Double(nn * cutoffs.count) * cutoffCost + Double(nn) * 2
        var radialItems = 0
        for block in radialBlocks {
            let cnt = es[block.element + 1] - es[block.element]
            for t in block.terms {
                let term = radialTerms[t]
                radialItems += cnt
                f[1] += Double(cnt) * 6
                if term.kind == DescriptorLayout.kindG2 && term.base == t && term.power == 1 { f[1] += Double(cnt) * (expCost + 3) }
                if term.kind != DescriptorLayout.kindG1 && term.kind != DescriptorLayout.kindG2 { f[1] += Double(cnt) * 2 * expCost }
            }
        }
        var widths = 0, macs = 0
        for layer in network.layers { macs += layer.inputs * layer.outputs; widths += layer.outputs }
        f[3] = Double(count) * 3 + Double(2 * macs + widths) * 1 + Double(widths) * expCost
        var lanes = 0, laneTerms = 0
        var seg = 0
        for block in angularBlocks {
            let nA = ws.listCount.base[block.listA]
            let nG = block.exps.count, nT = block.terms.count, nP = block.powers.count
            var direct = 0
            for gi in block.exps where expGroups[gi].base == gi && expGroups[gi].power == 1 { direct += 1 }
            var blockLanes = 0
            for _ in 0..<nA { blockLanes += (ws.segCount.base[seg] + 3) & ~3; seg += 1 }
            lanes += blockLanes; laneTerms += blockLanes * nT
            let perLaneForward = 12.0 + Double(nG) * 2 + Double(nP) * 6 + Double(nT) * 2
                + (block.wide ? 0 : 1 + cutoffCost + Double(direct) * (expCost + 3) + Double(nG) * 4)
            f[2] += Double(blockLanes) * perLaneForward
            f[5] += Double(blockLanes) * (55 + Double(nP) * 12 + Double(nT) * 4)  // two FMAs per term, the rest per power
        }
        if gradient {
            f[3] += Double(2 * macs + 2 * widths)
            f[4] = Double(radialItems) * 2 + Double(nn)
            f[6] = Double(nn) * 5 + 18 * Double(nn)
        }
        ws.profile!.pairs += nn
        ws.profile!.triplets += lanes
        ws.profile!.tripletTerms += laneTerms
        for i in f.indices { ws.profile!.flops[i] += f[i] }
    }

    /// Doubles kept per 4-lane chunk: cos θ, R_jk, f_c(R_jk), f_c'(R_jk), f_ij f_ik f_jk (0 in padding
    /// lanes) and the exponential of each of the block's nG groups, four lanes each (offsets `rec*`).
    @inline(__always) func chunkRecord(_ nG: Int) -> Int { 4 * (5 + nG) }

    /// Lane arrays hold up to nn triplets padded to a multiple of 4.
    /// (Batching several j into one lane batch was tried: the per-lane j gathers and j scatter
    /// cost more than the per-j overhead and padding they save.)
    @inline(__always) func laneStride(_ nn: Int) -> Int { (nn + 7) & ~3 }

    /// Builds the angular neighbor lists and evaluates every angular block: for each j of list A,
    /// the k of list B (k > j for like elements) inside the cutoff (and, for G4, with R_jk inside it)
    /// are gathered into lanes (padded to a multiple of 4 by repeating the first one); cutoff,
    /// exponentials and angular powers then run on `SIMD4` vectors. Keeps per triplet k,
    /// cos θ, R_jk, f_c(R_jk), f_c'(R_jk) and the exponential of each group for the adjoint
    /// (storing 1/R_jk as well to save the adjoint's division measured slower).
    @inline(__always)
    func forwardAngular(ws: Workspace, nn: Int) {
        let nLists = angularLists.count
        let es = ws.elemStart.base
        ws.listCount.reserve(nLists)
        let arena = nLists * nn + 4
        ws.lIndex.reserve(arena); ws.lX.reserve(arena); ws.lY.reserve(arena); ws.lZ.reserve(arena)
        ws.lR.reserve(arena); ws.lInvR.reserve(arena); ws.lFc.reserve(arena); ws.lDfc.reserve(arena)
        ws.lAcc.reserve(arena)
        let maxG = layout.maxExpsPerBlock
        let LS = laneStride(nn)
        let exStride = (nn + 7) & ~3
        ws.exA.reserve(maxG * exStride); ws.exB.reserve(maxG * exStride)
        ws.cand.reserve(LS); ws.lanes.reserve(LS)  // lanes: R_jk² per list position k
        let x = ws.x.base, y = ws.y.base, z = ws.z.base, r = ws.r.base, invR = ws.invR.base
        let fc = ws.fc.base, dfc = ws.dfc.base, g = ws.g.base
        let listCount = ws.listCount.base
        let lIndex = ws.lIndex.base, lX = ws.lX.base, lY = ws.lY.base, lZ = ws.lZ.base, lR = ws.lR.base
        let lInvR = ws.lInvR.base, lFc = ws.lFc.base, lDfc = ws.lDfc.base
        for li in 0..<nLists {
            let list = angularLists[li]
            let rc = cutoffs[list.cutoff].radius
            let off = li * nn
            var c = 0
            for n in es[list.element]..<es[list.element + 1] where r[n] < rc {
                let q = off + c
                lIndex[q] = n; lX[q] = x[n]; lY[q] = y[n]; lZ[q] = z[n]; lR[q] = r[n]; lInvR[q] = invR[n]
                lFc[q] = fc[list.cutoff * nn + n]; lDfc[q] = dfc[list.cutoff * nn + n]
                c += 1
            }
            listCount[li] = c
        }
        // Chunked loops over a list may read up to 3 entries past its end: keep those finite.
        for q in (nLists * nn)..<arena { lR[q] = 1 }

        let nTmax = layout.maxTermsPerBlock
        ws.termTable.reserve(4 * nTmax); ws.termIndex.reserve(2 * nTmax + 3 * maxG)
        let tAcc = ws.termTable.base
        let tGrpOff = ws.termIndex.base, tPow = tGrpOff + nTmax, gBase = tPow + nTmax, gPow = gBase + maxG
        let gOrder = gPow + maxG
        let laneIndex = Lanes(0, 1, 2, 3)
        let cand = ws.cand.base, rr = ws.lanes.base, offsets = ElementKernel.compactOffsets
        let exA = ws.exA.base, exB = ws.exB.base
        var seg = 0, tk = 0, td = 0
        for bi in 0..<angularBlocks.count {
            let block = angularBlocks[bi]
            let same = block.listA == block.listB
            let nA = listCount[block.listA], nB = listCount[block.listB]
            let aOff = block.listA * nn, bOff = block.listB * nn
            let aX = lX + aOff, aY = lY + aOff, aZ = lZ + aOff, aR = lR + aOff, aInv = lInvR + aOff
            let aFc = lFc + aOff
            let bX = lX + bOff, bY = lY + bOff, bZ = lZ + bOff, bR = lR + bOff, bInv = lInvR + bOff, bFc = lFc + bOff
            let e0 = block.exps.lowerBound, nG = block.exps.count
            let t0 = block.terms.lowerBound, nT = block.terms.count
            let pw0 = block.powers.lowerBound, nP = block.powers.count
            let cutoff = cutoffs[block.cutoff]
            let rc2 = cutoff.radius * cutoff.radius
            let wide = block.wide
            // Pair factors exp(-η (R - R_s)²) of the j and k neighbors for the directly computed
            // groups; a group sharing R_s with η = p·η_base is the p-th power of its base group's whole
            // triplet factor, so it needs no table (list arrays are padded, so whole chunks are safe).
            for gi in 0..<nG {
                let grp = expGroups[e0 + gi]
                guard grp.base == e0 + gi, grp.power == 1 else { continue }
                let eta = -grp.eta, rs = grp.rs
                for side in 0..<(same ? 1 : 2) {
                    let rl = side == 0 ? aR : bR, count = side == 0 ? nA : nB
                    let out = (side == 0 ? exA : exB) + gi * exStride
                    var i = 0
                    while i < count {
                        let d = loadLanes(rl, i) - rs
                        storeLanes(out, i, fastExp(eta * d * d))
                        i += 4
                    }
                }
            }
            let exK = same ? exA : exB
            let rec = chunkRecord(nG)
            for m in 0..<nT {
                let term = angularTerms[t0 + m]
                tGrpOff[m] = recE + 4 * (term.expGroup - e0); tPow[m] = term.power - pw0
                storeLanes(tAcc, 4 * m, Lanes(repeating: 0))
            }
            // Groups in evaluation order: the directly computed ones first, then their powers.
            var nDirect = 0
            for gi in 0..<nG {
                let grp = expGroups[e0 + gi]
                gBase[gi] = grp.base - e0; gPow[gi] = grp.power
                if grp.base == e0 + gi && grp.power == 1 { gOrder[nDirect] = gi; nDirect += 1 }
            }
            var nOrdered = nDirect
            for gi in 0..<nG where gBase[gi] != gi || gPow[gi] != 1 { gOrder[nOrdered] = gi; nOrdered += 1 }
            var tdBatch = td
            for a in 0..<nA {
                let kStart = same ? a + 1 : 0
                ws.segCount.reserve(seg + 1, keep: seg)
                let xj = aX[a], yj = aY[a], zj = aZ[a], invRij = aInv[a], fij = aFc[a]
                let rij2 = aR[a] * aR[a], halfInvRij = 0.5 * invRij
                var nb = 0
                if wide {
                    for kk in kStart..<max(kStart, nB) { cand[kk - kStart] = Int32(truncatingIfNeeded: kk) }
                    nb = max(0, nB - kStart)
                } else {
                    nb = compactCandidates(x: bX, y: bY, z: bZ, from: kStart, to: nB, center: SIMD3(xj, yj, zj),
                                           radius2: rc2, r2: rr, offsets: offsets, cand: cand)
                }
                ws.segCount.base[seg] = nb
                seg += 1
                if nb == 0 { continue }
                let nbp = (nb + 3) & ~3
                for l in nb..<nbp { cand[l] = cand[0] }
                ws.tripletK.reserve(tk + nbp, keep: tk); ws.tripletData.reserve(td + rec * nbp / 4, keep: td)
                let K = ws.tripletK.base + tk
                var D = ws.tripletData.base + td
                tk += nbp; td += rec * nbp / 4
                // Two passes over 4-lane chunks, keeping per chunk the record the adjoint replays
                // (`chunkRecord`). Pass 1, per j: the gathers of the k data, cos θ, R_jk, f_ij f_ik and
                // the pair factors of the directly computed groups. Pass 2 (`termSums`) on batches of
                // chunks, in short tight loops whose iterations are independent (the exponentials and
                // the division are long dependency chains: in one fused chunk loop they were latency
                // bound): f_c(R_jk), exp(-η (R_jk - R_s)²), the other groups, angular powers, terms.
                // The first directly computed group (often the only one) with its j factor, k table
                // and record offset outside the chunk loop.
                let g0 = nDirect > 0 ? gOrder[0] : 0
                let e0j = nDirect > 0 ? exA[g0 * exStride + a] : 0, e0k = exK + g0 * exStride, o0 = recE + 4 * g0
                var l = 0
                while l < nbp {
                    let c0 = cand[l], c1 = cand[l + 1], c2 = cand[l + 2], c3 = cand[l + 3]
                    K[l] = c0; K[l + 1] = c1; K[l + 2] = c2; K[l + 3] = c3
                    let k0 = Int(c0), k1 = Int(c1), k2 = Int(c2), k3 = Int(c3)
                    let ik = Lanes(bInv[k0], bInv[k1], bInv[k2], bInv[k3])
                    if wide {
                        let xk = Lanes(bX[k0], bX[k1], bX[k2], bX[k3]), yk = Lanes(bY[k0], bY[k1], bY[k2], bY[k3])
                        let zk = Lanes(bZ[k0], bZ[k1], bZ[k2], bZ[k3])
                        storeLanes(D, recCos, muladd(Lanes(repeating: zj), zk, muladd(Lanes(repeating: yj), yk, xj * xk)) * invRij * ik)
                        storeLanes(D, recRjk, Lanes(repeating: 1))
                    } else {
                        let r2 = Lanes(rr[k0], rr[k1], rr[k2], rr[k3])
                        // Law of cosines from R_jk² of the candidate test: one gather (R_ik) instead of
                        // three (x, y, z of k); differs from the dot product by rounding (~1e-16).
                        let rk = Lanes(bR[k0], bR[k1], bR[k2], bR[k3])
                        storeLanes(D, recCos, (muladd(rk, rk, Lanes(repeating: rij2)) - r2) * halfInvRij * ik)
                        storeLanes(D, recRjk, r2.squareRoot())
                    }
                    var fa = fij * Lanes(bFc[k0], bFc[k1], bFc[k2], bFc[k3])
                    if l + 4 > nb { fa.replace(with: 0, where: laneIndex .>= Lanes(repeating: Double(nb - l))) }
                    storeLanes(D, recFa, fa)
                    if nDirect > 0 {
                        storeLanes(D, o0, e0j * Lanes(e0k[k0], e0k[k1], e0k[k2], e0k[k3]))
                    }
                    if nDirect > 1 {
                        for d in 1..<nDirect {
                            let gi = gOrder[d], eB = exK + gi * exStride
                            storeLanes(D, recE + 4 * gi, exA[gi * exStride + a] * Lanes(eB[k0], eB[k1], eB[k2], eB[k3]))
                        }
                    }
                    D += rec
                    l += 4
                }
                if td - tdBatch >= rec * ElementKernel.termBatch {
                    ws.powerLanes.reserve(4 * (nP + ElementKernel.squareLevels) * ((td - tdBatch) / rec))
                    termSums(ws.tripletData.base + tdBatch, chunks: (td - tdBatch) / rec, rec: rec, block: block,
                             order: gOrder, direct: nDirect, base: gBase, power: gPow, termGroup: tGrpOff, termPower: tPow,
                             v: ws.powerLanes.base, acc: tAcc)
                    tdBatch = td
                }
            }
            if td > tdBatch {
                ws.powerLanes.reserve(4 * (nP + ElementKernel.squareLevels) * ((td - tdBatch) / rec))
                termSums(ws.tripletData.base + tdBatch, chunks: (td - tdBatch) / rec, rec: rec, block: block,
                         order: gOrder, direct: nDirect, base: gBase, power: gPow, termGroup: tGrpOff, termPower: tPow,
                         v: ws.powerLanes.base, acc: tAcc)
            }
            for m in 0..<nT {
                let term = angularTerms[t0 + m]
                g[term.output] += term.norm * loadLanes(tAcc, 4 * m).sum()
            }
        }
    }

    /// For each 4-bit lane mask, the positions of its set bits in order (the rest 0): the lanes that
    /// `compactCandidates` keeps. Allocated once, never freed.
    static let compactOffsets: UnsafePointer<SIMD4<Int32>> = {
        let table = UnsafeMutablePointer<SIMD4<Int32>>.allocate(capacity: 16)
        for m in 0..<16 {
            var o = SIMD4<Int32>(repeating: 0), n = 0
            for i in 0..<4 where (m >> i) & 1 == 1 { o[n] = Int32(i); n += 1 }
            table[m] = o
        }
        return UnsafePointer(table)
    }()

    /// Chunks per pass 2 of `forwardAngular`: its records (and power lanes) stay in the L1 cache.
    static let termBatch = 32
    /// Squares u^(2^b), b = 1...6, that `termSums` keeps for exponential groups taken as powers (<= 64).
    static let squareLevels = 6

    /// Pass 2 of `forwardAngular` on `nC` consecutive chunk records at `D`, each loop with the group,
    /// power or term fixed (tight vector loops over chunks whose records are in L1): the groups that
    /// are powers of their base; per angular power (1 + λ cos)^ζ f into `v`; per term
    /// Σ E_g (1 + λ cos)^ζ f added to its four lanes in `acc`. `v` holds 4 nC (powers +
    /// `squareLevels`) doubles: the power lanes, then the squares of the powered groups.
    @inline(__always)
    func termSums(_ D: UnsafeMutablePointer<Double>, chunks nC: Int, rec: Int, block: DescriptorLayout.AngularBlock,
                  order gOrder: UnsafeMutablePointer<Int>, direct nDirect: Int, base gBase: UnsafeMutablePointer<Int>,
                  power gPow: UnsafeMutablePointer<Int>, termGroup tGrpOff: UnsafeMutablePointer<Int>,
                  termPower tPow: UnsafeMutablePointer<Int>, v V: UnsafeMutablePointer<Double>,
                  acc: UnsafeMutablePointer<Double>) {
        // Narrow blocks: the cutoff f_c(R_jk) (into f_ij f_ik f_jk) and the R_jk factor of the
        // direct groups; wide blocks have f_c(R_jk) = 1, f_c' = 0 and no R_jk factor.
        let cutoff = cutoffs[block.cutoff], rc = cutoff.radius, tanhScale = cutoff.tanhScale ?? 0  // 0: another type
        // The tanh types in two loops, the exponential (kept in the f_c slot) and then the cutoff
        // with its division: each chain is shorter, so more chunks are in flight.
        var r = D
        if block.wide {
            for _ in 0..<nC {
                storeLanes(r, recFjk, Lanes(repeating: 1)); storeLanes(r, recDfjk, Lanes(repeating: 0))
                r += rec
            }
        } else if tanhScale > 0 {
            for _ in 0..<nC { storeLanes(r, recFjk, CutoffFunction.tanhExp(loadLanes(r, recRjk), radius: rc)); r += rec }
            r = D
            for _ in 0..<nC {
                let (fjk, dfjk) = CutoffFunction.tanhLanes(loadLanes(r, recRjk), exp: loadLanes(r, recFjk),
                                                           radius: rc, scale: tanhScale)
                storeLanes(r, recFjk, fjk); storeLanes(r, recDfjk, dfjk)
                storeLanes(r, recFa, loadLanes(r, recFa) * fjk)
                r += rec
            }
        } else {
            for _ in 0..<nC {
                let (fjk, dfjk) = cutoff.evaluate(lanes: loadLanes(r, recRjk))
                storeLanes(r, recFjk, fjk); storeLanes(r, recDfjk, dfjk)
                storeLanes(r, recFa, loadLanes(r, recFa) * fjk)
                r += rec
            }
        }
        if !block.wide {
            for d in 0..<nDirect {
                let gi = gOrder[d], grp = expGroups[block.exps.lowerBound + gi]
                let negEta = -grp.eta, rs = grp.rs
                var r = D
                for _ in 0..<nC {
                    let dd = loadLanes(r, recRjk) - rs
                    storeLanes(r, recE + 4 * gi, loadLanes(r, recE + 4 * gi) * fastExp(negEta * dd * dd))
                    r += rec
                }
            }
        }
        // The groups that are powers u^p of their base u: binary powering (the same products as
        // `lanesPower`) with the exponent's bits in the outer loop, so that every chunk loop is
        // branch-free (bits tested per chunk cost a taken branch each). The squares u^(2^b), b >= 1,
        // are kept in `S` (after the power lanes, 4 doubles per chunk and level), shared by the
        // groups of one base; level 0 is the base's own record slot.
        let nP = block.powers.count
        let S = V + 4 * nC * nP
        var sBase = -1, sLevels = 0
        for d in nDirect..<block.exps.count {
            let gi = gOrder[d], pw = gPow[gi], dst = D + recE + 4 * gi
            if pw == 0 {
                var o = dst
                for _ in 0..<nC { storeLanes(o, 0, Lanes(repeating: 1)); o += rec }
                continue
            }
            let u = D + recE + 4 * gBase[gi]
            @inline(__always) func level(_ b: Int) -> (UnsafeMutablePointer<Double>, Int) {
                b == 0 ? (u, rec) : (S + 4 * nC * (b - 1), 4)
            }
            if gBase[gi] != sBase { sBase = gBase[gi]; sLevels = 0 }
            let top = Int.bitWidth - 1 - pw.leadingZeroBitCount
            while sLevels < top {  // up to two levels per pass
                var (x, xs) = level(sLevels)
                var o1 = S + 4 * nC * sLevels
                if sLevels + 2 <= top {
                    var o2 = o1 + 4 * nC
                    for _ in 0..<nC {
                        let a = loadLanes(x, 0), a2 = a * a
                        storeLanes(o1, 0, a2); storeLanes(o2, 0, a2 * a2)
                        x += xs; o1 += 4; o2 += 4
                    }
                    sLevels += 2
                } else {
                    for _ in 0..<nC { let a = loadLanes(x, 0); storeLanes(o1, 0, a * a); x += xs; o1 += 4 }
                    sLevels += 1
                }
            }
            // The product of the levels of the set bits, lowest first: two factors per pass.
            var rest = pw, first = true
            while rest != 0 {
                let b1 = rest.trailingZeroBitCount
                rest &= rest - 1
                var (x, xs) = level(b1), o = dst
                if rest == 0 {
                    if first {
                        for _ in 0..<nC { storeLanes(o, 0, loadLanes(x, 0)); x += xs; o += rec }
                    } else {
                        for _ in 0..<nC { storeLanes(o, 0, loadLanes(o, 0) * loadLanes(x, 0)); x += xs; o += rec }
                    }
                    break
                }
                let b2 = rest.trailingZeroBitCount
                rest &= rest - 1
                var (y, ys) = level(b2)
                if first {
                    for _ in 0..<nC { storeLanes(o, 0, loadLanes(x, 0) * loadLanes(y, 0)); x += xs; y += ys; o += rec }
                } else {
                    for _ in 0..<nC {
                        storeLanes(o, 0, loadLanes(o, 0) * loadLanes(x, 0) * loadLanes(y, 0))
                        x += xs; y += ys; o += rec
                    }
                }
                first = false
            }
        }
        // Per angular power (1 + λ cos)^ζ f, with the common integer ζ in their own loops (a switch
        // per chunk would cost an indirect jump each); the same products as `anglePower`.
        for pi in 0..<nP {
            let pw = angularPowers[block.powers.lowerBound + pi]
            let out = V + 4 * nC * pi
            let lambda = pw.lambda
            @inline(__always) func powerLoop(_ f: (Lanes) -> Lanes) {
                let zero = Lanes(repeating: 0)
                var r = D, o = out
                for _ in 0..<nC {
                    let v = 1 + lambda * loadLanes(r, recCos)
                    let pl = v.replacing(with: zero, where: v .<= zero)
                    storeLanes(o, 0, f(pl) * loadLanes(r, recFa))
                    r += rec; o += 4
                }
            }
            switch pw.zetaInt {
            case 1: powerLoop { pl in pl }
            case 2: powerLoop { pl in pl * pl }
            case 3: powerLoop { pl in pl * pl * pl }
            case 4: powerLoop { pl in pl * pl * pl * pl }
            default:
                var r = D, o = out
                for _ in 0..<nC {
                    let (pl, pz) = anglePower(pw, loadLanes(r, recCos))
                    storeLanes(o, 0, pz * pl * loadLanes(r, recFa))
                    r += rec; o += 4
                }
            }
        }
        // Four accumulators per term: the FMA latency, not the loads, would bound one.
        let zero = Lanes(repeating: 0)
        for m in 0..<block.terms.count {
            var e = D + tGrpOff[m], w = V + 4 * nC * tPow[m]
            var a0 = zero, a1 = zero, a2 = zero, a3 = zero
            var c = 0
            while c + 4 <= nC {
                a0 = muladd(loadLanes(e, 0), loadLanes(w, 0), a0)
                a1 = muladd(loadLanes(e, rec), loadLanes(w, 4), a1)
                a2 = muladd(loadLanes(e, 2 * rec), loadLanes(w, 8), a2)
                a3 = muladd(loadLanes(e, 3 * rec), loadLanes(w, 12), a3)
                e += 4 * rec; w += 16; c += 4
            }
            while c < nC { a0 = muladd(loadLanes(e, 0), loadLanes(w, 0), a0); e += rec; w += 4; c += 1 }
            storeLanes(acc, 4 * m, loadLanes(acc, 4 * m) + ((a0 + a1) + (a2 + a3)))
        }
    }

    /// (1 + λ cos θ) clamped at 0 and its power ζ - 1 (0 where 1 + λ cos θ <= 0) on one chunk.
    @inline(__always)
    func anglePower(_ pw: DescriptorLayout.AngularPower, _ c: Lanes) -> (Lanes, Lanes) {
        let zero = Lanes(repeating: 0)
        let v = 1 + pw.lambda * c
        let pl = v.replacing(with: zero, where: v .<= zero)
        switch pw.zetaInt {
        case 1: return (pl, Lanes(repeating: 1).replacing(with: zero, where: v .<= zero))
        case 2: return (pl, pl)
        case 3: return (pl, pl * pl)
        case 4: return (pl, pl * pl * pl)
        case let n where n > 4: return (pl, lanesPower(pl, n - 1))
        default:
            let e = pw.zeta - 1
            var pz = zero
            for i in 0..<4 where pl[i] > 0 { pz[i] = _pow(pl[i], e) }
            return (pl, pz)
        }
    }

    /// Replays the kept triplets with dE/dG: per lane the derivatives with respect to cos θ and the
    /// three distances, turned into coefficients of d_j and d_k and accumulated per list entry;
    /// finally added to the per-neighbor gradients. `mode`: see `adjointDescriptors`.
    @inline(__always)
    func adjointAngular<Mode: AdjointMode>(ws: Workspace, nn: Int, mode: Mode.Type) {
        let nLists = angularLists.count
        let maxP = layout.maxPowersPerBlock
        let listCount = ws.listCount.base, lIndex = ws.lIndex.base
        let lX = ws.lX.base, lY = ws.lY.base, lZ = ws.lZ.base, lR = ws.lR.base
        let lInvR = ws.lInvR.base, lFc = ws.lFc.base, lDfc = ws.lDfc.base
        let lAcc = ws.lAcc.base
        for li in 0..<nLists {
            let off = li * nn
            for c in 0..<listCount[li] { lAcc[off + c] = Lanes(repeating: 0) }
        }
        let nTmax = layout.maxTermsPerBlock
        // Terms ordered by angular power: per term w = dE/dG · norm, 2η w, 2η R_s w and the record
        // offset of its group; per power ζ λ and where its terms start.
        ws.termTable.reserve(3 * nTmax + 2 * maxP); ws.termIndex.reserve(nTmax + 2 * maxP + 1)
        let oW = ws.termTable.base, oWE = oW + nTmax, oWER = oWE + nTmax, pZL = oWER + nTmax, pLam = pZL + maxP
        let oGrp = ws.termIndex.base, pStart = oGrp + nTmax, pZI = pStart + maxP + 1
        let laneIndex = Lanes(0, 1, 2, 3)
        let dEdG = ws.dEdG.base
        let segCount = ws.segCount.base, tripletK = ws.tripletK.base, tripletData = ws.tripletData.base
        let zero = Lanes(repeating: 0)
        var seg = 0, tk = 0, td = 0
        for bi in 0..<angularBlocks.count {
            let block = angularBlocks[bi]
            let nA = listCount[block.listA]
            let aOff = block.listA * nn, bOff = block.listB * nn
            let aX = lX + aOff, aY = lY + aOff, aZ = lZ + aOff, aR = lR + aOff, aInv = lInvR + aOff
            let aFc = lFc + aOff, aDfc = lDfc + aOff
            let aAcc = lAcc + aOff
            let bX = lX + bOff, bY = lY + bOff, bZ = lZ + bOff, bR = lR + bOff, bInv = lInvR + bOff
            let bFc = lFc + bOff, bDfc = lDfc + bOff
            let bAcc = lAcc + bOff
            let e0 = block.exps.lowerBound, nG = block.exps.count
            let t0 = block.terms.lowerBound, nT = block.terms.count
            let pw0 = block.powers.lowerBound, nP = block.powers.count
            let wide = block.wide
            let rec = chunkRecord(nG)
            var q = 0
            for pi in 0..<nP {
                pStart[pi] = q
                pZL[pi] = angularPowers[pw0 + pi].zeta * angularPowers[pw0 + pi].lambda
                pLam[pi] = angularPowers[pw0 + pi].lambda; pZI[pi] = angularPowers[pw0 + pi].zetaInt
                for m in 0..<nT where angularTerms[t0 + m].power == pw0 + pi && (!Mode.sparse || dEdG[angularTerms[t0 + m].output] != 0) {
                    let term = angularTerms[t0 + m]
                    let w = dEdG[term.output] * term.norm
                    oW[q] = w; oWE[q] = 2 * term.eta * w; oWER[q] = 2 * term.eta * term.rs * w
                    oGrp[q] = recE + 4 * (term.expGroup - e0)
                    q += 1
                }
            }
            pStart[nP] = q
            if Mode.sparse && q == 0 {
                // No weighted function in this block (sparse mode): skip its triplets.
                for _ in 0..<nA { let nbp = (segCount[seg] + 3) & ~3; seg += 1; tk += nbp; td += rec * nbp / 4 }
                continue
            }
            // Sparse: the lane loop runs over the powers from the first to the last with weighted terms.
            var pLo = 0, pHi = nP
            if Mode.sparse {
                while pStart[pLo + 1] == pStart[pLo] { pLo += 1 }
                while pStart[pHi - 1] == pStart[pHi] { pHi -= 1 }
            }
            var hasRs = false
            for m in 0..<nT where angularTerms[t0 + m].rs != 0 { hasRs = true }
            for a in 0..<nA {
                let nb = segCount[seg]
                seg += 1
                if nb == 0 { continue }
                let nbp = (nb + 3) & ~3
                let K = tripletK + tk
                var D = tripletData + td
                tk += nbp; td += rec * nbp / 4
                let xj = aX[a], yj = aY[a], zj = aZ[a], rij = aR[a], invRij = aInv[a], fij = aFc[a], dfij = aDfc[a]
                // One pass over 4-lane chunks with register accumulators. Per term
                // t = w E (1 + λ cos)^(ζ-1); ∂/∂cos ∝ Σ ζ λ t; u = t (1 + λ cos);
                // S = Σ u, Q = Σ 2η u, R = Σ 2η R_s u, so Σ 2η (r - R_s) u = r Q - R.
                // Summed per angular power p first (X = Σ w E, Y = Σ 2η w E, Z = Σ 2η R_s w E over
                // its terms), then Σ t = (1 + λ cos)^(ζ-1) X and Σ u, Σ 2η u, Σ 2η R_s u from X, Y, Z.
                // The k side goes straight into one (S, x, y, z) vector per list entry.
                var gjx = zero, gjy = zero, gjz = zero, cjAcc = zero
                let invRij2 = invRij * invRij
                let dj = Lanes(0, xj, yj, zj)
                var l = 0
                while l < nbp {
                    let c = loadLanes(D, recCos)
                    var acc = zero, sS = zero, sQ = zero, sR = zero
                    for pi in pLo..<pHi {
                        var X = zero, Y = zero, Z = zero
                        for q in pStart[pi]..<pStart[pi + 1] {
                            let e = loadLanes(D, oGrp[q])
                            X = muladd(Lanes(repeating: oW[q]), e, X)
                            Y = muladd(Lanes(repeating: oWE[q]), e, Y)
                            if hasRs { Z = muladd(Lanes(repeating: oWER[q]), e, Z) }
                        }
                        // `anglePower` with λ and integer ζ from the local tables.
                        let v = 1 + pLam[pi] * c
                        let pl = v.replacing(with: zero, where: v .<= zero), pz: Lanes
                        switch pZI[pi] {
                        case 1: pz = Lanes(repeating: 1).replacing(with: zero, where: v .<= zero)
                        case 2: pz = pl
                        case 3: pz = pl * pl
                        case 4: pz = pl * pl * pl
                        default: pz = anglePower(angularPowers[pw0 + pi], c).1
                        }
                        acc = muladd(Lanes(repeating: pZL[pi]), pz * X, acc)
                        let ppl = pz * pl
                        sS = muladd(ppl, X, sS); sQ = muladd(ppl, Y, sQ)
                        if hasRs { sR = muladd(ppl, Z, sR) }
                    }
                    let k0 = Int(K[l]), k1 = Int(K[l + 1]), k2 = Int(K[l + 2]), k3 = Int(K[l + 3])
                    let fk = Lanes(bFc[k0], bFc[k1], bFc[k2], bFc[k3]), rk = Lanes(bR[k0], bR[k1], bR[k2], bR[k3])
                    let fjk = loadLanes(D, recFjk), rjk = loadLanes(D, recRjk)
                    let fAll = fij * fk * fjk
                    let a0 = acc * fAll
                    let a1 = muladd(-fAll, muladd(Lanes(repeating: rij), sQ, -sR), dfij * fk * fjk * sS)
                    let a2 = muladd(-fAll, muladd(rk, sQ, -sR), fij * Lanes(bDfc[k0], bDfc[k1], bDfc[k2], bDfc[k3]) * fjk * sS)
                    let a3 = wide ? zero : muladd(-fAll, muladd(rjk, sQ, -sR), fij * fk * loadLanes(D, recDfjk) * sS)
                    let a3r = a3 / rjk
                    let iik = Lanes(bInv[k0], bInv[k1], bInv[k2], bInv[k3])
                    let a0c = a0 * c
                    var b = a0 * invRij * iik - a3r
                    var cj = a1 * invRij - a0c * invRij2 + a3r
                    var ck = a2 * iik - a0c * iik * iik + a3r
                    if l + 4 > nb {
                        // Padding lanes (repeats of the first k) add nothing.
                        let pad = laneIndex .>= Lanes(repeating: Double(nb - l))
                        b.replace(with: 0, where: pad); cj.replace(with: 0, where: pad); ck.replace(with: 0, where: pad)
                    }
                    gjx = muladd(b, Lanes(bX[k0], bX[k1], bX[k2], bX[k3]), gjx)
                    gjy = muladd(b, Lanes(bY[k0], bY[k1], bY[k2], bY[k3]), gjy)
                    gjz = muladd(b, Lanes(bZ[k0], bZ[k1], bZ[k2], bZ[k3]), gjz)
                    cjAcc += cj
                    bAcc[k0] = muladd(Lanes(repeating: b[0]), dj, bAcc[k0] + Lanes(ck[0], 0, 0, 0))
                    bAcc[k1] = muladd(Lanes(repeating: b[1]), dj, bAcc[k1] + Lanes(ck[1], 0, 0, 0))
                    bAcc[k2] = muladd(Lanes(repeating: b[2]), dj, bAcc[k2] + Lanes(ck[2], 0, 0, 0))
                    bAcc[k3] = muladd(Lanes(repeating: b[3]), dj, bAcc[k3] + Lanes(ck[3], 0, 0, 0))
                    D += rec
                    l += 4
                }
                aAcc[a] += Lanes(cjAcc.sum(), gjx.sum(), gjy.sum(), gjz.sum())
            }
        }
        let gS = ws.gS.base, gX = ws.gX.base, gY = ws.gY.base, gZ = ws.gZ.base
        for li in 0..<nLists {
            let off = li * nn
            for c in 0..<listCount[li] {
                let n = lIndex[off + c]
                let v = lAcc[off + c]
                gS[n] += v[0]; gX[n] += v[1]; gY[n] += v[2]; gZ[n] += v[3]
            }
        }
    }
}

/// Writes the list positions k in start..<end with |r_k - center|² < radius2 to `cand` (in order)
/// and returns their count; leaves the squared distance of every k in r2[k] (whole chunks of four:
/// up to three entries past `end`, and `cand` up to three past the count, are written too).
/// Branch-free: per chunk of four k the sign bits of d² - radius² pick, from `offsets`, the lanes
/// to keep, stored as one vector (a lane-by-lane compaction compiled to scalar code: ~30 % slower).
@inline(never)
func compactCandidates(x: UnsafePointer<Double>, y: UnsafePointer<Double>, z: UnsafePointer<Double>,
                       from start: Int, to end: Int, center: SIMD3<Double>, radius2: Double,
                       r2: UnsafeMutablePointer<Double>, offsets: UnsafePointer<SIMD4<Int32>>,
                       cand: UnsafeMutablePointer<Int32>) -> Int {
    var nb = 0
    var k = start
    while k < end {
        let dx = loadLanes(x, k) - center.x, dy = loadLanes(y, k) - center.y, dz = loadLanes(z, k) - center.z
        let d2 = dx * dx + dy * dy + dz * dz
        storeLanes(r2, k, d2)
        let s = unsafeBitCast(d2 - radius2, to: SIMD4<UInt64>.self) &>> 63
        var m = Int(truncatingIfNeeded: s[0] | (s[1] &<< 1) | (s[2] &<< 2) | (s[3] &<< 3))
        if k + 4 > end { m &= (1 &<< (end - k)) - 1 }
        UnsafeMutableRawPointer(cand + nb).storeBytes(of: offsets[m] &+ Int32(truncatingIfNeeded: k), as: SIMD4<Int32>.self)
        nb &+= m.nonzeroBitCount
        k += 4
    }
    return nb
}

/// u^n for n >= 1 by binary powering.
@inline(__always)
func lanesPower(_ u: Lanes, _ n: Int) -> Lanes {
    var b = u, k = n
    while k & 1 == 0 { b *= b; k >>= 1 }
    var result = b
    k >>= 1
    while k > 0 { b *= b; if k & 1 == 1 { result *= b }; k >>= 1 }
    return result
}

@inline(__always)
func scalarPower(_ u: Double, _ n: Int) -> Double {
    var b = u, k = n
    while k & 1 == 0 { b *= b; k >>= 1 }
    var result = b
    k >>= 1
    while k > 0 { b *= b; if k & 1 == 1 { result *= b }; k >>= 1 }
    return result
}

/// Sum of n values with four independent accumulators (vectorizable without reassociation flags).
@inline(__always)
func laneSum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var i = 0
    while i + 4 <= n { s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3]; i += 4 }
    while i < n { s0 += a[i]; i += 1 }
    return (s0 + s1) + (s2 + s3)
}
