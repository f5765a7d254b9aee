import NNSwift
import Foundation
import NNSwiftOptimize

/// Settings of basin hopping and random-restart searches.
public struct ClusterSearchOptions {
    /// Basin-hopping steps per run (0: only minimize the starting structure).
    public var hops: Int = 200
    /// Independent runs; run 0 starts from the given structure if any, the others (or all)
    /// from random compact clusters.
    public var restarts: Int = 1
    /// Metropolis temperature as kT, in energy units.
    public var kT: Double = 1
    /// Largest displacement of each coordinate in a hop (uniform in ±stepSize); adapted every
    /// 10 hops toward 50 % acceptance (×0.9 or ÷0.9) unless `adaptStep` is false.
    public var stepSize: Double = 0.4
    public var adaptStep = true
    /// Typical nearest-neighbor distance: sizes random clusters and the confinement sphere.
    public var bondLength: Double = 1.12
    /// Atoms farther than this from the centroid after a hop are pulled back onto this sphere
    /// (default: random-cluster radius + 1.5 bond lengths).
    public var confinementRadius: Double?
    /// Stop a run once a minimum at or below this energy is found.
    public var targetEnergy: Double?
    public var keep: Int = 5
    public var energyTolerance: Double = 1e-4
    public var fingerprintTolerance: Double = 0.02
    public var seed: UInt64 = 1
    /// Local minimization at every hop (L-BFGS).
    public var local = MinimizationOptions(fmax: 1e-4, maxSteps: 2000)
    /// Runs at the same time (results do not depend on it).
    public var parallelRuns: Int = 1

    public init() {}
}

/// What one basin-hopping run did.
public struct BasinHoppingRun: Sendable {
    public var minima: MinimaCollection
    public var accepted: Int
    public var hops: Int
    public var evaluations: Int
}

/// Basin hopping (Wales & Doye, J. Phys. Chem. A 101, 5111 (1997)): displace every atom at
/// random, minimize locally (L-BFGS), accept the new minimum with the Metropolis probability
/// min(1, exp(−ΔE/kT)), repeat. Coordinates are x1 y1 z1 x2 ... of a free cluster.
public struct BasinHopping {
    public var options: ClusterSearchOptions
    public init(options: ClusterSearchOptions) { self.options = options }

    /// One run from `start`, recording every local minimum. `run` labels the minima.
    public func run(_ surface: EnergySurface, from start: [Double], atoms: Int, run: Int = 0,
                    using rng: inout SeededGenerator, progress: ((String) -> Void)? = nil) throws -> BasinHoppingRun {
        let minimizer = LBFGS(options: options.local)
        var minima = MinimaCollection(keep: options.keep, energyTolerance: options.energyTolerance,
                                      fingerprintTolerance: options.fingerprintTolerance)
        let confine = options.confinementRadius
            ?? RandomCluster.radius(atoms: atoms, bondLength: options.bondLength) + 1.5 * options.bondLength
        var r = try minimizer.minimize(surface, from: start)
        var evaluations = r.evaluations
        func record(_ r: MinimizationResult, hop: Int) {
            minima.insert(FoundMinimum(x: r.x, energy: r.energy, fmax: r.fmax, converged: r.converged,
                                       fingerprint: StructureFingerprint(coordinates: r.x, atoms: atoms), run: run, hop: hop))
        }
        record(r, hop: 0)
        var current = r
        var step = options.stepSize
        var accepted = 0, recent = 0
        var hop = 0
        while hop < options.hops {
            if let t = options.targetEnergy, minima.lowest.map({ $0.energy <= t }) == true { break }
            hop += 1
            var x = current.x
            for i in 0..<(3 * atoms) { x[i] += rng.uniform(-step, step) }
            Self.confine(&x, atoms: atoms, radius: confine)
            do {
                r = try minimizer.minimize(surface, from: x)
            } catch let NNSwiftError.geometry(reason) {
                // A hop whose relaxation collapses atoms onto each other is rejected, not fatal.
                progress?("run \(run) hop \(hop): rejected (\(reason))")
                continue
            }
            evaluations += r.evaluations
            record(r, hop: hop)
            let dE = r.energy - current.energy
            let u = rng.unit()
            if r.energy.isFinite && (dE <= 0 || u < exp(-dE / options.kT)) {
                current = r; accepted += 1; recent += 1
            }
            if options.adaptStep && hop % 10 == 0 {
                step *= Double(recent) / 10 > 0.5 ? 1 / 0.9 : 0.9
                recent = 0
            }
            progress?(String(format: "run %d hop %d: E = %.8f  current %.8f  lowest %.8f  step %.3f",
                             run, hop, r.energy, current.energy, minima.lowest?.energy ?? .nan, step))
        }
        return BasinHoppingRun(minima: minima, accepted: accepted, hops: hop, evaluations: evaluations)
    }

    /// Re-centres the atoms and pulls any atom beyond `radius` from the centroid back onto the sphere.
    static func confine(_ x: inout [Double], atoms: Int, radius: Double) {
        var c = SIMD3<Double>.zero
        for i in 0..<atoms { c += SIMD3(x[3 * i], x[3 * i + 1], x[3 * i + 2]) }
        c /= Double(atoms)
        for i in 0..<atoms {
            var p = SIMD3(x[3 * i], x[3 * i + 1], x[3 * i + 2]) - c
            let r = (p * p).sum().squareRoot()
            if r > radius { p *= radius / r }
            x[3 * i] = p.x; x[3 * i + 1] = p.y; x[3 * i + 2] = p.z
        }
    }
}
