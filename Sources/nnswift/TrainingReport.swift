import Foundation
import NNSwift
import NNSwiftPlot
import NNSwiftTraining

/// How training errors are shown: meV (×1000) for an eV model, the model's own energy unit
/// otherwise (never "meV" for numbers that are not in meV).
struct ErrorUnits {
    let scale: Double
    let energy: String
    let length: String

    init(_ units: Units) {
        scale = units.energy == .eV ? 1000 : 1
        energy = units.energy == .eV ? "meV" : units.energyName
        length = units.length == .angstrom ? "Å" : units.lengthName
    }

    /// `x` (model units) scaled and right-aligned in `width`: fixed `decimals` for meV, else %.4e.
    func text(_ x: Double, _ width: Int, _ decimals: Int) -> String {
        let s = scale == 1000 ? String(format: "%.\(decimals)f", scale * x) : String(format: "%.4e", scale * x)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }

    var perAtom: String { "\(energy)/atom" }
    var stress: String { "\(energy)/\(length)³" }
    var force: String { "\(energy)/\(length)" }
}

/// SVG learning curves and parity plots, and the trained symmetry-function parameters, written
/// by `nnswift train` beside the model.
enum TrainingReport {
    /// `<stem>-energy.svg` and `<stem>-forces.svg`: training and validation RMSE vs epoch, log y
    /// (like the paper's Fig. 4). Returns the files written.
    static func learningCurves(_ history: [EpochRecord], stem: String, units: Units, title: String) throws -> [String] {
        let ep = history.map { Double($0.epoch) }
        let u = ErrorUnits(units)
        var files: [String] = []
        for (what, unit, pick) in [("energy", u.perAtom, { (m: ErrorMetrics) in m.energyRMSE }),
                                   ("forces", u.force, { (m: ErrorMetrics) in m.forceRMSE })] {
            var plot = SVGPlot(title: "\(title): \(what == "energy" ? "energy per atom" : "force components")",
                               xLabel: "epoch", yLabel: "RMSE (\(unit))")
            plot.logY = true
            plot.add(.line("training", x: ep, y: history.map { u.scale * pick($0.train) }, color: SVGPlot.palette[0]))
            let v = history.compactMap { r in r.validation.map { (Double(r.epoch), u.scale * pick($0)) } }
            if !v.isEmpty { plot.add(.line("validation", x: v.map(\.0), y: v.map(\.1), color: SVGPlot.palette[1])) }
            let path = "\(stem)-\(what).svg"
            try plot.write(to: path)
            files.append(path)
        }
        return files
    }

    /// `<stem>-energy.svg` (energy per atom) and `<stem>-forces.svg` (force components):
    /// predicted vs reference, training and validation, with the line y = x.
    static func parityPlots(trainer: Trainer, stem: String, maxPoints: Int = 4000) throws -> [String] {
        let tr = trainer.predictions(trainer.training), va = trainer.predictions(trainer.validation)
        let e = trainer.model.units.energyName, l = trainer.model.units.lengthName
        func thin(_ x: [Double], _ y: [Double]) -> ([Double], [Double]) {
            guard x.count > maxPoints else { return (x, y) }
            let step = Double(x.count) / Double(maxPoints)
            let idx = (0..<maxPoints).map { Int(Double($0) * step) }
            return (idx.map { x[$0] }, idx.map { y[$0] })
        }
        var files: [String] = []
        for (what, label, t, v) in [("energy", "energy per atom (\(e)/atom)", (tr.energyRef, tr.energyPred), (va.energyRef, va.energyPred)),
                                    ("forces", "force component (\(e)/\(l))", (tr.forceRef, tr.forcePred), (va.forceRef, va.forcePred))] {
            if t.0.isEmpty && v.0.isEmpty { continue }
            var plot = SVGPlot(title: "Parity: \(what == "energy" ? "energy per atom" : "force components") (best epoch \(trainer.bestEpoch))",
                               xLabel: "reference \(label)", yLabel: "predicted \(label)")
            plot.diagonal = true
            let a = thin(t.0, t.1), b = thin(v.0, v.1)
            if !a.0.isEmpty { plot.add(.scatter("training (\(t.0.count))", x: a.0, y: a.1, marker: .circle, color: SVGPlot.palette[0])) }
            if !b.0.isEmpty { plot.add(.scatter("validation (\(v.0.count))", x: b.0, y: b.1, marker: .square, color: SVGPlot.palette[1])) }
            let path = "\(stem)-\(what).svg"
            try plot.write(to: path)
            files.append(path)
        }
        return files
    }

    /// Table of the trained function parameters (stdout) and the same as CSV.
    static func functionParameters(_ changes: [Trainer.FunctionParameterChange], csv: String?) throws -> String {
        var text = "trained symmetry-function parameters (initial -> final at the best epoch):\n"
        text += "element  #   type  param          initial            final   rel. change\n"
        var rows = "element,function,type,parameter,initial,final,relative_change\n"
        for c in changes {
            text += String(format: "%-7@ %3d   %-4@  %-5@  %15.8g  %15.8g  %+11.3e\n", c.element, c.function + 1, c.type.rawValue,
                           c.parameter.rawValue, c.initial, c.final, c.relativeChange)
            rows += "\(c.element),\(c.function + 1),\(c.type.rawValue),\(c.parameter.rawValue),\(c.initial),\(c.final),\(c.relativeChange)\n"
        }
        let rel = changes.map { abs($0.relativeChange) }
        if !rel.isEmpty {
            let sorted = rel.sorted()
            text += String(format: "%d parameters; |relative change| median %.3e, max %.3e\n", rel.count, sorted[sorted.count / 2], sorted.last!)
        }
        if let csv { try AtomicFile.write(rows, to: csv) }
        return text
    }
}
