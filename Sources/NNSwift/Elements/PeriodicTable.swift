/// Element symbols, atomic numbers and standard atomic weights (IUPAC, amu) for Z = 1…92.
public enum PeriodicTable {
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
        "Pa", "U",
    ]
    public static let masses: [Double] = [
        1.008, 4.0026, 6.94, 9.0122, 10.81, 12.011, 14.007, 15.999, 18.998, 20.18,
        22.99, 24.305, 26.982, 28.085, 30.974, 32.06, 35.45, 39.948, 39.098, 40.078,
        44.956, 47.867, 50.942, 51.996, 54.938, 55.845, 58.933, 58.693, 63.546, 65.38,
        69.723, 72.63, 74.922, 78.971, 79.904, 83.798, 85.468, 87.62, 88.906, 91.224,
        92.906, 95.95, 97.0, 101.07, 102.91, 106.42, 107.87, 112.41, 114.82, 118.71,
        121.76, 127.6, 126.9, 131.29, 132.91, 137.33, 138.91, 140.12, 140.91, 144.24,
        145.0, 150.36, 151.96, 157.25, 158.93, 162.5, 164.93, 167.26, 168.93, 173.05,
        174.97, 178.49, 180.95, 183.84, 186.21, 190.23, 192.22, 195.08, 196.97, 200.59,
        204.38, 207.2, 208.98, 209.0, 210.0, 222.0, 223.0, 226.0, 227.0, 232.04,
        231.04, 238.03,
    ]

    /// Atomic number of `symbol`, or nil when it is not an element symbol.
    public static func atomicNumber(_ symbol: String) -> Int? {
        symbols.firstIndex(of: symbol).map { $0 + 1 }
    }

    public static func isElement(_ symbol: String) -> Bool { atomicNumber(symbol) != nil }

    /// The element whose standard weight is nearest to `mass`, within `tolerance` amu.
    public static func element(forMass mass: Double, tolerance: Double = 0.1) -> String? {
        var best: (Int, Double)?
        for (i, m) in masses.enumerated() where abs(m - mass) <= tolerance {
            if best == nil || abs(m - mass) < best!.1 { best = (i, abs(m - mass)) }
        }
        return best.map { symbols[$0.0] }
    }

    /// Sorts symbols by atomic number (n2p2's element order); unknown symbols go last, alphabetically.
    public static func sortedByAtomicNumber(_ list: [String]) -> [String] {
        list.sorted { (atomicNumber($0) ?? 1000, $0) < (atomicNumber($1) ?? 1000, $1) }
    }
}
