"""Equation of state of bulk fcc gold on an nnswift gold model: E(V), a Birch-Murnaghan fit
(ASE's EquationOfState), the equilibrium lattice constant and bulk modulus, and a plot
(gold-eos.png with matplotlib, else gold-eos.svg).

    python examples/python/gold_eos.py
The default model (examples/training/gold-bulk.json) is trained on Au2-Au5 clusters and 32-atom
fcc cells (EAM, a = 4.08 A +- 3 %); a model trained on clusters only knows nothing of the bulk.
"""

import numpy as np
from ase.build import bulk
from ase.eos import EquationOfState
from ase.units import GPa

from common import gold_model_path
from nnswift.ase import NNSwiftCalculator

calc = NNSwiftCalculator(gold_model_path())
volumes, energies = [], []
for a in np.linspace(3.96, 4.20, 13):   # within the +-3 % strains of the training data
    atoms = bulk("Au", "fcc", a=a, cubic=True)
    atoms.calc = calc
    volumes.append(atoms.get_volume() / len(atoms))
    energies.append(atoms.get_potential_energy() / len(atoms))
eos = EquationOfState(volumes, energies, eos="birchmurnaghan")
v0, e0, b = eos.fit()
print(f"fcc gold: V0 = {v0:.3f} A^3/atom (a0 = {(4 * v0) ** (1 / 3):.4f} A), E0 = {e0:.4f} eV/atom, "
      f"B = {b / GPa:.1f} GPa")


def write_svg(path, x, y, fit_x, fit_y):
    """A minimal SVG plot: data points and the fitted curve."""
    w, h, m = 480, 360, 60
    x0, x1 = min(fit_x), max(fit_x)
    y0, y1 = min(min(y), min(fit_y)), max(max(y), max(fit_y))
    px = lambda v: m + (v - x0) / (x1 - x0) * (w - 2 * m)
    py = lambda v: h - m - (v - y0) / (y1 - y0) * (h - 2 * m)
    curve = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in zip(fit_x, fit_y))
    dots = "".join(f'<circle cx="{px(a):.1f}" cy="{py(b):.1f}" r="4" fill="#c80"/>' for a, b in zip(x, y))
    with open(path, "w") as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="13">'
                f'<rect x="{m}" y="{m}" width="{w - 2 * m}" height="{h - 2 * m}" fill="none" stroke="#000"/>'
                f'<polyline points="{curve}" fill="none" stroke="#036" stroke-width="2"/>{dots}'
                f'<text x="{w / 2}" y="{h - 15}" text-anchor="middle">volume (A^3/atom): {x0:.1f} to {x1:.1f}</text>'
                f'<text x="15" y="{h / 2}" transform="rotate(-90 15 {h / 2})" text-anchor="middle">'
                f'energy (eV/atom): {y0:.3f} to {y1:.3f}</text>'
                f'<text x="{w / 2}" y="35" text-anchor="middle">fcc Au, nnswift: V0 {v0:.2f} A^3, B {b / GPa:.0f} GPa</text></svg>\n')


fit_v, fit_e = eos.getplotdata()[4:6]
try:
    import matplotlib
    matplotlib.use("Agg")
    eos.plot("gold-eos.png")
    print("plot: gold-eos.png")
except ImportError:
    write_svg("gold-eos.svg", volumes, energies, fit_v, fit_e)
    print("plot: gold-eos.svg (matplotlib not installed)")
