import Foundation

// Internal helpers shared by the structure file readers and writers: file access, fast
// line/field splitting on the UTF-8 view, number parsing with located errors, and an element
// table for symbol validation and mass → element guessing.
//
// The element table is deliberately internal and named `FormatElements` so that it cannot
// clash with a public periodic table elsewhere in the module.

enum FormatElements {
    /// Element symbols for Z = 1…118.
    static let symbols: [String] = [
        "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne",
        "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar", "K", "Ca",
        "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn",
        "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr",
        "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn",
        "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
        "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb",
        "Lu", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg",
        "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th",
        "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm",
        "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds",
        "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
    ]

    /// IUPAC standard atomic weights (amu) for Z = 1…83 (H…Bi): the elements whose mass
    /// identifies them unambiguously. Heavier elements are never guessed from a mass.
    static let weights: [Double] = [
        1.008, 4.0026, 6.94, 9.0122, 10.81, 12.011, 14.007, 15.999, 18.998, 20.180,
        22.990, 24.305, 26.982, 28.085, 30.974, 32.06, 35.45, 39.948, 39.098, 40.078,
        44.956, 47.867, 50.942, 51.996, 54.938, 55.845, 58.933, 58.693, 63.546, 65.38,
        69.723, 72.630, 74.922, 78.971, 79.904, 83.798, 85.468, 87.62, 88.906, 91.224,
        92.906, 95.95, 97.907, 101.07, 102.91, 106.42, 107.87, 112.41, 114.82, 118.71,
        121.76, 127.60, 126.90, 131.29, 132.91, 137.33, 138.91, 140.12, 140.91, 144.24,
        144.91, 150.36, 151.96, 157.25, 158.93, 162.50, 164.93, 167.26, 168.93, 173.05,
        174.97, 178.49, 180.95, 183.84, 186.21, 190.23, 192.22, 195.08, 196.97, 200.59,
        204.38, 207.2, 208.98,
    ]

    static let numberBySymbol: [String: Int] = {
        var d: [String: Int] = [:]
        for (i, s) in symbols.enumerated() { d[s] = i + 1 }
        return d
    }()

    static func isElement(_ s: String) -> Bool { numberBySymbol[s] != nil }

    static func atomicNumber(_ s: String) -> Int? { numberBySymbol[s] }

    static func symbol(atomicNumber z: Int) -> String? {
        z >= 1 && z <= symbols.count ? symbols[z - 1] : nil
    }

    static func weight(_ s: String) -> Double? {
        guard let z = numberBySymbol[s], z <= weights.count else { return nil }
        return weights[z - 1]
    }

    /// The element whose standard weight is nearest to `mass`, if within `tolerance` amu.
    static func element(nearestMass mass: Double, tolerance: Double = 0.1) -> String? {
        guard mass.isFinite else { return nil }
        var best = -1
        var bestDiff = Double.infinity
        for (i, m) in weights.enumerated() {
            let d = abs(m - mass)
            if d <= tolerance && d < bestDiff { best = i; bestDiff = d }
        }
        return best >= 0 ? symbols[best] : nil
    }
}

// MARK: - File access

