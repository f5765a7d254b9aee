import Foundation

/// n2p2 potentials: a directory with `input.nn`, `scaling.data` and `weights.NNN.data`
/// (NNN = atomic number). Symmetry functions are sorted the way n2p2 sorts them, which fixes
/// the order of the network inputs and of scaling.data.
public enum N2P2Potential {
    /// Reads an n2p2 potential. n2p2 files carry no units; pass them when known
    /// (an `input.nn` written by nnswift records them in a comment, which is used otherwise).
    public static func read(directory: String, units: Units? = nil) throws -> Model {
        let inputPath = (directory as NSString).appendingPathComponent("input.nn")
        let text = try FormatIO.readText(inputPath)
        let settings = try Settings(text: text, path: inputPath)
        let elements = PeriodicTable.sortedByAtomicNumber(try settings.elements())
        let cutoffKind = try settings.cutoffKind()
        let alpha = try settings.cutoffAlpha()
        var functions: [String: [SymmetryFunction]] = [:]
        for (line, fields) in settings.symmetryFunctionLines {
            let location = "\(inputPath):\(line)"
            let (center, f) = try parseSymmetryFunction(fields, kind: cutoffKind, alpha: alpha, elements: elements, location: location)
            do { try f.validate(elements: elements) } catch NNSwiftError.argument(let m) {
                throw NNSwiftError.format(location: location, reason: "symfunction_short \(m)")
            }
            functions[center, default: []].append(f)
        }
        let mode = settings.scalingMode()
        let sMin = try settings.double("scale_min_short") ?? 0, sMax = try settings.double("scale_max_short") ?? 1
        let statistics = try readScaling(directory: directory, elements: elements, counts: elements.map { functions[$0]?.count ?? 0 },
                                         rules: Scaling(mode: mode, targetMin: sMin, targetMax: sMax, statistics: []))
        let hidden = try settings.ints("global_nodes_short") ?? []
        if let nLayers = try settings.ints("global_hidden_layers_short")?.first, nLayers != hidden.count {
            throw NNSwiftError.format(location: inputPath, reason: "global_hidden_layers_short is \(nLayers) but global_nodes_short lists \(hidden.count) layers")
        }
        let activations = try settings.activations(count: hidden.count + 1, path: inputPath)
        let atomEnergies = try settings.atomEnergies(path: inputPath)
        var species: [ElementModel] = []
        for (e, element) in elements.enumerated() {
            guard let list = functions[element], !list.isEmpty else {
                throw NNSwiftError.format(location: inputPath, reason: "no symmetry functions for element \(element)")
            }
            let sorted = list.sorted(by: n2p2Precedes)
            let architecture = [sorted.count] + hidden + [1]
            // Bounded before readWeights allocates the layers.
            do { _ = try DenseNetwork.checkedParameterCount(widths: architecture) } catch NNSwiftError.argument(let m) {
                throw NNSwiftError.format(location: settings.location("global_nodes_short"), reason: "network of \(element): \(m)")
            }
            let network = try readWeights(directory: directory, element: element, architecture: architecture,
                                          activations: activations, normalize: settings.has("normalize_nodes"))
            species.append(ElementModel(element: element, symmetryFunctions: sorted,
                                        scaling: Scaling(mode: mode, targetMin: sMin, targetMax: sMax, statistics: statistics[e]),
                                        network: network, referenceEnergy: atomEnergies[element] ?? 0))
        }
        var normalization: Normalization?
        if let mean = try settings.double("mean_energy"), let ce = try settings.double("conv_energy"),
           let cl = try settings.double("conv_length") {
            normalization = Normalization(meanEnergy: mean, convEnergy: ce, convLength: cl)
            do { try normalization?.validate() } catch NNSwiftError.argument(let m) {
                // The rule names the native keys; report n2p2's keyword and its line.
                let n2p2Keys = ["meanEnergy": "mean_energy", "convEnergy": "conv_energy", "convLength": "conv_length"]
                let (native, keyword) = n2p2Keys.first { m.hasPrefix($0.key) } ?? ("", "conv_energy")
                throw NNSwiftError.format(location: settings.location(keyword), reason: keyword + m.dropFirst(native.count))
            }
        }
        let model = Model(units: units ?? settings.recordedUnits ?? .unknown, species: species, normalization: normalization,
                          metadata: ["source": "n2p2 potential \(directory)"])
        do { try model.validate() } catch NNSwiftError.argument(let m) {
            throw NNSwiftError.format(location: directory, reason: m)
        }
        return model
    }

