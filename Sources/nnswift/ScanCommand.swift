import ArgumentParser
import Foundation
import NNSwift
import NNSwiftCommandLine
import NNSwiftSearch
import NNSwiftPlot

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Potential-energy scans: regular shapes or structures scaled about their centroid.",
        discussion: """
        Each curve is a structure scaled uniformly about its centroid so that its nearest-neighbor
        distance runs over --from ... --to (the paper's Fig. 5): --shape dimer|triangle|tetrahedron
        (repeatable; the atoms cycle over --element, so --element Au,Cu --shape dimer is AuCu) and/or
        --structure FILE (repeatable; the first structure of each file). Reference points
        (--reference, repeatable: CSV with columns distance,energy[,atoms], or a structure file whose
        structures carry energies) are drawn as markers. --data-range FILE (repeatable) shades the
        range of nearest-neighbor distances that the structures of FILE (e.g. the training data)
        cover. Writes a CSV table and an SVG plot.
        """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Shape to scan: dimer, triangle, tetrahedron (repeatable).")
    var shape: [ScanShapeArgument] = []

    @Option(help: "Element(s) of the shapes, comma-separated, cycled over the atoms.")
    var element: String?

    @Option(help: "Structure file to scan (repeatable).")
    var structure: [String] = []

    @Option(help: "Smallest nearest-neighbor distance (default 0.25 × cutoff).")
    var from: Double?

    @Option(help: "Largest nearest-neighbor distance (default: the cutoff).")
    var to: Double?

    @Option(help: "Points per curve.")
    var points: Int = 101

    @Option(help: "Reference points: CSV (distance,energy) or a structure file with energies (repeatable).")
    var reference: [String] = []

    @Option(help: "Structure file (e.g. the training data) whose range of nearest-neighbor distances is shaded on the plot (repeatable).")
    var dataRange: [String] = []

    @Flag(help: "Plot and tabulate energy per atom.")
    var perAtom = false

    @Option(name: .shortAndLong, help: "CSV output.")
    var output: String = "scan.csv"

    @Option(help: "SVG plot.")
    var plot: String = "scan.svg"

    @Option(help: "Plot title.")
    var title: String?

    @OptionGroup var structureOptions: StructureOptions

    @OptionGroup var unitOptions: StructureUnitOptions

    func run() throws {
        try reportingErrors {
            let (potential, units) = try modelOptions.loadPotential(structureUnits: unitOptions)
            let model = potential.model
            guard !shape.isEmpty || !structure.isEmpty else { throw NNSwiftError.argument("give --shape and/or --structure") }
            guard points >= 2 else { throw NNSwiftError.argument("--points must be at least 2") }
            let lo = from ?? 0.25 * potential.cutoff, hi = to ?? potential.cutoff
            guard lo > 0, hi > lo else { throw NNSwiftError.argument("need 0 < --from < --to") }
            let distances = PESScan.grid(from: lo, to: hi, points: points)
            let reader = structureOptions.reader
            var curves: [ScanCurve] = []
            if !shape.isEmpty {
                let list = (element ?? model.elements.first ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                for s in shape { curves.append(try PESScan.scan(s.shape, elements: list, distances: distances, calculator: potential)) }
            }
            for path in structure {
                let (s, origin) = try reader.first(path, units: units)
                do { curves.append(try PESScan.scan(s, name: (path as NSString).lastPathComponent, distances: distances, calculator: potential)) } catch {
                    throw origin.locating(error)
                }
            }
            let references = try reference.map { path in
                try ScanReference.read(path: path, typeToElement: reader.typeToElement, csvFactors: units.factors(),
                                       convert: { try units.toModel($0, path: path) })
            }

            try writeOutput(PESScan.csv(curves), to: output)
            let e = model.units.energyName, l = model.units.lengthName
            var chart = SVGPlot(title: title ?? "Potential-energy scan (\(curves.map(\.name).joined(separator: ", ")))",
                                xLabel: "nearest-neighbor distance (\(unitLabel(l)))",
                                yLabel: perAtom ? "energy per atom (\(e))" : "energy (\(e))")
            for c in curves { chart.add(.line(c.name, x: c.distances, y: perAtom ? c.energiesPerAtom : c.energies)) }
            let markers = SVGPlot.Marker.allCases
            for (k, r) in references.enumerated() {
                var y = r.energies
                if perAtom {
                    guard let n = r.atoms else { throw NNSwiftError.argument("--per-atom needs atom counts: \(r.name) has no atoms column") }
                    y = zip(y, n).map { $0 / Double($1) }
                }
                chart.add(.scatter(r.name, x: r.distances, y: y, marker: markers[k % markers.count], color: k == 0 ? "black" : nil))
            }
            for (k, path) in dataRange.enumerated() {
                let r = try PESScan.distanceRange(try reader.read(path))
                let name = "data range (\((path as NSString).lastPathComponent)): " + String(format: "%.2f–%.2f %@", r.lowerBound, r.upperBound, unitLabel(l))
                chart.bands.append(SVGPlot.Band(name: name, lower: r.lowerBound, upper: r.upperBound,
                                                color: ["#f2c94c", "#9ecae1", "#a1d99b"][k % 3]))
                print(name + (r.lowerBound < lo || r.upperBound > hi ? " (not all inside the scanned range \(lo)–\(hi))" : ""))
            }
            try chart.write(to: plot)
            for c in curves {
                let y = perAtom ? c.energiesPerAtom : c.energies
                let k = y.indices.min { y[$0] < y[$1] }!
                print(String(format: "%@: lowest %@ %.8f %@ at d = %.4f %@%@", c.name, perAtom ? "E/atom" : "E", y[k], e, c.distances[k], l,
                             k == 0 || k == y.count - 1 ? " (end of the range)" : ""))
            }
            print("scan written to \(output), plot to \(plot)")
        }
    }

    func unitLabel(_ l: String) -> String { l.lowercased() == "angstrom" ? "Å" : l }
}

/// `--shape` values.
struct ScanShapeArgument: ExpressibleByArgument {
    let shape: ScanShape
    init?(argument: String) {
        guard let s = ScanShape(rawValue: argument.lowercased()) else { return nil }
        shape = s
    }
    static var allValueStrings: [String] { ScanShape.allCases.map(\.rawValue) }
}
