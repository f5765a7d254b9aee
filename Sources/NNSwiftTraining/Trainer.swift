import Foundation
import NNSwift

/// Root-mean-square errors of a set: energy per atom and force components.
public struct ErrorMetrics: Sendable, Equatable {
    public var energyRMSE: Double
    public var forceRMSE: Double
    public var loss: Double
    /// RMSE of the Voigt stress components over structures with a reference stress (0 when
    /// stress is not trained).
    public var stressRMSE: Double = 0
}

/// One line of the training log.
public struct EpochRecord: Sendable {
    public var epoch: Int
    public var learningRate: Double
    public var train: ErrorMetrics
    public var validation: ErrorMetrics?
    public var seconds: Double
}

/// Saved between runs: the full optimizer state, so a resumed run continues bit-identically.
public struct TrainingCheckpoint: Codable, Sendable {
    public var format = "nnswift-training-checkpoint"
    public var epoch: Int
    public var theta: [Double]
    public var best: [Double]
    public var bestLoss: Double
    public var bestEpoch: Int
    public var optimizer: OptimizerState
    /// The parameter average (`emaDecay` > 0); nil in checkpoints of runs without it.
    public var average: ParameterAverage?
}

/// The whole training workflow: data, model set-up, epochs, early stopping, checkpoints.
public final class Trainer {
    public let config: TrainingConfig
    public private(set) var model: Model
    public let training: [PreparedStructure]
    public let validation: [PreparedStructure]
    public let removedOutliers: Int
    public let totalStructures: Int
    public let loss: LossFunction
    /// Which structures have stored descriptor derivatives (`derivativeMemoryGB`).
    public let derivativeBudget: DerivativeBudget
    /// Structures of the data (after outlier removal) with a stress in the file.
    public let structuresWithStress: Int
    /// Structures (after outlier removal) each `structureWeights` rule matched.
    public let structureWeightMatches: [Int]
    public var theta: [Double]
    public var best: [Double]
    public var bestLoss = Double.infinity
    public var bestEpoch = 0
    public var epoch = 0
    public var optimizer: OptimizerState
    /// Moving average of the parameters (`emaDecay` > 0): evaluated, selected and written
    /// instead of `theta`.
    public var average: ParameterAverage?
    /// The Kalman filter's state (optimizer "kalman"), created by the first epoch.
    public var kalmanFilter: KalmanFilter?
    public var history: [EpochRecord] = []
    /// Per-parameter learning-rate factors (nil: all 1).
    public var learningRateFactors: [Double]?
    /// Called after every epoch (progress line, CSV).
    public var onEpoch: ((EpochRecord) -> Void)?
    /// Threads for the loss, its gradient and the error metrics: nil = all cores (one work item
    /// per structure), n = n workers (`nnswift train --threads`). Results do not depend on it.
    public var threads: Int?