enum FormatIO {
    /// Reads a whole text file; throws `NNSwiftError.io` naming the path.
    static func readText(_ path: String) throws -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw NNSwiftError.io(path: path, reason: "no such file")
        }
        if isDir.boolValue { throw NNSwiftError.io(path: path, reason: "is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NNSwiftError.io(path: path, reason: "file cannot be read (permissions?)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `text` to `path` atomically; throws `NNSwiftError.io` naming the path.
    static func writeText(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw NNSwiftError.io(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}

// MARK: - Lines and fields

/// Splits `text` into lines (on "\n", dropping a trailing "\r"). Line k (1-based) is `lines[k-1]`.
/// A final newline does not produce an extra empty line.
func formatLines(_ text: String) -> [Substring] {
    var lines: [Substring] = []
    let u = text.utf8
    var start = u.startIndex
    var i = u.startIndex
    let end = u.endIndex
    while i < end {
        if u[i] == 10 {
            var e = i
            if e > start {
                let p = u.index(before: e)
                if u[p] == 13 { e = p }
            }
            lines.append(text[start..<e])
            start = u.index(after: i)
        }
        i = u.index(after: i)
    }
    if start < end {
        var e = end
        let p = u.index(before: e)
        if u[p] == 13 { e = p }
        lines.append(text[start..<e])
    }
    return lines
}

@inline(__always) func isFieldSpace(_ b: UInt8) -> Bool {
    b == 32 || b == 9 || b == 13 || b == 11 || b == 12
}

/// Whitespace-separated fields of a line (spaces, tabs).
func formatFields(_ line: Substring) -> [Substring] {
    var out: [Substring] = []
    out.reserveCapacity(12)
    let u = line.utf8
    var i = u.startIndex
    let end = u.endIndex
    while i < end {
        while i < end && isFieldSpace(u[i]) { i = u.index(after: i) }
        if i == end { break }
        let s = i
        while i < end && !isFieldSpace(u[i]) { i = u.index(after: i) }
        out.append(line[s..<i])
    }
    return out
}

/// True when the line has no non-blank characters.
func formatIsBlank(_ line: Substring) -> Bool {
    for b in line.utf8 where !isFieldSpace(b) { return false }
    return true
}

/// The line with leading and trailing blanks removed.
func formatTrimmed(_ line: Substring) -> Substring {
    let u = line.utf8
    var s = u.startIndex
    var e = u.endIndex
    while s < e && isFieldSpace(u[s]) { s = u.index(after: s) }
    while e > s {
        let p = u.index(before: e)
        if isFieldSpace(u[p]) { e = p } else { break }
    }
    return line[s..<e]
}

// MARK: - Numbers

/// Parses a floating-point token; with `fortranD`, also accepts `1.0D+01` exponents.
/// Returns nil when the token is not a number (NaN/inf are returned as such; callers check).
@inline(__always) func formatParseDouble(_ tok: Substring, fortranD: Bool = false) -> Double? {
    if let v = Double(tok) { return v }
    if fortranD, tok.utf8.contains(where: { $0 == 68 || $0 == 100 }) {   // 'D' or 'd'
        var bytes = Array(tok.utf8)
        for k in bytes.indices where bytes[k] == 68 || bytes[k] == 100 { bytes[k] = 69 }
        return Double(String(decoding: bytes, as: UTF8.self))
    }
    return nil
}

/// Located error for `source:line`.
@inline(never) func formatError(_ source: String, _ line: Int, _ reason: String) -> NNSwiftError {
    .format(location: "\(source):\(line)", reason: reason)
}

/// Parses a finite real `what` from `tok` or throws a located error.
@inline(__always) func formatReal(_ tok: Substring, _ what: @autoclosure () -> String,
                                  _ source: String, _ line: Int, fortranD: Bool = false) throws -> Double {
    guard let v = formatParseDouble(tok, fortranD: fortranD) else {
        throw formatError(source, line, "\(what()): '\(tok)' is not a number")
    }
    guard v.isFinite else {
        throw formatError(source, line, "\(what()): non-finite value '\(tok)'")
    }
    return v
}

/// Parses an integer `what` from `tok` or throws a located error.
@inline(__always) func formatInt(_ tok: Substring, _ what: @autoclosure () -> String,
                                 _ source: String, _ line: Int) throws -> Int {
    guard let v = Int(tok) else {
        throw formatError(source, line, "\(what()): '\(tok)' is not an integer")
    }
    return v
}

/// Validates an element symbol; `capitalize` turns "CL"/"cl" into "Cl" first (as ASE does).
func formatElement(_ tok: Substring, _ source: String, _ line: Int, capitalize: Bool = false,
                   allowAtomicNumber: Bool = false) throws -> String {
    var sym = String(tok)
    if capitalize, let f = sym.first {
        sym = f.uppercased() + sym.dropFirst().lowercased()
    }
    if FormatElements.isElement(sym) { return sym }
    if allowAtomicNumber, let z = Int(tok), let s = FormatElements.symbol(atomicNumber: z) { return s }
    throw formatError(source, line, "unknown element symbol '\(tok)'")
}

/// Shortest representation that reads back to the identical Double ("1.0", "1e-07", "-0.0").
@inline(__always) func formatNumber(_ x: Double) -> String { "\(x)" }
