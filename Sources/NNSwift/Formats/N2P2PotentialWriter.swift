import Foundation

extension N2P2Potential {
    /// Writes `model` as an n2p2 potential directory (input.nn, scaling.data, weights.NNN.data).
    /// Functions are written in n2p2's sorted order; scaling rows and first-layer weights are
    /// permuted to match, so n2p2 sees the same network inputs. Fails, naming the reason, for
    /// what n2p2 cannot express (G3, mixed cutoff types, different hidden layers per element).
    public static func write(_ model: Model, to directory: String) throws {
        try model.validate()
        let all = model.species.flatMap(\.symmetryFunctions)
        guard let first = all.first else { throw NNSwiftError.argument("model has no symmetry functions") }
        guard all.allSatisfy({ $0.cutoff.kind == first.cutoff.kind && $0.cutoff.alpha == first.cutoff.alpha }) else {
            throw NNSwiftError.argument("n2p2 needs one cutoff type and alpha for all symmetry functions")
        }
        if all.contains(where: { $0.kind == .g3 }) {
            throw NNSwiftError.argument("n2p2 has no G3 (cos(kappa r)) symmetry function; this model cannot be exported")
        }
        let net0 = model.species[0].network
        let hidden = net0.layers.dropLast().map(\.outputs)
        let activations = net0.layers.map(\.activation.rawValue)
        for s in model.species {
            guard s.network.layers.dropLast().map(\.outputs) == hidden, s.network.layers.map(\.activation.rawValue) == activations,
                  s.network.normalizeNeurons == net0.normalizeNeurons else {
                throw NNSwiftError.argument("n2p2 needs the same hidden layers and activations for every element (\(s.element) differs)")
            }
            guard s.scaling.mode == model.species[0].scaling.mode, s.scaling.targetMin == model.species[0].scaling.targetMin,
                  s.scaling.targetMax == model.species[0].scaling.targetMax else {
                throw NNSwiftError.argument("n2p2 needs the same scaling mode for every element")
            }
        }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw NNSwiftError.io(path: directory, reason: error.localizedDescription)
        }
        let elements = PeriodicTable.sortedByAtomicNumber(model.elements)
        var input = "# n2p2 potential written by nnswift\n"
        input += "# nnswift units length \(model.units.lengthName) energy \(model.units.energyName)\n"
        if let b = model.pairBaseline {
            input += "# nnswift pair baseline \(b.type.rawValue) inner \(b.inner) outer \(b.outer) (model length unit): NOT part of this potential; see \(pairBaselineReadme)\n"
        }
        for (k, v) in model.metadata.sorted(by: { $0.key < $1.key }) {
            input += "# metadata \(k): \(v.replacingOccurrences(of: "\n", with: " "))\n"
        }
        input += "number_of_elements \(elements.count)\n"
        input += "elements \(elements.joined(separator: " "))\n"
        if let n = model.normalization {
            input += "mean_energy \(n2p2Number(n.meanEnergy))\nconv_energy \(n2p2Number(n.convEnergy))\nconv_length \(n2p2Number(n.convLength))\n"
        }
        for s in model.species where s.referenceEnergy != 0 {
            input += "atom_energy \(s.element) \(n2p2Number(s.referenceEnergy))\n"
        }
        input += "cutoff_type \(first.cutoff.kind.rawValue) \(n2p2Number(first.cutoff.alpha))\n"
        let scaling = model.species[0].scaling
        switch scaling.mode {
        case .none: break
        case .center: input += "center_symmetry_functions\n"
        case .scale: input += "scale_symmetry_functions\n"
        case .scaleCenter: input += "scale_symmetry_functions\ncenter_symmetry_functions\n"
        case .scaleSigma: input += "scale_symmetry_functions_sigma\ncenter_symmetry_functions\n"
        }
        input += "scale_min_short \(n2p2Number(scaling.targetMin))\nscale_max_short \(n2p2Number(scaling.targetMax))\n"
        if net0.normalizeNeurons { input += "normalize_nodes\n" }
        input += "global_hidden_layers_short \(hidden.count)\n"
        input += "global_nodes_short \(hidden.map(String.init).joined(separator: " "))\n"
        input += "global_activation_short \(activations.joined(separator: " "))\n"

