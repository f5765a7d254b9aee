import Foundation

/// The Ziegler–Biersack–Littmark universal screened nuclear repulsion with LAMMPS's switching,
/// exactly as LAMMPS `pair_style zbl inner outer`:
///   E(r) = Zi Zj e²/(4πε0) / r · Σ_k c_k exp(−d_k r / a),  a = 0.46850 Å / (Zi^0.23 + Zj^0.23),
/// plus S(r) = C for r ≤ inner and C + A/3 t³ + B/4 t⁴ (t = r − inner) beyond, with A, B, C chosen
/// so that E, E′ and E″ vanish at `outer`. The constants are in eV and Å; a model in other units
/// gets them converted through `Units`.
struct ZBLPair: Sendable {
    /// e²/(4πε0) in eV·Å: LAMMPS's qqr2e in metal units.
    static let coulomb = 14.399645
    /// Screening length numerator (Å) and exponent of Z.
    static let screeningLength = 0.46850, screeningExponent = 0.23
    /// The universal screening function: Σ c_k exp(−d_k r/a).
    static let c = SIMD4<Double>(0.02817, 0.28022, 0.50986, 0.18175)
    static let d = SIMD4<Double>(0.20162, 0.40290, 0.94229, 3.19980)

    /// Zi Zj e²/(4πε0) in model energy × length.
    let zze: Double
    /// d_k / a in 1 / model length.
    let decay: SIMD4<Double>
    let inner: Double, outer: Double
    /// Switching coefficients A, B, C (LAMMPS's sw1, sw2, sw5).
    private(set) var swA = 0.0, swB = 0.0, swC = 0.0

    init(zi: Int, zj: Int, inner: Double, outer: Double, length: LengthUnit, energy: EnergyUnit) {
        let perAngstrom = Units.factor(from: .angstrom, to: length)
        let a = ZBLPair.screeningLength * perAngstrom
            / (pow(Double(zi), ZBLPair.screeningExponent) + pow(Double(zj), ZBLPair.screeningExponent))
        decay = ZBLPair.d / a
        zze = Double(zi) * Double(zj) * ZBLPair.coulomb * Units.factor(from: .eV, to: energy) * perAngstrom
        self.inner = inner; self.outer = outer
        let tc = outer - inner
        let (fc, fcp, fcpp) = screened(outer)
        swA = (-3 * fcp + tc * fcpp) / (tc * tc)
        swB = (2 * fcp - tc * fcpp) / (tc * tc * tc)
        swC = -fc + tc / 2 * fcp - tc * tc / 12 * fcpp
    }

    /// c_k exp(−d_k r/a) for the four terms.
    @inline(__always)
    func terms(_ r: Double) -> SIMD4<Double> {
        ZBLPair.c * SIMD4(exp(-decay[0] * r), exp(-decay[1] * r), exp(-decay[2] * r), exp(-decay[3] * r))
    }

    /// The unswitched ZBL energy and its first two derivatives at r.
    func screened(_ r: Double) -> (Double, Double, Double) {
        let e = terms(r)
        let s = e.sum(), s1 = -(e * decay).sum(), s2 = (e * decay * decay).sum()
        let inv = 1 / r
        return (zze * s * inv, zze * (s1 - s * inv) * inv, zze * (s2 - 2 * s1 * inv + 2 * s * inv * inv) * inv)
    }

    /// Energy and dE/dr at r < outer, switching included.
    @inline(__always)
    func energy(_ r: Double) -> (energy: Double, derivative: Double) {
        let e = terms(r)
        let s = e.sum(), s1 = -(e * decay).sum()
        let inv = 1 / r
        var energy = zze * s * inv + swC
        var derivative = zze * (s1 - s * inv) * inv
        if r > inner {
            let t = r - inner
            energy += t * t * t * (swA / 3 + swB / 4 * t)
            derivative += t * t * (swA + swB * t)
        }
        return (energy, derivative)
    }
}

/// The pair baseline of a model, compiled: one ZBL pair per species pair, and the pass over one
/// center's neighbors that the evaluation adds to the network's.
final class PairBaselineKernel: @unchecked Sendable {
    let outer: Double
    let nSpecies: Int
    /// pairs[si * nSpecies + sj].
    let pairs: [ZBLPair]

