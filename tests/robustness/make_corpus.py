#!/usr/bin/env python3
"""Writes the committed robustness corpus (tests/robustness/corpus): a small valid native model,
broken and extreme variants of it (native JSON and n2p2 directories) and corrupt structure files.
Deterministic; rerun only to change the corpus:  python3 tests/robustness/make_corpus.py"""
import copy, json, math, os, shutil

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "corpus")


def sf(kind, neighbors, rc, eta=0.0, rs=0.0, kappa=0.0, lam=1.0, zeta=1.0):
    return {"kind": kind, "neighbors": neighbors, "eta": eta, "rs": rs, "kappa": kappa, "lambda": lam, "zeta": zeta,
            "cutoff": {"kind": "tanhu", "radius": rc, "alpha": 0}}


def network(inputs, hidden, seed):
    layers, n, x = [], inputs, seed
    for width, act in zip(hidden + [1], ["t"] * len(hidden) + ["l"]):
        w = []
        for _ in range(n * width):
            x = (x * 1103515245 + 12345) % 2**31
            w.append(round((x / 2**31 - 0.5) / math.sqrt(n), 6))
        layers.append({"inputs": n, "outputs": width, "activation": act, "weights": w,
                       "biases": [round(0.01 * (k + 1), 6) for k in range(width)]})
        n = width
    return {"normalizeNeurons": False, "layers": layers}


