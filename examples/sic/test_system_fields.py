#!/usr/bin/env python3
"""Checks of system_fields.py (the system file of the binary zincblende workflow): the committed
system files load and give the shell values the scripts use; a missing or wrong value is refused
naming the key. Prints PASS/FAIL lines and "system-files: N passed, M failed"; exit 1 on a failure.
Standard library only."""
import copy
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import system_fields  # noqa: E402

passed = failed = 0


def check(ok, what):
    global passed, failed
    print(("PASS " if ok else "FAIL ") + what)
    passed += bool(ok)
    failed += not ok


sic = system_fields.load(os.path.join(here, "system.json"))
gan = system_fields.load(os.path.join(here, "..", "gan", "system.json"))
check(sic["elements"] == ["Si", "C"] and gan["elements"] == ["Ga", "N"], "committed system files load (SiC, GaN)")
# SiC's liquid box is the one its data were made with (4.956 Angstrom, 15.22 Angstrom^3/atom).
check(abs(system_fields.liquid_volume(sic) - 4.956 ** 3 / 8) < 1e-12, "SiC liquid volume = 4.956^3 / 8")

# The shell form, evaluated by bash, gives back the values (quoting of spaces and newlines).
out = subprocess.run(["bash", "-c", f'eval "$(python3 {here}/system_fields.py {here}/system.json shell)"; '
                      'printf "%s|%s|%s|%s" "$EL1" "$TITLE" "$CRYSTAL_TEMPERATURES" "$(printf "%s" "$LIQUID_RUNS" | wc -l)"'],
                     capture_output=True, text=True)
check(out.stdout == f"Si|SiC (Tersoff)|300 1500 2500|{len(sic['liquid']['runs']) - 1}",
      f"shell values through bash: {out.stdout!r}")

base = json.load(open(os.path.join(here, "..", "gan", "system.json")))
cases = [
    ("a0", lambda s: s.pop("a0"), "a0: missing"),
    ("elements", lambda s: s.update(elements=["Ga", "Ga"]), "elements:"),
    ("masses", lambda s: s.update(masses=[69.7, -1]), "masses:"),
    ("reference.pairStyle", lambda s: s["reference"].pop("pairStyle"), "reference.pairStyle:"),
    ("crystalTemperatures", lambda s: s.update(crystalTemperatures=[300.5]), "crystalTemperatures:"),
    ("liquid.latticeConstant", lambda s: s["liquid"].update(latticeConstant=float("nan")), "liquid.latticeConstant:"),
    ("liquid.runs", lambda s: s["liquid"].update(runs=["liquid"]), "liquid.runs:"),
    ("liquid run divisor", lambda s: s["liquid"].update(runs=["liquid 5000 0"]), "liquid.runs:"),
    ("liquid run multiplier", lambda s: s["liquid"].update(runs=["liquid 5000 1 2.5"]), "liquid.runs:"),
    ("liquid run variant", lambda s: s["liquid"].update(runs=["lquid 5000"]), "liquid.runs:"),
    ("liquid run non-ASCII digit", lambda s: s["liquid"].update(runs=["liquid 5000 \u00b2"]), "liquid.runs:"),
    ("closePairDistances", lambda s: s["liquid"]["runs"].append("liquid-pairs 5000 4"), "liquid.closePairDistances:"),
    ("name", lambda s: s.update(name="g a n"), "name:"),
]
with tempfile.TemporaryDirectory() as d:
    for key, mutate, expected in cases:
        s = copy.deepcopy(base)
        mutate(s)
        path = os.path.join(d, "system.json")
        json.dump(s, open(path, "w"))
        try:
            system_fields.load(path)
            check(False, f"bad {key} refused")
        except SystemExit as e:
            check(str(e).startswith(f"{path}: {expected}"), f"bad {key} refused: {e}")
    path = os.path.join(d, "broken.json")
    open(path, "w").write("{")
    try:
        system_fields.load(path)
        check(False, "unreadable JSON refused")
    except SystemExit as e:
        check(str(e).startswith(path), f"unreadable JSON refused: {e}")

print(f"system-files: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
