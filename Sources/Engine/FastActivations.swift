import CBLAS

extension FastKernels {
    /// Full post-ReLU conv2 maps [o][y][x] (all 5x5 positions, also those pool2 drops) from the
    /// last forward pass's pool1 output:
    /// a2[o][y][x] = max(0, b[o] + sum_{c,ky,kx} W2[o][c][ky][kx] p1[c][y+ky][x+kx]),
    /// as one sgemm over an im2col of the 25 positions (the volatility of selective dropout
    /// needs every position; the training forward computes only the 16 that pool2 reads).
    /// With `relu` false, the pre-ReLU maps z2 (the max(0, .) left out).
    func fullConv2Activation(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                             relu: Bool = true) {
        let a = architecture, k = a.kernel, pooled = a.pool1Side, outSide = a.conv2Side
        let positions = outSide * outSide, channels = a.conv2Channels
        for y in 0..<outSide {
            for x in 0..<outSide {
                var dst = fullCols.p + (y &* outSide &+ x) &* patch
                for c in 0..<a.conv1Channels {
                    let plane = p1.p + (c &* cells1 &+ y &* pooled &+ x)
                    for ky in 0..<k {
                        for kx in 0..<k { dst[kx] = plane[ky &* pooled &+ kx] }
                        dst += k
                    }
                }
            }
        }
        // out[o][pos] = W2[o] . cols[pos]
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(channels), Int32(positions), Int32(patch),
                    1, w, Int32(patch), fullCols.p, Int32(patch), 0, out, Int32(positions))
        for o in 0..<channels {
            let row = out + o &* positions
            for j in 0..<positions {
                let z = row[j] + bias[o]
                row[j] = relu && z <= 0 ? 0 : z
            }
        }
    }
}
