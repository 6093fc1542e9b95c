#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The engine's semantics written once, used by the fast, batched and reference engines alike:
/// input normalisation and its gradient, log-softmax, the NLL gradient and the first maximum.
/// Every engine calls these, so they agree bit for bit wherever they agree on the arithmetic.
extension Normalisation {
    /// input[i] = (pixel[i] - mean) / std over all `count` padded pixels, computed as
    /// (p - mean) * (1 / std), the same bits in every engine.
    @inline(__always)
    public func normalise(_ pixels: UnsafePointer<Float>, count: Int, into input: UnsafeMutablePointer<Float>) {
        let mean = self.mean, inv = 1 / std
        for i in 0..<count { input[i] = (pixels[i] - mean) * inv }
    }

    /// The input value of a zero (blank) pixel: (0 - mean) / std, as `normalise` computes it.
    var blankInput: Float { (0 - mean) * (1 / std) }

    /// d loss / d pixel[i] = d loss / d input[i] / std over all `count` padded pixels (a pixel
    /// enters as (p - mean) / std).
    @inline(__always)
    func pixelGradient(_ inputGradient: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        let inv = 1 / std
        for i in 0..<count { out[i] = inputGradient[i] * inv }
    }
}

public enum Semantics {
    /// log p_k = z_k - max - log sum_j exp(z_j - max).
    @inline(__always)
    public static func logSoftmax(_ z: UnsafePointer<Float>, count n: Int, into out: UnsafeMutablePointer<Float>) {
        var m = z[0]
        for k in 1..<n where z[k] > m { m = z[k] }
        var s: Float = 0
        for k in 0..<n { s += expf(z[k] - m) }
        let lse = m + logf(s)
        for k in 0..<n { out[k] = z[k] - lse }
    }

    /// d NLL / d z_k = softmax_k - [k == label], from the log-probabilities.
    @inline(__always)
    public static func nllGradient(_ logProbs: UnsafePointer<Float>, count n: Int, label: Int, into out: UnsafeMutablePointer<Float>) {
        for k in 0..<n { out[k] = expf(logProbs[k]) - (k == label ? 1 : 0) }
    }

    /// The index of the first maximum (ties go to the lowest index, as Torch's max).
    @inline(__always)
    public static func firstMaximum(_ values: UnsafePointer<Float>, count: Int) -> Int {
        var best = 0
        for k in 1..<count where values[k] > values[best] { best = k }
        return best
    }
}
