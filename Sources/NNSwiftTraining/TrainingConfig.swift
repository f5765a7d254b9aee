import Foundation
import NNSwift

/// One explicitly listed symmetry function in a training config.
public struct SymmetryFunctionEntry: Codable, Equatable, Sendable {
    /// Central element; nil = every element.
    public var element: String?
    public var type: SymmetryFunctionKind
    public var neighbors: [String]
    public var eta: Double?, rs: Double?, kappa: Double?, lambda: Double?, zeta: Double?
    public var cutoff: Double
    /// n2p2 cutoff name (cos, poly2, ...); default cos (the paper's).
    public var cutoffType: String?
    public var alpha: Double?

    public func function() throws -> SymmetryFunction {
        guard let kind = CutoffKind(name: cutoffType ?? "cos") else {
            throw NNSwiftError.argument("config: symmetryFunctions.functions: cutoffType '\(cutoffType ?? "")' is not one of \(CutoffKind.allCases.map(\.name).joined(separator: ", "))")
        }
        return SymmetryFunction(kind: type, neighbors: neighbors, eta: eta ?? 0, rs: rs ?? 0, kappa: kappa ?? 0,
                                lambda: lambda ?? 1, zeta: zeta ?? 1,
                                cutoff: CutoffFunction(kind: kind, radius: cutoff, alpha: alpha ?? 0))
    }
}

/// Symmetry functions: a generated preset, an automatic grid or an explicit list.
public struct SymmetryFunctionSettings: Codable, Equatable, Sendable {
    public var preset: SymmetryFunctionPreset?
    public var cutoff: Double?
    /// Inner end of the radial grids of the presets (Angstrom).
    public var rmin: Double?
    public var functions: [SymmetryFunctionEntry]?
    /// Automatic grid for any elements (see `SymmetryFunctionGrid`).
    public var grid: SymmetryFunctionGrid?

    public init(preset: SymmetryFunctionPreset? = .radial24, cutoff: Double? = 6.0, rmin: Double? = 2.0,
                functions: [SymmetryFunctionEntry]? = nil, grid: SymmetryFunctionGrid? = nil) {
        self.preset = preset; self.cutoff = cutoff; self.rmin = rmin; self.functions = functions; self.grid = grid
    }

    /// Settings with only an automatic grid.
    public static func automatic(_ grid: SymmetryFunctionGrid) -> SymmetryFunctionSettings {
        SymmetryFunctionSettings(preset: nil, cutoff: nil, rmin: nil, functions: nil, grid: grid)
    }

    /// The functions of each element (model element order).
    public func resolve(elements: [String]) throws -> [[SymmetryFunction]] {
        if grid != nil, preset != nil || functions?.isEmpty == false {
            throw NNSwiftError.argument("config: symmetryFunctions has a grid and a \(preset != nil ? "preset" : "functions list"); give only one")
        }
        if let list = functions, !list.isEmpty {
            for (i, f) in list.enumerated() {
                for n in f.neighbors + (f.element.map { [$0] } ?? []) where !elements.contains(n) {
                    throw NNSwiftError.argument("config: symmetryFunctions.functions[\(i)]: element '\(n)' (element or neighbors) is not in the training data (\(elements.joined(separator: ", ")))")
                }
            }
            return try elements.map { e in try list.filter { $0.element == nil || $0.element == e }.map { try $0.function() } }
        }
        if let grid { return try grid.functions(elements: elements) }
        let p = preset ?? .radial24
        let rc = cutoff ?? 6.0, r0 = rmin ?? 2.0
        guard rc.isFinite, rc > 1 else { throw NNSwiftError.argument("config: symmetryFunctions.cutoff = \(rc): must be a number > 1") }
        guard r0 >= 0, r0 + 1 < rc else {
            throw NNSwiftError.argument("config: symmetryFunctions.rmin = \(r0): the presets need 0 <= rmin < cutoff - 1 (cutoff \(rc))")
        }
        return elements.map { _ in p.functions(elements: elements, cutoff: rc, rmin: r0) }
    }
}

