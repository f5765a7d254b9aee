import Foundation
import NNSwift

extension Dataset {
    /// Per-element reference energies ε_e: the `fixed` ones exactly as given (the config's
    /// `atomEnergies`, as n2p2's `atom_energy`), the others by least squares,
    /// minimizing Σ_b (E_b − Σ_e n_be ε_e)² over the structures `indices`.
    ///
    /// The compositions must determine every fitted ε: when the composition matrix restricted
    /// to the fitted elements is rank-deficient (all structures water, or every structure with
    /// the same H:O ratio), any split of the energy between those elements fits equally well, so
    /// this throws and names the elements to fix in `atomEnergies`. The rank comes from a
    /// column-pivoted Householder QR with a relative tolerance.
    public func referenceEnergies(elements: [String], indices: [Int], fixed: [String: Double] = [:]) throws -> [Double] {
        for (e, v) in fixed.sorted(by: { $0.key < $1.key }) {
            guard elements.contains(e) else {
                throw NNSwiftError.argument("config: atomEnergies gives '\(e)', which is not an element of the data (\(elements.joined(separator: ", ")))")
            }
            guard v.isFinite else { throw NNSwiftError.argument("config: atomEnergies['\(e)'] = \(v) is not finite") }
        }
        var out = elements.map { fixed[$0] ?? 0 }
        let free = elements.indices.filter { fixed[elements[$0]] == nil }
        guard !free.isEmpty else { return out }
        // Rows: counts of the fitted elements; right-hand side: energy minus the fixed part.
        var a: [[Double]] = [], b: [Double] = []
        for i in indices {
            let s = structures[i]
            var counts = [Double](repeating: 0, count: elements.count)
            for e in s.elements { if let k = elements.firstIndex(of: e) { counts[k] += 1 } }
            a.append(free.map { counts[$0] })
            b.append((s.energy ?? 0) - elements.indices.reduce(0.0) { $0 + counts[$1] * out[$1] })
        }
        let fit = PivotedQR(a, columns: free.count)
        guard fit.rank == free.count else {
            let undetermined = fit.nonPivotColumns.map { elements[free[$0]] }
            let fittedNames = free.map { elements[$0] }
            let example = undetermined.map { "\"\($0)\": …" }.joined(separator: ", ")
            throw NNSwiftError.argument("""
                the training compositions do not determine the per-element reference energies of \
                \(fittedNames.joined(separator: ", ")) (\(indices.count) structures, composition matrix of rank \
                \(fit.rank) for \(free.count) elements, e.g. every structure has the same element ratio): any split \
                of the energy between these elements fits equally well, and the model would be wrong for other \
                compositions. Set them in the training config, in the model's energy unit: \
                "atomEnergies": {\(example)} at least (or all of \(fittedNames.joined(separator: ", "))), \
                e.g. the energies of the free atoms (n2p2's atom_energy)
                """)
        }
        let x = fit.solve(b)
        for (k, e) in free.enumerated() { out[e] = x[k] }
        return out
    }
}

/// Column-pivoted Householder QR of a tall matrix (rows × columns): rank with a relative
/// tolerance and least-squares solutions of full-rank systems.
struct PivotedQR {
    private var r: [[Double]]          // rows × cols, R in the upper triangle after factorization
    private var reflectors: [[Double]] // Householder vectors v_k (length rows − k)
    private(set) var pivot: [Int]      // column j of R is column pivot[j] of A
    private(set) var rank = 0
    let columns: Int

    /// |R_kk| ≤ tolerance · |R_00| counts as zero: far above rounding (~1e-16 · rows) and far
    /// below what integer composition counts of a genuinely independent column give.
    static let tolerance = 1e-10

    init(_ a: [[Double]], columns: Int) {
        self.columns = columns
        r = a; reflectors = []; pivot = Array(0..<columns)
        let m = a.count
        var firstDiagonal = 0.0
        for k in 0..<min(m, columns) {
            // Pivot: the remaining column with the largest norm below row k.
            var best = k, bestNorm = -1.0
            for j in k..<columns {
                let norm = (k..<m).reduce(0.0) { $0 + r[$1][j] * r[$1][j] }
                if norm > bestNorm { best = j; bestNorm = norm }
            }
            if best != k {
                for i in 0..<m { r[i].swapAt(k, best) }
                pivot.swapAt(k, best)
            }
            let alpha = bestNorm.squareRoot()
            if k == 0 { firstDiagonal = alpha }
            guard alpha > Self.tolerance * firstDiagonal, alpha > 0 else { break }
            // Householder vector v = x + sign(x0)|x| e0, normalized.
            var v = (k..<m).map { r[$0][k] }
            v[0] += v[0] >= 0 ? alpha : -alpha
            let vn = v.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / vn }
            for j in k..<columns {
                let d = (0..<v.count).reduce(0.0) { $0 + v[$1] * r[k + $1][j] }
                for t in 0..<v.count { r[k + t][j] -= 2 * d * v[t] }
            }
            reflectors.append(v)
            rank = k + 1
        }
    }

    /// Columns of A (original order) left out of the independent set.
    var nonPivotColumns: [Int] { Array(pivot[rank...]).sorted() }

    /// Least-squares solution of A x ≈ b (valid when rank == columns).
    func solve(_ b: [Double]) -> [Double] {
        var y = b
        for (k, v) in reflectors.enumerated() {
            let d = (0..<v.count).reduce(0.0) { $0 + v[$1] * y[k + $1] }
            for t in 0..<v.count { y[k + t] -= 2 * d * v[t] }
        }
        var z = [Double](repeating: 0, count: columns)
        for k in stride(from: rank - 1, through: 0, by: -1) {
            var s = y[k]
            for j in (k + 1)..<rank { s -= r[k][j] * z[j] }
            z[k] = s / r[k][k]
        }
        var x = [Double](repeating: 0, count: columns)
        for j in 0..<columns { x[pivot[j]] = z[j] }
        return x
    }
}
