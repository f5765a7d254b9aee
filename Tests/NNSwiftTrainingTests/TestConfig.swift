import NNSwiftTraining

extension TrainingConfig {
    /// The small config of the training tests: in-memory data, `preset` functions on a 5 Å
    /// cutoff (rmin 1 Å), batch 8, no log, no outlier removal; the rest as given.
    static func small(architecture: String, preset: SymmetryFunctionPreset = .radial24, epochs: Int, seed: UInt64,
                      optimizer: OptimizerSettings = OptimizerSettings(name: .adam, learningRate: 3e-3),
                      data: [String] = ["(in memory)"]) -> TrainingConfig {
        var c = TrainingConfig(data: data)
        c.architecture = architecture
        c.symmetryFunctions = SymmetryFunctionSettings(preset: preset, cutoff: 5.0, rmin: 1.0)
        c.epochs = epochs; c.batchSize = 8; c.seed = seed; c.log = nil; c.outlierSigma = nil
        c.optimizer = optimizer
        return c
    }
}
