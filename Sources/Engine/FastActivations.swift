import CSIMD

extension FastKernels {
    /// Full conv2 maps [o][y][x] (all 5x5 positions, also those pool2 drops) of the last forward
    /// pass, pre-ReLU or post-ReLU. Where pool2 reads (y, x < used2) the forward pass has computed
    /// them already: copied from z2. Elsewhere
    /// z2[o][y][x] = b[o] + W2[o] . cols[y][x],  cols[y][x][(c, ky, kx)] = p1[c][y+ky][x+kx],
    /// with the conv2 kernel's summation (16-lane FMA chains over the patch, the fixed `sum16`
    /// tree, then the bias), so every position carries the bits that kernel gives it. A direct
    /// loop, no BLAS: its bits reach the volatility of selective dropout.
    func fullConv2Activation(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>, preReLU: Bool,
                             into out: UnsafeMutablePointer<Float>) {
        let a = architecture, side = a.conv2Side, positions = side &* side
        for o in 0..<a.conv2Channels {
            for y in 0..<used2 {
                (out + (o &* positions &+ y &* side)).update(from: z2.p + (o &* positions2 &+ y &* used2), count: used2)
            }
        }
        gatherUnpooledPatches()
        let n = patch
        for o in Swift.stride(from: 0, to: a.conv2Channels, by: 4) {
            let w0 = w + o &* n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n
            forEachUnpooledPosition { j, pos in
                let x = UnsafePointer(fullCols.p + j &* n)
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

    /// fullCols[j] = the conv2 patch of the j-th position pool2 drops (`forEachUnpooledPosition`).
    func gatherUnpooledPatches() {
        let side = architecture.conv2Side
        forEachUnpooledPosition { j, pos in
            let y = pos / side
            gatherPatch(y: y, x: pos &- y &* side, into: fullCols.p + j &* patch)
        }
    }

    /// `body(j, y * conv2Side + x)` for the conv2 positions that pool2 drops (y or x >= used2),
    /// in scan order, j counting them from 0.
    @inline(__always)
    func forEachUnpooledPosition(_ body: (Int, Int) -> Void) {
        let side = architecture.conv2Side
        var j = 0
        for y in 0..<side {
            for x in 0..<side where y >= used2 || x >= used2 {
                body(j, y &* side &+ x)
                j &+= 1
            }
        }
    }
}
