import Foundation

/// Number of threads an evaluation splits its centers over. Results do not depend on it
/// (see `CenterGroups`), so it only changes the speed.
public enum ThreadCount {
    public static let maximum = 1024

    /// `n` if it is in 1...maximum, else an error naming `source` and the value.
    public static func validated(_ n: Int, source: String = "thread count") throws -> Int {
        guard n >= 1, n <= maximum else {
            throw NNSwiftError.argument("\(source) must be in 1...\(maximum), got \(n)")
        }
        return n
    }

    /// The default: NNSWIFT_NUM_THREADS, else OMP_NUM_THREADS (its first entry, as OpenMP reads
    /// "4,2"), else 1. A set but invalid value is an error naming the variable.
    public static func fromEnvironment() throws -> Int {
        let env = ProcessInfo.processInfo.environment
        for name in ["NNSWIFT_NUM_THREADS", "OMP_NUM_THREADS"] {
            guard let raw = env[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { continue }
            let first = name == "OMP_NUM_THREADS" ? String(raw.split(separator: ",").first ?? "") : raw
            guard let n = Int(first.trimmingCharacters(in: .whitespaces)) else {
                throw NNSwiftError.argument("environment variable \(name)='\(raw)' is not a thread count (1...\(maximum))")
            }
            return try validated(n, source: "environment variable \(name)")
        }
        return 1
    }
}

/// Runs `body(worker, g)` for g in 0..<count on `workers` threads (the caller's included; at
/// most the number of cores run at once), each worker taking the next unclaimed index.
package func parallelFor(_ count: Int, workers: Int, _ body: (Int, Int) -> Void) {
    if workers <= 1 {
        for g in 0..<count { body(0, g) }
        return
    }
    let next = NextIndex()
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        while true {
            let g = next.take()
            if g >= count { return }
            body(w, g)
        }
    }
}

/// Runs `body(i)` for i in 0..<count on `threads` workers (nil: one per core; 1: serially on the
/// calling thread). Callers that write each index's result to its own slot get results that do
/// not depend on the thread count (training's loss, predictions and Kalman blocks).
package func parallelFor(_ count: Int, threads: Int?, _ body: (Int) -> Void) {
    parallelFor(count, workers: threads ?? ProcessInfo.processInfo.activeProcessorCount) { _, i in body(i) }
}

private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int { lock.lock(); defer { lock.unlock() }; let v = value; value += 1; return v }
}

/// Objects kept between evaluations (workspaces of the worker threads), so repeated
/// calls allocate nothing once warm; concurrent evaluations take different ones.
final class ReusePool<T: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [T] = []
    private let make: () -> T

    init(_ make: @escaping () -> T) { self.make = make }

    func take(_ n: Int) -> [T] {
        lock.lock(); defer { lock.unlock() }
        var out: [T] = []
        out.reserveCapacity(n)
        while out.count < n, let w = free.popLast() { out.append(w) }
        while out.count < n { out.append(make()) }
        return out
    }

    func give(_ items: [T]) { lock.lock(); free += items; lock.unlock() }
}

