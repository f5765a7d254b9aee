/// The rules every model must satisfy, whatever file it came from (native JSON, n2p2 directory,
/// training): checked when a model is loaded, written or turned into a `Potential`.
/// The ranges are chosen so that every symmetry function, its derivative and the energy scale
/// stay finite in double precision; docs/robustness.md lists them.
public enum ModelLimits {
    /// Weights plus biases of one atomic network (80 MB of doubles); checked before allocating.
    public static let maxNetworkParameters = 10_000_000
    /// Cutoff radii lie in (overlapDistance, maxCutoff]: a smaller cutoff sees no atom that is
    /// not overlapping, a larger one is beyond any coordinate nnswift accepts.
    public static let maxCutoff = GeometryLimits.maxCoordinate
    /// |R_s| <= maxShiftPerCutoff · r_c: the Gaussian's argument stays bounded.
    public static let maxShiftPerCutoff = 10.0
    /// η (r_c + |R_s|)² <= this: exp(-η (r - R_s)²) and its derivative 2η(r - R_s)·exp(...) stay finite.
    public static let maxEtaTimesCutoffSquared = 1e8
    /// |κ| r_c <= this: cos(κ r) still resolves its oscillation and κ sin(κ r) stays bounded.
    public static let maxKappaTimesCutoff = 1e6
    /// ζ <= this: (1 + λ cos θ)^ζ <= 2^256 and 2^(1-ζ) >= 2^-255, far from overflow and underflow.
    public static let maxZeta = 256.0
    /// n2p2's conv_energy and conv_length lie in [1/maxConversion, maxConversion]: the energy is
    /// divided by conv_energy, so a tiny one overflows it.
    public static let maxConversion = 1e100
}

/// Formats a rule violation as "key = value: rule".
private func violation(_ key: String, _ value: Any, _ rule: String) -> NNSwiftError {
    .argument("\(key) = \(value): \(rule)")
}

/// Runs `body`, prefixing the key path of an argument error with `path`.
private func within(_ path: String, _ body: () throws -> Void) throws {
    do { try body() } catch NNSwiftError.argument(let m) { throw NNSwiftError.argument("\(path).\(m)") }
}

extension Model {
    /// Checks that every part fits together and lies in ModelLimits; throws an argument error
    /// "key.path = value: rule" for the first problem (key paths as in the native JSON file).
    public func validate() throws {
        guard !species.isEmpty else { throw NNSwiftError.argument("species: the model has no elements") }
        guard elements == species.map(\.element) else { throw NNSwiftError.argument("elements: the list does not match the species entries") }
        guard Set(elements).count == elements.count else { throw violation("elements", elements, "duplicate element") }
        for (s, e) in species.enumerated() {
            try within("species[\(s)]") {
                guard !e.symmetryFunctions.isEmpty else { throw violation("symmetryFunctions", "[]", "element \(e.element) has no symmetry functions") }
                for (i, f) in e.symmetryFunctions.enumerated() {
                    try within("symmetryFunctions[\(i)]") { try f.validate(elements: elements) }
                }
                try within("scaling") { try e.scaling.validate(count: e.symmetryFunctions.count) }
                try within("network") { try e.network.validate(inputs: e.symmetryFunctions.count) }
                guard e.referenceEnergy.isFinite else { throw violation("referenceEnergy", e.referenceEnergy, "must be finite") }
            }
        }
        if let n = normalization { try within("normalization") { try n.validate() } }
        if let b = pairBaseline { try within("pairBaseline") { try b.validate(model: self) } }
    }
}

extension PairBaseline {
    /// 0 < inner < outer, both finite.
    public func validateRadii() throws {
        guard inner.isFinite, inner > 0 else { throw violation("inner", inner, "must be a finite number > 0 (model length unit)") }
        guard outer.isFinite, outer > inner else { throw violation("outer", outer, "must be finite and larger than inner = \(inner)") }
    }

    /// 0 < inner < outer <= the model's cutoff, declared units (the ZBL constants are in eV and Å
    /// and must be converted), and an atomic number for every element.
    public func validate(model: Model) throws {
        try validateRadii()
        guard outer <= model.cutoff else {
            throw violation("outer", outer, "must be at most the model's cutoff \(model.cutoff) (the neighbor list reaches no further)")
        }
        guard model.units.length != nil, model.units.energy != nil else {
            throw violation("type", type.rawValue, "needs declared units (the model's are length \(model.units.lengthName), energy \(model.units.energyName)): ZBL's constants are in eV and Å")
        }
        for e in model.elements where PeriodicTable.atomicNumber(e) == nil {
            throw violation("type", type.rawValue, "needs the atomic number of every element; '\(e)' is not an element symbol")
        }
    }
}

extension Normalization {
    public func validate() throws {
        guard meanEnergy.isFinite else { throw violation("meanEnergy", meanEnergy, "must be finite") }
        let range = 1 / ModelLimits.maxConversion ... ModelLimits.maxConversion
        for (key, v) in [("convEnergy", convEnergy), ("convLength", convLength)] where !range.contains(v) {
            throw violation(key, v, "must lie in [1e-100, 1e100] (it divides energies and lengths)")
        }
    }
}

extension CutoffFunction {
    public func validate() throws {
        guard radius.isFinite, radius > NeighborList.overlapDistance, radius <= ModelLimits.maxCutoff else {
            throw violation("cutoff.radius", radius, "must lie in (\(NeighborList.overlapDistance), \(ModelLimits.maxCutoff)]")
        }
        guard alpha.isFinite, alpha >= 0, alpha < 1 else {
            throw violation("cutoff.alpha", alpha, "the inner-radius parameter must satisfy 0 <= alpha < 1")
        }
    }
}

