import Foundation

/// A fixed split of the centers into contiguous groups that depends only on the number of
/// centers, never on the thread count: each group accumulates its forces and atom virials in its
/// own buffer, in center order, and the buffers are added to the result in group order, so every
/// thread count gives bit-identical results.
struct CenterGroups {
    /// At most this many groups and at least this many centers per group (smaller systems get
    /// fewer groups). Many groups keep threads busy to the end when one of them is slowed down
    /// (the last group is 1/32 of the work); `GroupRing` keeps their memory independent of it.
    static let maxGroups = 32, minCenters = 12
    let centers: Int
    let count: Int

    init(centers: Int) {
        self.centers = centers
        count = Swift.max(1, Swift.min(CenterGroups.maxGroups, centers / CenterGroups.minCenters))
    }

    func range(_ g: Int) -> Range<Int> { (g * centers / count)..<((g + 1) * centers / count) }
}

/// The per-group force and atom-virial buffers of one evaluation. Group 0 writes straight into
/// the result; group g > 0 into ring slot (g - 1) % slots, and every finished group is added to
/// the result in group order as soon as the groups before it are in. So memory is `slots`
/// buffers (a few per thread) whatever the number of groups, and the additions overlap the work
/// of the other threads. Group g waits for its slot until group g - slots has been added; the
/// lowest unfinished group never waits on a later one, so the ring cannot deadlock.
final class GroupRing: @unchecked Sendable {
    let targetCount: Int
    private let slots: Int
    private let forces: UnsafeMutablePointer<SIMD3<Double>>?, atomVirials: UnsafeMutablePointer<Matrix3>?
    private let slotForces: UnsafeMutablePointer<SIMD3<Double>>?, slotAtomVirials: UnsafeMutablePointer<Matrix3>?
    private let condition = NSCondition()
    private var finished: [Bool]
    private var added = 0      // groups 0..<added are in the result
    private var adding = false // one thread adds at a time

    /// `forces` and `atomVirials`: the result's buffers of `targetCount` entries (nil: not computed).
    init(groups: Int, workers: Int, targetCount: Int,
         forces: UnsafeMutablePointer<SIMD3<Double>>?, atomVirials: UnsafeMutablePointer<Matrix3>?) {
        self.targetCount = targetCount
        slots = Swift.min(groups - 1, 2 * workers)
        self.forces = forces
        self.atomVirials = atomVirials
        slotForces = forces == nil ? nil : .allocate(capacity: slots * targetCount)
        slotAtomVirials = atomVirials == nil ? nil : .allocate(capacity: slots * targetCount)
        finished = [Bool](repeating: false, count: groups)
    }

    deinit { slotForces?.deallocate(); slotAtomVirials?.deallocate() }

    /// The zeroed buffers group `g` accumulates into (the result's own for group 0).
    func buffers(_ g: Int) -> (forces: UnsafeMutablePointer<SIMD3<Double>>?, atomVirials: UnsafeMutablePointer<Matrix3>?) {
        if g == 0 { return (forces, atomVirials) }
        if g > slots {
            condition.lock()
            while added < g - slots + 1 { condition.wait() }
            condition.unlock()
        }
        let offset = ((g - 1) % slots) * targetCount
        let f = slotForces.map { $0 + offset }, v = slotAtomVirials.map { $0 + offset }
        f?.initialize(repeating: .zero, count: targetCount)
        v?.initialize(repeating: .zero, count: targetCount)
        return (f, v)
    }

    /// Marks group `g` finished and adds every finished group whose predecessors are in.
    func finish(_ g: Int) {
        condition.lock()
        defer { condition.unlock() }
        finished[g] = true
        if adding { return }
        adding = true
        while added < finished.count && finished[added] {
            let next = added
            condition.unlock()
            if next > 0 { add(slot: (next - 1) % slots) }
            condition.lock()
            added += 1
            condition.broadcast()
        }
        adding = false
    }

    private func add(slot: Int) {
        let offset = slot * targetCount
        if let forces, let p = slotForces.map({ $0 + offset }) { for t in 0..<targetCount { forces[t] += p[t] } }
        if let atomVirials, let p = slotAtomVirials.map({ $0 + offset }) { for t in 0..<targetCount { atomVirials[t] += p[t] } }
    }
}