def small_model(with_g3=True):
    """H and O, radial and angular functions, cutoff 6 (Bohr), a 2-layer tanh network."""
    species = []
    for e, ref in (("H", -0.5), ("O", -75.0)):
        fs = [sf("G2", ["H"], 6.0, eta=0.1), sf("G2", ["O"], 6.0, eta=0.2, rs=1.0),
              sf("G4", ["H", "O"], 6.0, eta=0.05, lam=-1.0, zeta=2.0), sf("G5", ["H", "H"], 6.0, eta=0.01, zeta=4.0)]
        if with_g3:
            fs.append(sf("G3", ["O"], 6.0, kappa=1.5))
        stats = [{"min": 0.0, "max": 2.0 + i, "mean": 1.0, "sigma": 0.5} for i in range(len(fs))]
        species.append({"element": e, "referenceEnergy": ref, "symmetryFunctions": fs,
                        "scaling": {"mode": "scalecenter", "targetMin": 0, "targetMax": 1, "statistics": stats},
                        "network": network(len(fs), [5, 4], 7 if e == "H" else 11)})
    return {"format": "nnswift-model", "version": 1,
            "model": {"units": {"length": "bohr", "energy": "hartree"}, "elements": ["H", "O"],
                      "normalization": {"meanEnergy": -25.0, "convEnergy": 100.0, "convLength": 1.0},
                      "metadata": {"source": "tests/robustness/make_corpus.py"}, "species": species}}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def json_variants(base):
    """(name, mutate(model dict)) pairs: each breaks one validation rule or is finite but extreme."""
    def setter(fn):
        def apply(doc):
            fn(doc["model"])
            return doc
        return apply
    sp0 = lambda m: m["species"][0]
    return {
        "zbl-inner-zero": setter(lambda m: m.update(pairBaseline={"type": "zbl", "inner": 0, "outer": 2.0})),
        "zbl-outer-below-inner": setter(lambda m: m.update(pairBaseline={"type": "zbl", "inner": 2.0, "outer": 1.0})),
        "zbl-outer-beyond-cutoff": setter(lambda m: m.update(pairBaseline={"type": "zbl", "inner": 1.0, "outer": 1e308})),
        "zbl-inner-subnormal": setter(lambda m: m.update(pairBaseline={"type": "zbl", "inner": 5e-324, "outer": 1e-323})),
        "zbl-unknown-type": setter(lambda m: m.update(pairBaseline={"type": "lj", "inner": 1.0, "outer": 2.0})),
        "zbl-units-unknown": setter(lambda m: m.update(units={"length": "unknown", "energy": "unknown"},
                                                       pairBaseline={"type": "zbl", "inner": 1.0, "outer": 2.0})),
        "layer-width-huge": setter(lambda m: sp0(m)["network"]["layers"][0].update(outputs=2**62)),
        "layer-width-negative": setter(lambda m: sp0(m)["network"]["layers"][0].update(outputs=-5)),
        "layer-width-zero": setter(lambda m: sp0(m)["network"]["layers"][0].update(outputs=0)),
        "layer-inputs-overflow": setter(lambda m: sp0(m)["network"]["layers"][1].update(inputs=2**40, outputs=2**40)),
        "output-weights-1e308": setter(lambda m: sp0(m)["network"]["layers"][2].update(weights=[1e308] * 4)),
        "weights-all-1e308": setter(lambda m: [l.update(weights=[1e308] * len(l["weights"])) for l in sp0(m)["network"]["layers"]]),
        "bias-1e308": setter(lambda m: sp0(m)["network"]["layers"][2].update(biases=[1e308])),
        "conv-energy-subnormal": setter(lambda m: m["normalization"].update(convEnergy=5e-324)),
        "conv-energy-zero": setter(lambda m: m["normalization"].update(convEnergy=0)),
        "conv-length-negative": setter(lambda m: m["normalization"].update(convLength=-1)),
        "mean-energy-1e308": setter(lambda m: m["normalization"].update(meanEnergy=1e308)),
        "reference-energy-1e308": setter(lambda m: sp0(m).update(referenceEnergy=1e308)),
        "eta-1e308": setter(lambda m: sp0(m)["symmetryFunctions"][0].update(eta=1e308)),
        "eta-negative": setter(lambda m: sp0(m)["symmetryFunctions"][0].update(eta=-1)),
        "rs-1e308": setter(lambda m: sp0(m)["symmetryFunctions"][1].update(rs=1e308)),
        "kappa-1e308": setter(lambda m: sp0(m)["symmetryFunctions"][4].update(kappa=1e308)),
        "zeta-1e308": setter(lambda m: sp0(m)["symmetryFunctions"][2].update(zeta=1e308)),
        "zeta-half": setter(lambda m: sp0(m)["symmetryFunctions"][2].update(zeta=0.5)),
        "lambda-half": setter(lambda m: sp0(m)["symmetryFunctions"][2].update(**{"lambda": 0.5})),
        "cutoff-1e20": setter(lambda m: [f["cutoff"].update(radius=1e20) for s in m["species"] for f in s["symmetryFunctions"]]),
        "cutoff-1000": setter(lambda m: [f["cutoff"].update(radius=1000.0) for s in m["species"] for f in s["symmetryFunctions"]]),
        "cutoff-zero": setter(lambda m: sp0(m)["symmetryFunctions"][0]["cutoff"].update(radius=0)),
        "cutoff-subnormal": setter(lambda m: sp0(m)["symmetryFunctions"][0]["cutoff"].update(radius=5e-324)),
        "alpha-one": setter(lambda m: sp0(m)["symmetryFunctions"][0]["cutoff"].update(alpha=1.0)),
        "scaling-sigma-zero": setter(lambda m: sp0(m)["scaling"].update(mode="scalesigma", statistics=[dict(s, sigma=0) for s in sp0(m)["scaling"]["statistics"]])),
        "scaling-min-equals-max": setter(lambda m: sp0(m)["scaling"]["statistics"][0].update(min=1.0, max=1.0)),
        "scaling-tiny-range": setter(lambda m: sp0(m)["scaling"]["statistics"][0].update(min=1.0, max=1.0 + 1e-300)),
        "scaling-mean-1e308": setter(lambda m: sp0(m)["scaling"]["statistics"][0].update(mean=1e308)),
        "activation-unknown": setter(lambda m: sp0(m)["network"]["layers"][0].update(activation="x")),
        "activation-exp-huge-weights": setter(lambda m: [l.update(activation="e", weights=[-700.0] * len(l["weights"])) for l in sp0(m)["network"]["layers"][:2]]),
        "kind-unknown": setter(lambda m: sp0(m)["symmetryFunctions"][0].update(kind="G7")),
        "neighbor-unknown": setter(lambda m: sp0(m)["symmetryFunctions"][0].update(neighbors=["Xx"])),
        "duplicate-element": setter(lambda m: m.update(elements=["H", "H"])),
        "no-species": setter(lambda m: m.update(species=[], elements=[])),
        "weights-count-short": setter(lambda m: sp0(m)["network"]["layers"][0]["weights"].pop()),
    }