    /// n2p2's order of symmetry functions of one element (SymFnc::operator<).
    static func n2p2Precedes(_ a: SymmetryFunction, _ b: SymmetryFunction) -> Bool {
        func key(_ f: SymmetryFunction) -> [Double] {
            let type: Double = f.kind.isAngular ? (f.kind == .g4 ? 3 : 9) : 2
            let z = f.neighbors.map { Double(PeriodicTable.atomicNumber($0) ?? 0) }
            var k = [type, Double(f.cutoff.kind.rawValue), f.cutoff.alpha, f.cutoff.radius, f.eta, f.rs]
            if f.kind.isAngular { k += [f.zeta, f.lambda] }
            return k + z
        }
        return key(a).lexicographicallyPrecedes(key(b))
    }

    static func parseSymmetryFunction(_ f: [Substring], kind: CutoffKind, alpha: Double, elements: [String],
                                      location: String) throws -> (String, SymmetryFunction) {
        func element(_ i: Int) throws -> String {
            guard i < f.count else { throw NNSwiftError.format(location: location, reason: "symfunction_short has too few fields") }
            let e = String(f[i])
            guard elements.contains(e) else { throw NNSwiftError.format(location: location, reason: "element '\(e)' is not in the elements list") }
            return e
        }
        func number(_ i: Int) throws -> Double {
            guard i < f.count, let v = formatParseDouble(f[i], fortranD: true) else {
                throw NNSwiftError.format(location: location, reason: "symfunction_short field \(i + 2) is missing or not a number")
            }
            return v
        }
        guard f.count >= 2, let type = Int(f[1]) else {
            throw NNSwiftError.format(location: location, reason: "symfunction_short needs an element and a type")
        }
        let center = try element(0)
        switch type {
        case 2:
            guard f.count == 6 else { throw NNSwiftError.format(location: location, reason: "type 2 needs 6 fields: element 2 neighbor eta rs rc") }
            let c = CutoffFunction(kind: kind, radius: try number(5), alpha: alpha)
            return (center, .g2(try element(2), eta: try number(3), rs: try number(4), cutoff: c))
        case 3, 9:
            guard f.count == 8 || f.count == 9 else {
                throw NNSwiftError.format(location: location, reason: "type \(type) needs: element \(type) neighbor1 neighbor2 eta lambda zeta rc [rs]")
            }
            let c = CutoffFunction(kind: kind, radius: try number(7), alpha: alpha)
            let rs = f.count == 9 ? try number(8) : 0
            let (n1, n2) = (try element(2), try element(3))
            let sf = type == 3
                ? SymmetryFunction.g4(n1, n2, eta: try number(4), lambda: try number(5), zeta: try number(6), rs: rs, cutoff: c)
                : SymmetryFunction.g5(n1, n2, eta: try number(4), lambda: try number(5), zeta: try number(6), rs: rs, cutoff: c)
            return (center, sf)
        default:
            throw NNSwiftError.format(location: location, reason: "symmetry function type \(type) is not supported (supported: 2, 3, 9)")
        }
    }