/// Learning-rate factors of the trained symmetry-function parameters (relative to the
/// optimizer's learning rate; they act on the unconstrained forms log η, R_s, κ, softplus⁻¹(ζ − 1)).
/// In the config: one number for all, or an object with any of `eta`, `rs`, `kappa`, `zeta`.
public struct FunctionLearningRates: Codable, Equatable, Sendable {
    public var eta: Double, rs: Double, kappa: Double, zeta: Double
    public init(_ all: Double = 1) { eta = all; rs = all; kappa = all; zeta = all }
    public init(from decoder: Decoder) throws {
        if let one = try? decoder.singleValueContainer().decode(Double.self) { self.init(one); return }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        eta = try c.decodeIfPresent(Double.self, forKey: .eta) ?? 1
        rs = try c.decodeIfPresent(Double.self, forKey: .rs) ?? 1
        kappa = try c.decodeIfPresent(Double.self, forKey: .kappa) ?? 1
        zeta = try c.decodeIfPresent(Double.self, forKey: .zeta) ?? 1
    }
    public func factor(_ k: FunctionParameterKind) -> Double {
        switch k { case .eta: eta; case .rs: rs; case .kappa: kappa; case .zeta: zeta }
    }
}

/// Which weights a training run keeps (config `selection`).
public enum ModelSelection: String, Codable, CaseIterable, Sendable {
    /// The epoch with the lowest validation loss (training loss without a validation set);
    /// the reported validation error is then optimistic.
    case validation
    /// The last epoch: the validation set is not used for any choice.
    case final
}

/// Everything `nnswift train` reads from its JSON config. Relative paths are relative to the
/// config file's directory. See docs/training.md.
public struct TrainingConfig: Codable, Sendable {
    public var data: [String]
    public var format: String?
    public var validationFraction: Double
    /// Remove configurations more than this many standard deviations above the mean energy per
    /// atom of their group; null or <= 0 keeps everything.
    public var outlierSigma: Double?
    public var outlierGrouping: Dataset.OutlierGrouping
    public var architecture: String
    public var symmetryFunctions: SymmetryFunctionSettings
    public var scaling: ScalingMode
    public var optimizer: OptimizerSettings
    public var batchSize: Int
    public var epochs: Int
    public var forceWeight: Double
    /// Fraction of each structure's atoms whose forces enter the loss per epoch (`ForceSubsampling`); 1 = all.
    public var forceFraction: Double
    /// Weight of the stress term (Voigt components, energy/length³, ASE sign); 0 = not trained.
    public var stressWeight: Double
    /// Memory for stored descriptor derivatives (∂G/∂r, ∂G/∂ε) in GB (10⁹ bytes); structures
    /// beyond it have them recomputed per batch (`DerivativeBudget`).
    public var derivativeMemoryGB: Double
    /// Stop after this many epochs without a lower validation loss; 0 = never.
    public var patience: Int
    public var seed: UInt64
    public var output: String
    public var log: String?
    public var checkpoint: String?
    public var checkpointEvery: Int
    public var units: Units
    /// Fixed per-element reference energies (element → energy in the model's energy unit), used
    /// exactly as given (n2p2's `atom_energy`); elements not listed are fitted by least squares.
    public var atomEnergies: [String: Double]
    /// Train η, R_s, κ, ζ of the symmetry functions together with the weights.
    public var trainSymmetryFunctions: Bool
    public var symmetryFunctionLearningRate: FunctionLearningRates
    /// Path stems of the SVG plots (`<stem>-energy.svg`, `<stem>-forces.svg`); nil = none.
    /// Default: beside the model, `<model>-learning` and `<model>-parity`.
    public var learningCurves: String?
    public var parityPlots: String?
    /// CSV of the trained function parameters (initial, final, relative change); default
    /// `<model>-symmetry-functions.csv` when they are trained.
    public var symmetryFunctionReport: String?
    /// Target normalization (n2p2's nnp-norm or aenet's [−1, 1] range), stored in the model.
    public var energyNormalization: EnergyNormalizationMode
    /// Which weights are kept: those of the best validation epoch, or those of the last epoch.
    public var selection: ModelSelection
    /// Seed of the training/validation split; nil = `seed` (so several seeds can share one split).
    public var splitSeed: UInt64?
    /// Repulsive pair baseline (ZBL) under the network: subtracted from the targets at load,
    /// written into the model (`inner`, `outer` in the model's length unit); nil = none.
    public var pairBaseline: PairBaseline?
    /// Per-structure loss weights by extended-XYZ info values (`StructureWeightRule`); empty = all 1.
    public var structureWeights: [StructureWeightRule]
    /// Decay of the parameters' exponential moving average per optimizer step
    /// (`ParameterAverage`); 0 = none. Mini-batch optimizers only.
    public var emaDecay: Double

