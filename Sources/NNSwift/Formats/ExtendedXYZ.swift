import Foundation

/// Extended XYZ, as ASE (`ase.io.extxyz`) reads and writes it.
///
/// Each frame is an atom-count line, a comment line, and one line per atom. The comment line
/// holds `key=value` pairs (values may be quoted with `"..."`/`'...'`, with `\` escapes, or
/// bracketed `[...]`/`{...}`); a key without `=` is a flag (stored as `"T"`). Recognised keys
/// (case-insensitive):
/// - `Lattice="ax ay az bx by bz cx cy cz"`: the cell, lattice vectors a, b, c in order.
/// - `Properties=name:type:count:...`: the per-atom columns; type is S (string), R (real),
///   I (integer) or L (logical T/F). Default `species:S:1:pos:R:3`. Used columns: `species`
///   (or `Z`, atomic numbers), `pos`, `forces`/`force` (R:3), `charges`/`initial_charges` (R:1);
///   any other column is checked against its declared type and skipped.
/// - `pbc="T T F"`: periodicity; default T T T with a Lattice, F F F without. A zero lattice
///   vector along a non-periodic axis (ASE's 2D and 1D cells) becomes a unit normal vector
///   (`Cell.completingNonPeriodicAxes`); along a periodic axis it is an error.
/// - `energy=E`; `stress="9 values"` (row-major) or 6 Voigt values `xx yy zz yz xz xy`;
///   `virial="9 values"` (used only without `stress`: stress = −virial/volume).
/// - `comment=...` → `Structure.comment`; `total_charge=Q` → `Structure.totalCharge`.
/// All other pairs are kept verbatim (unquoted) in `Structure.info`. A comment line that
/// contains no `=` at all is stored whole in `Structure.comment`.
///
/// Checked against ASE 3.29: ASE reads files written here identically (positions, cell, pbc,
/// energy, forces, stress, info) and files written by ASE read back here bit-exactly. Two
/// deliberate differences: a comment line without `=` becomes `comment` here (ASE turns each
/// word into a `True` flag), and 6-value Voigt stress is accepted (ASE 3.29 rejects it).
///
/// Species symbols are capitalised as ASE does ("CL" → "Cl") and validated against the
/// periodic table. Writing uses the shortest round-trip representation of every Double,
/// so write → read is bit-exact.
public enum ExtendedXYZ {
    /// Reads every frame of the file at `path`.
    public static func read(path: String) throws -> [Structure] {
        try parse(FormatIO.readText(path), source: path)
    }

    /// Parses every frame of `text`; `source` names the text in error messages.
    public static func parse(_ text: String, source: String) throws -> [Structure] {
        try parseLocated(text, source: source).map(\.0)
    }

    /// Every frame with the 1-based line of its atom-count line.
    static func parseLocated(_ text: String, source: String) throws -> [(Structure, Int)] {
        let lines = formatLines(text)
        var frames: [(Structure, Int)] = []
        var k = 0
        while k < lines.count {
            if formatIsBlank(lines[k]) { k += 1; continue }
            let headerLine = k + 1
            let countText = formatTrimmed(lines[k])
            guard let n = Int(countText) else {
                throw formatError(source, headerLine,
                                  "expected the number of atoms of an extended XYZ frame, found '\(countText)'")
            }
            guard n >= 0 else { throw formatError(source, headerLine, "negative atom count \(n)") }
            guard k + 1 < lines.count else {
                throw formatError(source, headerLine, "truncated frame: the comment line after the atom count is missing")
            }
            let available = lines.count - (k + 2)
            guard available >= n else {
                throw formatError(source, lines.count,
                                  "truncated frame: the frame starting at line \(headerLine) declares \(n) atoms but the file ends after \(max(available, 0))")
            }
            let s = try parseFrame(lines: lines, header: k, atoms: n, source: source)
            frames.append((s, headerLine))
            k += 2 + n
        }
        return frames
    }

    /// Writes all `structures` as consecutive frames.
    public static func write(_ structures: [Structure], to path: String) throws {
        var out = ""
        for s in structures { out += try format(s) }
        try AtomicFile.write(out, to: path)
    }

