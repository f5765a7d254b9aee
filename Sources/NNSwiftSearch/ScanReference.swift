import Foundation
import NNSwift

/// Reference points to overlay on a scan: (nearest-neighbor distance, energy) pairs.
public struct ScanReference: Sendable {
    public var name: String
    public var distances: [Double]
    public var energies: [Double]
    /// Atoms per structure when known (structure files), for per-atom energies.
    public var atoms: [Int]?

    public init(name: String, distances: [Double], energies: [Double], atoms: [Int]? = nil) {
        self.name = name; self.distances = distances; self.energies = energies; self.atoms = atoms
    }

    /// Reads a CSV file (columns `distance` and `energy` by header name, else the first two
    /// columns; an optional `atoms` column gives the atom count of each row; `#` comments and blank lines ignored) or, for any other file, the structures of
    /// a structure file that carry an energy (x = their nearest-neighbor distance).
    /// `csvFactors` (length, energy) convert a CSV's numbers and `convert` a structure file's
    /// structures to the model's units.
    public static func read(path: String, typeToElement: [String]? = nil, csvFactors: (length: Double, energy: Double) = (1, 1),
                            convert: ([Structure]) throws -> [Structure] = { $0 }) throws -> ScanReference {
        let name = (path as NSString).lastPathComponent
        if path.lowercased().hasSuffix(".csv") {
            var r = try parseCSV(try String(contentsOfFile: path, encoding: .utf8), name: name)
            r.distances = r.distances.map { $0 * csvFactors.length }
            r.energies = r.energies.map { $0 * csvFactors.energy }
            return r
        }
        var d: [Double] = [], e: [Double] = [], n: [Int] = []
        for s in try convert(StructureFile.read(path: path, typeToElement: typeToElement)) {
            guard let energy = s.energy else { continue }
            d.append(try PESScan.nearestNeighborDistance(s)); e.append(energy); n.append(s.count)
        }
        guard !d.isEmpty else { throw NNSwiftError.format(location: path, reason: "no structure with an energy") }
        return ScanReference(name: name, distances: d, energies: e, atoms: n)
    }

    public static func parseCSV(_ text: String, name: String) throws -> ScanReference {
        var dCol = 0, eCol = 1
        var nCol: Int?
        var d: [Double] = [], e: [Double] = [], n: [Int] = []
        var sawHeader = false
        for (k, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if !sawHeader && d.isEmpty && Double(fields[0]) == nil {
                let lower = fields.map { $0.lowercased() }
                dCol = lower.firstIndex { $0 == "distance" || $0 == "r" || $0.hasPrefix("distance") } ?? 0
                eCol = lower.firstIndex { $0 == "energy" || $0 == "e" || $0.hasPrefix("energy") } ?? 1
                nCol = lower.firstIndex { $0 == "atoms" || $0 == "natoms" || $0 == "n" }
                sawHeader = true
                continue
            }
            guard fields.count > max(dCol, eCol), let x = Double(fields[dCol]), let y = Double(fields[eCol]) else {
                throw NNSwiftError.format(location: "\(name):\(k + 1)", reason: "expected numbers in columns \(dCol + 1) and \(eCol + 1)")
            }
            d.append(x); e.append(y)
            if let c = nCol {
                guard c < fields.count, let count = Int(fields[c]), count > 0 else {
                    throw NNSwiftError.format(location: "\(name):\(k + 1)", reason: "expected a positive atom count in column \(c + 1)")
                }
                n.append(count)
            }
        }
        guard !d.isEmpty else { throw NNSwiftError.format(location: name, reason: "no data rows") }
        return ScanReference(name: name, distances: d, energies: e, atoms: nCol == nil ? nil : n)
    }
}