        var scalingText = "# Symmetry function scaling data written by nnswift.\n# e_index sf_index sf_min sf_max sf_mean sf_sigma\n"
        for (e, element) in elements.enumerated() {
            guard let s = model.species.first(where: { $0.element == element }) else { continue }
            let order = s.symmetryFunctions.indices.sorted { n2p2Precedes(s.symmetryFunctions[$0], s.symmetryFunctions[$1]) }
            for f in order.map({ s.symmetryFunctions[$0] }) { input += "symfunction_short \(element) " + n2p2Line(f) + "\n" }
            for (row, i) in order.enumerated() {
                let st = s.scaling.statistics[i]
                scalingText += String(format: "%10d %10d", e + 1, row + 1)
                scalingText += [st.min, st.max, st.mean, st.sigma].map { " " + n2p2Number($0) }.joined() + "\n"
            }
            var net = s.network
            var layer = net.layers[0]
            var w = layer.weights
            for (newIndex, old) in order.enumerated() {
                for o in 0..<layer.outputs { w[newIndex * layer.outputs + o] = layer.weights[old * layer.outputs + o] }
            }
            layer.weights = w
            net.layers[0] = layer
            try AtomicFile.write(weightsText(net), to: (directory as NSString).appendingPathComponent(weightsFileName(element)))
        }
        try AtomicFile.write(input, to: (directory as NSString).appendingPathComponent("input.nn"))
        try AtomicFile.write(scalingText, to: (directory as NSString).appendingPathComponent("scaling.data"))
        if let text = try pairBaselineNote(model, directory: directory, elements: elements) {
            try AtomicFile.write(text, to: (directory as NSString).appendingPathComponent(pairBaselineReadme))
        }
    }

    /// The file beside an exported model with a pair baseline that says how to add it back.
    public static let pairBaselineReadme = "README-pair-baseline.txt"

    /// n2p2 has no pair baseline: the directory holds the networks only. The note gives the LAMMPS
    /// lines (metal units) that add the baseline back with LAMMPS's own `pair_style zbl`, whose
    /// formula nnswift's baseline is; nil without a baseline.
    static func pairBaselineNote(_ model: Model, directory: String, elements: [String]) throws -> String? {
        guard let b = model.pairBaseline else { return nil }
        let toAngstrom = Units.factor(from: try model.units.requireLength(), to: .angstrom)
        let cflength = Units.factor(from: .angstrom, to: try model.units.requireLength())
        let cfenergy = Units.factor(from: .eV, to: try model.units.requireEnergy())
        let z = elements.map { PeriodicTable.atomicNumber($0) ?? 0 }
        var text = """
        This n2p2 potential is INCOMPLETE on its own: the nnswift model it was exported from has a
        repulsive pair baseline (ZBL, inner \(b.inner), outer \(b.outer) in the model's length unit
        \(model.units.lengthName)) under the networks, E = E_networks + sum over pairs E_ZBL(r_ij),
        and n2p2 has no ZBL. These files hold the networks only; reading this directory back
        (nnswift, n2p2) gives a model WITHOUT the baseline.

        The baseline is LAMMPS's own pair_style zbl (same formula and switching). In LAMMPS
        (units metal, atom types 1..\(elements.count) = \(elements.joined(separator: " "))):

            pair_style hybrid/overlay hdnnp \(model.cutoff * toAngstrom) dir \(directory) showew no showewsum 0 resetew no maxew 1000000 cflength \(cflength) cfenergy \(cfenergy) zbl \(b.inner * toAngstrom) \(b.outer * toAngstrom)
            pair_coeff * * hdnnp \(elements.joined(separator: " "))

        """
        for i in elements.indices {
            for j in i..<elements.count { text += "    pair_coeff \(i + 1) \(j + 1) zbl \(z[i]) \(z[j])\n" }
        }
        text += """

        (with pair_style nnswift instead of hdnnp: `pair_style hybrid/overlay nnswift ... zbl ...`,
        `pair_coeff * * nnswift \(directory) \(elements.joined(separator: " "))`; or give pair_style
        nnswift the native .json model, which carries the baseline itself.)

        """
        return text
    }

    /// The symmetry-function fields after the central element, in n2p2's syntax.
    static func n2p2Line(_ f: SymmetryFunction) -> String {
        let rc = n2p2Number(f.cutoff.radius)
        switch f.kind {
        case .g1: return "2 \(f.neighbors[0]) 0 0 \(rc)"
        case .g2: return "2 \(f.neighbors[0]) \(n2p2Number(f.eta)) \(n2p2Number(f.rs)) \(rc)"
        case .g3: return ""
        case .g4, .g5:
            let t = f.kind == .g4 ? 3 : 9
            return "\(t) \(f.neighbors[0]) \(f.neighbors[1]) \(n2p2Number(f.eta)) \(n2p2Number(f.lambda)) \(n2p2Number(f.zeta)) \(rc) \(n2p2Number(f.rs))"
        }
    }

    static func weightsText(_ net: DenseNetwork) -> String {
        var text = "# Neural network connection values written by nnswift.\n# connection t index l_s n_s l_e n_e\n"
        var count = 0
        for (l, layer) in net.layers.enumerated() {
            for i in 0..<layer.inputs {
                for o in 0..<layer.outputs {
                    count += 1
                    text += "\(n2p2Number(layer.weight(from: i, to: o))) a \(count) \(l) \(i + 1) \(l + 1) \(o + 1)\n"
                }
            }
            for o in 0..<layer.outputs {
                count += 1
                text += "\(n2p2Number(layer.biases[o])) b \(count) \(l + 1) \(o + 1)\n"
            }
        }
        return text
    }

    /// Shortest round-trip decimal form, which C's atof reads back exactly.
    static func n2p2Number(_ x: Double) -> String { "\(x)" }
}