def n2p2_seed(dirpath, model):
    """An n2p2 directory equivalent in structure to the small model (without G3)."""
    m = model["model"]
    lines = ["# robustness seed (tests/robustness/make_corpus.py)", "number_of_elements 2", "elements H O",
             "cutoff_type 2", "scale_symmetry_functions", "center_symmetry_functions", "scale_min_short 0.0",
             "scale_max_short 1.0", "global_hidden_layers_short 2", "global_nodes_short 5 4",
             "global_activation_short t t l", "mean_energy -25.0", "conv_energy 100.0", "conv_length 1.0",
             "atom_energy H -0.5", "atom_energy O -75.0"]
    for e in ("H", "O"):
        lines += [f"symfunction_short {e} 2 H 0.1 0.0 6.0", f"symfunction_short {e} 2 O 0.2 1.0 6.0",
                  f"symfunction_short {e} 3 H O 0.05 -1.0 2.0 6.0", f"symfunction_short {e} 9 H H 0.01 1.0 4.0 6.0"]
    write(os.path.join(dirpath, "input.nn"), "\n".join(lines) + "\n")
    scaling = []
    for ei in (1, 2):
        for s in range(1, 5):
            scaling.append(f"{ei} {s} 0.0 {2.0 + s} 1.0 0.5")
    write(os.path.join(dirpath, "scaling.data"), "\n".join(scaling) + "\n")
    for e, z in (("H", 1), ("O", 8)):
        net = [s for s in m["species"] if s["element"] == e][0]["network"]
        out = []
        for l, layer in enumerate(net["layers"]):
            for i in range(layer["inputs"]):
                for o in range(layer["outputs"]):
                    out.append(f"{layer['weights'][i * layer['outputs'] + o]:.6f} a 0 {l} {i + 1} {l + 1} {o + 1}")
            for o in range(layer["outputs"]):
                out.append(f"{layer['biases'][o]:.6f} b 0 {l + 1} {o + 1}")
        write(os.path.join(dirpath, f"weights.{z:03d}.data"), "\n".join(out) + "\n")


def n2p2_variants():
    """(name, file, old, new): replace text `old` in `file` of the seed by `new` ('' deletes)."""
    return [
        ("nodes-huge", "input.nn", "global_nodes_short 5 4", "global_nodes_short 100000 100000"),
        ("nodes-overflow", "input.nn", "global_nodes_short 5 4", "global_nodes_short 4611686018427387904 4"),
        ("nodes-too-long-int", "input.nn", "global_nodes_short 5 4", "global_nodes_short 99999999999999999999999 4"),
        ("nodes-negative", "input.nn", "global_nodes_short 5 4", "global_nodes_short -5 4"),
        ("conv-energy-subnormal", "input.nn", "conv_energy 100.0", "conv_energy 5e-324"),
        ("mean-energy-1e308", "input.nn", "mean_energy -25.0", "mean_energy 1e308"),
        ("atom-energy-1e308", "input.nn", "atom_energy H -0.5", "atom_energy H 1e308"),
        ("eta-1e308", "input.nn", "symfunction_short H 2 H 0.1 0.0 6.0", "symfunction_short H 2 H 1e308 0.0 6.0"),
        ("rs-1e308", "input.nn", "symfunction_short H 2 O 0.2 1.0 6.0", "symfunction_short H 2 O 0.2 1e308 6.0"),
        ("zeta-1e308", "input.nn", "symfunction_short H 3 H O 0.05 -1.0 2.0 6.0", "symfunction_short H 3 H O 0.05 -1.0 1e308 6.0"),
        ("lambda-zero", "input.nn", "symfunction_short H 3 H O 0.05 -1.0 2.0 6.0", "symfunction_short H 3 H O 0.05 0.0 2.0 6.0"),
        ("cutoff-1e20", "input.nn", " 6.0\n", " 1e20\n"),
        ("cutoff-nan", "input.nn", "symfunction_short O 2 H 0.1 0.0 6.0", "symfunction_short O 2 H 0.1 0.0 nan"),
        ("activation-unknown", "input.nn", "global_activation_short t t l", "global_activation_short t q l"),
        ("cutoff-type-99", "input.nn", "cutoff_type 2", "cutoff_type 99"),
        ("no-elements", "input.nn", "elements H O", ""),
        ("weights-1e308", "weights.001.data", "0.010000 b 0 3 1", "1e308 b 0 3 1"),
        ("weights-layer-index-intmax", "weights.001.data", " a 0 0 1 1 1\n", " a 0 9223372036854775807 1 1 1\n"),
        ("weights-index-huge", "weights.001.data", "0.010000 b 0 3 1", "0.01 b 0 3 9223372036854775807"),
        ("scaling-min-equals-max", "scaling.data", "1 1 0.0 3.0 1.0 0.5", "1 1 3.0 3.0 1.0 0.5"),
        ("scaling-index-huge", "scaling.data", "1 1 0.0 3.0 1.0 0.5", "1 9223372036854775807 0.0 3.0 1.0 0.5"),
        ("scaling-inf", "scaling.data", "1 1 0.0 3.0 1.0 0.5", "1 1 0.0 inf 1.0 0.5"),
    ]