    /// Loads the data and sets up the model (functions, scaling, reference energies, initial weights).
    public init(config: TrainingConfig, dataset: Dataset? = nil) throws {
        try config.validate()
        self.config = config
        var data: Dataset
        do { data = try dataset ?? Dataset.load(paths: config.data, format: config.format) } catch let NNSwiftError.io(path, reason) {
            // A data file that cannot be read is named as the config key that gave it.
            throw NNSwiftError.argument("config: data: cannot access '\(path)': \(reason)")
        }
        totalStructures = data.count
        var removed = 0
        if let k = config.outlierSigma, k > 0 { (data, removed) = data.removingOutliers(sigmas: k, grouping: config.outlierGrouping) }
        removedOutliers = removed
        let (weights, matches) = try StructureWeights.assign(config.structureWeights, to: data.structures)
        structureWeightMatches = matches
        let (trainIdx, valIdx) = data.split(validationFraction: config.validationFraction, seed: config.splitSeed ?? config.seed)
        let elements = data.elements
        let functions = try config.symmetryFunctions.resolve(elements: elements)
        // The network learns the targets minus the pair baseline (after the outlier rule, which
        // judges the reference itself).
        var baseline: [Evaluation]? = nil
        if let b = config.pairBaseline {
            let cutoff = functions.flatMap { $0 }.map(\.cutoff.radius).max() ?? 0
            guard b.outer <= cutoff else {
                throw NNSwiftError.argument("config: pairBaseline.outer = \(b.outer): must be at most the symmetry functions' cutoff \(cutoff)")
            }
            (data, baseline) = try data.subtractingBaseline(b, units: config.units)
        }
        let refs = try data.referenceEnergies(elements: elements, indices: trainIdx, fixed: config.atomEnergies)
        let arch = try Architecture(config.architecture)
        var rng = SeededGenerator(seed: config.seed)
        var species: [ElementModel] = []
        for (e, el) in elements.enumerated() {
            let fs = functions[e]
            let net = try arch.network(inputs: fs.count, rng: &rng)
            let dummy = Scaling(mode: .none, statistics: fs.map { _ in FunctionStatistics(min: 0, max: 1, mean: 0, sigma: 1) })
            species.append(ElementModel(element: el, symmetryFunctions: fs, scaling: dummy, network: net, referenceEnergy: refs[e]))
        }
        var m = Model(units: config.units, species: species, pairBaseline: config.pairBaseline, metadata: [
            "generator": "nnswift train",
            "architecture": arch.description,
            "seed": String(config.seed),
        ])
        let jacobian = config.forceWeight > 0 || data.hasForces
        let trainStructures = trainIdx.map { data.structures[$0] }, valStructures = valIdx.map { data.structures[$0] }
        let trainSF = config.trainSymmetryFunctions
        let stress = config.stressWeight > 0
        structuresWithStress = data.structures.reduce(0) { $0 + ($1.stress == nil ? 0 : 1) }
        // Trained functions keep the neighbor geometry instead (descriptors change every step).
        let budget = DerivativeBudget(bytes: trainSF ? Int.max : config.derivativeBudgetBytes)
        derivativeBudget = budget
        var train = try TrainingSetup.prepare(trainStructures, origins: data.origins.map { o in trainIdx.map { o[$0] } },
                                              model: m, jacobian: jacobian, environments: trainSF, stress: stress,
                                              budget: trainSF ? nil : budget)
        var val = try TrainingSetup.prepare(valStructures, origins: data.origins.map { o in valIdx.map { o[$0] } },
                                            model: m, jacobian: jacobian, environments: trainSF, stress: stress,
                                            budget: trainSF ? nil : budget)
        for (k, i) in trainIdx.enumerated() { train[k].weight = weights[i] }
        for (k, i) in valIdx.enumerated() { val[k].weight = weights[i] }
        if let baseline {
            for (k, i) in trainIdx.enumerated() { train[k].baselineEnergy = baseline[i].energy; train[k].baselineForces = baseline[i].forces }
            for (k, i) in valIdx.enumerated() { val[k].baselineEnergy = baseline[i].energy; val[k].baselineForces = baseline[i].forces }
        }
        let stats = TrainingSetup.statistics(train, model: m)
        for e in m.species.indices {
            m.species[e].scaling = Scaling(mode: config.scaling, statistics: stats[e])
        }
        m.normalization = try config.energyNormalization.fit(train)
        try m.validate()
        // targetEnergy was computed with the reference energies already in the model.
        model = m
        training = train; validation = val
        // The scaling statistics come from the initial functions and stay fixed for the run.
        loss = LossFunction(model: m, forceWeight: config.forceWeight, trainSymmetryFunctions: trainSF, stressWeight: config.stressWeight)
        theta = loss.layout.parameters(of: m)
        if trainSF {
            var f = [Double](repeating: 1, count: theta.count)
            for p in loss.layout.functionParameters { f[p.offset] = config.symmetryFunctionLearningRate.factor(p.kind) }
            learningRateFactors = f
        }
        best = theta
        optimizer = OptimizerState(count: theta.count)
        if config.emaDecay > 0 { average = ParameterAverage(decay: config.emaDecay, start: theta) }
    }

    /// The parameters that are evaluated, selected and written: the average when there is one.
    public var evaluatedTheta: [Double] { average?.values ?? theta }

    /// The model with the best weights so far (or the current ones: the average with `emaDecay`).
    public func currentModel(best useBest: Bool = true) -> Model {
        var m = loss.layout.apply(useBest ? best : evaluatedTheta, to: model)
        if loss.layout.trainsFunctions { m.metadata["trainedSymmetryFunctions"] = "true" }
        m.metadata["epochs"] = String(epoch)
        m.metadata["bestEpoch"] = String(bestEpoch)
        return m
    }

