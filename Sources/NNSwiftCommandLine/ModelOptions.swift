import ArgumentParser
import NNSwift

/// `--length-unit`/`--energy-unit`: units given to an n2p2 potential that declares none.
public struct ModelUnitOptions: ParsableArguments {
    @Option(help: "Length unit of an n2p2 potential that declares none (angstrom, bohr, nm); an error if the model declares another.")
    public var lengthUnit: String?

    @Option(help: "Energy unit of an n2p2 potential that declares none (eV, hartree, kcal/mol, kJ/mol, Ry); an error if the model declares another.")
    public var energyUnit: String?

    public init() {}

    /// Loads the model at `path` (native .json or n2p2 directory) with these units.
    public func load(_ path: String) throws -> Model {
        try ModelLoader.load(path: path, units: try Units(parsingLength: lengthUnit, energy: energyUnit))
    }
}

/// The model argument of the commands that load a model, with its units.
public struct ModelOptions: ParsableArguments {
    @Argument(help: "Model: a native .json file or an n2p2 potential directory.")
    public var model: String

    @OptionGroup public var units: ModelUnitOptions

    public init() {}

    public func load() throws -> Model {
        try units.load(model)
    }

    /// The potential, and the conversions between its units and the structure files'.
    public func loadPotential(structureUnits: StructureUnitOptions) throws -> (potential: Potential, units: StructureUnits) {
        let potential = try Potential(model: try load())
        return (potential, try structureUnits.conversion(model: potential.model.units))
    }
}