    public init(data: [String]) {
        self.data = data
        format = nil; validationFraction = 0.1; outlierSigma = 2; outlierGrouping = .composition
        architecture = "30t-30t"; symmetryFunctions = SymmetryFunctionSettings(); scaling = .scaleSigma
        optimizer = OptimizerSettings(); batchSize = 32; epochs = 100; forceWeight = 1; patience = 0; seed = 1
        forceFraction = 1; stressWeight = 0; derivativeMemoryGB = 2
        output = "model.json"; log = "training.csv"; checkpoint = nil; checkpointEvery = 10; units = .metal; atomEnergies = [:]
        trainSymmetryFunctions = false; symmetryFunctionLearningRate = FunctionLearningRates()
        learningCurves = Self.stem("model.json") + "-learning"; parityPlots = Self.stem("model.json") + "-parity"
        symmetryFunctionReport = Self.stem("model.json") + "-symmetry-functions.csv"
        energyNormalization = .none; selection = .validation; splitSeed = nil; pairBaseline = nil
        structureWeights = []; emaDecay = 0
    }

    /// Sets the model path; plot and report paths that were still the defaults derived from the
    /// old model path follow it.
    public mutating func setOutput(_ path: String) {
        let old = Self.stem(output), new = Self.stem(path)
        if learningCurves == old + "-learning" { learningCurves = new + "-learning" }
        if parityPlots == old + "-parity" { parityPlots = new + "-parity" }
        if symmetryFunctionReport == old + "-symmetry-functions.csv" { symmetryFunctionReport = new + "-symmetry-functions.csv" }
        output = path
    }

