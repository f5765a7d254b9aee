import Foundation

/// Runs `body` for every index of 0..<count. `threads`: nil = one work item per index on all
/// cores (Dispatch); n = n workers, worker w taking indices w, w + n, … (1 = serial on the
/// calling thread). Callers write each index's result to its own slot, so results do not depend
/// on the thread count.
func parallelFor(_ count: Int, threads: Int?, _ body: (Int) -> Void) {
    guard let n = threads, n >= 1 else {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
        return
    }
    if n == 1 { for i in 0..<count { body(i) }; return }
    DispatchQueue.concurrentPerform(iterations: n) { t in
        for i in stride(from: t, to: count, by: n) { body(i) }
    }
}
