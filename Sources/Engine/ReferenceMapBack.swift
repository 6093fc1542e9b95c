extension ReferenceNetwork {
    /// The author's notebook's `mapBack` (reference.json "author_code.projection_notebook") for
    /// the last forward pass: with the forward state of the real weights, overwrite `layer`'s
    /// weight rows, 1.0 for every weight of `unit` and 0.0 for every other unit (biases
    /// untouched), then back-propagate gradOutput = the forward output itself (the
    /// log-probabilities) through log-softmax, the forward pass's ReLU masks and max-pool
    /// switches, the real weights elsewhere, and the overwritten rows at `layer`; the gradient
    /// with respect to the input pixels is the projection. The weights are restored afterwards.
    ///
    /// `unit` nil gives the notebook's `mapLayer` sum over every unit of the layer in one pass
    /// (the backward pass is linear in the overwritten rows, and the units' rows sum to all ones).
    public func mapBack(layer: UnitLayer, unit: Int?) -> [Float] {
        let a = architecture, width = a.width(of: layer), rows = incomingRows(of: layer)
        if let unit { precondition((0..<width).contains(unit), "\(layer) has no unit \(unit)") }
        let w = parameters.baseAddress! + rows.offset, count = width * rows.length
        let saved = [Float](UnsafeBufferPointer(start: w, count: count))
        for j in 0..<width { (w + j * rows.length).update(repeating: unit == nil || unit == j ? 1 : 0, count: rows.length) }
        defer { saved.withUnsafeBufferPointer { w.update(from: $0.baseAddress!, count: count) } }
        // log-softmax backward of g = log p: d z_k = g_k - p_k sum_j g_j
        var total: Float = 0
        for k in 0..<a.classes { total += logProbs[k] }
        for k in 0..<a.classes { dLogits[k] = logProbs[k] - expf(logProbs[k]) * total }
        var out = [Float](repeating: 0, count: a.pixels)
        out.withUnsafeMutableBufferPointer {
            propagate(from: .logits, rule: .forwardMask, parameterGradients: false, inputGradient: $0.baseAddress!)
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
