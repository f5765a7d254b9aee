import Foundation

/// A LAMMPS data file as read: the structure (atoms sorted by id) plus the ids and types.
public struct LAMMPSDataFile: Equatable, Sendable {
    public var structure: Structure
    /// LAMMPS atom ids, ascending; `ids[i]` is the id of `structure.positions[i]`.
    public var ids: [Int]
    /// LAMMPS atom types (1-based), parallel to `ids`.
    public var types: [Int]
    /// Element of each type: `typeToElement[t - 1]` is the element of type t.
    public var typeToElement: [String]
    /// Box origin (xlo, ylo, zlo).
    public var origin: SIMD3<Double>

    public init(structure: Structure, ids: [Int], types: [Int], typeToElement: [String], origin: SIMD3<Double>) {
        self.structure = structure
        self.ids = ids
        self.types = types
        self.typeToElement = typeToElement
        self.origin = origin
    }
}

/// LAMMPS data files (`read_data` / `write_data` format).
///
/// Reading: the first line is a title. Header keywords used: `atoms`, `atom types`,
/// `xlo xhi`, `ylo yhi`, `zlo zhi`, `xy xz yz`; others are ignored. Sections: `Masses`,
/// `Atom Type Labels`, `Atoms`; every other section (`Velocities`, `Bonds`, coefficients…)
/// is skipped. `#` starts a comment. The atom style comes from `atomStyle`, else from the
/// `Atoms # style` comment, else from the column count (5 or 8 → atomic). Supported styles:
/// `atomic` (id type x y z), `charge` (id type q x y z), `full` (id mol type q x y z),
/// `molecular`/`bond`/`angle` (id mol type x y z), each optionally followed by 3 image flags
/// (which are ignored: positions are taken as given, not wrapped or unwrapped).
///
/// Elements per type: `typeToElement` if given; else an `Atom Type Labels` label or a
/// `Masses` line comment that is an element symbol; else the element whose standard atomic
/// weight is nearest to the mass (within 0.1 amu). The cell is a = (xhi−xlo, 0, 0),
/// b = (xy, yhi−ylo, 0), c = (xz, yz, zhi−zlo), periodic in all three directions.
public enum LAMMPSData {
    /// Reads the data file at `path`.
    public static func read(path: String, typeToElement: [String]? = nil,
                            atomStyle: String? = nil) throws -> LAMMPSDataFile {
        try parse(FormatIO.readText(path), source: path, typeToElement: typeToElement, atomStyle: atomStyle)
    }

    static let sectionNames: Set<String> = [
        "Atoms", "Velocities", "Masses", "Ellipsoids", "Lines", "Triangles", "Bodies",
        "Bonds", "Angles", "Dihedrals", "Impropers",
        "Pair Coeffs", "PairIJ Coeffs", "Bond Coeffs", "Angle Coeffs", "Dihedral Coeffs", "Improper Coeffs",
        "BondBond Coeffs", "BondAngle Coeffs", "MiddleBondTorsion Coeffs", "EndBondTorsion Coeffs",
        "AngleTorsion Coeffs", "AngleAngleTorsion Coeffs", "BondBond13 Coeffs", "AngleAngle Coeffs",
        "Atom Type Labels", "Bond Type Labels", "Angle Type Labels", "Dihedral Type Labels",
        "Improper Type Labels",
    ]

