/// Scratch memory for evaluating one atom after another; grows to the largest environment
/// seen and is then reused, so an evaluation allocates nothing per atom.
final class Workspace {
    // Neighbors of the current center.
    var vec = Growable<SIMD3<Double>>()
    var dist = Growable<Double>()
    var elem = Growable<Int>()
    var target = Growable<Int>()
    var fc = Growable<Double>()
    var dfc = Growable<Double>()
    // Symmetry functions, their scaled values and dE/dG.
    var g = Growable<Double>()
    var scaled = Growable<Double>()
    var dEdG = Growable<Double>()
    // Network scratch.
    var netDerivatives = Growable<Double>()
    var netA = Growable<Double>()
    var netB = Growable<Double>()
    // Forward-pass partial derivatives, replayed by the adjoint pass.
    var radialPartials = Growable<Double>()
    var triplets = Growable<Triplet>()
    var angularPartials = Growable<SIMD4<Double>>()
    var expValues = Growable<Double>()

    /// An angular interaction j–i–k evaluated for one block.
    struct Triplet { var j: Int32; var k: Int32; var block: Int32; var cos: Double; var rjk: Double }

    deinit {
        vec.free(); dist.free(); elem.free(); target.free(); fc.free(); dfc.free()
        g.free(); scaled.free(); dEdG.free(); netDerivatives.free(); netA.free(); netB.free()
        radialPartials.free(); triplets.free(); angularPartials.free(); expValues.free()
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
