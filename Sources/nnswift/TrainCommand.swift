import ArgumentParser
import Foundation
import NNSwift
import NNSwiftTraining

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train atomic neural networks on energies and forces (config file: docs/training.md).")

    @Argument(help: "Training config (JSON).")
    var config: String

    @Option(help: "Number of epochs (overrides the config).")
    var epochs: Int?

    @Option(help: "Random seed for the split, initial weights and batch order (overrides the config).")
    var seed: UInt64?

    @Option(name: .shortAndLong, help: "Model file to write (overrides the config).")
    var output: String?

    @Option(help: "Resume from a checkpoint written by an earlier run with the same config.")
    var resume: String?

    @Flag(help: "No per-epoch progress lines.")
    var quiet = false

    @Flag(help: "Train the symmetry-function parameters too (sets trainSymmetryFunctions).")
    var trainSymmetryFunctions = false

    @Option(help: "Threads for the loss, its gradient and the error metrics (1-1024; results do not depend on it). Default: all cores.")
    var threads: Int?

    @Flag(help: "Measure training throughput instead of training: structures per second for the loss gradient (energies and forces) over the training set, per thread count.")
    var benchmark = false

    @Option(help: "Thread counts for --benchmark, comma-separated.")
    var benchmarkThreads: String = "1,2"

    @Option(help: "Minimum seconds per --benchmark measurement.")
    var benchmarkSeconds: Double = 3

    func run() throws {
        try reportingErrors {
            var cfg = try TrainingConfig.read(path: config)
            if let epochs { cfg.epochs = epochs }
            if let seed { cfg.seed = seed }
            if let output { cfg.setOutput(output) }
            if trainSymmetryFunctions { cfg.trainSymmetryFunctions = true }
            let threadCount = try threads.map { try ThreadCount.validated($0, source: "--threads") }
            if benchmark { try runBenchmark(cfg); return }
            let t0 = Date()
            let trainer = try Trainer(config: cfg)
            trainer.threads = threadCount
            let m = trainer.model
            let e = m.units.energyName, u = ErrorUnits(m.units)
            print("data: \(trainer.totalStructures) structures from \(cfg.data.count) file(s); \(trainer.removedOutliers) removed as outliers (> \(cfg.outlierSigma.map { String($0) } ?? "off") sigma above the mean energy per atom, grouped by \(cfg.outlierGrouping.rawValue))")
            print("split: \(trainer.training.count) training, \(trainer.validation.count) validation (split seed \(cfg.splitSeed ?? cfg.seed))")
            for (i, r) in cfg.structureWeights.enumerated() {
                let match = r.match.keys.sorted().map { k in "\(k)=\(r.match[k]?.description ?? "")" }.joined(separator: " ")
                print("structure weights [\(i)]: \(match) -> loss weight \(r.weight) (\(trainer.structureWeightMatches[i]) matched)")
            }
            if !cfg.structureWeights.isEmpty {
                let rest = trainer.training.count + trainer.validation.count - trainer.structureWeightMatches.reduce(0, +)
                print("structure weights: the other \(rest) structures have loss weight 1")
            }
            for s in m.species {
                print(String(format: "element %@: %d symmetry functions, network %@ (%d parameters), reference energy %.6f %@ (%@)",
                             s.element, s.symmetryFunctions.count, cfg.architecture, s.network.parameterCount, s.referenceEnergy, e,
                             cfg.atomEnergies[s.element] == nil ? "least-squares fit" : "atomEnergies"))
            }
            if cfg.trainSymmetryFunctions {
                let n = trainer.loss.layout.functionParameters.count
                let f = cfg.symmetryFunctionLearningRate
                print("symmetry-function parameters: \(n) trained (η = exp θ, ζ = 1 + softplus θ; learning-rate factors η \(f.eta), R_s \(f.rs), κ \(f.kappa), ζ \(f.zeta)); scaling statistics fixed at the initial functions")
            }
            if let n = m.normalization {
                print("energy normalization \(cfg.energyNormalization.rawValue) (training set): mean_energy \(n.meanEnergy) \(e), conv_energy \(n.convEnergy) 1/\(e), conv_length \(n.convLength) 1/\(m.units.lengthName)")
            }
            if let b = m.pairBaseline {
                let all = trainer.training + trainer.validation
                let perAtom = all.map { $0.baselineEnergy / Double($0.atoms) }
                print(String(format: "pair baseline: %@, inner %g, outer %g %@ (LAMMPS pair_style zbl); the networks learn the reference minus the baseline (its energy %.4g to %.4g %@/atom over the data); every error below is of networks + baseline against the reference",
                             b.type.rawValue, b.inner, b.outer, m.units.lengthName, perAtom.min() ?? 0, perAtom.max() ?? 0, e))
            }
            if cfg.optimizer.name == .kalman {
                print("optimizer: kalman (global extended Kalman filter), \(cfg.optimizer.kalman.summary), force weight \(cfg.forceWeight)")
            } else {
                print("optimizer: \(cfg.optimizer.name.rawValue), learning rate \(cfg.optimizer.learningRate), decay \(cfg.optimizer.decay)/epoch, batch \(cfg.batchSize), force weight \(cfg.forceWeight)")
            }
            if cfg.emaDecay > 0 {
                print("parameter average: emaDecay \(cfg.emaDecay) per step; the errors below, the epoch selection and the model written are of the average")
            }
            for line in TrainingReport.forceStressLines(trainer) { print(line) }
            if let r = resume {
                try trainer.resume(from: r)
                print("resumed from \(r) at epoch \(trainer.epoch)")
            }
            var log: FileHandle?
            if let path = cfg.log {
                let exists = resume != nil && FileManager.default.fileExists(atPath: path)
                if !exists {
                    try AtomicFile.write(Data("epoch,learning_rate,train_energy_rmse_per_atom,train_force_rmse,train_loss,validation_energy_rmse_per_atom,validation_force_rmse,validation_loss,seconds,train_stress_rmse,validation_stress_rmse\n".utf8), to: path)
                }
                log = FileHandle(forWritingAtPath: path)
                log?.seekToEndOfFile()
            }
            defer { try? log?.close() }
            trainer.onEpoch = { r in
                let v = r.validation
                let line = String(format: "%d,%.6e,%.9e,%.9e,%.9e,%@,%@,%@,%.3f,%.9e,%@\n", r.epoch, r.learningRate,
                                  r.train.energyRMSE, r.train.forceRMSE, r.train.loss,
                                  v.map { String(format: "%.9e", $0.energyRMSE) } ?? "", v.map { String(format: "%.9e", $0.forceRMSE) } ?? "",
                                  v.map { String(format: "%.9e", $0.loss) } ?? "", r.seconds, r.train.stressRMSE,
                                  v.map { String(format: "%.9e", $0.stressRMSE) } ?? "")
                log?.write(Data(line.utf8))
                if !quiet {
                    let st = cfg.stressWeight > 0
                    func sText(_ m: ErrorMetrics) -> String { st ? "  S \(u.text(m.stressRMSE, 8, 3)) \(u.stress)" : "" }
                    let vs = v.map { "  val E \(u.text($0.energyRMSE, 8, 3)) \(u.perAtom)  F \(u.text($0.forceRMSE, 8, 2)) \(u.force)\(sText($0))" } ?? ""
                    print(String(format: "epoch %5d/%d  lr %.2e  train E %@ %@  F %@ %@%@%@  %.2fs", r.epoch, cfg.epochs,
                                 r.learningRate, u.text(r.train.energyRMSE, 8, 3), u.perAtom, u.text(r.train.forceRMSE, 8, 2), u.force,
                                 sText(r.train), vs, r.seconds))
                    fflush(stdout)
                }
            }
            try trainer.run()
            let final = trainer.currentModel()
            try ModelFile.write(final, to: cfg.output)
            if let ck = cfg.checkpoint { try trainer.saveCheckpoint(path: ck) }
            let trainM = trainer.metrics(trainer.training, theta: trainer.best)
            let valM = trainer.validation.isEmpty ? nil : trainer.metrics(trainer.validation, theta: trainer.best)
            print("")
            print(trainer.stoppedEarly ? "stopped early after epoch \(trainer.epoch) (no improvement for \(cfg.patience) epochs)"
                                       : "finished \(trainer.epoch) epochs")
            if cfg.selection == .final {
                print(String(format: "kept the last epoch (selection final), %.1f s in all", Date().timeIntervalSince(t0)))
            } else {
                print(String(format: "best epoch %d (lowest %@ loss), %.1f s in all", trainer.bestEpoch,
                             valM == nil ? "training" : "validation", Date().timeIntervalSince(t0)))
            }
            let st = cfg.stressWeight > 0
            print("set         structures   energy RMSE (\(u.perAtom))   force RMSE (\(u.force))" + (st ? "   stress RMSE (\(u.stress))" : ""))
            print(String(format: "training    %10d   %@   %@", trainer.training.count, u.text(trainM.energyRMSE, 22, 3), u.text(trainM.forceRMSE, 18, 2))
                  + (st ? "   " + u.text(trainM.stressRMSE, 19, 3) : ""))
            if let v = valM {
                print(String(format: "validation  %10d   %@   %@", trainer.validation.count, u.text(v.energyRMSE, 22, 3), u.text(v.forceRMSE, 18, 2))
                      + (st ? "   " + u.text(v.stressRMSE, 19, 3) : ""))
            }
            if cfg.trainSymmetryFunctions {
                print("")
                print(try TrainingReport.functionParameters(trainer.functionParameterChanges(), csv: cfg.symmetryFunctionReport), terminator: "")
            }
            var plots: [String] = []
            if let stem = cfg.learningCurves {
                plots += try TrainingReport.learningCurves(trainer.history, stem: stem, units: m.units,
                                                           title: "Learning curve" + (cfg.trainSymmetryFunctions ? " (trainable symmetry functions)" : ""))
            }
            if let stem = cfg.parityPlots { plots += try TrainingReport.parityPlots(trainer: trainer, stem: stem) }
            print("model written to \(cfg.output)" + (cfg.log.map { "; log \($0)" } ?? ""))
            if !plots.isEmpty { print("plots: " + plots.joined(separator: ", ")) }
            if cfg.trainSymmetryFunctions, let r = cfg.symmetryFunctionReport { print("function parameters: \(r)") }
        }
    }

    func runBenchmark(_ cfg: TrainingConfig) throws {
        let counts = try benchmarkThreads.split(separator: ",").map { raw -> Int in
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard let n = Int(text) else { throw NNSwiftError.argument("--benchmark-threads: '\(text)' is not a thread count (1-1024)") }
            return try ThreadCount.validated(n, source: "--benchmark-threads")
        }
        let trainer = try Trainer(config: cfg)
        let items = trainer.training
        let atoms = items.reduce(0) { $0 + $1.atoms }
        let fns = trainer.model.species.map { $0.symmetryFunctions.count }
        print("benchmark: \(items.count) training structures (\(atoms) atoms), \(fns.map(String.init).joined(separator: "/")) symmetry functions, network \(cfg.architecture), batch \(cfg.batchSize), force weight \(cfg.forceWeight), symmetry functions \(cfg.trainSymmetryFunctions ? "trained (\(trainer.loss.layout.functionParameters.count) parameters)" : "fixed"); \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for line in TrainingReport.forceStressLines(trainer) { print(line) }
        // CPU seconds of the process as well: on a shared machine wall-clock rates understate the code.
        func cpuSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
            return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
        }
        print("threads   structures/s   atoms/s   seconds per epoch   CPU seconds per epoch")
        for t in counts {
            func epoch() {
                var b = 0
                while b < items.count {
                    let batch = (b..<min(items.count, b + cfg.batchSize)).map {
                        items[$0].subsamplingForces(fraction: cfg.forceFraction, seed: cfg.seed, epoch: 0, index: $0)
                    }
                    _ = trainer.loss.batch(batch, theta: trainer.theta, threads: t)
                    b += cfg.batchSize
                }
            }
            epoch()  // warm-up
            var n = 0
            let t0 = Date()
            let c0 = cpuSeconds()
            repeat { epoch(); n += 1 } while Date().timeIntervalSince(t0) < benchmarkSeconds
            let dt = Date().timeIntervalSince(t0), cpu = cpuSeconds() - c0
            print(String(format: "%7d   %12.0f   %7.0f   %17.4f   %21.4f", t, Double(n * items.count) / dt, Double(n * atoms) / dt,
                         dt / Double(n), cpu / Double(n)))
        }
    }
}
