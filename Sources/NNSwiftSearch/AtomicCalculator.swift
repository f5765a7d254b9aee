import NNSwift

/// Anything that gives the energy, forces and virial of a structure: a neural-network
/// `Potential`, or an analytic reference such as `LennardJones`.
public protocol AtomicCalculator {
    func calculate(_ structure: Structure) throws -> AtomicCalculation
}

/// Energy, forces (-dE/dr) and virial W = Σ r ⊗ F (stress = -W/V) of one structure.
public struct AtomicCalculation: Sendable {
    public var energy: Double
    public var forces: [SIMD3<Double>]
    public var virial: Matrix3
    public init(energy: Double, forces: [SIMD3<Double>], virial: Matrix3) {
        self.energy = energy; self.forces = forces; self.virial = virial
    }
}

extension Potential: AtomicCalculator {
    public func calculate(_ structure: Structure) throws -> AtomicCalculation {
        let r = try evaluate(structure, options: EvaluationOptions(forces: true, virial: true))
        return AtomicCalculation(energy: r.energy, forces: r.forces, virial: r.virial)
    }
}
