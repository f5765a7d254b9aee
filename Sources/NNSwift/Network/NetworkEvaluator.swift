/// Forward and backward pass of one `DenseNetwork` on caller-owned scratch memory
/// (no allocation per call). The scratch holds every layer's activation derivatives.
struct NetworkEvaluator {
    /// Energy of one atom for the scaled input `x`, and dE/dx written into `gradient`.
    /// `derivatives` (neuronCount) and `a`, `b` (maxWidth) are scratch.
    @inline(__always)
    static func evaluate(_ net: DenseNetwork, input x: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>?,
                         derivatives: UnsafeMutablePointer<Double>, a: UnsafeMutablePointer<Double>,
                         b: UnsafeMutablePointer<Double>) -> Double {
        var current = UnsafeMutablePointer(mutating: x)
        var next = a
        var dOffset = 0
        let normalize = net.normalizeNeurons
        for layer in net.layers {
            let nIn = layer.inputs, nOut = layer.outputs
            layer.biases.withUnsafeBufferPointer { bias in
                for o in 0..<nOut { next[o] = 0 }
                layer.weights.withUnsafeBufferPointer { w in
                    for i in 0..<nIn {
                        let xi = current[i]
                        let row = w.baseAddress! + i * nOut
                        for o in 0..<nOut { next[o] += xi * row[o] }
                    }
                }
                let scale = normalize ? 1 / Double(nIn) : 1
                for o in 0..<nOut {
                    var z = next[o] + bias[o]
                    if normalize { z *= scale }
                    let (f, df) = layer.activation.apply(z)
                    next[o] = f
                    derivatives[dOffset + o] = normalize ? df * scale : df
                }
            }
            dOffset += nOut
            current = next
            next = (next == a) ? b : a
        }
        let energy = current[0]
        guard let gradient else { return energy }

        // Backward: delta holds dE/d(pre-activation) of the current layer.
        var delta = next
        var deltaNext = (next == a) ? b : a
        var layerIndex = net.layers.count - 1
        dOffset -= net.layers[layerIndex].outputs
        delta[0] = derivatives[dOffset]
        while layerIndex >= 0 {
            let layer = net.layers[layerIndex]
            let nIn = layer.inputs, nOut = layer.outputs
            let isFirst = layerIndex == 0
            let target = isFirst ? gradient : deltaNext
            let dPrev = isFirst ? 0 : dOffset - layer.inputs
            layer.weights.withUnsafeBufferPointer { w in
                for i in 0..<nIn {
                    let row = w.baseAddress! + i * nOut
                    var s = 0.0
                    for o in 0..<nOut { s += row[o] * delta[o] }
                    target[i] = isFirst ? s : s * derivatives[dPrev + i]
                }
            }
            if isFirst { break }
            dOffset = dPrev
            swap(&delta, &deltaNext)
            layerIndex -= 1
        }
        return energy
    }
}