    /// One frame in ASE's extended XYZ form (ends with a newline).
    /// Throws `NNSwiftError.argument` when the arrays of `s` have inconsistent lengths.
    public static func format(_ s: Structure) throws -> String {
        let n = s.count
        try s.checkArrayLengths()
        var parts: [String] = []
        if let c = s.cell {
            let v = [c.a.x, c.a.y, c.a.z, c.b.x, c.b.y, c.b.z, c.c.x, c.c.y, c.c.z]
            parts.append("Lattice=\"" + v.map(formatNumber).joined(separator: " ") + "\"")
        }
        var props = "species:S:1:pos:R:3"
        if s.forces != nil { props += ":forces:R:3" }
        if s.charges != nil { props += ":charges:R:1" }
        parts.append("Properties=" + props)
        if let e = s.energy { parts.append("energy=" + formatNumber(e)) }
        if let st = s.stress { parts.append("stress=\"" + st.flat.map(formatNumber).joined(separator: " ") + "\"") }
        if let q = s.totalCharge { parts.append("total_charge=" + formatNumber(q)) }
        if let c = s.comment {
            let oneLine = c.replacingOccurrences(of: "\r\n", with: " ")
                .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            parts.append("comment=" + quoted(oneLine, force: true))
        }
        for key in s.info.keys.sorted() where !reservedKeys.contains(key.lowercased()) {
            parts.append(quoted(key, force: false) + "=" + quoted(s.info[key] ?? "", force: false))
        }
        let p = s.cell == nil ? PBC.none : s.pbc
        parts.append("pbc=\"\(p.a ? "T" : "F") \(p.b ? "T" : "F") \(p.c ? "T" : "F")\"")

        var out = "\(n)\n"
        out += parts.joined(separator: " ")
        out += "\n"
        out.reserveCapacity(out.utf8.count + n * 120)
        for i in 0..<n {
            let r = s.positions[i]
            out += s.elements[i]
            out += " "; out += formatNumber(r.x)
            out += " "; out += formatNumber(r.y)
            out += " "; out += formatNumber(r.z)
            if let f = s.forces {
                out += " "; out += formatNumber(f[i].x)
                out += " "; out += formatNumber(f[i].y)
                out += " "; out += formatNumber(f[i].z)
            }
            if let q = s.charges { out += " "; out += formatNumber(q[i]) }
            out += "\n"
        }
        return out
    }

    // MARK: - Internals

    static let reservedKeys: Set<String> = ["lattice", "properties", "pbc", "energy", "stress", "virial",
                                            "comment", "total_charge"]

    /// Quotes a key or value when ASE would not read it back as one token.
    static func quoted(_ v: String, force: Bool) -> String {
        let needs = force || v.isEmpty || v.utf8.contains { b in
            b == 32 || b == 9 || b == 10 || b == 13 || b == 34 || b == 39 || b == 61 || b == 92 || b == 44 || b == 91 || b == 123
        }
        guard needs else { return v }
        var out = "\""
        for var ch in v.unicodeScalars {
            if ch == "\n" || ch == "\r" { ch = " " }   // one line per comment line
            if ch == "\"" || ch == "\\" { out += "\\" }
            out.unicodeScalars.append(ch)
        }
        return out + "\""
    }

    struct Column {
        var name: String
        var type: UInt8   // S, R, I, L
        var count: Int
        var start: Int
    }

    /// Parses a `Properties` value into columns.
    static func parseProperties(_ spec: String, _ source: String, _ line: Int) throws -> [Column] {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count % 3 == 0, !parts.isEmpty else {
            throw formatError(source, line, "Properties '\(spec)' is not a list of name:type:count triplets")
        }
        var cols: [Column] = []
        var start = 0
        var t = 0
        while t < parts.count {
            let name = String(parts[t])
            let typ = parts[t + 1]
            guard !name.isEmpty else { throw formatError(source, line, "Properties '\(spec)': empty column name") }
            guard typ.utf8.count == 1, let b = typ.utf8.first, [83, 82, 73, 76].contains(b) else {
                throw formatError(source, line, "Properties '\(spec)': column '\(name)' has type '\(typ)' (expected S, R, I or L)")
            }
            guard let c = Int(parts[t + 2]), c >= 1, c <= 100_000 else {
                throw formatError(source, line, "Properties '\(spec)': column '\(name)' has invalid width '\(parts[t + 2])'")
            }
            cols.append(Column(name: name, type: b, count: c, start: start))
            start += c
            t += 3
        }
        return cols
    }

