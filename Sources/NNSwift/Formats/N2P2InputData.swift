import Foundation

/// n2p2 / RuNNer `input.data`: one block per structure,
///
///     begin
///     comment free text                       (optional, may repeat)
///     lattice ax ay az                        (none: free cluster; exactly three: periodic)
///     lattice bx by bz
///     lattice cx cy cz
///     atom x y z Element charge n fx fy fz    (one per atom; n is unused, written as 0)
///     energy E                                (optional)
///     charge Q                                (optional)
///     end
///
/// Keywords may be indented; numbers may use Fortran `D` exponents. Per-atom charges go to
/// `Structure.charges`, the `charge` line to `Structure.totalCharge`, comment lines (joined
/// with "\n") to `Structure.comment`. Writing uses the shortest round-trip representation of
/// every Double, so write → read is bit-exact. A structure without forces or charges is
/// written with zeros (read back as zero arrays); missing energy/charge lines are omitted.
public enum N2P2InputData {
    /// Reads every structure of the file at `path`.
    public static func read(path: String) throws -> [Structure] {
        try parse(FormatIO.readText(path), source: path)
    }

    /// Parses every block of `text`; `source` names the text in error messages.
    public static func parse(_ text: String, source: String) throws -> [Structure] {
        try parseLocated(text, source: source).map(\.0)
    }

    /// Every block with the 1-based line of its `begin`.
    static func parseLocated(_ text: String, source: String) throws -> [(Structure, Int)] {
        let lines = formatLines(text)
        var result: [(Structure, Int)] = []

        var inBlock = false
        var beginLine = 0
        var lattice: [SIMD3<Double>] = []
        var positions: [SIMD3<Double>] = []
        var elements: [String] = []
        var charges: [Double] = []
        var forces: [SIMD3<Double>] = []
        var energy: Double? = nil
        var totalCharge: Double? = nil
        var comments: [String] = []
        var symbolCache: [Substring: String] = [:]

        for (idx, line) in lines.enumerated() {
            let ln = idx + 1
            let f = formatFields(line)
            guard let key = f.first else { continue }   // blank line
            if key.hasPrefix("#") { continue }
            if !inBlock {
                guard key == "begin" else {
                    throw formatError(source, ln, "expected 'begin' of an input.data block, found '\(key)'")
                }
                guard f.count == 1 else { throw formatError(source, ln, "'begin' takes no arguments") }
                inBlock = true
                beginLine = ln
                lattice = []; positions = []; elements = []; charges = []; forces = []
                energy = nil; totalCharge = nil; comments = []
                continue
            }
            switch key {
            case "atom":
                guard f.count == 10 else {
                    throw formatError(source, ln,
                                      "atom line needs 9 values (x y z element charge n fx fy fz), found \(f.count - 1)")
                }
                positions.append(SIMD3(try formatReal(f[1], "x coordinate", source, ln, fortranD: true),
                                       try formatReal(f[2], "y coordinate", source, ln, fortranD: true),
                                       try formatReal(f[3], "z coordinate", source, ln, fortranD: true)))
                if let s = symbolCache[f[4]] {
                    elements.append(s)
                } else {
                    let s = try formatElement(f[4], source, ln)
                    symbolCache[f[4]] = s
                    elements.append(s)
                }
                charges.append(try formatReal(f[5], "atomic charge", source, ln, fortranD: true))
                _ = try formatReal(f[6], "atom column n", source, ln, fortranD: true)
                forces.append(SIMD3(try formatReal(f[7], "force x", source, ln, fortranD: true),
                                    try formatReal(f[8], "force y", source, ln, fortranD: true),
                                    try formatReal(f[9], "force z", source, ln, fortranD: true)))
            case "lattice":
                guard f.count == 4 else {
                    throw formatError(source, ln, "lattice line needs 3 values, found \(f.count - 1)")
                }
                guard lattice.count < 3 else {
                    throw formatError(source, ln, "more than three lattice lines in the block starting at line \(beginLine)")
                }
                lattice.append(SIMD3(try formatReal(f[1], "lattice x", source, ln, fortranD: true),
                                     try formatReal(f[2], "lattice y", source, ln, fortranD: true),
                                     try formatReal(f[3], "lattice z", source, ln, fortranD: true)))
            case "energy":
                guard f.count == 2 else { throw formatError(source, ln, "energy line needs 1 value, found \(f.count - 1)") }
                guard energy == nil else { throw formatError(source, ln, "second energy line in the block starting at line \(beginLine)") }
                energy = try formatReal(f[1], "energy", source, ln, fortranD: true)
            case "charge":
                guard f.count == 2 else { throw formatError(source, ln, "charge line needs 1 value, found \(f.count - 1)") }
                guard totalCharge == nil else { throw formatError(source, ln, "second charge line in the block starting at line \(beginLine)") }
                totalCharge = try formatReal(f[1], "total charge", source, ln, fortranD: true)
            case "comment":
                // Everything after the keyword (one separating blank removed).
                let t = formatTrimmed(line)
                var rest = t.dropFirst("comment".count)
                if let c = rest.first, c == " " || c == "\t" { rest = rest.dropFirst() }
                comments.append(String(rest))
            case "begin":
                throw formatError(source, ln, "'begin' inside the block starting at line \(beginLine) (missing 'end')")
            case "end":
                guard f.count == 1 else { throw formatError(source, ln, "'end' takes no arguments") }
                guard lattice.count == 0 || lattice.count == 3 else {
                    throw formatError(source, ln,
                                      "the block starting at line \(beginLine) has \(lattice.count) lattice lines (need 0 or 3)")
                }
                guard !positions.isEmpty else {
                    throw formatError(source, ln, "the block starting at line \(beginLine) has no atoms")
                }
                var cell: Cell? = nil
                if lattice.count == 3 {
                    let c = Cell(a: lattice[0], b: lattice[1], c: lattice[2])
                    guard c.volume > 0 else {
                        throw formatError(source, ln, "the lattice of the block starting at line \(beginLine) is degenerate (zero volume)")
                    }
                    cell = c
                }
                result.append((Structure(positions: positions, elements: elements, cell: cell,
                                         pbc: cell == nil ? .none : .all, energy: energy, forces: forces,
                                         charges: charges, totalCharge: totalCharge,
                                         comment: comments.isEmpty ? nil : comments.joined(separator: "\n")), beginLine))
                inBlock = false
            default:
                throw formatError(source, ln, "unknown keyword '\(key)' in the block starting at line \(beginLine)")
            }
        }
        if inBlock {
            throw formatError(source, max(lines.count, 1),
                              "file ends inside the block starting at line \(beginLine) ('end' missing)")
        }
        return result
    }

