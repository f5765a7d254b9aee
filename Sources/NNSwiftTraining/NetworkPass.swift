import Foundation
import NNSwift

/// Forward, input-gradient and parameter-gradient passes of one atomic network on a flat
/// parameter vector, with every layer's pre-activations and activations kept.
///
/// The parameter gradient is that of Φ = α·E(x) + β·h(x), where h = Σ_s (∂E/∂x_s) w_s is the
/// derivative of the atomic energy along the input direction w (forward-over-reverse): α
/// carries the energy loss, β·w the force loss.
struct NetworkPass {
    let layers: [ParameterLayout.Layer]
    /// Per layer: pre-activation z, activation a, f'(z), f''(z).
    var z: [[Double]], a: [[Double]], d1: [[Double]], d2: [[Double]]
    /// Tangents ż, ȧ for the direction pass.
    var zt: [[Double]], at: [[Double]]
    var input: [Double]

    init(layers: [ParameterLayout.Layer]) {
        self.layers = layers
        z = layers.map { [Double](repeating: 0, count: $0.outputs) }
        a = z; d1 = z; d2 = z; zt = z; at = z
        input = [Double](repeating: 0, count: layers.first?.inputs ?? 0)
    }

    /// Atomic network output for input x (stored for the backward passes).
    mutating func forward(_ theta: UnsafeBufferPointer<Double>, input x: [Double]) -> Double {
        input = x
        for (l, layer) in layers.enumerated() {
            let nIn = layer.inputs, nOut = layer.outputs
            let prev = l == 0 ? input : a[l - 1]
            var zl = [Double](repeating: 0, count: nOut)
            for o in 0..<nOut { zl[o] = theta[layer.biasOffset + o] }
            for i in 0..<nIn {
                let xi = prev[i]
                if xi == 0 { continue }
                let row = layer.weightOffset + i * nOut
                for o in 0..<nOut { zl[o] += xi * theta[row + o] }
            }
            for o in 0..<nOut {
                let zz = zl[o] * layer.scale
                let (f, df) = layer.activation.apply(zz)
                z[l][o] = zz; a[l][o] = f; d1[l][o] = df
                d2[l][o] = layer.activation.secondDerivative(zz, f: f, df: df)
            }
        }
        return a[layers.count - 1][0]
    }

    /// ∂E/∂x of the last forward input.
    func inputGradient(_ theta: UnsafeBufferPointer<Double>) -> [Double] {
        var delta = [d1[layers.count - 1][0] * layers[layers.count - 1].scale]
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l]
            var prev = [Double](repeating: 0, count: layer.inputs)
            for i in 0..<layer.inputs {
                let row = layer.weightOffset + i * layer.outputs
                var s = 0.0
                for o in 0..<layer.outputs { s += theta[row + o] * delta[o] }
                prev[i] = s
            }
            if l == 0 { return prev }
            for i in 0..<layer.inputs { prev[i] *= d1[l - 1][i] * layers[l - 1].scale }
            delta = prev
        }
        return delta
    }

    /// Adds ∂Φ/∂θ to `grad` for Φ = α·E + β·Σ_s (∂E/∂x_s) w_s at the last forward input.
    /// `w` may be nil (β = 0). With `inputAdjoints` it also returns ∂Φ/∂x (x = network input;
    /// α ∂E/∂x + β H w) and ∂Φ/∂w (= β ∂E/∂x), which the symmetry-function parameter gradient needs.
    @discardableResult
    mutating func accumulateGradient(_ theta: UnsafeBufferPointer<Double>, alpha: Double, beta: Double, direction w: [Double]?,
                                     into grad: UnsafeMutableBufferPointer<Double>,
                                     inputAdjoints: Bool = false) -> (x: [Double], w: [Double])? {
        let L = layers.count
        let tangent = w != nil && beta != 0
        if tangent {
            // Forward tangent: ż_l = s W ȧ_{l-1}, ȧ_l = f'(z_l) ż_l, ȧ_0 = w.
            for (l, layer) in layers.enumerated() {
                let prev = l == 0 ? w! : at[l - 1]
                var zl = [Double](repeating: 0, count: layer.outputs)
                for i in 0..<layer.inputs {
                    let xi = prev[i]
                    if xi == 0 { continue }
                    let row = layer.weightOffset + i * layer.outputs
                    for o in 0..<layer.outputs { zl[o] += xi * theta[row + o] }
                }
                for o in 0..<layer.outputs {
                    zt[l][o] = zl[o] * layer.scale
                    at[l][o] = d1[l][o] * zt[l][o]
                }
            }
        }
        // Reverse: abar = ∂Φ/∂a_l, tbar = ∂Φ/∂ȧ_l.
        var abar = [alpha]
        var tbar = [tangent ? beta : 0]
        for l in stride(from: L - 1, through: 0, by: -1) {
            let layer = layers[l]
            let nIn = layer.inputs, nOut = layer.outputs
            // Adjoints of the pre-activation sums (before the scale factor).
            var pbar = [Double](repeating: 0, count: nOut)   // of  W a + b
            var ptbar = [Double](repeating: 0, count: nOut)  // of  W ȧ
            for o in 0..<nOut {
                var zb = abar[o] * d1[l][o]
                if tangent {
                    zb += tbar[o] * d2[l][o] * zt[l][o]
                    ptbar[o] = tbar[o] * d1[l][o] * layer.scale
                }
                pbar[o] = zb * layer.scale
            }
            let prevA = l == 0 ? input : a[l - 1]
            let prevT: [Double]? = tangent ? (l == 0 ? w! : at[l - 1]) : nil
            for o in 0..<nOut { grad[layer.biasOffset + o] += pbar[o] }
            for i in 0..<nIn {
                let row = layer.weightOffset + i * nOut
                let ai = prevA[i]
                if let prevT {
                    let ti = prevT[i]
                    for o in 0..<nOut { grad[row + o] += ai * pbar[o] + ti * ptbar[o] }
                } else if ai != 0 {
                    for o in 0..<nOut { grad[row + o] += ai * pbar[o] }
                }
            }
            if l == 0 && !inputAdjoints { break }
            var nextA = [Double](repeating: 0, count: nIn)
            var nextT = [Double](repeating: 0, count: nIn)
            for i in 0..<nIn {
                let row = layer.weightOffset + i * nOut
                var s = 0.0, t = 0.0
                for o in 0..<nOut { s += theta[row + o] * pbar[o] }
                if tangent { for o in 0..<nOut { t += theta[row + o] * ptbar[o] } }
                nextA[i] = s; nextT[i] = t
            }
            if l == 0 { return (nextA, nextT) }
            abar = nextA; tbar = nextT
        }
        return nil
    }
}
