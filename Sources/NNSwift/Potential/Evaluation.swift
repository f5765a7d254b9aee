/// What one evaluation should produce beyond the energy.
public struct EvaluationOptions: Sendable {
    public var forces = true
    public var virial = true
    public var atomVirials = false
    /// Keep each center's unscaled symmetry-function values.
    public var descriptors = false
    /// Threads the centers are split over (1...ThreadCount.maximum); results do not depend on it.
    public var threads = 1
    /// Time the kernel's sections and count its work (`Evaluation.profile`).
    public var profile = false
    public init(forces: Bool = true, virial: Bool = true, atomVirials: Bool = false, descriptors: Bool = false,
                threads: Int = 1, profile: Bool = false) {
        self.forces = forces; self.virial = virial; self.atomVirials = atomVirials; self.descriptors = descriptors
        self.threads = threads; self.profile = profile
    }
    public static let energyOnly = EvaluationOptions(forces: false, virial: false)
}

/// Result of one evaluation, in the model's units.
public struct Evaluation: Sendable {
    /// Sum of the atomic energies of the centers (owned atoms).
    public var energy: Double
    /// Energy of each center atom.
    public var atomEnergies: [Double]
    /// Force on each target atom (-dE/dr); empty when not requested.
    public var forces: [SIMD3<Double>]
    /// W = Σ r ⊗ F over all interactions (LAMMPS convention); stress = -W / V.
    public var virial: Matrix3
    /// Per-atom share of the virial, per target atom.
    public var atomVirials: [Matrix3]
    /// Unscaled symmetry-function values per center (when requested).
    public var descriptors: [[Double]]
    /// Number of (center, function) values outside the training range.
    public var extrapolations: Int
    /// Section timings and work counts (when `EvaluationOptions.profile` is set).
    public var profile: KernelProfile? = nil

    /// Stress tensor (ASE convention, positive = tensile) for a cell of volume `volume`.
    public func stress(volume: Double) -> Matrix3 { (-1 / volume) * virial }
}

extension Evaluation {
    /// Throws `NNSwiftError.numeric` naming the first atom whose energy, force or virial is not
    /// finite: extreme (finite) model parameters or geometries can overflow, and a NaN or an
    /// infinity must never be returned as a result.
    public func checkFinite() throws {
        func finite(_ v: SIMD3<Double>) -> Bool { v.x.isFinite && v.y.isFinite && v.z.isFinite }
        func finite(_ m: Matrix3) -> Bool { m.flat.allSatisfy(\.isFinite) }
        if let i = atomEnergies.firstIndex(where: { !$0.isFinite }) {
            throw NNSwiftError.numeric("energy of atom \(i + 1) is \(atomEnergies[i])")
        }
        guard energy.isFinite else { throw NNSwiftError.numeric("total energy is \(energy) (the sum of the atomic energies overflows)") }
        if let i = forces.firstIndex(where: { !finite($0) }) {
            throw NNSwiftError.numeric("force on atom \(i + 1) is (\(forces[i].x), \(forces[i].y), \(forces[i].z))")
        }
        guard finite(virial) else { throw NNSwiftError.numeric("virial is \(virial.flat)") }
        if let i = atomVirials.firstIndex(where: { !finite($0) }) {
            throw NNSwiftError.numeric("virial of atom \(i + 1) is \(atomVirials[i].flat)")
        }
        for (i, row) in descriptors.enumerated() {
            if let k = row.firstIndex(where: { !$0.isFinite }) {
                throw NNSwiftError.numeric("symmetry function \(k + 1) of atom \(i + 1) is \(row[k])")
            }
        }
    }
}