    /// scaling.data; each entry is checked against `rules` (the mode and targets) where it is read.
    static func readScaling(directory: String, elements: [String], counts: [Int], rules: Scaling) throws -> [[FunctionStatistics]] {
        let path = (directory as NSString).appendingPathComponent("scaling.data")
        let text = try FormatIO.readText(path)
        var stats = counts.map { [FunctionStatistics?](repeating: nil, count: $0) }
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if f.isEmpty { continue }
            let loc = "\(path):\(n + 1)"
            guard f.count >= 5, let e = Int(f[0]), let s = Int(f[1]),
                  let mn = formatParseDouble(f[2], fortranD: true), let mx = formatParseDouble(f[3], fortranD: true), let mean = formatParseDouble(f[4], fortranD: true) else {
                throw NNSwiftError.format(location: loc, reason: "expected: element-index function-index min max mean [sigma]")
            }
            let sigma = f.count > 5 ? formatParseDouble(f[5], fortranD: true) : 0
            guard let sigma else { throw NNSwiftError.format(location: loc, reason: "sigma is not a number") }
            guard e >= 1, e <= elements.count, s >= 1, s <= stats[e - 1].count else {
                throw NNSwiftError.format(location: loc, reason: "element \(e), function \(s) does not exist in input.nn")
            }
            let entry = FunctionStatistics(min: mn, max: mx, mean: mean, sigma: sigma)
            do { try rules.validate(entry: entry) } catch NNSwiftError.argument(let m) {
                throw NNSwiftError.format(location: loc, reason: "element \(e), function \(s): \(m)")
            }
            stats[e - 1][s - 1] = entry
        }
        return try stats.enumerated().map { e, list in
            try list.enumerated().map { s, v in
                guard let v else { throw NNSwiftError.format(location: path, reason: "no scaling entry for element \(elements[e]), function \(s + 1)") }
                return v
            }
        }
    }

    static func weightsFileName(_ element: String) -> String {
        String(format: "weights.%03d.data", PeriodicTable.atomicNumber(element) ?? 0)
    }

    static func readWeights(directory: String, element: String, architecture: [Int], activations: [Activation],
                            normalize: Bool) throws -> DenseNetwork {
        let path = (directory as NSString).appendingPathComponent(weightsFileName(element))
        let text = try FormatIO.readText(path)
        var layers = (1..<architecture.count).map {
            DenseLayer(inputs: architecture[$0 - 1], outputs: architecture[$0], activation: activations[$0 - 1])
        }
        var seen = layers.map { [Bool](repeating: false, count: $0.weights.count + $0.biases.count) }
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if f.isEmpty { continue }
            let loc = "\(path):\(n + 1)"
            guard f.count >= 3, let v = formatParseDouble(f[0], fortranD: true) else { throw NNSwiftError.format(location: loc, reason: "expected a connection value and type") }
            guard v.isFinite else { throw NNSwiftError.format(location: loc, reason: "connection value \(f[0]) is not finite") }
            let ints = f.dropFirst(3).compactMap { Int($0) }
            if f[1] == "a" {
                guard ints.count == 4 else { throw NNSwiftError.format(location: loc, reason: "weight line needs: value a index l_s n_s l_e n_e") }
                let (ls, ns, le, ne) = (ints[0], ints[1], ints[2], ints[3])
                guard le >= 1, le <= layers.count, ls == le - 1, ns >= 1, ns <= layers[le - 1].inputs,
                      ne >= 1, ne <= layers[le - 1].outputs else {
                    throw NNSwiftError.format(location: loc, reason: "weight \(ls):\(ns) -> \(le):\(ne) does not fit the architecture \(architecture)")
                }
                let idx = (ns - 1) * layers[le - 1].outputs + (ne - 1)
                layers[le - 1].weights[idx] = v; seen[le - 1][idx] = true
            } else if f[1] == "b" {
                guard ints.count == 2 else { throw NNSwiftError.format(location: loc, reason: "bias line needs: value b index l_e n_e") }
                let (le, ne) = (ints[0], ints[1])
                guard le >= 1, le <= layers.count, ne >= 1, ne <= layers[le - 1].outputs else {
                    throw NNSwiftError.format(location: loc, reason: "bias of neuron \(le):\(ne) does not fit the architecture \(architecture)")
                }
                layers[le - 1].biases[ne - 1] = v; seen[le - 1][layers[le - 1].weights.count + ne - 1] = true
            } else {
                throw NNSwiftError.format(location: loc, reason: "connection type must be 'a' or 'b', got '\(f[1])'")
            }
        }
        let missing = seen.map { $0.filter { !$0 }.count }.reduce(0, +)
        if missing > 0 {
            throw NNSwiftError.format(location: path, reason: "\(missing) connections missing for architecture \(architecture) (file truncated or written for another input.nn?)")
        }
        return DenseNetwork(layers: layers, normalizeNeurons: normalize)
    }
}
