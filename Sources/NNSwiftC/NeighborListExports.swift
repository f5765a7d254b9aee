import Foundation
import NNSwift

/// What a `nnswift_neighbor_list *` points to: a full list in the layout of LAMMPS's and KIM's
/// (numneigh, firstneigh), in memory of its own so the row pointers stay valid until freed.
final class NeighborRowsHandle {
    let centers: Int
    let counts: UnsafeMutablePointer<Int32>
    let rows: UnsafeMutablePointer<UnsafePointer<Int32>?>
    let indices: UnsafeMutablePointer<Int32>

    init(_ list: NeighborList) {
        centers = list.centerCount
        counts = .allocate(capacity: max(1, centers))
        rows = .allocate(capacity: max(1, centers))
        indices = .allocate(capacity: max(1, list.target.count))
        list.target.withUnsafeBufferPointer { if let b = $0.baseAddress { indices.initialize(from: b, count: $0.count) } }
        for i in 0..<centers {
            counts[i] = Int32(list.offsets[i + 1] - list.offsets[i])
            rows[i] = UnsafePointer(indices + list.offsets[i])
        }
    }

    deinit { counts.deallocate(); rows.deallocate(); indices.deallocate() }
}

/// The lists built and not yet freed, so that rows on a freed list is an error and a second free
/// is ignored (a set lookup per call; an address reused by a newer list cannot be told apart).
private let liveLists = LockedSet()

final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var set = Set<UnsafeRawPointer>()
    func withLock<R>(_ body: (inout Set<UnsafeRawPointer>) -> R) -> R {
        lock.lock(); defer { lock.unlock() }
        return body(&set)
    }
}

@_cdecl("nnswift_neighbor_list_build")
public func nnswift_neighbor_list_build(_ ncenters: Int32, _ npoints: Int32, _ positions: UnsafePointer<Double>?,
                                        _ radius: Double, _ list: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        let out = try required(list, "list")
        out.pointee = nil
        guard ncenters >= 0, npoints >= ncenters else {
            throw NNSwiftError.argument("need 0 <= ncenters <= npoints (got \(ncenters), \(npoints))")
        }
        try NeighborList.checkRadius(radius)
        try GeometryLimits.checkAtomCount(Int(npoints), "points")
        let x = try readPositions(positions, Int(npoints))
        let built = try NeighborList.build(localAndGhost: x, centers: Int(ncenters), cutoff: radius,
                                           threads: try currentThreadCount(), indicesOnly: true)
        let p = Unmanaged.passRetained(NeighborRowsHandle(built)).toOpaque()
        liveLists.withLock { _ = $0.insert(p) }
        out.pointee = OpaquePointer(p)
    }
}

@_cdecl("nnswift_neighbor_list_rows")
public func nnswift_neighbor_list_rows(_ list: OpaquePointer?, _ ncenters: UnsafeMutablePointer<Int32>?,
                                       _ numneigh: UnsafeMutablePointer<UnsafePointer<Int32>?>?,
                                       _ firstneigh: UnsafeMutablePointer<UnsafePointer<UnsafePointer<Int32>?>?>?) -> Int32 {
    guarded {
        guard let list else { throw NNSwiftError.argument("list is NULL") }
        guard liveLists.withLock({ $0.contains(UnsafeRawPointer(list)) }) else {
            throw NNSwiftError.argument("list \(list) is not a list from nnswift_neighbor_list_build (freed already?)")
        }
        let n = try required(ncenters, "ncenters"), num = try required(numneigh, "numneigh")
        let first = try required(firstneigh, "firstneigh")
        let h = Unmanaged<NeighborRowsHandle>.fromOpaque(UnsafeRawPointer(list)).takeUnretainedValue()
        n.pointee = Int32(h.centers)
        num.pointee = UnsafePointer(h.counts)
        first.pointee = UnsafePointer(h.rows)
    }
}

@_cdecl("nnswift_neighbor_list_free")
public func nnswift_neighbor_list_free(_ list: OpaquePointer?) {
    // A pointer not live (freed twice, or never built) is ignored rather than freed again.
    guard let list, liveLists.withLock({ $0.remove(UnsafeRawPointer(list)) != nil }) else { return }
    Unmanaged<NeighborRowsHandle>.fromOpaque(UnsafeRawPointer(list)).release()
}