    /// Parses data-file `text`; `source` names it in error messages.
    public static func parse(_ text: String, source: String, typeToElement: [String]? = nil,
                             atomStyle: String? = nil) throws -> LAMMPSDataFile {
        let lines = formatLines(text)
        guard !lines.isEmpty else { throw formatError(source, 1, "empty LAMMPS data file") }

        var natoms: Int? = nil
        var ntypes: Int? = nil
        var xb: (Double, Double)? = nil, yb: (Double, Double)? = nil, zb: (Double, Double)? = nil
        var tilt = SIMD3<Double>(0, 0, 0)

        // Strip a trailing "# comment"; returns (content, comment).
        func splitComment(_ l: Substring) -> (Substring, Substring?) {
            if let h = l.firstIndex(of: "#") { return (l[l.startIndex..<h], formatTrimmed(l[l.index(after: h)...])) }
            return (l, nil)
        }

        // Header.
        var k = 1
        while k < lines.count {
            let (content, _) = splitComment(lines[k])
            let f = formatFields(content)
            if f.isEmpty { k += 1; continue }
            if formatParseDouble(f[0]) == nil { break }   // first section keyword
            let ln = k + 1
            let words = f.drop(while: { formatParseDouble($0) != nil }).joined(separator: " ")
            switch words {
            case "atoms":
                guard f.count == 2 else { throw formatError(source, ln, "'atoms' header needs one count") }
                let n = try formatInt(f[0], "number of atoms", source, ln)
                guard n >= 0 else { throw formatError(source, ln, "negative number of atoms") }
                natoms = n
            case "atom types":
                guard f.count == 3 else { throw formatError(source, ln, "'atom types' header needs one count") }
                let n = try formatInt(f[0], "number of atom types", source, ln)
                guard n >= 1 && n <= 1_000_000 else {
                    throw formatError(source, ln, "number of atom types \(n) out of range 1…1000000")
                }
                ntypes = n
            case "xlo xhi", "ylo yhi", "zlo zhi":
                guard f.count == 4 else { throw formatError(source, ln, "'\(words)' header needs two numbers") }
                let lo = try formatReal(f[0], "\(f[2])", source, ln)
                let hi = try formatReal(f[1], "\(f[3])", source, ln)
                guard hi > lo else { throw formatError(source, ln, "\(f[3]) must be larger than \(f[2])") }
                if words == "xlo xhi" { xb = (lo, hi) } else if words == "ylo yhi" { yb = (lo, hi) } else { zb = (lo, hi) }
            case "xy xz yz":
                guard f.count == 6 else { throw formatError(source, ln, "'xy xz yz' header needs three numbers") }
                tilt = SIMD3(try formatReal(f[0], "xy", source, ln),
                             try formatReal(f[1], "xz", source, ln),
                             try formatReal(f[2], "yz", source, ln))
            case "":
                throw formatError(source, ln, "header line without a keyword")
            default:
                break   // bonds, angles, extra ..., ellipsoids: irrelevant here
            }
            k += 1
        }
        guard let nAtoms = natoms else { throw formatError(source, k + 1, "header has no 'atoms' line") }
        guard let nTypes = ntypes else { throw formatError(source, k + 1, "header has no 'atom types' line") }
        guard let x = xb, let y = yb, let z = zb else {
            throw formatError(source, k + 1, "header lacks one of 'xlo xhi', 'ylo yhi', 'zlo zhi'")
        }
        if let t = typeToElement {
            guard t.count >= nTypes else {
                throw NNSwiftError.argument("the element list for the atom types (--types) has \(t.count) elements but \(source) has \(nTypes) atom types")
            }
            for e in t where !PeriodicTable.isElement(e) {
                throw NNSwiftError.argument("the element list for the atom types of \(source) (--types) has '\(e)', which is not an element symbol")
            }
        }

        // Sections.
        var masses = [Double?](repeating: nil, count: nTypes)
        var massComments = [String?](repeating: nil, count: nTypes)
        var labels = [String?](repeating: nil, count: nTypes)
        var labelToType: [Substring: Int] = [:]
        var atomsLine = -1
        var atomsComment: String? = nil
        var atomsRange = 0..<0

        while k < lines.count {
            let (content, comment) = splitComment(lines[k])
            let name = formatFields(content).joined(separator: " ")
            if name.isEmpty { k += 1; continue }
            let headerLn = k + 1
            guard sectionNames.contains(name) else {
                throw formatError(source, headerLn, "unknown section '\(name)'")
            }
            k += 1
            // Section body: data lines until the next section keyword.
            let bodyStart = k
            while k < lines.count {
                let (c, _) = splitComment(lines[k])
                let f = formatFields(c)
                if !f.isEmpty && Int(f[0]) == nil && sectionNames.contains(f.joined(separator: " ")) { break }
                k += 1
            }
            let body = bodyStart..<k
            switch name {
            case "Masses":
                for j in body {
                    let (c, com) = splitComment(lines[j])
                    let f = formatFields(c)
                    if f.isEmpty { continue }
                    let ln = j + 1
                    guard f.count == 2 else { throw formatError(source, ln, "Masses line needs 'type mass', found \(f.count) fields") }
                    let t = try type(f[0], nTypes, labelToType, source, ln)
                    masses[t - 1] = try formatReal(f[1], "mass", source, ln)
                    if let com = com, !com.isEmpty { massComments[t - 1] = String(formatFields(com)[0]) }
                }
            case "Atom Type Labels":
                for j in body {
                    let (c, _) = splitComment(lines[j])
                    let f = formatFields(c)
                    if f.isEmpty { continue }
                    let ln = j + 1
                    guard f.count == 2 else { throw formatError(source, ln, "type label line needs 'type label'") }
                    let t = try formatInt(f[0], "atom type", source, ln)
                    guard t >= 1 && t <= nTypes else { throw formatError(source, ln, "atom type \(t) out of range 1…\(nTypes)") }
                    labels[t - 1] = String(f[1])
                    labelToType[f[1]] = t
                }
            case "Atoms":
                guard atomsLine < 0 else { throw formatError(source, headerLn, "second Atoms section") }
                atomsLine = headerLn
                atomsComment = comment.map(String.init)
                atomsRange = body
            default:
                break   // Velocities, Bonds, coefficients, ...
            }
        }
        guard atomsLine > 0 || nAtoms == 0 else {
            throw formatError(source, lines.count, "no Atoms section (header declares \(nAtoms) atoms)")
        }

        // Elements per type.
        var elementOfType: [String] = []
        for t in 0..<nTypes {
            if let m = typeToElement {
                elementOfType.append(m[t])
            } else if let l = labels[t], PeriodicTable.isElement(l) {
                elementOfType.append(l)
            } else if let c = massComments[t], PeriodicTable.isElement(c) {
                elementOfType.append(c)
            } else if let m = masses[t] {
                guard let e = PeriodicTable.element(nearestMass: m) else {
                    throw formatError(source, atomsLine > 0 ? atomsLine : lines.count,
                                      "cannot guess the element of atom type \(t + 1) from mass \(m) (no standard atomic weight within 0.1); pass typeToElement")
                }
                elementOfType.append(e)
            } else {
                throw formatError(source, atomsLine > 0 ? atomsLine : lines.count,
                                  "atom type \(t + 1) has no mass in a Masses section; pass typeToElement")
            }
        }

        // Atom style and column layout.
        var style = atomStyle ?? atomsComment.flatMap { formatFields(Substring($0)).first.map(String.init) }
        var firstCount = 0
        for j in atomsRange {
            let f = formatFields(splitComment(lines[j]).0)
            if !f.isEmpty { firstCount = f.count; break }
        }
        if style == nil {
            switch firstCount {
            case 5, 8: style = "atomic"
            case 0: style = "atomic"
            default:
                throw formatError(source, atomsLine,
                                  "cannot infer the atom style from \(firstCount) columns; write 'Atoms # atomic|charge|full' or pass atomStyle")
            }
        }
        let typeCol: Int, qCol: Int, posCol: Int, ncols: Int
        switch style ?? "atomic" {
        case "atomic": typeCol = 1; qCol = -1; posCol = 2; ncols = 5
        case "charge": typeCol = 1; qCol = 2; posCol = 3; ncols = 6
        case "full": typeCol = 2; qCol = 3; posCol = 4; ncols = 7
        case "molecular", "bond", "angle": typeCol = 2; qCol = -1; posCol = 3; ncols = 6
        default:
            throw formatError(source, atomsLine, "unsupported atom style '\(style ?? "")' (atomic, charge, full, molecular)")
        }

        var ids: [Int] = []
        var types: [Int] = []
        var positions: [SIMD3<Double>] = []
        var charges: [Double] = []
        let capacity = min(nAtoms, atomsRange.count)
        ids.reserveCapacity(capacity); types.reserveCapacity(capacity); positions.reserveCapacity(capacity)
        var lastAtomLine = atomsLine
        for j in atomsRange {
            let ln = j + 1
            let f = formatFields(splitComment(lines[j]).0)
            if f.isEmpty { continue }
            lastAtomLine = ln
            guard f.count == ncols || f.count == ncols + 3 else {
                throw formatError(source, ln,
                                  "Atoms line has \(f.count) columns, expected \(ncols) or \(ncols + 3) for atom style \(style ?? "")")
            }
            guard ids.count < nAtoms else {
                throw formatError(source, ln, "more atom lines than the \(nAtoms) atoms declared in the header")
            }
            let id = try formatInt(f[0], "atom id", source, ln)
            guard id >= 1 else { throw formatError(source, ln, "atom id \(id) must be positive") }
            ids.append(id)
            types.append(try type(f[typeCol], nTypes, labelToType, source, ln))
            if qCol >= 0 { charges.append(try formatReal(f[qCol], "charge", source, ln)) }
            positions.append(SIMD3(try formatReal(f[posCol], "x coordinate", source, ln),
                                   try formatReal(f[posCol + 1], "y coordinate", source, ln),
                                   try formatReal(f[posCol + 2], "z coordinate", source, ln)))
            if f.count == ncols + 3 {
                for c in (ncols)..<(ncols + 3) { _ = try formatInt(f[c], "image flag", source, ln) }
            }
        }
        guard ids.count == nAtoms else {
            throw formatError(source, lastAtomLine,
                              "Atoms section ends after line \(lastAtomLine) with \(ids.count) atoms, the header declares \(nAtoms)")
        }

        // Sort by id; reject duplicates.
        var order = Array(0..<nAtoms)
        order.sort { ids[$0] < ids[$1] }
        for i in 1..<max(nAtoms, 1) where ids[order[i]] == ids[order[i - 1]] {
            throw formatError(source, atomsLine, "duplicate atom id \(ids[order[i]]) in the Atoms section")
        }
        let sIds = order.map { ids[$0] }
        let sTypes = order.map { types[$0] }
        let cell = Cell(a: SIMD3(x.1 - x.0, 0, 0), b: SIMD3(tilt.x, y.1 - y.0, 0), c: SIMD3(tilt.y, tilt.z, z.1 - z.0))
        let structure = Structure(positions: order.map { positions[$0] },
                                  elements: sTypes.map { elementOfType[$0 - 1] },
                                  cell: cell, pbc: .all,
                                  charges: qCol >= 0 ? order.map { charges[$0] } : nil)
        return LAMMPSDataFile(structure: structure, ids: sIds, types: sTypes, typeToElement: elementOfType,
                              origin: SIMD3(x.0, y.0, z.0))
    }

