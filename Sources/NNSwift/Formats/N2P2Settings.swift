/// The keywords of an n2p2 `input.nn` file (training-only keywords are read and ignored).
struct Settings {
    let path: String
    private var values: [String: (line: Int, args: [Substring])] = [:]
    private(set) var symmetryFunctionLines: [(Int, [Substring])] = []
    private(set) var atomEnergyLines: [(Int, [Substring])] = []
    private(set) var recordedUnits: Units?

    init(text: String, path: String) throws {
        self.path = path
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count > 1, let comment = parts.last, comment.contains("nnswift units") {
                let f = comment.split(separator: " ")
                if let l = f.firstIndex(of: "length"), let e = f.firstIndex(of: "energy"), l + 1 < f.count, e + 1 < f.count {
                    recordedUnits = try? Units(parsingLength: String(f[l + 1]), energy: String(f[e + 1]))
                }
            }
            let fields = (parts.first ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let key = fields.first else { continue }
            let args = Array(fields.dropFirst())
            switch key {
            case "symfunction_short", "symfunction": symmetryFunctionLines.append((n + 1, args))
            case "atom_energy": atomEnergyLines.append((n + 1, args))
            default: values[String(key)] = (n + 1, args)
            }
        }
    }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// "input.nn:LINE" of a keyword, or the file alone when it is absent.
    func location(_ key: String) -> String { values[key].map { "\(path):\($0.line)" } ?? path }

    func double(_ key: String) throws -> Double? {
        guard let v = values[key] else { return nil }
        guard let s = v.args.first, let d = formatParseDouble(s, fortranD: true), d.isFinite else {
            throw NNSwiftError.format(location: "\(path):\(v.line)", reason: "\(key) needs a number")
        }
        return d
    }

    func ints(_ key: String) throws -> [Int]? {
        guard let v = values[key] else { return nil }
        let r = v.args.compactMap { Int($0) }
        guard r.count == v.args.count, !r.isEmpty, r.allSatisfy({ $0 > 0 }) else {
            throw NNSwiftError.format(location: "\(path):\(v.line)", reason: "\(key) needs positive integers")
        }
        return r
    }

    func elements() throws -> [String] {
        guard let v = values["elements"] else { throw NNSwiftError.format(location: path, reason: "keyword 'elements' is missing") }
        let list = v.args.map(String.init)
        for e in list where !PeriodicTable.isElement(e) {
            throw NNSwiftError.format(location: "\(path):\(v.line)", reason: "'\(e)' is not an element symbol")
        }
        if let n = try ints("number_of_elements")?.first, n != list.count {
            throw NNSwiftError.format(location: "\(path):\(v.line)", reason: "number_of_elements is \(n) but \(list.count) elements are listed")
        }
        guard !list.isEmpty else { throw NNSwiftError.format(location: "\(path):\(v.line)", reason: "no elements listed") }
        return list
    }

    func cutoffKind() throws -> CutoffKind {
        guard let v = values["cutoff_type"] else { throw NNSwiftError.format(location: path, reason: "keyword 'cutoff_type' is missing") }
        guard let s = v.args.first, let t = Int(s), let k = CutoffKind(rawValue: t) else {
            throw NNSwiftError.format(location: "\(path):\(v.line)", reason: "cutoff_type must be 0..8")
        }
        return k
    }

    func cutoffAlpha() throws -> Double {
        guard let v = values["cutoff_type"], v.args.count > 1 else { return 0 }
        guard let a = formatParseDouble(v.args[1], fortranD: true), a >= 0, a < 1 else {
            throw NNSwiftError.format(location: "\(path):\(v.line)", reason: "cutoff_type inner-radius parameter must be in [0, 1)")
        }
        return a
    }

    func scalingMode() -> ScalingMode {
        let scale = has("scale_symmetry_functions"), center = has("center_symmetry_functions")
        if has("scale_symmetry_functions_sigma") { return .scaleSigma }
        switch (scale, center) {
        case (true, true): return .scaleCenter
        case (true, false): return .scale
        case (false, true): return .center
        case (false, false): return .none
        }
    }

    func activations(count: Int, path: String) throws -> [Activation] {
        guard let v = values["global_activation_short"] else {
            throw NNSwiftError.format(location: path, reason: "keyword 'global_activation_short' is missing")
        }
        guard v.args.count == count else {
            throw NNSwiftError.format(location: "\(path):\(v.line)", reason: "global_activation_short lists \(v.args.count) activations, the network has \(count) layers")
        }
        return try v.args.map { a in
            guard let act = Activation(rawValue: String(a)) else {
                throw NNSwiftError.format(location: "\(path):\(v.line)", reason: "unknown activation '\(a)' (n2p2 codes: l t s p r g c S e h)")
            }
            return act
        }
    }

    func atomEnergies(path: String) throws -> [String: Double] {
        var r: [String: Double] = [:]
        for (line, args) in atomEnergyLines {
            guard args.count == 2, let e = formatParseDouble(args[1], fortranD: true), e.isFinite else {
                throw NNSwiftError.format(location: "\(path):\(line)", reason: "atom_energy needs: element energy")
            }
            r[String(args[0])] = e
        }
        return r
    }
}