    /// Errors of `set` at the current weights (parallel, deterministic).
    public func metrics(_ set: [PreparedStructure], theta t: [Double]? = nil) -> ErrorMetrics {
        let th = t ?? theta
        if config.stressWeight == 0 && !loss.layout.trainsFunctions {
            let r = PackedEnergySet(set, loss: loss).evaluate(theta: th, weight: 1, gradient: false, errors: true, loss: loss, threads: threads)
            return r.errors!.metrics(forceWeight: config.forceWeight)
        }
        let e2 = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, set.count))
        let f2 = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, set.count))
        let fcp = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, set.count))
        let s2 = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, set.count))
        defer { e2.deallocate(); f2.deallocate(); fcp.deallocate(); s2.deallocate() }
        let withStress = config.stressWeight > 0
        th.withUnsafeBufferPointer { tp in
            parallelFor(set.count, threads: threads) { b in
                let p = set[b]
                let r = loss.predict(p, theta: tp, forces: p.forces != nil, stress: withStress)
                let de = (r.energy - p.targetEnergy) / Double(p.atoms)
                var s = 0.0
                if let ref = p.forces { for k in 0..<p.atoms { let d = r.forces[k] - ref[k]; s += (d * d).sum() } }
                e2[b] = de * de; f2[b] = s; fcp[b] = p.forces == nil ? 0 : 3 * p.atoms
                s2[b] = zip(r.stress, p.stress ?? []).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
        }
        let stressCount = withStress ? set.reduce(0) { $0 + ($1.stress == nil ? 0 : 6) } : 0
        // The buffers hold at least one element; only the first set.count are written.
        let n = set.count
        return ErrorMetrics(energySquares: Array(e2.prefix(n)), forceSquares: Array(f2.prefix(n)), forceComponents: Array(fcp.prefix(n)),
                            weights: set.map(\.weight), forceWeight: config.forceWeight,
                            stressSquares: Array(s2.prefix(n)), stressComponents: stressCount,
                            stressWeight: config.stressWeight)
    }

    /// Runs epochs until `epochs` in total have been done or early stopping triggers.
    public func run(epochs total: Int? = nil) throws {
        let target = total ?? config.epochs
        if epoch == 0 && history.isEmpty {
            let v = validation.isEmpty ? nil : metrics(validation)
            let rec = EpochRecord(epoch: 0, learningRate: config.optimizer.name == .kalman ? config.optimizer.kalman.logRate : config.optimizer.learningRate, train: metrics(training), validation: v, seconds: 0)
            history.append(rec); onEpoch?(rec)
            try checkFinite(train: rec.train, validation: v)
            bestLoss = (v ?? rec.train).loss
        }
        switch config.optimizer.name {
        case .lbfgs: try runLBFGS(until: target)
        case .kalman: try runKalman(until: target)
        default: try runEpochs(until: target)
        }
        // Selection `final`: keep the last weights; the validation set chose nothing.
        if config.selection == .final { best = evaluatedTheta; bestEpoch = epoch; bestLoss = history.last.map { ($0.validation ?? $0.train).loss } ?? bestLoss }
    }

    /// Mini-batch epochs (SGD, RMSprop, Adam).
    func runEpochs(until target: Int) throws {
        while epoch < target {
            let start = Date()
            let lr = config.optimizer.learningRate(epoch: epoch)
            var order = Array(training.indices)
            var rng = SeededGenerator(seed: config.seed &+ 0x9E37_79B9 &* UInt64(epoch + 1))
            rng.shuffle(&order)
            var b = 0
            while b < order.count {
                let batch = order[b..<min(order.count, b + config.batchSize)].map {
                    training[$0].subsamplingForces(fraction: config.forceFraction, seed: config.seed, epoch: epoch, index: $0)
                }
                let (_, g) = loss.batch(batch, theta: theta, threads: threads)
                optimizer.step(&theta, gradient: g, settings: config.optimizer, learningRate: lr, factors: learningRateFactors)
                average?.update(with: theta)
                b += config.batchSize
            }
            epoch += 1
            let evaluated = evaluatedTheta
            let trainM = metrics(training, theta: evaluated)
            let valM = validation.isEmpty ? nil : metrics(validation, theta: evaluated)
            let monitored = (valM ?? trainM).loss
            if monitored < bestLoss { bestLoss = monitored; best = evaluated; bestEpoch = epoch }
            let rec = EpochRecord(epoch: epoch, learningRate: lr, train: trainM, validation: valM,
                                  seconds: Date().timeIntervalSince(start))
            history.append(rec)
            onEpoch?(rec)
            try checkFinite(train: trainM, validation: valM)
            if let path = config.checkpoint, config.checkpointEvery > 0, epoch % config.checkpointEvery == 0 {
                try saveCheckpoint(path: path)
            }
            if config.patience > 0 && epoch - bestEpoch >= config.patience { break }
        }
    }

    public var stoppedEarly: Bool { config.patience > 0 && epoch - bestEpoch >= config.patience && epoch < config.epochs }

    /// Writes the training state (JSON) and the best model so far beside it (`<path>.model.json`).
    public func saveCheckpoint(path: String) throws {
        let ck = TrainingCheckpoint(epoch: epoch, theta: theta, best: best, bestLoss: bestLoss, bestEpoch: bestEpoch, optimizer: optimizer,
                                    average: average)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try enc.encode(ck) } catch { throw NNSwiftError.io(path: path, reason: "\(error)") }
        try AtomicFile.write(data, to: path)
        try ModelFile.write(currentModel(), to: path + ".model.json")
    }

    /// One trained symmetry-function parameter: initial and final (best-epoch) value.
    public struct FunctionParameterChange: Sendable {
        public var element: String, function: Int
        public var type: SymmetryFunctionKind
        public var parameter: FunctionParameterKind
        public var initial: Double, final: Double
        /// (final − initial) / |initial| (absolute change when initial = 0).
        public var relativeChange: Double { initial == 0 ? final - initial : (final - initial) / abs(initial) }
    }

    /// How far each trained function parameter moved (initial model → `theta`, default best).
    public func functionParameterChanges(theta t: [Double]? = nil) -> [FunctionParameterChange] {
        let th = t ?? best
        return loss.layout.functionParameters.map { p in
            let f = model.species[p.element].symmetryFunctions[p.function]
            return FunctionParameterChange(element: model.species[p.element].element, function: p.function, type: f.kind,
                                           parameter: p.kind, initial: p.kind.value(of: f), final: p.kind.physical(th[p.offset]))
        }
    }

    /// Reference and predicted energy per atom (total, with the reference energies and the pair
    /// baseline) and force components of every structure of `set` at `theta` (default best).
    public func predictions(_ set: [PreparedStructure], theta t: [Double]? = nil)
        -> (energyRef: [Double], energyPred: [Double], forceRef: [Double], forcePred: [Double]) {
        let th = t ?? best
        var out = [(Double, Double, [Double], [Double])](repeating: (0, 0, [], []), count: set.count)
        let lock = NSLock()
        th.withUnsafeBufferPointer { tp in
            parallelFor(set.count, threads: threads) { b in
                let p = set[b]
                let r = loss.predict(p, theta: tp, forces: p.forces != nil)
                let n = Double(p.atoms), shift = p.referenceEnergy - p.targetEnergy + p.baselineEnergy
                var fr: [Double] = [], fp: [Double] = []
                if let ref = p.forces {
                    for k in 0..<p.atoms {
                        let base = p.baselineForces?[k] ?? .zero
                        for c in 0..<3 { fr.append(ref[k][c] + base[c]); fp.append(r.forces[k][c] + base[c]) }
                    }
                }
                lock.lock(); out[b] = ((p.referenceEnergy + p.baselineEnergy) / n, (r.energy + shift) / n, fr, fp); lock.unlock()
            }
        }
        return (out.map(\.0), out.map(\.1), out.flatMap(\.2), out.flatMap(\.3))
    }

    /// Restores a checkpoint written by `saveCheckpoint` for the same config and data.
    public func resume(from path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw NNSwiftError.io(path: path, reason: "no such file") }
        let ck: TrainingCheckpoint
        do { ck = try JSONDecoder().decode(TrainingCheckpoint.self, from: data) } catch {
            throw NNSwiftError.format(location: path, reason: "\(error)")
        }
        guard ck.theta.count == theta.count else {
            throw NNSwiftError.argument("checkpoint \(path) has \(ck.theta.count) parameters, this config gives \(theta.count)")
        }
        theta = ck.theta; best = ck.best; bestLoss = ck.bestLoss; bestEpoch = ck.bestEpoch
        epoch = ck.epoch; optimizer = ck.optimizer
        if average != nil {
            guard var a = ck.average, a.values.count == theta.count else {
                throw NNSwiftError.argument("checkpoint \(path) has no parameter average of \(theta.count) values: it was written without emaDecay, this config has emaDecay \(config.emaDecay)")
            }
            // The step count feeds the warm-up and is incremented: bounded so neither traps.
            guard (0...ParameterAverage.maxUpdates).contains(a.updates), a.values.allSatisfy(\.isFinite) else {
                throw NNSwiftError.argument("checkpoint \(path): parameter average with \(a.updates) updates or a non-finite value (updates must be in 0...\(ParameterAverage.maxUpdates))")
            }
            a.decay = config.emaDecay
            average = a
        } else if ck.average != nil {
            throw NNSwiftError.argument("checkpoint \(path) holds a parameter average (emaDecay) but this config has none")
        }
        history = []
    }
}
