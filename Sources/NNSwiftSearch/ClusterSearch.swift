import NNSwift
import Foundation
import NNSwiftOptimize

/// Global minimum search for a free cluster of N atoms: `restarts` independent basin-hopping
/// runs, each from a random compact cluster (run 0 from `start` when given), `hops` hops each
/// (hops = 0: plain random restarts). Each run has its own random stream derived from the
/// seed, so the result is deterministic and independent of `parallelRuns`.
public struct ClusterSearch {
    public var options: ClusterSearchOptions
    public init(options: ClusterSearchOptions) { self.options = options }

    public struct Result: Sendable {
        public var minima: MinimaCollection
        public var runs: [BasinHoppingRun]
        public var evaluations: Int { runs.reduce(0) { $0 + $1.evaluations } }
    }

    /// `makeSurface` gives a fresh surface per run (surfaces may cache and need not be thread-safe).
    public func run(atoms: Int, start: [Double]? = nil, makeSurface: @escaping () throws -> EnergySurface,
                    progress: ((String) -> Void)? = nil) throws -> Result {
        let n = max(1, options.restarts)
        var results = [Swift.Result<BasinHoppingRun, Error>?](repeating: nil, count: n)
        let lock = NSLock()
        let hopper = BasinHopping(options: options)
        let opts = options
        let body: (Int) -> Void = { k in
            let outcome = Swift.Result<BasinHoppingRun, Error> {
                var rng = SeededGenerator.stream(seed: opts.seed, index: k)
                let x0: [Double]
                if k == 0, let start { x0 = start } else {
                    x0 = FlatCoordinates.flatten(RandomCluster.positions(atoms: atoms, bondLength: opts.bondLength, using: &rng))
                }
                let surface = try makeSurface()
                let r = try hopper.run(surface, from: x0, atoms: atoms, run: k, using: &rng, progress: progress.map { p in
                    { line in lock.lock(); p(line); lock.unlock() }
                })
                if let p = progress {
                    lock.lock()
                    p(String(format: "run %d done: %d hops, %d accepted, lowest E = %.8f", k, r.hops, r.accepted, r.minima.lowest?.energy ?? .nan))
                    lock.unlock()
                }
                return r
            }
            lock.lock(); results[k] = outcome; lock.unlock()
        }
        if options.parallelRuns > 1 {
            let workers = min(options.parallelRuns, n)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for k in stride(from: w, to: n, by: workers) { body(k) }
            }
        } else {
            for k in 0..<n { body(k) }
        }
        var all = MinimaCollection(keep: options.keep, energyTolerance: options.energyTolerance,
                                   fingerprintTolerance: options.fingerprintTolerance)
        var runs: [BasinHoppingRun] = []
        for r in results {
            let run = try r!.get()
            all.merge(run.minima)
            runs.append(run)
        }
        return Result(minima: all, runs: runs)
    }
}