STRUCTURES = {
    "ok-water.xyz": "3\nLattice=\"10 0 0 0 10 0 0 0 10\" pbc=\"T T T\"\nO 0 0 0\nH 1.8 0 0\nH 0 1.8 0\n",
    "far-atom-1e21.xyz": "3\n\nO 0 0 0\nH 1.8 0 0\nH 1e21 0 0\n",
    "spread-1e8.xyz": "3\n\nO 0 0 0\nH 1e8 0 0\nH 0 -1e8 3\n",
    "cell-0.5.xyz": "3\nLattice=\"0.5 0 0 0 0.5 0 0 0 0.5\" pbc=\"T T T\"\nO 0 0 0\nH 0.1 0 0\nH 0 0.2 0\n",
    "cell-1e100.xyz": "3\nLattice=\"1e100 0 0 0 1e100 0 0 0 1e100\" pbc=\"T T T\"\nO 0 0 0\nH 1.8 0 0\nH 0 1.8 0\n",
    "nan-position.xyz": "3\n\nO nan 0 0\nH 1.8 0 0\nH 0 1.8 0\n",
    "count-huge.xyz": "9223372036854775807\n\nO 0 0 0\n",
    "count-intmax.xyz": "2147483647\n\nO 0 0 0\n",
    "count-negative.xyz": "-3\n\nO 0 0 0\n",
    "overlap.xyz": "2\n\nO 0 0 0\nH 0 0 0\n",
    "degenerate-cell.xyz": "2\nLattice=\"1 0 0 2 0 0 0 0 1\" pbc=\"T T T\"\nO 0 0 0\nH 0.5 0 0\n",
    "truncated.xyz": "3\nLattice=\"10 0 0 0 10 0 0 0 10\" pbc=\"T T T\"\nO 0 0 0\nH 1.8",
    "unknown-element.xyz": "1\n\nXx 0 0 0\n",
    "ok-water.data": "begin\nlattice 10 0 0\nlattice 0 10 0\nlattice 0 0 10\natom 0 0 0 O 0 0 0 0 0\natom 1.8 0 0 H 0 0 0 0 0\natom 0 1.8 0 H 0 0 0 0 0\nenergy -76\ncharge 0\nend\n",
    "no-begin.data": "atom 0 0 0 O 0 0 0 0 0\nend\n",
    "energy-1e308.data": "begin\natom 0 0 0 O 0 0 0 1e308 1e308\natom 1.8 0 0 H 0 0 0 0 0\nenergy 1e308\nend\n",
    "ok-water.lmp": "water\n\n3 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 1.008\n2 15.999\n\nAtoms # atomic\n\n1 2 0 0 0\n2 1 1.8 0 0\n3 1 0 1.8 0\n",
    "lammps-huge-count.lmp": "header\n\n9223372036854775807 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nAtoms\n\n1 1 0 0 0\n",
    "lammps-types-huge.lmp": "header\n\n1 atoms\n2147483648 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nAtoms\n\n1 1 0 0 0\n",
    "lammps-cell-1e300.lmp": "header\n\n2 atoms\n2 atom types\n-1e300 1e300 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 1.008\n2 15.999\n\nAtoms\n\n1 1 0 0 0\n2 2 1.8 0 0\n",
}


def main():
    if os.path.isdir(corpus):
        shutil.rmtree(corpus)
    base = small_model()
    write(os.path.join(corpus, "models/json/good-small.json"), json.dumps(base, indent=1) + "\n")
    zbl = copy.deepcopy(base)
    zbl["model"]["pairBaseline"] = {"type": "zbl", "inner": 1.0, "outer": 2.5}
    write(os.path.join(corpus, "models/json/good-zbl.json"), json.dumps(zbl, indent=1) + "\n")
    for name, fn in json_variants(base).items():
        write(os.path.join(corpus, f"models/json/{name}.json"), json.dumps(fn(copy.deepcopy(base)), separators=(",", ":")) + "\n")
    # Text-level breakage the dict mutations cannot express.
    text = json.dumps(base, indent=1)
    write(os.path.join(corpus, "models/json/truncated.json"), text[: len(text) // 2])
    write(os.path.join(corpus, "models/json/nan-literal.json"), text.replace('"eta": 0.1', '"eta": NaN', 1))
    write(os.path.join(corpus, "models/json/number-1e999.json"), text.replace('"eta": 0.1', '"eta": 1e999', 1))
    write(os.path.join(corpus, "models/json/deep-nesting.json"), "[" * 20000 + "]" * 20000)
    write(os.path.join(corpus, "models/json/empty.json"), "")
    seed = os.path.join(corpus, "models/n2p2/good-small")
    n2p2_seed(seed, small_model(with_g3=False))
    for name, fname, old, new in n2p2_variants():
        d = os.path.join(corpus, f"models/n2p2/{name}")
        shutil.copytree(seed, d)
        p = os.path.join(d, fname)
        with open(p) as f:
            t = f.read()
        assert old in t, (name, old)
        write(p, t.replace(old, new))
    for name, body in STRUCTURES.items():
        write(os.path.join(corpus, "structures", name), body)


if __name__ == "__main__":
    main()
