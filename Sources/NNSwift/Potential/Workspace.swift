/// Scratch memory of one thread for evaluating one atom after another; grows to the largest environment
/// seen and is then reused, so an evaluation allocates nothing per atom.
final class Workspace {
    // Neighbors of the current center, sorted by element (structure of arrays).
    var elemStart = Growable<Int>()
    var elemTmp = Growable<Int>()
    var x = Growable<Double>(), y = Growable<Double>(), z = Growable<Double>()
    var r = Growable<Double>(), invR = Growable<Double>()
    var target = Growable<Int>()
    var fc = Growable<Double>()
    var dfc = Growable<Double>()
    /// Gradient of the energy with respect to each neighbor vector d_n: gS[n] d_n + (gX, gY, gZ)[n].
    var gS = Growable<Double>(), gX = Growable<Double>(), gY = Growable<Double>(), gZ = Growable<Double>()
    // Symmetry functions, their scaled values and dE/dG.
    var g = Growable<Double>()
    var scaled = Growable<Double>()
    var dEdG = Growable<Double>()
    // Network scratch.
    var netDerivatives = Growable<Double>()
    var netA = Growable<Double>()
    var netB = Growable<Double>()
    // Radial partials ∂value/∂r per (term, neighbor), replayed by the adjoint pass.
    var radialPartials = Growable<Double>()
    var radialValues = Growable<Double>()
    var radialExp = Growable<Double>()
    // Angular neighbor lists (one per (element, cutoff)) in an arena: list l at l * nn ..< + listCount[l].
    var listCount = Growable<Int>()
    var lIndex = Growable<Int>()
    var lX = Growable<Double>(), lY = Growable<Double>(), lZ = Growable<Double>()
    var lR = Growable<Double>(), lInvR = Growable<Double>(), lFc = Growable<Double>(), lDfc = Growable<Double>()
    /// Per list entry the gradient (S, x, y, z) of the energy: S d + (x, y, z), as one vector.
    var lAcc = Growable<Lanes>()
    // Pair exponentials of the current block, per exp group, for the j and k lists.
    var exA = Growable<Double>(), exB = Growable<Double>()
    // Per-lane scratch of one (j, k-batch): the k candidates, their squared distances R_jk² and f_ij f_ik f_jk.
    var cand = Growable<Int32>()
    var lanes = Growable<Double>()
    /// Per angular power of the block, on a batch of chunks: (1 + λ cos)^ζ f_ij f_ik f_jk (forward).
    var powerLanes = Growable<Double>()
    var termTable = Growable<Double>(), termIndex = Growable<Int>()
    // Kept triplet state for the adjoint: per (block, j) segment, the batch size; per triplet
    // k (list position) and, per 4-lane chunk, a record of cos, rjk, fjk, dfjk, E_g per group.
    var segCount = Growable<Int>()
    var tripletK = Growable<Int32>()
    var tripletData = Growable<Double>()
    /// Section timings and work counts, when profiling (nil otherwise).
    var profile: KernelProfile?
    /// Thread CPU time at the last profiled mark (`mark`).
    var clock: UInt64 = 0

    deinit {
        elemStart.free(); elemTmp.free(); x.free(); y.free(); z.free(); r.free(); invR.free(); target.free()
        fc.free(); dfc.free(); gS.free(); gX.free(); gY.free(); gZ.free()
        g.free(); scaled.free(); dEdG.free(); netDerivatives.free(); netA.free(); netB.free()
        radialPartials.free(); radialValues.free(); radialExp.free(); listCount.free(); lIndex.free()
        lX.free(); lY.free(); lZ.free(); lR.free(); lInvR.free(); lFc.free(); lDfc.free()
        lAcc.free(); exA.free(); exB.free()
        cand.free(); lanes.free(); powerLanes.free(); termTable.free(); termIndex.free(); segCount.free(); tripletK.free(); tripletData.free()
    }
}

/// A manually managed array that only grows.
struct Growable<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var capacity: Int

    init() { capacity = 16; base = .allocate(capacity: 16) }

    /// Makes room for `n` elements; old contents are kept when `keep` is true.
    @inline(__always) mutating func reserve(_ n: Int, keep: Int = 0) {
        if n <= capacity { return }
        grow(n, keep: keep)
    }

    @inline(never) private mutating func grow(_ n: Int, keep: Int) {
        let newCapacity = Swift.max(n, capacity * 2)
        let p = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        if keep > 0 { p.moveInitialize(from: base, count: keep) }
        base.deallocate()
        base = p; capacity = newCapacity
    }

    func free() { base.deallocate() }
}