    /// `path` without a trailing `.json`.
    public static func stem(_ path: String) -> String { path.hasSuffix(".json") ? String(path.dropLast(5)) : path }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var d = TrainingConfig(data: [])
        if let one = try? c.decode(String.self, forKey: .data) { d.data = [one] } else { d.data = try c.decode([String].self, forKey: .data) }
        d.format = try c.decodeIfPresent(String.self, forKey: .format)
        d.validationFraction = try c.decodeIfPresent(Double.self, forKey: .validationFraction) ?? d.validationFraction
        if c.contains(.outlierSigma) { d.outlierSigma = try c.decodeIfPresent(Double.self, forKey: .outlierSigma) }
        d.outlierGrouping = try c.decodeIfPresent(Dataset.OutlierGrouping.self, forKey: .outlierGrouping) ?? d.outlierGrouping
        d.architecture = try c.decodeIfPresent(String.self, forKey: .architecture) ?? d.architecture
        d.symmetryFunctions = try c.decodeIfPresent(SymmetryFunctionSettings.self, forKey: .symmetryFunctions) ?? d.symmetryFunctions
        d.scaling = try c.decodeIfPresent(ScalingMode.self, forKey: .scaling) ?? d.scaling
        d.optimizer = try c.decodeIfPresent(OptimizerSettings.self, forKey: .optimizer) ?? d.optimizer
        d.batchSize = try c.decodeWhole(Int.self, forKey: .batchSize, name: "batchSize") ?? d.batchSize
        d.epochs = try c.decodeWhole(Int.self, forKey: .epochs, name: "epochs") ?? d.epochs
        d.forceWeight = try c.decodeIfPresent(Double.self, forKey: .forceWeight) ?? d.forceWeight
        d.forceFraction = try c.decodeIfPresent(Double.self, forKey: .forceFraction) ?? d.forceFraction
        d.stressWeight = try c.decodeIfPresent(Double.self, forKey: .stressWeight) ?? d.stressWeight
        d.derivativeMemoryGB = try c.decodeIfPresent(Double.self, forKey: .derivativeMemoryGB) ?? d.derivativeMemoryGB
        d.patience = try c.decodeWhole(Int.self, forKey: .patience, name: "patience") ?? d.patience
        d.seed = try c.decodeWhole(UInt64.self, forKey: .seed, name: "seed") ?? d.seed
        d.output = try c.decodeIfPresent(String.self, forKey: .output) ?? d.output
        if c.contains(.log) { d.log = try c.decodeIfPresent(String.self, forKey: .log) }
        d.checkpoint = try c.decodeIfPresent(String.self, forKey: .checkpoint)
        d.checkpointEvery = try c.decodeWhole(Int.self, forKey: .checkpointEvery, name: "checkpointEvery") ?? d.checkpointEvery
        d.units = try c.decodeIfPresent(Units.self, forKey: .units) ?? d.units
        d.atomEnergies = try c.decodeIfPresent([String: Double].self, forKey: .atomEnergies) ?? [:]
        d.trainSymmetryFunctions = try c.decodeIfPresent(Bool.self, forKey: .trainSymmetryFunctions) ?? false
        d.symmetryFunctionLearningRate = try c.decodeIfPresent(FunctionLearningRates.self, forKey: .symmetryFunctionLearningRate) ?? d.symmetryFunctionLearningRate
        d.energyNormalization = try c.decodeIfPresent(EnergyNormalizationMode.self, forKey: .energyNormalization) ?? d.energyNormalization
        d.selection = try c.decodeIfPresent(ModelSelection.self, forKey: .selection) ?? d.selection
        d.splitSeed = try c.decodeWhole(UInt64.self, forKey: .splitSeed, name: "splitSeed")
        d.pairBaseline = try c.decodeIfPresent(PairBaseline.self, forKey: .pairBaseline)
        d.structureWeights = try c.decodeIfPresent([StructureWeightRule].self, forKey: .structureWeights) ?? []
        d.emaDecay = try c.decodeIfPresent(Double.self, forKey: .emaDecay) ?? 0
        // Default plot and report paths follow the model path.
        d.learningCurves = Self.stem(d.output) + "-learning"; d.parityPlots = Self.stem(d.output) + "-parity"
        d.symmetryFunctionReport = Self.stem(d.output) + "-symmetry-functions.csv"
        if c.contains(.learningCurves) { d.learningCurves = try c.decodeIfPresent(String.self, forKey: .learningCurves) }
        if c.contains(.parityPlots) { d.parityPlots = try c.decodeIfPresent(String.self, forKey: .parityPlots) }
        if c.contains(.symmetryFunctionReport) { d.symmetryFunctionReport = try c.decodeIfPresent(String.self, forKey: .symmetryFunctionReport) }
        self = d
    }

    public static func read(path: String) throws -> TrainingConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw NNSwiftError.io(path: path, reason: "no such file") }
        var cfg: TrainingConfig
        do { cfg = try JSONDecoder().decode(TrainingConfig.self, from: data) } catch let e as NNSwiftError {
            throw NNSwiftError.format(location: path, reason: "\(e)")
        } catch {
            throw ConfigText.syntaxError(data, path: path) ?? NNSwiftError.format(location: path, reason: "\(error)")
        }
        if let input = try? JSONSerialization.jsonObject(with: data), let again = try? JSONEncoder().encode(cfg),
           let encoded = try? JSONSerialization.jsonObject(with: again), let key = ConfigText.unknownKey(input, encoded) {
            throw NNSwiftError.format(location: path, reason: "config: unknown key \(key)")
        }
        do { try cfg.checkPathsNotEmpty() } catch { throw NNSwiftError.format(location: path, reason: "\(error)") }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).path }
        cfg.data = cfg.data.map(resolve)
        cfg.output = resolve(cfg.output)
        cfg.log = cfg.log.map(resolve)
        cfg.checkpoint = cfg.checkpoint.map(resolve)
        cfg.learningCurves = cfg.learningCurves.map(resolve)
        cfg.parityPlots = cfg.parityPlots.map(resolve)
        cfg.symmetryFunctionReport = cfg.symmetryFunctionReport.map(resolve)
        return cfg
    }

    public func validate() throws {
        guard !data.isEmpty else { throw NNSwiftError.argument("config: 'data' lists no files") }
        try checkPathsNotEmpty()
        guard validationFraction >= 0, validationFraction < 1 else { throw NNSwiftError.argument("config: validationFraction must be in [0, 1)") }
        guard batchSize > 0 else { throw NNSwiftError.argument("config: batchSize must be positive") }
        guard epochs >= 0 else { throw NNSwiftError.argument("config: epochs must be >= 0") }
        guard epochs <= Self.maxEpochs else { throw NNSwiftError.argument("config: epochs = \(epochs): at most \(Self.maxEpochs)") }
        guard patience >= 0 else { throw NNSwiftError.argument("config: patience = \(patience): must be >= 0 (0 = no early stopping)") }
        guard checkpointEvery >= 0 else { throw NNSwiftError.argument("config: checkpointEvery = \(checkpointEvery): must be >= 0") }
        guard forceWeight >= 0 else { throw NNSwiftError.argument("config: forceWeight must be >= 0") }
        guard forceWeight <= 1e100 else { throw NNSwiftError.argument("config: forceWeight = \(forceWeight): at most 1e100") }
        guard forceFraction > 0, forceFraction <= 1 else {
            throw NNSwiftError.argument("config: forceFraction must be in (0, 1], got \(forceFraction)")
        }
        if forceFraction < 1 && optimizer.name == .lbfgs {
            throw NNSwiftError.argument("config: forceFraction \(forceFraction) < 1 needs a stochastic optimizer (adam, rmsprop, sgd): L-BFGS needs the same loss at every step")
        }
        guard stressWeight >= 0, stressWeight.isFinite else { throw NNSwiftError.argument("config: stressWeight must be >= 0, got \(stressWeight)") }
        if stressWeight > 0 && trainSymmetryFunctions {
            throw NNSwiftError.argument("config: stressWeight > 0 with trainSymmetryFunctions is not supported (the stress gradient with respect to the function parameters is not implemented)")
        }
        guard derivativeMemoryGB >= 0, derivativeMemoryGB <= 1e6 else {
            throw NNSwiftError.argument("config: derivativeMemoryGB must be in [0, 1e6], got \(derivativeMemoryGB)")
        }
        try validateKalman()
        guard optimizer.learningRate > 0 else { throw NNSwiftError.argument("config: optimizer.learningRate must be positive") }
        let o = optimizer
        for (name, v, ok) in [("learningRate", o.learningRate, o.learningRate.isFinite), ("decay", o.decay, o.decay > 0 && o.decay <= 10),
                              ("rho", o.rho, o.rho >= 0 && o.rho < 1), ("beta1", o.beta1, o.beta1 >= 0 && o.beta1 < 1),
                              ("beta2", o.beta2, o.beta2 >= 0 && o.beta2 < 1), ("epsilon", o.epsilon, o.epsilon > 0 && o.epsilon <= 1)] where !ok {
            throw NNSwiftError.argument("config: optimizer.\(name) = \(v): must be \(["learningRate": "finite", "decay": "in (0, 10]", "epsilon": "in (0, 1]"][name] ?? "in [0, 1)")")
        }
        guard (1...10_000).contains(optimizer.memory) else { throw NNSwiftError.argument("config: optimizer.memory must be in 1...10000, got \(optimizer.memory)") }
        _ = try Architecture(architecture)
        if selection == .final && patience > 0 {
            throw NNSwiftError.argument("config: selection \"final\" keeps the last epoch; patience (early stopping on the validation loss) must be 0")
        }
        let f = symmetryFunctionLearningRate
        for (name, v) in [("eta", f.eta), ("rs", f.rs), ("kappa", f.kappa), ("zeta", f.zeta)] where !(v >= 0 && v <= 1e6) {
            throw NNSwiftError.argument("config: symmetryFunctionLearningRate.\(name) = \(v): must be in [0, 1e6]")
        }
        try StructureWeights.validate(structureWeights)
        guard emaDecay >= 0, emaDecay < 1 else { throw NNSwiftError.argument("config: emaDecay = \(emaDecay): must be in [0, 1) (0 = no parameter average)") }
        if emaDecay > 0 && (optimizer.name == .lbfgs || optimizer.name == .kalman) {
            throw NNSwiftError.argument("config: emaDecay averages the steps of a mini-batch optimizer (adam, rmsprop, sgd), not \(optimizer.name.rawValue)")
        }
        if let b = pairBaseline {
            do { try b.validateRadii() } catch NNSwiftError.argument(let m) { throw NNSwiftError.argument("config: pairBaseline.\(m)") }
        }
        for (e, v) in atomEnergies.sorted(by: { $0.key < $1.key }) {
            guard PeriodicTable.isElement(e) else { throw NNSwiftError.argument("config: atomEnergies: '\(e)' is not an element symbol") }
            guard v.isFinite else { throw NNSwiftError.argument("config: atomEnergies['\(e)'] = \(v) is not finite") }
        }
    }

    /// An empty output path would resolve to the config's directory.
    func checkPathsNotEmpty() throws {
        for (name, path) in [("output", output), ("log", log), ("checkpoint", checkpoint), ("learningCurves", learningCurves),
                             ("parityPlots", parityPlots), ("symmetryFunctionReport", symmetryFunctionReport)] where path?.isEmpty == true {
            throw NNSwiftError.argument("config: \(name) is empty: give a file name (or null for none)")
        }
        for (i, d) in data.enumerated() where d.isEmpty { throw NNSwiftError.argument("config: data[\(i)] is empty: give a file name") }
    }

    /// Largest `epochs` accepted: a bound on the run time a typo can ask for.
    public static let maxEpochs = 10_000_000

    /// `derivativeMemoryGB` in bytes.
    var derivativeBudgetBytes: Int { Int(derivativeMemoryGB * 1e9) }
}
