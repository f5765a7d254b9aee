#!/usr/bin/env python3
"""Held-out parity plots (PNG) of examples/sic/workflow.sh: predicted vs reference energy per atom
and force components, one colour per run type (variant).

  plots.py PREDICTED.xyz REFERENCE.xyz STEM     -> STEM-energy.png, STEM-forces.png
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sic_tools import read_xyz  # noqa: E402


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    pred, ref, stem = sys.argv[1:]
    p, r = read_xyz(pred), read_xyz(ref)
    if len(p) != len(r):
        sys.exit(f"plots.py: {pred} has {len(p)} structures, {ref} {len(r)}")
    groups = {}
    for (ip, s, _, fp), (ir, _, _, fr) in zip(p, r):
        g = groups.setdefault(ir.get("variant", "?"), ([], [], [], []))
        g[0].append(float(ir["energy"]) / len(s))
        g[1].append(float(ip["energy"]) / len(s))
        g[2].extend(np.ravel(fr))
        g[3].extend(np.ravel(fp))
    rms = lambda a, b: float(np.sqrt(np.mean((np.array(a) - np.array(b)) ** 2)))
    for kind, (i, j), unit, scale in (("energy", (0, 1), "eV/atom", 1000), ("forces", (2, 3), "eV/Å", 1000)):
        fig, ax = plt.subplots(figsize=(5.5, 5))
        allx, ally = [], []
        for name, g in groups.items():
            ax.scatter(g[i], g[j], s=4 if kind == "energy" else 1, label=name, alpha=0.7)
            allx += g[i]
            ally += g[j]
        lo, hi = min(allx + ally), max(allx + ally)
        ax.plot([lo, hi], [lo, hi], "k-", lw=0.8)
        ax.set_xlabel(f"Tersoff {kind} ({unit})")
        ax.set_ylabel(f"nnswift {kind} ({unit})")
        what = "energy per atom" if kind == "energy" else "force components"
        ax.set_title(f"held out {what}: RMSE {scale * rms(allx, ally):.1f} m{unit}")
        ax.legend(fontsize=7, markerscale=3)
        fig.tight_layout()
        fig.savefig(f"{stem}-{kind}.png", dpi=110)
        plt.close(fig)
    print(f"plots: {stem}-energy.png, {stem}-forces.png")


if __name__ == "__main__":
    main()
