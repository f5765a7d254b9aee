/// A repulsive pair potential under the network: E_total = E_network + Σ_pairs E_pair(r_ij).
/// Only ZBL (LAMMPS `pair_style zbl inner outer`) so far; `inner` and `outer` are in the model's
/// length unit. The model file's optional section `pairBaseline` (docs/model-format.md).
public struct PairBaseline: Equatable, Codable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable { case zbl }
    public var type: Kind
    /// Start of the switching region (model length unit).
    public var inner: Double
    /// Where energy, force and its derivative reach zero (model length unit); at most the model cutoff.
    public var outer: Double

    public init(type: Kind = .zbl, inner: Double, outer: Double) {
        self.type = type; self.inner = inner; self.outer = outer
    }
}