    /// The model must have passed `validate()` (declared units, elements with atomic numbers).
    init(baseline: PairBaseline, elements: [String], units: Units) throws {
        let length = try units.requireLength(), energy = try units.requireEnergy()
        let z = try elements.map { e -> Int in
            guard let z = PeriodicTable.atomicNumber(e) else { throw NNSwiftError.argument("pairBaseline: element '\(e)' has no atomic number") }
            return z
        }
        outer = baseline.outer
        nSpecies = elements.count
        pairs = z.flatMap { zi in z.map { zj in ZBLPair(zi: zi, zj: zj, inner: baseline.inner, outer: baseline.outer, length: length, energy: energy) } }
    }

    /// Adds center i's half of each pair within `outer` (energy returned; forces and virial into
    /// `sink` when `gradient`): over a full neighbor list every pair is counted once in total, and
    /// each atom's energy gets half of each of its pairs (LAMMPS's per-atom split).
    @inline(__always)
    func addCenter(_ i: Int, neighbors range: Range<Int>, species: UnsafePointer<Int>, target: UnsafePointer<Int32>,
                   vector: UnsafePointer<SIMD3<Double>>, distance: UnsafePointer<Double>,
                   gradient: Bool, sink: inout AtomSink) -> Double {
        let row = species[i] * nSpecies
        var energy = 0.0
        for n in range {
            let r = distance[n]
            guard r < outer else { continue }
            let t = Int(target[n])
            let (e, de) = pairs[row + species[t]].energy(r)
            energy += 0.5 * e
            if gradient { sink.bond(target: t, d: vector[n], gradient: (0.5 * de / r) * vector[n]) }
        }
        return energy
    }
}

extension PairBaseline {
    /// Energy, forces and virial of the baseline alone (units: the structure's, which must be
    /// `units`): training subtracts them from the reference targets. Atom energies, forces and
    /// virial as `Potential.evaluate` adds them to the network's.
    public func evaluate(_ s: Structure, units: Units) throws -> Evaluation {
        try validateRadii()
        let elements = PeriodicTable.sortedByAtomicNumber(Array(Set(s.elements)))
        let kernel = try PairBaselineKernel(baseline: self, elements: elements, units: units)
        var index: [String: Int] = [:]
        for (i, e) in elements.enumerated() { index[e] = i }
        let species = s.elements.map { index[$0] ?? 0 }
        let list = try NeighborList.build(positions: s.positions, cell: s.cell, pbc: s.pbc, cutoff: outer)
        var atomEnergies = [Double](repeating: 0, count: s.count)
        var forces = [SIMD3<Double>](repeating: .zero, count: s.count)
        var virial = Matrix3.zero
        let n = list.target.count
        let target = n > 0 ? list.target : [0], vector = n > 0 ? list.vector : [.zero], distance = n > 0 ? list.distance : [0]
        species.withUnsafeBufferPointer { sp in
            target.withUnsafeBufferPointer { tg in
                vector.withUnsafeBufferPointer { vc in
                    distance.withUnsafeBufferPointer { ds in
                        forces.withUnsafeMutableBufferPointer { f in
                            for i in 0..<s.count {
                                var sink = AtomSink(forces: f.baseAddress, atomVirials: nil, center: i)
                                atomEnergies[i] = kernel.addCenter(
                                    i, neighbors: list.offsets[i]..<list.offsets[i + 1], species: sp.baseAddress!,
                                    target: tg.baseAddress!, vector: vc.baseAddress!, distance: ds.baseAddress!, gradient: true, sink: &sink)
                                virial = virial + Matrix3(sink.virial.0, sink.virial.1, sink.virial.2)
                            }
                        }
                    }
                }
            }
        }
        let result = Evaluation(energy: atomEnergies.reduce(0, +), atomEnergies: atomEnergies, forces: forces, virial: virial,
                                atomVirials: [], descriptors: [], extrapolations: 0)
        try result.checkFinite()
        return result
    }
}
