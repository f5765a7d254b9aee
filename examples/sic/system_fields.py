#!/usr/bin/env python3
"""The system file of the binary zincblende workflow (examples/sic/system.json,
examples/gan/system.json): read, checked, and handed to the scripts. Standard library only.

  system_fields.py SYSTEM.json shell    # NAME=... EL1=... lines for `eval` in bash

Keys (every one required unless marked):
  name                 file stem of the data and work folders ("sic")
  title                the system in reports ("SiC (Tersoff)")
  elements, masses     the two elements (LAMMPS types 1 and 2; element 1 on the fcc sites) and
                       their masses (g/mol)
  reference            pairStyle, potential (LAMMPS parameter file), name, citation; check
                       (optional): a script beside this one that checks the reference's values
                       independently (SiC: check_reference.py, ASE's Tersoff)
  a0                   the reference's zincblende lattice constant (Angstrom, box relaxation)
  crystalTemperatures  MD temperatures of the crystal runs (K), lowest first
  liquid               T (K) of the validation's liquid; latticeConstant: the liquid's box is
                       a^3 per 8 atoms; runs: generate_data.sh's liquid runs, "variant T [divisor
                       [multiplier]]" (whole numbers: FRAMES x multiplier / divisor training
                       and HOLDOUT / divisor held-out frames; both 1 when left out);
                       closePairDistances (only with a liquid-pairs run): close_pairs.py's D of
                       the pairs 1-1, 1-2, 2-2 (Angstrom)
"""
import json
import math
import shlex
import sys


# generate_data.sh's liquid geometries, and bounds that keep a typo from starting hours of MD.
LIQUID_VARIANTS = ("liquid", "liquid216", "liquid-compressed", "liquid-dense", "liquid-pairs")
MAX_TEMPERATURE = 100000
MAX_FACTOR = 100


def liquid_run_ok(run):
    """A liquid run "variant T [divisor [multiplier]]" with whole numbers in range."""
    words = run.split()
    if not 2 <= len(words) <= 4 or words[0] not in LIQUID_VARIANTS or not all(w.isascii() and w.isdigit() for w in words[1:]):
        return False
    t, *factors = map(int, words[1:])
    return 1 <= t <= MAX_TEMPERATURE and all(1 <= f <= MAX_FACTOR for f in factors)


def load(path):
    """The system file as a dict; SystemExit naming the file and key when a value is missing or wrong."""
    try:
        s = json.load(open(path))
    except (OSError, ValueError) as e:
        raise SystemExit(f"{path}: {e}")

    def need(ok, key, what):
        if not ok:
            raise SystemExit(f"{path}: {key}: {what}")

    def positive(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0

    for key in ("name", "title", "elements", "masses", "reference", "a0", "crystalTemperatures", "liquid"):
        need(key in s, key, "missing")
    need(isinstance(s["name"], str) and s["name"].isidentifier(), "name", "a plain word")
    els = s["elements"]
    need(isinstance(els, list) and len(els) == 2 and all(isinstance(e, str) and e.isalpha() for e in els)
         and els[0] != els[1], "elements", "two different element symbols")
    need(isinstance(s["masses"], list) and len(s["masses"]) == 2 and all(map(positive, s["masses"])), "masses", "two positive numbers")
    ref = s["reference"]
    for key in ("pairStyle", "potential", "name", "citation"):
        need(isinstance(ref.get(key), str) and ref[key], f"reference.{key}", "a non-empty string")
    need(positive(s["a0"]), "a0", "a positive number (Angstrom)")
    temps = s["crystalTemperatures"]
    need(isinstance(temps, list) and temps and all(positive(t) and t == int(t) for t in temps), "crystalTemperatures",
         "a list of positive whole temperatures (K)")
    liq = s["liquid"]
    need(positive(liq.get("T")), "liquid.T", "a positive temperature (K)")
    need(positive(liq.get("latticeConstant")), "liquid.latticeConstant", "a positive length (Angstrom)")
    runs = liq.get("runs")
    need(isinstance(runs, list) and runs and all(isinstance(r, str) and liquid_run_ok(r) for r in runs),
         "liquid.runs", f'a list of "variant T [divisor [multiplier]]", variant one of {", ".join(LIQUID_VARIANTS)}, '
         f'T 1-{MAX_TEMPERATURE} K, divisor and multiplier 1-{MAX_FACTOR}')
    if any(r.split()[0] == "liquid-pairs" for r in runs):
        d = liq.get("closePairDistances")
        need(isinstance(d, list) and len(d) == 3 and all(map(positive, d)), "liquid.closePairDistances",
             "three positive distances (Angstrom), needed by the liquid-pairs run")
    return s


def liquid_volume(s):
    """Volume per atom of the liquid's box (Angstrom^3)."""
    return s["liquid"]["latticeConstant"] ** 3 / 8


def shell(s):
    ref, liq = s["reference"], s["liquid"]
    values = {
        "NAME": s["name"], "TITLE": s["title"], "EL1": s["elements"][0], "EL2": s["elements"][1],
        "MASS1": s["masses"][0], "MASS2": s["masses"][1], "REF_NAME": ref["name"],
        "REF_PAIR_STYLE": ref["pairStyle"], "REF_POTENTIAL": ref["potential"], "REF_CITATION": ref["citation"],
        "REF_CHECK": ref.get("check", ""),
        "A0": s["a0"], "CRYSTAL_TEMPERATURES": " ".join(str(int(t)) for t in s["crystalTemperatures"]),
        "LIQUID_A": liq["latticeConstant"], "LIQUID_RUNS": "\n".join(liq["runs"]),
        "CLOSE_PAIR_DISTANCES": ",".join(str(d) for d in liq.get("closePairDistances", [])),
    }
    return "\n".join(f"{k}={shlex.quote(str(v))}" for k, v in values.items())


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] != "shell":
        sys.exit(__doc__)
    print(shell(load(sys.argv[1])))
