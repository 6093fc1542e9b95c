import CSIMD

extension FastKernels {
    /// Full conv2 maps [o][y][x] (all 5x5 positions, also those pool2 drops) from the last
    /// forward pass's pool1 output, pre-ReLU or post-ReLU:
    /// z2[o][y][x] = b[o] + W2[o] . cols[y][x],  cols[y][x][(c, ky, kx)] = p1[c][y+ky][x+kx],
    /// with the training forward's summation (16-lane FMA chains over the patch, the fixed
    /// `sum16` tree, then the bias), so the positions pool2 reads carry the bits of `z2`.
    /// A direct loop, no BLAS: its bits reach the volatility of selective dropout.
    func fullConv2Activation(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>, preReLU: Bool,
                             into out: UnsafeMutablePointer<Float>) {
        let a = architecture, k = a.kernel, pooled = a.pool1Side, outSide = a.conv2Side
        let positions = outSide &* outSide, n = patch
        for y in 0..<outSide {
            for x in 0..<outSide {
                var dst = fullCols.p + (y &* outSide &+ x) &* n
                for c in 0..<a.conv1Channels {
                    let plane = p1.p + (c &* cells1 &+ y &* pooled &+ x)
                    for ky in 0..<k {
                        for kx in 0..<k { dst[kx] = plane[ky &* pooled &+ kx] }
                        dst += k
                    }
                }
            }
        }
        for o in Swift.stride(from: 0, to: a.conv2Channels, by: 4) {
            let w0 = w + o &* n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n
            for pos in 0..<positions {
                let x = UnsafePointer(fullCols.p + pos &* n)
                var t0 = Vec16(), t1 = Vec16(), t2 = Vec16(), t3 = Vec16()
                for i in Swift.stride(from: 0, to: n, by: 16) {
                    let v = load16(x + i)
                    t0 = fma16(load16(w0 + i), v, t0); t1 = fma16(load16(w1 + i), v, t1)
                    t2 = fma16(load16(w2 + i), v, t2); t3 = fma16(load16(w3 + i), v, t3)
                }
                let r = out + (o &* positions &+ pos)
                r[0] = bias[o] + sum16(t0); r[positions] = bias[o &+ 1] + sum16(t1)
                r[2 &* positions] = bias[o &+ 2] + sum16(t2); r[3 &* positions] = bias[o &+ 3] + sum16(t3)
            }
        }
        guard !preReLU else { return }
        for i in 0..<a.conv2Channels &* positions { out[i] = out[i] > 0 ? out[i] : 0 }
    }
}
