import Foundation
import NNSwift

/// The process-wide thread count of the compute calls; nil until first set or read, then the
/// environment's default (ThreadCount.fromEnvironment).
private var processThreads: Int?
private let processThreadsLock = NSLock()

/// The thread count compute calls use (an invalid environment default is an error).
func currentThreadCount() throws -> Int {
    processThreadsLock.lock(); defer { processThreadsLock.unlock() }
    if let n = processThreads { return n }
    let n = try ThreadCount.fromEnvironment()
    processThreads = n
    return n
}

@_cdecl("nnswift_set_num_threads")
public func nnswift_set_num_threads(_ n: Int32) -> Int32 {
    guarded {
        let v = try ThreadCount.validated(Int(n), source: "number of threads")
        processThreadsLock.lock(); processThreads = v; processThreadsLock.unlock()
    }
}

@_cdecl("nnswift_get_num_threads")
public func nnswift_get_num_threads(_ n: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded {
        let out = try required(n, "n")
        out.pointee = Int32(try currentThreadCount())
    }
}
