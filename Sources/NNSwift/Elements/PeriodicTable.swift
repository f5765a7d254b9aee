/// Element symbols (Z = 1…118) and standard atomic weights (Z = 1…83).
public enum PeriodicTable {
    /// Element symbols for Z = 1…118.
    public static let symbols: [String] = [
        "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne",
        "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar", "K", "Ca",
        "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn",
        "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr",
        "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn",
        "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
        "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb",
        "Lu", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg",
        "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th",
        "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm",
        "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds",
        "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
    ]

    /// IUPAC standard atomic weights (amu) for Z = 1…83 (H…Bi): the elements whose mass
    /// identifies them unambiguously. Heavier elements are never guessed from a mass.
    public static let weights: [Double] = [
        1.008, 4.0026, 6.94, 9.0122, 10.81, 12.011, 14.007, 15.999, 18.998, 20.180,
        22.990, 24.305, 26.982, 28.085, 30.974, 32.06, 35.45, 39.948, 39.098, 40.078,
        44.956, 47.867, 50.942, 51.996, 54.938, 55.845, 58.933, 58.693, 63.546, 65.38,
        69.723, 72.630, 74.922, 78.971, 79.904, 83.798, 85.468, 87.62, 88.906, 91.224,
        92.906, 95.95, 97.907, 101.07, 102.91, 106.42, 107.87, 112.41, 114.82, 118.71,
        121.76, 127.60, 126.90, 131.29, 132.91, 137.33, 138.91, 140.12, 140.91, 144.24,
        144.91, 150.36, 151.96, 157.25, 158.93, 162.50, 164.93, 167.26, 168.93, 173.05,
        174.97, 178.49, 180.95, 183.84, 186.21, 190.23, 192.22, 195.08, 196.97, 200.59,
        204.38, 207.2, 208.98,
    ]

    public static let numberBySymbol: [String: Int] = {
        var d: [String: Int] = [:]
        for (i, s) in symbols.enumerated() { d[s] = i + 1 }
        return d
    }()

    public static func isElement(_ s: String) -> Bool { numberBySymbol[s] != nil }

    public static func atomicNumber(_ s: String) -> Int? { numberBySymbol[s] }

    public static func symbol(atomicNumber z: Int) -> String? {
        z >= 1 && z <= symbols.count ? symbols[z - 1] : nil
    }

    public static func weight(_ s: String) -> Double? {
        guard let z = numberBySymbol[s], z <= weights.count else { return nil }
        return weights[z - 1]
    }

    /// The element whose standard weight is nearest to `mass`, if within `tolerance` amu.
    public static func element(nearestMass mass: Double, tolerance: Double = 0.1) -> String? {
        guard mass.isFinite else { return nil }
        var best = -1
        var bestDiff = Double.infinity
        for (i, m) in weights.enumerated() {
            let d = abs(m - mass)
            if d <= tolerance && d < bestDiff { best = i; bestDiff = d }
        }
        return best >= 0 ? symbols[best] : nil
    }

    /// Sorts symbols by atomic number (n2p2's element order); unknown symbols go last, alphabetically.
    public static func sortedByAtomicNumber(_ list: [String]) -> [String] {
        list.sorted { (atomicNumber($0) ?? 1000, $0) < (atomicNumber($1) ?? 1000, $1) }
    }
}
