import Foundation

/// Reads and writes structure files, choosing the format by name or from the file.
///
/// Format names (case-insensitive): `extxyz`/`xyz` (extended XYZ), `n2p2`/`input.data`/`runner`
/// (n2p2 input.data), `lammps-data`/`lammps`/`lmp`/`lammps_data` (LAMMPS data file).
/// Without a format name: `*.xyz`, `*.extxyz` → extended XYZ; `*.lmp`, `*.lmp-data`,
/// `*.lammps`, `data.*` → LAMMPS data; `input.data`, `*.data` → n2p2 if the first word of the
/// file is `begin`, else LAMMPS data; any other name is recognised from its content (`begin` →
/// n2p2; an integer alone on the first line → extended XYZ; a LAMMPS header → LAMMPS data).
public enum StructureFile {
    public enum Format: String, Sendable, CaseIterable {
        case extxyz, n2p2, lammpsData = "lammps-data"

        /// The format for a name such as "xyz", "n2p2", "lammps-data"; nil if unknown.
        public init?(name: String) {
            switch name.lowercased() {
            case "extxyz", "xyz", "ext-xyz", "exyz": self = .extxyz
            case "n2p2", "input.data", "runner", "inputdata", "input-data": self = .n2p2
            case "lammps-data", "lammps", "lmp", "lammps_data", "lammpsdata", "lmp-data", "data": self = .lammpsData
            default: return nil
            }
        }
    }

    /// Reads every structure of the file (a LAMMPS data file yields one).
    /// `typeToElement` maps LAMMPS types to elements (ignored by the other formats).
    public static func read(path: String, format: String? = nil, typeToElement: [String]? = nil) throws -> [Structure] {
        try readWithOrigins(path: path, format: format, typeToElement: typeToElement).map(\.structure)
    }

    /// Like `read`, with the place of every structure (file, index, first line) for messages
    /// about it later (e.g. a geometry error when it is evaluated).
    public static func readWithOrigins(path: String, format: String? = nil,
                                       typeToElement: [String]? = nil) throws -> [(structure: Structure, origin: StructureOrigin)] {
        let text = try FormatIO.readText(path)
        let fmt = try resolve(path: path, format: format, text: text)
        let parsed: [(Structure, Int)]
        switch fmt {
        case .extxyz: parsed = try ExtendedXYZ.parseLocated(text, source: path)
        case .n2p2: parsed = try N2P2InputData.parseLocated(text, source: path)
        case .lammpsData: parsed = [(try LAMMPSData.parse(text, source: path, typeToElement: typeToElement).structure, 1)]
        }
        return parsed.enumerated().map { k, p in (p.0, StructureOrigin(path: path, index: k + 1, line: p.1)) }
    }

    /// Writes `structures`. The format comes from `format` or the file name (`.xyz`/`.extxyz`,
    /// `input.data`/`.data`, `.lmp`/`.lmp-data`/`data.*`); an unrecognised name is an error.
    /// A LAMMPS data file takes exactly one structure; `typeOrder` defaults to its elements in
    /// order of atomic number.
    public static func write(_ structures: [Structure], to path: String, format: String? = nil,
                             typeOrder: [String]? = nil) throws {
        let fmt: Format
        if let f = format {
            guard let g = Format(name: f) else { throw NNSwiftError.argument("unknown structure file format '\(f)'") }
            fmt = g
        } else if let g = formatFromName(path, preferN2P2ForData: true) {
            fmt = g
        } else {
            throw NNSwiftError.argument("cannot tell the structure file format from the name '\(path)': use a name ending in .xyz or .extxyz (extended XYZ), input.data or .data (n2p2), .lmp or starting with data. (LAMMPS data)")
        }
        switch fmt {
        case .extxyz: try ExtendedXYZ.write(structures, to: path)
        case .n2p2: try N2P2InputData.write(structures, to: path)
        case .lammpsData:
            guard structures.count == 1, let s = structures.first else {
                throw NNSwiftError.argument("a LAMMPS data file holds exactly one structure, got \(structures.count)")
            }
            let order = typeOrder ?? PeriodicTable.sortedByAtomicNumber(Array(Set(s.elements)))
            try LAMMPSData.write(s, typeOrder: order, to: path)
        }
    }

    /// The format that `read` would use for this file.
    public static func detectFormat(path: String, format: String? = nil) throws -> Format {
        try resolve(path: path, format: format, text: FormatIO.readText(path))
    }

    // MARK: - Internals

    static func formatFromName(_ path: String, preferN2P2ForData: Bool) -> Format? {
        let name = (path as NSString).lastPathComponent.lowercased()
        if name.hasSuffix(".xyz") || name.hasSuffix(".extxyz") { return .extxyz }
        if name.hasSuffix(".lmp") || name.hasSuffix(".lmp-data") || name.hasSuffix(".lammps")
            || name.hasSuffix(".lammps-data") || name.hasPrefix("data.") { return .lammpsData }
        if name == "input.data" || name.hasSuffix(".input.data") { return .n2p2 }
        if name.hasSuffix(".data") { return preferN2P2ForData ? .n2p2 : nil }
        return nil
    }

    static func resolve(path: String, format: String?, text: String) throws -> Format {
        if let f = format {
            guard let g = Format(name: f) else { throw NNSwiftError.argument("unknown structure file format '\(f)'") }
            return g
        }
        let first = firstWord(text)
        if let g = formatFromName(path, preferN2P2ForData: false) {
            // "input.data" named files that are really LAMMPS data (and vice versa) are sniffed.
            if g == .n2p2 && first != "begin" { return sniff(text, path: path) ?? g }
            return g
        }
        if let g = sniff(text, path: path) { return g }
        throw NNSwiftError.format(location: path, reason: """
            not a structure file nnswift recognises: the name is none of *.xyz, *.extxyz (extended XYZ), \
            input.data, *.data (n2p2), *.lmp, data.* (LAMMPS data), and the first line is neither an atom \
            count (extended XYZ) nor 'begin' (n2p2 input.data), nor is there a LAMMPS data header line \
            'N atoms'
            """)
    }

    static func firstWord(_ text: String) -> Substring? {
        for line in formatLines(text).prefix(50) {
            if let w = formatFields(line).first { return w }
        }
        return nil
    }

    /// Recognises a format from the first lines of `text`.
    static func sniff(_ text: String, path: String) -> Format? {
        let lines = formatLines(text)
        var firstNonBlank: [Substring]? = nil
        for l in lines.prefix(50) {
            let f = formatFields(l)
            if !f.isEmpty { firstNonBlank = f; break }
        }
        guard let f = firstNonBlank else { return nil }
        // An input.data keyword first: n2p2 (its reader then names the line where 'begin' is missing).
        if ["begin", "atom", "lattice", "comment", "energy", "charge", "end"].contains(f[0]) { return .n2p2 }
        if f.count == 1, Int(f[0]) != nil { return .extxyz }
        // LAMMPS: a title line, then "N atoms" among the header lines.
        for l in lines.dropFirst().prefix(50) {
            let g = formatFields(l)
            if g.count >= 2, Int(g[0]) != nil, g[1] == "atoms" { return .lammpsData }
        }
        return nil
    }
}
