import NNSwift

/// Conversions from the command line's physical units (GPa, K) to a model's energy and length units.
public enum PhysicalUnits {
    /// 1 eV/Å³ in GPa.
    public static let gpaPerEVPerCubicAngstrom = 160.21766208
    /// Boltzmann constant in eV/K.
    public static let boltzmannEV = 8.617333262e-5

    /// A pressure in GPa in the model's energy/length³.
    public static func pressure(gigapascal p: Double, units: Units) throws -> Double {
        let e = try Units.energyFactor(from: "eV", to: units.energy)
        let l = try Units.lengthFactor(from: "angstrom", to: units.length)
        return p / gpaPerEVPerCubicAngstrom * e / (l * l * l)
    }

    /// kT for a temperature in K, in the model's energy unit.
    public static func thermalEnergy(kelvin t: Double, units: Units) throws -> Double {
        t * boltzmannEV * (try Units.energyFactor(from: "eV", to: units.energy))
    }
}