    static func type(_ tok: Substring, _ nTypes: Int, _ labels: [Substring: Int], _ source: String, _ ln: Int) throws -> Int {
        if let t = Int(tok) {
            guard t >= 1 && t <= nTypes else { throw formatError(source, ln, "atom type \(t) out of range 1…\(nTypes)") }
            return t
        }
        if let t = labels[tok] { return t }
        throw formatError(source, ln, "atom type '\(tok)' is neither a number nor a type label")
    }

    // MARK: - Writing

    /// Rotates `cell` into LAMMPS's lower-triangular convention a = (ax,0,0), b = (bx,by,0),
    /// c = (cx,cy,cz) with ax, by, cz > 0. Returns the new cell and the matrix R with
    /// new = R · old for every vector (positions, forces). R is a proper rotation for a
    /// right-handed cell; for a left-handed cell (det < 0) it includes a reflection.
    public static func lammpsCell(_ cell: Cell) -> (cell: Cell, rotation: Matrix3) {
        let a = cell.a, b = cell.b, c = cell.c
        let ax = length(a)
        let ahat = a / ax
        let bx = dot(b, ahat)
        let by = length(cross(ahat, b))
        let cx = dot(c, ahat)
        let cy = (dot(b, c) - bx * cx) / by
        let cz = max(dot(c, c) - cx * cx - cy * cy, 0).squareRoot()
        let new = Cell(a: SIMD3(ax, 0, 0), b: SIMD3(bx, by, 0), c: SIMD3(cx, cy, cz))
        // R = N · M⁻¹ where M, N have the old and new vectors as columns:
        // R v = Σ_i (fractional_i of v) · new_i.
        let q = cell.reciprocal   // q[i]·old_j = δij, so fractional_i(v) = q[i]·v
        // R[r][s] = Σ_i new_i[r] · q[i][s]
        let nv = new.vectors
        func row(_ r: Int) -> SIMD3<Double> { nv[0][r] * q[0] + nv[1][r] * q[1] + nv[2][r] * q[2] }
        return (new, Matrix3(row(0), row(1), row(2)))
    }

