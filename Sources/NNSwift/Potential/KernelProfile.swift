import Foundation

/// Where an evaluation spends its time (thread CPU seconds summed over threads) and how much work it
/// does, filled when `EvaluationOptions.profile` is set (`nnswift bench --profile`).
/// Floating-point operations are counted per work item from the kernel's code (a multiply,
/// add, compare-select or FMA counts one; exp ≈ 30, as `fastExp`), so they estimate the
/// arithmetic the kernel issues, padding lanes included.
public struct KernelProfile: Sendable {
    public static let sections = ["sort + cutoff functions", "radial forward", "angular forward",
                                  "scaling + network", "radial adjoint", "angular adjoint", "force scatter"]
    /// Seconds per section, in the order of `sections`.
    public var seconds = [Double](repeating: 0, count: KernelProfile.sections.count)
    /// Floating-point operations per section (estimated, see above).
    public var flops = [Double](repeating: 0, count: KernelProfile.sections.count)
    /// Work items: neighbor pairs, angular triplets (lanes, padded) and triplet × term products.
    public var pairs = 0, triplets = 0, tripletTerms = 0

    public init() {}

    public static func + (a: KernelProfile, b: KernelProfile) -> KernelProfile {
        var r = a
        for i in r.seconds.indices { r.seconds[i] += b.seconds[i]; r.flops[i] += b.flops[i] }
        r.pairs += b.pairs; r.triplets += b.triplets; r.tripletTerms += b.tripletTerms
        return r
    }
}

/// The clock of profiled sections: CPU time of the calling thread in nanoseconds (other load on
/// the machine does not count; a system call, about 0.1-0.2 us).
@inline(__always) func profileClock() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
}

extension Workspace {
    /// Ends profiled section `section` (adds the CPU time since the previous mark); nothing unless profiling.
    @inline(__always) func mark(_ section: Int) {
        if profile != nil {
            let t = profileClock()
            profile!.seconds[section] += Double(t &- clock) * 1e-9
            clock = t
        }
    }
}
