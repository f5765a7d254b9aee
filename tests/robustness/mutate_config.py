#!/usr/bin/env python3
"""Seeded mutations of valid training configs for the robustness suite.

  mutate_config.py SEED COUNT OUT_DIR DATA_FILE

Writes COUNT configs into OUT_DIR (each one mutation of one of the base configs below, which train
on DATA_FILE in a second) and prints one line per config: "config PATH KEY", KEY being the text the
error must contain when nnswift train refuses the config (the key, or the missing file's path). Mutations: wrong types, negative, huge,
fractional and non-finite numbers (NaN and Infinity literals, 1e999), unknown keys, missing or
unwritable files, huge epochs, batch sizes, architectures and function counts."""
import copy, json, os, random, sys

NUMBERS = [0, -1, -1e300, 1e300, 2.5, 1e9, 2**31, 2**63, 2**64, 10**30, 5e-324, -0.0, 1e-300, 1e15]
LITERALS = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "nan"]
WRONG = ["x", "", [], {}, True, None, [1, 2], {"a": 1}]
HUGE_ARCH = ["100000000t", "100000t-100000t", "99999999999999999999t", "4t-" * 2000 + "4t", "0t", "-4t", "4x", "4", "t", ""]


def base_configs(data):
    common = {"data": [data], "validationFraction": 0.25, "architecture": "4t", "epochs": 2, "seed": 1,
              "batchSize": 4, "forceWeight": 1.0, "scaling": "scalesigma", "outlierSigma": 3,
              "optimizer": {"name": "adam", "learningRate": 0.001, "decay": 1.0, "beta1": 0.9, "beta2": 0.999,
                            "epsilon": 1e-8},
              "output": "m.json", "log": "t.csv", "checkpoint": "ck.json", "checkpointEvery": 1,
              "learningCurves": None, "parityPlots": None, "patience": 0, "forceFraction": 1.0,
              "derivativeMemoryGB": 1.0, "units": {"length": "A", "energy": "eV"}}
    preset = dict(common, symmetryFunctions={"preset": "radial24", "cutoff": 6.0, "rmin": 2.0})
    grid = dict(common, symmetryFunctions={"grid": {"cutoff": 6.0, "rmin": 2.0, "radial": 4, "centred": 2,
                                                    "angular": 1, "zetas": [1, 4], "alpha": 0.5,
                                                    "pairCutoffs": {"Au-Au": 5.5}}},
                structureWeights=[{"match": {"step": 10}, "weight": 2.0}], emaDecay=0.9)
    listed = dict(common, symmetryFunctions={"functions": [
        {"type": "G2", "neighbors": ["Au"], "eta": 0.5, "rs": 2.8, "cutoff": 6.0},
        {"type": "G3", "neighbors": ["Au"], "kappa": 1.2, "cutoff": 6.0, "cutoffType": "poly2", "alpha": 0.1},
        {"type": "G5", "neighbors": ["Au", "Au"], "eta": 0.01, "lambda": -1, "zeta": 4, "cutoff": 6.0}]},
        optimizer={"name": "lbfgs", "learningRate": 0.5, "memory": 5})
    trained = dict(preset, trainSymmetryFunctions=True, symmetryFunctionLearningRate={"eta": 1, "rs": 1})
    kalman = dict(preset, energyNormalization="n2p2", stressWeight=0.0,
                  optimizer={"name": "kalman", "kalman_type": 0, "kalman_epsilon": 0.01, "kalman_q0": 0.01,
                             "kalman_qtau": 2.302, "kalman_qmin": 1e-6, "kalman_eta": 0.01, "kalman_etatau": 2.302,
                             "kalman_etamax": 1.0, "kalman_lambda_short": 0.96, "kalman_nue_short": 0.9995,
                             "covarianceMemoryGB": 1.0})
    return [preset, grid, listed, trained, kalman]


def slots(node, path=()):
    """(container, key, path) of every value in the tree."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for k, v in items:
        yield node, k, path + (k,)
        yield from slots(v, path + (k,))


def named(path):
    """The key an error should name: the last string key of the path."""
    return [p for p in path if isinstance(p, str)][-1]


def mutate(rng, cfg):
    """One mutation of cfg in place; returns (KEY, literal or None): a literal is spliced into the
    JSON text in place of the placeholder value."""
    r = rng.random()
    if r < 0.08:   # unknown key, at the top or inside an object
        objects = [(c[k], p) for c, k, p in slots(cfg) if isinstance(c[k], dict)] + [(cfg, ())]
        obj, p = rng.choice(objects)
        key = rng.choice(["epochz", "learningrate", "Architecture", "cutof", "batch_size", "comment"])
        obj[key] = 1
        return key, None
    if r < 0.14:   # missing input or unwritable output
        key = rng.choice(["data", "output", "log", "checkpoint"])
        cfg[key] = ["missing/none.xyz"] if key == "data" else "no/such/dir/out"
        return ("missing/none.xyz" if key == "data" else "no/such/dir/out"), None
    if r < 0.22:   # huge sizes
        key = rng.choice(["architecture", "epochs", "batchSize", "grid"])
        if key == "architecture":
            cfg[key] = rng.choice(HUGE_ARCH)
        elif key == "grid":
            cfg["symmetryFunctions"] = {"grid": {"cutoff": 6.0, rng.choice(["radial", "centred", "angular"]):
                                                 rng.choice([65, 10**9, 2**63, 10**30])}}
            key = "radial" if "radial" in cfg["symmetryFunctions"]["grid"] else \
                  "centred" if "centred" in cfg["symmetryFunctions"]["grid"] else "angular"
        else:
            cfg[key] = rng.choice([10**8, 10**12, 2**62, 2**63 - 1, 10**30])
        return key, None
    container, k, path = rng.choice([s for s in slots(cfg) if not isinstance(s[0][s[1]], (dict, list))
                                     or rng.random() < 0.2])
    if not any(isinstance(p, str) for p in path):
        path = ("data",)
    if r < 0.45:
        container[k] = rng.choice(WRONG)
    elif r < 0.85:
        container[k] = rng.choice(NUMBERS)
    else:
        container[k] = "@LITERAL@"
        return named(path), rng.choice(LITERALS)
    return named(path), None


def main():
    seed, count, out, data = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], os.path.abspath(sys.argv[4])
    rng = random.Random(seed)
    bases = base_configs(data)
    os.makedirs(out, exist_ok=True)
    for n in range(count):
        cfg = copy.deepcopy(rng.choice(bases))
        key, literal = mutate(rng, cfg)
        text = json.dumps(cfg, indent=1)
        if literal is not None:
            text = text.replace('"@LITERAL@"', literal)
        d = os.path.join(out, f"c{n}")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "train.json")
        with open(path, "w") as f:
            f.write(text)
        print(f"config {path} {key}")


if __name__ == "__main__":
    main()
