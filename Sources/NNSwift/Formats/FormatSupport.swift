import Foundation

// Internal helpers shared by the structure file readers and writers: file reading, fast
// line/field splitting on the UTF-8 view and number parsing with located errors.

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
    if PeriodicTable.isElement(sym) { return sym }
    if allowAtomicNumber, let z = Int(tok), let s = PeriodicTable.symbol(atomicNumber: z) { return s }
    throw formatError(source, line, "unknown element symbol '\(tok)'")
}

/// Shortest representation that reads back to the identical Double ("1.0", "1e-07", "-0.0").
@inline(__always) func formatNumber(_ x: Double) -> String { "\(x)" }
