import ArgumentParser
import Foundation
import NNSwift
import NNSwiftPlot

/// Compares training runs: their per-epoch CSV logs (`nnswift train`) as learning curves in one
/// SVG per quantity, and a markdown table of the best-epoch errors.
struct LearningCurves: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learning-curves",
        abstract: "Plot the learning curves of several training logs (CSV) together and tabulate their best epochs.")

    @Argument(help: "Training logs: LABEL=FILE.csv (or FILE.csv; the label is then the file name).")
    var logs: [String]

    @Option(name: .shortAndLong, help: "Output stem: writes <stem>-energy.svg and <stem>-forces.svg.")
    var output: String = "learning-curves"

    @Option(help: "Markdown table of the best epoch (lowest validation loss) of each run.")
    var table: String?

    @Option(help: "Plot title.")
    var title: String = "Learning curves"

    @Option(help: "Length unit of the logged errors (the model's): angstrom, bohr, nm.")
    var lengthUnit: String = "angstrom"

    @Option(help: "Energy unit of the logged errors (the model's): eV (shown as meV), hartree, kcal/mol, kJ/mol, Ry.")
    var energyUnit: String = "eV"

    struct Run {
        var label: String
        var epoch: [Double] = [], trainE: [Double] = [], trainF: [Double] = [], valE: [Double] = [], valF: [Double] = []
        var valLoss: [Double] = [], seconds: [Double] = []
    }

    static func read(_ spec: String) throws -> Run {
        var label = URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent, path = spec
        if let eq = spec.firstIndex(of: "=") { label = String(spec[..<eq]); path = String(spec[spec.index(after: eq)...]) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw NNSwiftError.io(path: path, reason: "cannot read") }
        var lines = text.split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: ",").map(String.init) else { throw NNSwiftError.format(location: path, reason: "empty") }
        lines.removeFirst()
        func col(_ n: String) throws -> Int {
            guard let i = header.firstIndex(of: n) else { throw NNSwiftError.format(location: path, reason: "no column \(n)") }
            return i
        }
        let ce = try col("epoch"), cte = try col("train_energy_rmse_per_atom"), ctf = try col("train_force_rmse")
        let cve = try col("validation_energy_rmse_per_atom"), cvf = try col("validation_force_rmse"), cvl = try col("validation_loss")
        let cs = try col("seconds")
        var r = Run(label: label)
        for l in lines {
            let f = l.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
            guard f.count == header.count else { continue }
            r.epoch.append(f[ce]); r.trainE.append(f[cte]); r.trainF.append(f[ctf])
            r.valE.append(f[cve]); r.valF.append(f[cvf]); r.valLoss.append(f[cvl]); r.seconds.append(f[cs])
        }
        return r
    }

    func run() throws {
        try reportingErrors {
            let runs = try logs.map(Self.read)
            let u = ErrorUnits(try Units(parsingLength: lengthUnit, energy: energyUnit))
            for (what, unit, tr, va) in [("energy", u.perAtom, \Run.trainE, \Run.valE), ("forces", u.force, \Run.trainF, \Run.valF)] {
                var plot = SVGPlot(title: "\(title): \(what == "energy" ? "energy per atom" : "force components")",
                                   xLabel: "epoch", yLabel: "RMSE (\(unit)); solid validation, dashed training")
                plot.logY = true
                for (k, r) in runs.enumerated() {
                    let c = SVGPlot.palette[k % SVGPlot.palette.count]
                    plot.add(SVGPlot.Series(name: "\(r.label) validation", x: r.epoch, y: r[keyPath: va].map { u.scale * $0 }, color: c))
                    plot.add(SVGPlot.Series(name: "\(r.label) training", x: r.epoch, y: r[keyPath: tr].map { u.scale * $0 }, color: c, dashed: true))
                }
                try plot.write(to: "\(output)-\(what).svg")
                print("wrote \(output)-\(what).svg")
            }
            let e = u.energy, l = u.length
            var md = "| run | epochs | best epoch | train E RMSE (\(e)/atom) | val E RMSE (\(e)/atom) | **val E MSE (\(e)²/atom²)** | train F RMSE (\(e)/\(l)) | val F RMSE (\(e)/\(l)) | **val F MSE (\(e)²/\(l)²)** | time (s) |\n"
            md += "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
            for r in runs {
                guard let b = r.valLoss.indices.filter({ r.valLoss[$0].isFinite }).min(by: { r.valLoss[$0] < r.valLoss[$1] }) else { continue }
                let ve = u.scale * r.valE[b], vf = u.scale * r.valF[b]
                md += String(format: "| %@ | %d | %d | %.3f | %.3f | **%.3f** | %.2f | %.2f | **%.1f** | %.0f |\n", r.label, Int(r.epoch.last ?? 0),
                             Int(r.epoch[b]), u.scale * r.trainE[b], ve, ve * ve, u.scale * r.trainF[b], vf, vf * vf,
                             r.seconds.filter(\.isFinite).reduce(0, +))
            }
            print(md, terminator: "")
            if let table { try AtomicFile.write(md, to: table) }
        }
    }
}