extension SymmetryFunction {
    /// Checks parameters and neighbor elements against the model's element list.
    public func validate(elements: [String]) throws {
        try cutoff.validate()
        let expected = kind.isAngular ? 2 : 1
        guard neighbors.count == expected else {
            throw violation("neighbors", neighbors, "\(kind.rawValue) needs \(expected) neighbor element(s)")
        }
        for n in neighbors where !elements.contains(n) { throw violation("neighbors", neighbors, "element '\(n)' is not in the model") }
        for (name, v) in [("eta", eta), ("rs", rs), ("kappa", kappa), ("lambda", lambda), ("zeta", zeta)] where !v.isFinite {
            throw violation(name, v, "must be finite")
        }
        let rc = cutoff.radius
        if eta < 0 { throw violation("eta", eta, "must be >= 0") }
        if abs(rs) > ModelLimits.maxShiftPerCutoff * rc {
            throw violation("rs", rs, "|rs| must be at most \(ModelLimits.maxShiftPerCutoff) times the cutoff \(rc)")
        }
        let reach = rc + abs(rs)
        if eta * reach * reach > ModelLimits.maxEtaTimesCutoffSquared {
            throw violation("eta", eta, "eta·(cutoff + |rs|)² must be at most \(ModelLimits.maxEtaTimesCutoffSquared)")
        }
        if abs(kappa) * rc > ModelLimits.maxKappaTimesCutoff {
            throw violation("kappa", kappa, "|kappa|·cutoff must be at most \(ModelLimits.maxKappaTimesCutoff)")
        }
        if kind.isAngular {
            if !(zeta >= 1 && zeta <= ModelLimits.maxZeta) { throw violation("zeta", zeta, "must lie in [1, \(ModelLimits.maxZeta)]") }
            if abs(lambda) != 1 { throw violation("lambda", lambda, "must be +1 or -1") }
        }
    }
}

extension Scaling {
    public func validate(count: Int) throws {
        guard statistics.count == count else {
            throw violation("statistics", "\(statistics.count) entries", "there are \(count) symmetry functions")
        }
        for (key, v) in [("targetMin", targetMin), ("targetMax", targetMax)] where !v.isFinite { throw violation(key, v, "must be finite") }
        for (i, s) in statistics.enumerated() {
            try within("statistics[\(i)]") { try validate(entry: s) }
        }
    }

    /// The rules for one function's statistics (keys min, max, mean, sigma).
    public func validate(entry s: FunctionStatistics) throws {
        for (key, v) in [("min", s.min), ("max", s.max), ("mean", s.mean), ("sigma", s.sigma)] where !v.isFinite {
            throw violation(key, v, "must be finite")
        }
        let divisor: (String, Double)?
        switch mode {
        case .none, .center: divisor = nil
        case .scale, .scaleCenter: divisor = ("max - min", s.max - s.min)
        case .scaleSigma: divisor = ("sigma", s.sigma)
        }
        if let (name, d) = divisor {
            let factor = (targetMax - targetMin) / d
            guard d != 0, factor.isFinite else {
                throw violation(name, d, "scaling mode \(mode.rawValue) divides by \(name), which must be non-zero")
            }
        }
    }
}

extension DenseNetwork {
    /// Weights plus biases of a network with these layer widths (inputs first), or an error when a
    /// width is not positive or the count overflows or exceeds ModelLimits.maxNetworkParameters.
    /// Call before allocating a network whose widths come from a file.
    public static func checkedParameterCount(widths: [Int]) throws -> Int {
        for (i, w) in widths.enumerated() where w <= 0 { throw violation("width of layer \(i)", w, "must be positive") }
        var total = 0
        for (a, b) in zip(widths, widths.dropFirst()) {
            let (w, o1) = a.multipliedReportingOverflow(by: b)
            let (layer, o2) = w.addingReportingOverflow(b)
            let (sum, o3) = total.addingReportingOverflow(layer)
            guard !o1, !o2, !o3, sum <= ModelLimits.maxNetworkParameters else {
                throw violation("layer widths", widths, "more than \(ModelLimits.maxNetworkParameters) parameters")
            }
            total = sum
        }
        return total
    }

    public func validate(inputs expected: Int) throws {
        guard !layers.isEmpty else { throw violation("layers", "[]", "the network has no layers") }
        guard layers[0].inputs == expected else {
            throw violation("layers[0].inputs", layers[0].inputs, "there are \(expected) symmetry functions")
        }
        _ = try DenseNetwork.checkedParameterCount(widths: [expected] + layers.map(\.outputs))
        for (i, l) in layers.enumerated() {
            if i > 0 && l.inputs != layers[i - 1].outputs {
                throw violation("layers[\(i)].inputs", l.inputs, "layer \(i - 1) has \(layers[i - 1].outputs) outputs")
            }
            // inputs · outputs cannot overflow: checkedParameterCount bounded it.
            guard l.weights.count == l.inputs * l.outputs, l.biases.count == l.outputs else {
                throw violation("layers[\(i)]", "\(l.weights.count) weights and \(l.biases.count) biases",
                                "expected \(l.inputs * l.outputs) and \(l.outputs)")
            }
            if let k = l.weights.firstIndex(where: { !$0.isFinite }) { throw violation("layers[\(i)].weights[\(k)]", l.weights[k], "must be finite") }
            if let k = l.biases.firstIndex(where: { !$0.isFinite }) { throw violation("layers[\(i)].biases[\(k)]", l.biases[k], "must be finite") }
        }
        guard layers[layers.count - 1].outputs == 1 else {
            throw violation("layers[\(layers.count - 1)].outputs", layers[layers.count - 1].outputs, "the output layer must have one neuron")
        }
    }
}
