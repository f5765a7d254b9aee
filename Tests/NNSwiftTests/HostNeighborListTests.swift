import XCTest
@testable import NNSwift

/// NeighborList.build(hostCounts:...): an MD host's full list (with a skin, in its own order)
/// against a brute-force pair search, and the rejection of malformed lists.
final class HostNeighborListTests: XCTestCase {
    var rng = SeededRandom(seed: 23)

    /// Calls the builder with Swift arrays standing in for the host's numneigh/firstneigh.
    func build(_ rows: [[Int32]], points: [SIMD3<Double>], cutoff: Double, nullRow: Int? = nil,
               threads: Int = 1) throws -> NeighborList {
        let storage = rows.map { row -> UnsafeMutablePointer<Int32> in
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, row.count))
            p.initialize(from: row, count: row.count)
            return p
        }
        defer { storage.forEach { $0.deallocate() } }
        let counts = rows.map { Int32($0.count) }
        let pointers: [UnsafePointer<Int32>?] = storage.enumerated().map { $0.offset == nullRow ? nil : UnsafePointer($0.element) }
        return try counts.withUnsafeBufferPointer { c in
            try pointers.withUnsafeBufferPointer { r in
                try NeighborList.build(hostCounts: c.baseAddress!, rows: r.baseAddress!, points: points, centers: rows.count, cutoff: cutoff,
                                      threads: threads)
            }
        }
    }

    func testFullListWithSkinGivesTheBruteForcePairs() throws {
        let points = (0..<30).map { _ in rng.vector(0, 6) }
        let centers = 20, cutoff = 2.5, skin = 1.0
        // host rows: every other point within cutoff + skin, in descending index order
        let rows = (0..<centers).map { i in
            (0..<points.count).reversed().filter { j in j != i && length(points[j] - points[i]) < cutoff + skin }.map { Int32($0) }
        }
        let list = try build(rows, points: points, cutoff: cutoff)
        XCTAssertEqual(list.offsets.count, centers + 1)
        for i in 0..<centers {
            let truth = (0..<points.count).filter { j in j != i && length(points[j] - points[i]) < cutoff }
            let got = (list.offsets[i]..<list.offsets[i + 1]).map { Int(list.target[$0]) }
            XCTAssertEqual(got.sorted(), truth, "center \(i)")
            for n in list.offsets[i]..<list.offsets[i + 1] {
                let j = Int(list.target[n])
                XCTAssertEqual(list.vector[n], points[j] - points[i])
                XCTAssertEqual(list.distance[n], length(points[j] - points[i]), accuracy: 1e-14)
            }
        }
    }

    /// Enough centers for several runs per thread: the list (and the first error named) must not
    /// depend on the thread count.
    func testThreadsGiveTheSameListAndTheSameFirstError() throws {
        let points = (0..<600).map { _ in rng.vector(0, 12) }
        let centers = 400, cutoff = 2.0
        let rows = (0..<centers).map { i in
            (0..<points.count).filter { j in j != i && length(points[j] - points[i]) < cutoff + 0.5 }.map { Int32($0) }
        }
        let one = try build(rows, points: points, cutoff: cutoff)
        for threads in [2, 4] {
            let list = try build(rows, points: points, cutoff: cutoff, threads: threads)
            XCTAssertEqual(list.offsets, one.offsets, "\(threads) threads")
            XCTAssertEqual(list.target, one.target, "\(threads) threads")
            XCTAssertEqual(list.vector, one.vector, "\(threads) threads")
            XCTAssertEqual(list.distance, one.distance, "\(threads) threads")
        }
        // errors in two different runs of centers: the earlier center is named
        var bad = rows
        bad[150].append(bad[150][0])
        bad[350].append(Int32(points.count))
        for threads in [1, 2, 4] {
            XCTAssertThrowsError(try build(bad, points: points, cutoff: cutoff, threads: threads)) { error in
                XCTAssertTrue("\(error)".contains("atom 150 lists neighbor \(rows[150][0]) twice"), "\(threads) threads: \(error)")
            }
        }
    }

    func testMalformedListsAreRejectedWithTheAtomAndNeighbor() throws {
        let points: [SIMD3<Double>] = [.zero, SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(5, 5, 5)]
        func message(_ rows: [[Int32]], nullRow: Int? = nil) -> String {
            do { _ = try build(rows, points: points, cutoff: 3, nullRow: nullRow); return "no error" } catch { return "\(error)" }
        }
        // a duplicate beyond the cutoff is rejected too: it is a malformed list either way
        XCTAssertTrue(message([[1, 2], [0, 3, 2, 3]]).contains("atom 1 lists neighbor 3 twice"))
        XCTAssertTrue(message([[1, 2, 1]]).contains("atom 0 lists neighbor 1 twice"))
        XCTAssertTrue(message([[1, 4]]).contains("neighbor 4 of atom 0 is out of range"))
        XCTAssertTrue(message([[1], [-1]]).contains("neighbor -1 of atom 1 is out of range"))
        XCTAssertTrue(message([[1], [0]], nullRow: 1).contains("firstneigh[1] is NULL"))
        // the same neighbor in two different atoms' rows, and a center listing itself, are fine
        XCTAssertEqual(message([[0, 1, 2], [0, 2], [0, 1]]), "no error")
    }
}
