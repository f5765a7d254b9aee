import NNSwift

/// Conversions from the command line's physical units (GPa, K) to a model's energy and length units
/// (through the one unit table, `Units`).
public enum PhysicalUnits {
    /// 1 eV/Å³ in GPa (e·1e21, exact since SI 2019).
    public static let gpaPerEVPerCubicAngstrom = 160.2176634
    /// Boltzmann constant in eV/K (CODATA 2018).
    public static let boltzmannEV = 8.617333262e-5

    /// A pressure in GPa in the model's energy/length³.
    public static func pressure(gigapascal p: Double, units: Units) throws -> Double {
        let e = Units.factor(from: .eV, to: try units.requireEnergy())
        let l = Units.factor(from: .angstrom, to: try units.requireLength())
        return p / gpaPerEVPerCubicAngstrom * e / (l * l * l)
    }

    /// kT for a temperature in K, in the model's energy unit.
    public static func thermalEnergy(kelvin t: Double, units: Units) throws -> Double {
        t * boltzmannEV * Units.factor(from: .eV, to: try units.requireEnergy())
    }
}
