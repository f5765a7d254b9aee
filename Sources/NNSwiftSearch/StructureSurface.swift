import NNSwift
import NNSwiftOptimize

/// The energy surface of a structure under an `AtomicCalculator`: the atomic positions, and
/// optionally the cell for variable-cell relaxation at a target pressure.
///
/// Fixed cell (the default): x = (x1, y1, z1, x2, ...), gradient = −forces.
///
/// Variable cell (`relaxCell`, needs a cell periodic along a, b and c): the cell is deformed
/// from the starting cell by a deformation gradient F (each lattice vector v → F v) and atoms
/// are stored in the undeformed frame, r = F r̃ (the convention of ASE's UnitCellFilter).
/// x = (r̃1, ..., r̃N, cellFactor · F row-major). The function minimized is the enthalpy
/// H = E + p V, with
///   dH/dr̃ = −Fᵀ f,    dH/dF = (−Wᵀ + p V 1) F⁻ᵀ
/// where W = Σ r ⊗ F is the virial (−W = dE/dε for a homogeneous strain ε). The cell part of
/// the gradient is divided by `cellFactor` (default: the number of atoms), so at F ≈ 1 it is
/// (σ + p)·V/N with σ = −W/V the stress (positive = tensile): an energy per atom, compared
/// with the same `fmax` as the forces.
public final class StructureSurface: EnergySurface {
    public let calculator: AtomicCalculator
    /// The starting structure (its cell is the reference cell of the deformation).
    public let reference: Structure
    public let relaxCell: Bool
    /// Target pressure in the calculator's energy/length³ (positive = compressive).
    public let pressure: Double
    public let cellFactor: Double

    private var cache: (x: [Double], calculation: AtomicCalculation)?

    public init(calculator: AtomicCalculator, structure: Structure, relaxCell: Bool = false,
                pressure: Double = 0, cellFactor: Double? = nil) throws {
        if relaxCell {
            guard let c = structure.cell, structure.pbc == .all, c.isValid else {
                throw NNSwiftError.argument("cell relaxation needs a valid cell periodic along a, b and c")
            }
        }
        guard structure.count > 0 else { throw NNSwiftError.argument("the structure has no atoms") }
        self.calculator = calculator
        self.reference = structure
        self.relaxCell = relaxCell
        self.pressure = pressure
        self.cellFactor = cellFactor ?? Double(structure.count)
    }

    public var atoms: Int { reference.count }
    public var dimension: Int { 3 * atoms + (relaxCell ? 9 : 0) }

    /// The coordinates of the starting structure.
    public var initialCoordinates: [Double] {
        var x = FlatCoordinates.flatten(reference.positions)
        if relaxCell { x += Matrix3.identity.flat.map { $0 * cellFactor } }
        return x
    }

    /// Deformation gradient F encoded in `x` (identity for a fixed cell).
    public func deformation(_ x: [Double]) -> Matrix3 {
        guard relaxCell else { return .identity }
        return Matrix3(flat: Array(x[(3 * atoms)...]).map { $0 / cellFactor })
    }

    /// The structure that `x` describes (positions and cell; no energy or forces).
    public func geometry(_ x: [Double]) -> Structure {
        var s = reference
        s.energy = nil; s.forces = nil; s.stress = nil
        let f = deformation(x)
        let undeformed = FlatCoordinates.positions(x, count: atoms)
        if relaxCell, let c = reference.cell {
            s.positions = undeformed.map { f * $0 }
            s.cell = Cell(a: f * c.a, b: f * c.b, c: f * c.c)
        } else {
            s.positions = undeformed
        }
        return s
    }

    /// Energy (not enthalpy), forces and virial at `x` (from the last evaluation when it was at `x`).
    public func calculation(at x: [Double]) throws -> AtomicCalculation {
        if let c = cache, c.x == x { return c.calculation }
        let r = try calculator.calculate(geometry(x))
        cache = (x, r)
        return r
    }

    /// The structure at `x` with energy, forces, stress (periodic cells) and, with a pressure,
    /// the enthalpy in `info["enthalpy"]`.
    public func structure(at x: [Double]) throws -> Structure {
        var s = geometry(x)
        let r = try calculation(at: x)
        s.energy = r.energy
        s.forces = r.forces
        if let c = s.cell, s.pbc.any {
            s.stress = (-1 / c.volume) * r.virial
            if relaxCell { s.info["enthalpy"] = formatted(r.energy + pressure * c.volume) }
        }
        return s
    }

    public func evaluate(_ x: [Double]) throws -> SurfacePoint {
        precondition(x.count == dimension, "expected \(dimension) coordinates, got \(x.count)")
        let r = try calculation(at: x)
        var g = [Double](repeating: 0, count: dimension)
        guard relaxCell, let c0 = reference.cell else {
            for (i, f) in r.forces.enumerated() { g[3 * i] = -f.x; g[3 * i + 1] = -f.y; g[3 * i + 2] = -f.z }
            return SurfacePoint(energy: r.energy, gradient: g)
        }
        let f = deformation(x)
        let ft = f.transposed
        for (i, force) in r.forces.enumerated() {
            let gi = ft * (-force)
            g[3 * i] = gi.x; g[3 * i + 1] = gi.y; g[3 * i + 2] = gi.z
        }
        let volume = abs(f.determinant) * c0.volume
        var dE = (-1) * r.virial.transposed
        dE = dE + (pressure * volume) * Matrix3.identity
        let dF = dE * f.inverse.transposed
        for (k, v) in dF.flat.enumerated() { g[3 * atoms + k] = v / cellFactor }
        return SurfacePoint(energy: r.energy + pressure * volume, gradient: g)
    }

    private func formatted(_ v: Double) -> String { "\(v)" }
}
