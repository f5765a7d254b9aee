import ArgumentParser
import Foundation
import NNSwift
import NNSwiftCommandLine

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time energy + forces + virial: microseconds per atom, CPU time and peak memory.")

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "Structure file (the first structure is used).")
    var structure: String

    @OptionGroup var structureOptions: StructureOptions

    @OptionGroup var unitOptions: StructureUnitOptions

    @Option(help: "Number of timed evaluations.")
    var repeats = 5

    @Option(help: "Threads the atoms are split over (1-1024; results do not depend on it).")
    var threads = 1

    @Flag(help: "After the timed runs, one profiled run: CPU time per kernel section, estimated floating-point operations and GFLOP/s.")
    var profile = false

    func run() throws {
        try reportingErrors {
            let (potential, units) = try modelOptions.loadPotential(structureUnits: unitOptions)
            let (s, origin) = try structureOptions.reader.first(structure, units: units)
            let options = EvaluationOptions(threads: try ThreadCount.validated(threads, source: "--threads"))
            do { _ = try potential.evaluate(s, options: options) } catch { throw origin.locating(error) }  // warm-up
            var times: [Double] = [], cpuTimes: [Double] = [], neighborTimes: [Double] = []
            for _ in 0..<max(1, repeats) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try NeighborList.build(positions: s.positions, cell: s.cell, pbc: s.pbc, cutoff: potential.cutoff, threads: options.threads)
                let t1 = DispatchTime.now().uptimeNanoseconds, c1 = processCPUTime()
                _ = try potential.evaluate(s, options: options)
                let t2 = DispatchTime.now().uptimeNanoseconds, c2 = processCPUTime()
                neighborTimes.append(Double(t1 - t0) * 1e-9)
                times.append(Double(t2 - t1) * 1e-9)
                cpuTimes.append(c2 - c1)
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let best = times.min()!, median = times.sorted()[times.count / 2]
            let n = Double(s.count)
            print("atoms: \(s.count)  repeats: \(times.count)  threads: \(threads)")
            print(String(format: "energy+forces+virial: best %.3f s, median %.3f s  ->  %.2f us/atom (best), %.2f us/atom (median)",
                         best, median, best / n * 1e6, median / n * 1e6))
            print(String(format: "  CPU time of all threads (insensitive to other load): %.2f us/atom (best)", cpuTimes.min()! / n * 1e6))
            print(String(format: "  of which neighbor list: %.2f us/atom", neighborTimes.min()! / n * 1e6))
            print(String(format: "peak memory (max RSS): %.1f MB", Double(usage.ru_maxrss) / 1024))
            if profile {
                var p = options
                p.profile = true
                let t0 = processCPUTime()
                _ = try NeighborList.build(positions: s.positions, cell: s.cell, pbc: s.pbc, cutoff: potential.cutoff, threads: options.threads)
                let tn = processCPUTime() - t0
                guard let prof = try potential.evaluate(s, options: p).profile else { return }
                print("profile (one run; thread CPU time summed over threads; FLOP estimated per work item, FMA = 2):")
                print("  section                     us/atom      %    MFLOP/atom   GFLOP/s")
                let total = prof.seconds.reduce(0, +) + tn, flops = prof.flops.reduce(0, +)
                func pad(_ s: String) -> String { s.padding(toLength: 24, withPad: " ", startingAt: 0) }
                print("  " + pad("neighbor list") + String(format: " %10.2f %6.1f", tn / n * 1e6, 100 * tn / total) + "            -         -")
                for (i, name) in KernelProfile.sections.enumerated() {
                    let sec = prof.seconds[i], fl = prof.flops[i]
                    print("  " + pad(name) + String(format: " %10.2f %6.1f %12.4f %9.2f", sec / n * 1e6, 100 * sec / total,
                                                   fl / n * 1e-6, sec > 0 ? fl / sec * 1e-9 : 0))
                }
                print("  " + pad("total") + String(format: " %10.2f %6.1f %12.4f %9.2f", total / n * 1e6, 100.0,
                                                flops / n * 1e-6, flops / total * 1e-9))
                print(String(format: "  work per atom: %.1f neighbor pairs, %.1f angular triplet lanes, %.1f triplet-term products",
                             Double(prof.pairs) / n, Double(prof.triplets) / n, Double(prof.tripletTerms) / n))
                print("  (profiled times include 7 clock reads per atom, about 1 us per atom)")
            }
        }
    }
}

/// CPU time of the whole process (every thread) in seconds.
func processCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
}