    /// True when the cell already has LAMMPS's form (exact zeros above the diagonal, positive diagonal).
    static func isLowerTriangular(_ c: Cell) -> Bool {
        c.a.y == 0 && c.a.z == 0 && c.b.z == 0 && c.a.x > 0 && c.b.y > 0 && c.c.z > 0
    }

    /// The data file text (atom style atomic: `id type x y z`, ids 1…N in structure order,
    /// box origin 0, `Masses` from standard atomic weights with the element as comment).
    ///
    /// `typeOrder[t-1]` is the element of LAMMPS type t; every element of `structure` must be in it.
    /// If the cell is not already lower-triangular (a along x, b in the xy plane), the cell and the
    /// positions are rotated into LAMMPS's convention (see `lammpsCell`); the returned rotation R
    /// maps original vectors to LAMMPS vectors (forces from LAMMPS map back with Rᵀ for a rotation).
    public static func format(_ structure: Structure, typeOrder: [String],
                              title: String = "LAMMPS data file written by nnswift") throws -> (text: String, rotation: Matrix3) {
        let s = structure
        let n = s.count
        guard s.elements.count == n else {
            throw NNSwiftError.argument("structure has \(n) positions but \(s.elements.count) elements")
        }
        guard let cell0 = s.cell, cell0.isValid else {
            throw NNSwiftError.argument("a LAMMPS data file needs a non-degenerate cell")
        }
        guard !typeOrder.isEmpty else { throw NNSwiftError.argument("typeOrder is empty") }
        var typeOf: [String: Int] = [:]
        for (i, e) in typeOrder.enumerated() {
            guard PeriodicTable.isElement(e) else { throw NNSwiftError.argument("typeOrder: unknown element symbol '\(e)'") }
            guard typeOf[e] == nil else { throw NNSwiftError.argument("typeOrder lists '\(e)' twice") }
            typeOf[e] = i + 1
        }
        var cell = cell0
        var rot = Matrix3(SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))
        var positions = s.positions
        if !isLowerTriangular(cell0) {
            (cell, rot) = lammpsCell(cell0)
            positions = positions.map { rot * $0 }
        }
        var out = title.replacingOccurrences(of: "\n", with: " ") + "\n\n"
        out += "\(n) atoms\n\(typeOrder.count) atom types\n\n"
        out += "0.0 \(formatNumber(cell.a.x)) xlo xhi\n"
        out += "0.0 \(formatNumber(cell.b.y)) ylo yhi\n"
        out += "0.0 \(formatNumber(cell.c.z)) zlo zhi\n"
        out += "\(formatNumber(cell.b.x)) \(formatNumber(cell.c.x)) \(formatNumber(cell.c.y)) xy xz yz\n"
        out += "\nMasses\n\n"
        for (i, e) in typeOrder.enumerated() {
            out += "\(i + 1) \(formatNumber(PeriodicTable.weight(e) ?? 1.0)) # \(e)\n"
        }
        out += "\nAtoms # atomic\n\n"
        out.reserveCapacity(out.utf8.count + n * 80)
        for i in 0..<n {
            guard let t = typeOf[s.elements[i]] else {
                throw NNSwiftError.argument("element '\(s.elements[i])' of atom \(i + 1) is not in typeOrder \(typeOrder)")
            }
            let r = positions[i]
            guard r.x.isFinite && r.y.isFinite && r.z.isFinite else {
                throw NNSwiftError.geometry("atom \(i + 1) has a non-finite position")
            }
            out += "\(i + 1) \(t) \(formatNumber(r.x)) \(formatNumber(r.y)) \(formatNumber(r.z))\n"
        }
        return (out, rot)
    }

    /// Writes `structure` as a LAMMPS data file (atom style atomic); see `format` for details.
    /// Returns the rotation applied to cell and positions (the identity for a lower-triangular cell).
    @discardableResult
    public static func write(_ structure: Structure, typeOrder: [String], to path: String) throws -> Matrix3 {
        let (text, rot) = try format(structure, typeOrder: typeOrder)
        try AtomicFile.write(text, to: path)
        return rot
    }
}