    /// Splits an ASE comment line into (key, value) pairs; value nil for a bare flag.
    static func parseKeyValues(_ line: Substring, _ source: String, _ lineNo: Int) throws -> [(String, String?)] {
        let b = Array(line.utf8)
        let n = b.count
        var i = 0
        var pairs: [(String, String?)] = []

        func skipSpace() { while i < n && isFieldSpace(b[i]) { i += 1 } }

        func token(isKey: Bool) throws -> String {
            guard i < n else { return "" }
            let c = b[i]
            if c == 34 || c == 39 {   // quoted
                let q = c
                i += 1
                var out: [UInt8] = []
                while i < n && b[i] != q {
                    if b[i] == 92 && i + 1 < n { i += 1 }
                    out.append(b[i])
                    i += 1
                }
                guard i < n else {
                    throw formatError(source, lineNo, "unterminated quoted string in the comment line")
                }
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if !isKey && (c == 91 || c == 123) {   // [..] or {..}
                let open = c, close: UInt8 = c == 91 ? 93 : 125
                var depth = 0
                let s = i
                while i < n {
                    if b[i] == open { depth += 1 } else if b[i] == close { depth -= 1; if depth == 0 { i += 1; break } }
                    i += 1
                }
                guard depth == 0 else {
                    throw formatError(source, lineNo, "unterminated '\(Character(UnicodeScalar(open)))' in the comment line")
                }
                return String(decoding: b[s..<i], as: UTF8.self)
            }
            let s = i
            while i < n && !isFieldSpace(b[i]) && !(isKey && b[i] == 61) { i += 1 }
            return String(decoding: b[s..<i], as: UTF8.self)
        }

        while true {
            skipSpace()
            if i >= n { break }
            if b[i] == 61 { throw formatError(source, lineNo, "'=' without a key in the comment line") }
            let key = try token(isKey: true)
            skipSpace()
            if i < n && b[i] == 61 {
                i += 1
                skipSpace()
                let value = try token(isKey: false)
                pairs.append((key, value))
            } else {
                pairs.append((key, nil))
            }
        }
        return pairs
    }

    static func parseBool(_ s: Substring) -> Bool? {
        switch s {
        case "T", "t", "True", "true", "TRUE", "1": return true
        case "F", "f", "False", "false", "FALSE", "0": return false
        default: return nil
        }
    }

    static func reals(_ value: String, _ key: String, _ source: String, _ line: Int) throws -> [Double] {
        let toks = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
        return try toks.map { try formatReal($0, "\(key) value", source, line) }
    }

    static func parseFrame(lines: [Substring], header k: Int, atoms n: Int, source: String) throws -> Structure {
        let commentLineNo = k + 2
        let commentLine = lines[k + 1]

        // Key/value pairs, or a plain comment.
        var pairs: [(String, String?)] = []
        var plainComment: String? = nil
        if commentLine.utf8.contains(61) {
            do {
                pairs = try parseKeyValues(commentLine, source, commentLineNo)
            } catch {
                let lower = commentLine.lowercased()
                if lower.contains("properties=") || lower.contains("lattice=") { throw error }
                plainComment = String(formatTrimmed(commentLine))
                pairs = []
            }
        } else {
            let t = formatTrimmed(commentLine)
            plainComment = t.isEmpty ? nil : String(t)
        }

        var cell: Cell? = nil
        var pbc: PBC? = nil
        var propsSpec = "species:S:1:pos:R:3"
        var energy: Double? = nil
        var stress: Matrix3? = nil
        var virial: Matrix3? = nil
        var totalCharge: Double? = nil
        var comment: String? = plainComment
        var info: [String: String] = [:]

        for (key, value) in pairs {
            switch key.lowercased() {
            case "lattice":
                guard let v = value else { throw formatError(source, commentLineNo, "Lattice has no value") }
                let x = try reals(v, "Lattice", source, commentLineNo)
                guard x.count == 9 else {
                    throw formatError(source, commentLineNo, "Lattice needs 9 numbers, found \(x.count)")
                }
                cell = Cell(a: SIMD3(x[0], x[1], x[2]), b: SIMD3(x[3], x[4], x[5]), c: SIMD3(x[6], x[7], x[8]))
            case "properties":
                guard let v = value else { throw formatError(source, commentLineNo, "Properties has no value") }
                propsSpec = v
            case "pbc":
                guard let v = value else { pbc = .all; continue }
                let toks = v.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
                let flags = toks.map { parseBool($0) }
                if flags.count == 3, let a = flags[0], let b = flags[1], let c = flags[2] {
                    pbc = PBC(a, b, c)
                } else if flags.count == 1, let a = flags[0] {
                    pbc = PBC(a, a, a)
                } else {
                    throw formatError(source, commentLineNo, "pbc must be three T/F values, found '\(v)'")
                }
            case "energy":
                guard let v = value else { throw formatError(source, commentLineNo, "energy has no value") }
                energy = try formatReal(Substring(v), "energy", source, commentLineNo)
            case "stress", "virial":
                guard let v = value else { throw formatError(source, commentLineNo, "\(key) has no value") }
                let x = try reals(v, key, source, commentLineNo)
                let m: Matrix3
                if x.count == 9 {
                    m = Matrix3(flat: x)
                } else if x.count == 6 {
                    // Voigt order xx yy zz yz xz xy.
                    m = Matrix3(SIMD3(x[0], x[5], x[4]), SIMD3(x[5], x[1], x[3]), SIMD3(x[4], x[3], x[2]))
                } else {
                    throw formatError(source, commentLineNo, "\(key) needs 9 or 6 (Voigt) numbers, found \(x.count)")
                }
                if key.lowercased() == "stress" { stress = m } else { virial = m }
            case "total_charge":
                guard let v = value else { throw formatError(source, commentLineNo, "total_charge has no value") }
                totalCharge = try formatReal(Substring(v), "total_charge", source, commentLineNo)
            case "comment":
                comment = value ?? ""
            default:
                info[key] = value ?? "T"
            }
        }

        // Columns.
        let cols = try parseProperties(propsSpec, source, commentLineNo)
        let ncols = cols.last.map { $0.start + $0.count } ?? 0
        var speciesCol = -1, zCol = -1, posCol = -1, forceCol = -1, chargeCol = -1
        var skipped: [(start: Int, count: Int, type: UInt8)] = []
        for c in cols {
            switch c.name {
            case "species" where c.type == 83 && c.count == 1 && speciesCol < 0: speciesCol = c.start
            case "Z" where c.type == 73 && c.count == 1 && zCol < 0: zCol = c.start
            case "pos":
                guard c.type == 82 && c.count == 3 else {
                    throw formatError(source, commentLineNo, "Properties: pos must be R:3")
                }
                posCol = c.start
            case "forces", "force":
                guard c.type == 82 && c.count == 3 else {
                    throw formatError(source, commentLineNo, "Properties: \(c.name) must be R:3")
                }
                if forceCol < 0 { forceCol = c.start } else { skipped.append((c.start, c.count, c.type)) }
            case "charges", "initial_charges":
                if c.type == 82 && c.count == 1 && chargeCol < 0 {
                    chargeCol = c.start
                } else {
                    skipped.append((c.start, c.count, c.type))
                }
            default:
                skipped.append((c.start, c.count, c.type))
            }
        }
        guard posCol >= 0 else { throw formatError(source, commentLineNo, "Properties has no pos:R:3 column") }
        guard speciesCol >= 0 || zCol >= 0 else {
            throw formatError(source, commentLineNo, "Properties has neither a species:S:1 nor a Z:I:1 column")
        }

        var positions: [SIMD3<Double>] = []
        positions.reserveCapacity(n)
        var elements: [String] = []
        elements.reserveCapacity(n)
        var forces: [SIMD3<Double>] = []
        if forceCol >= 0 { forces.reserveCapacity(n) }
        var charges: [Double] = []
        if chargeCol >= 0 { charges.reserveCapacity(n) }
        var symbolCache: [Substring: String] = [:]

        for a in 0..<n {
            let lineNo = k + 3 + a
            let f = formatFields(lines[k + 2 + a])
            guard f.count == ncols else {
                throw formatError(source, lineNo,
                                  "atom line has \(f.count) columns, expected \(ncols) (Properties=\(propsSpec)); the frame at line \(k + 1) declares \(n) atoms")
            }
            if speciesCol >= 0 {
                let tok = f[speciesCol]
                if let s = symbolCache[tok] {
                    elements.append(s)
                } else {
                    let s = try formatElement(tok, source, lineNo, capitalize: true, allowAtomicNumber: true)
                    symbolCache[tok] = s
                    elements.append(s)
                }
            } else {
                let z = try formatInt(f[zCol], "atomic number Z", source, lineNo)
                guard let s = PeriodicTable.symbol(atomicNumber: z) else {
                    throw formatError(source, lineNo, "invalid atomic number \(z)")
                }
                elements.append(s)
            }
            positions.append(SIMD3(try formatReal(f[posCol], "x coordinate", source, lineNo),
                                   try formatReal(f[posCol + 1], "y coordinate", source, lineNo),
                                   try formatReal(f[posCol + 2], "z coordinate", source, lineNo)))
            if forceCol >= 0 {
                forces.append(SIMD3(try formatReal(f[forceCol], "force x", source, lineNo),
                                    try formatReal(f[forceCol + 1], "force y", source, lineNo),
                                    try formatReal(f[forceCol + 2], "force z", source, lineNo)))
            }
            if chargeCol >= 0 { charges.append(try formatReal(f[chargeCol], "charge", source, lineNo)) }
            for col in skipped {
                for j in col.start..<(col.start + col.count) {
                    let tok = f[j]
                    switch col.type {
                    case 82:
                        if formatParseDouble(tok) == nil {
                            throw formatError(source, lineNo, "column \(j + 1): '\(tok)' is not a real number")
                        }
                    case 73:
                        if Int(tok) == nil { throw formatError(source, lineNo, "column \(j + 1): '\(tok)' is not an integer") }
                    case 76:
                        if parseBool(tok) == nil {
                            throw formatError(source, lineNo, "column \(j + 1): '\(tok)' is not a logical (T/F)")
                        }
                    default: break
                    }
                }
            }
        }

        // ASE's zero lattice vectors along non-periodic axes (2D slabs, wires) get a unit normal.
        var p = pbc ?? (cell != nil ? .all : .none)
        if let c = cell {
            cell = c.completingNonPeriodicAxes(pbc: p)
            if cell == nil { p = .none }
        }
        if let c = cell, p.any, !c.isValid {
            throw formatError(source, commentLineNo, """
                Lattice spans no volume along its periodic axes (pbc \(p.a ? "T" : "F") \(p.b ? "T" : "F") \(p.c ? "T" : "F"), \
                volume \(c.volume)); a zero lattice vector is allowed only along a non-periodic axis
                """)
        }
        if let v = virial, stress == nil {
            guard let c = cell, c.volume > 0 else {
                throw formatError(source, commentLineNo, "virial given without a non-degenerate Lattice")
            }
            stress = (-1 / c.volume) * v
        }
        return Structure(positions: positions, elements: elements, cell: cell, pbc: p, energy: energy,
                         forces: forceCol >= 0 ? forces : nil, stress: stress,
                         charges: chargeCol >= 0 ? charges : nil, totalCharge: totalCharge,
                         comment: comment, info: info)
    }
}