    /// Writes all `structures` as consecutive blocks.
    public static func write(_ structures: [Structure], to path: String) throws {
        var out = ""
        for s in structures { out += try format(s) }
        try AtomicFile.write(out, to: path)
    }

    /// One `begin … end` block (ends with a newline).
    /// Throws `NNSwiftError.argument` for inconsistent arrays or a partially periodic cell
    /// (input.data can only say "periodic in all three directions" or "no cell").
    public static func format(_ s: Structure) throws -> String {
        let n = s.count
        guard n > 0 else { throw NNSwiftError.argument("input.data cannot hold a structure without atoms") }
        try s.checkArrayLengths()
        if s.cell != nil && s.pbc != .all {
            throw NNSwiftError.argument("input.data supports only fully periodic cells or free clusters (pbc is \(s.pbc))")
        }
        var out = "begin\n"
        if let c = s.comment {
            for l in c.split(separator: "\n", omittingEmptySubsequences: false) {
                out += l.isEmpty ? "comment\n" : "comment \(l)\n"
            }
        }
        if let c = s.cell {
            for v in c.vectors {
                out += "lattice \(formatNumber(v.x)) \(formatNumber(v.y)) \(formatNumber(v.z))\n"
            }
        }
        out.reserveCapacity(out.utf8.count + n * 140)
        for i in 0..<n {
            let r = s.positions[i]
            let f = s.forces?[i] ?? .zero
            let q = s.charges?[i] ?? 0
            out += "atom "
            out += formatNumber(r.x); out += " "
            out += formatNumber(r.y); out += " "
            out += formatNumber(r.z); out += " "
            out += s.elements[i]; out += " "
            out += formatNumber(q); out += " 0 "
            out += formatNumber(f.x); out += " "
            out += formatNumber(f.y); out += " "
            out += formatNumber(f.z); out += "\n"
        }
        if let e = s.energy { out += "energy \(formatNumber(e))\n" }
        if let q = s.totalCharge { out += "charge \(formatNumber(q))\n" }
        out += "end\n"
        return out
    }
}
