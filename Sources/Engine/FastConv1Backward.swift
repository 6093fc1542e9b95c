import CSIMD

/// conv1's backward, after conv2's patch gradients are scattered into dP1: the gate through pool1's
/// switches and ReLU, conv1's weight update and the gradient with respect to the input image.
extension FastKernels {
    /// Through pool1's switches and ReLU: dz1[c] = dP1[c][cell] at the cell's switch where
    /// p1 > 0 (gated in place, branch-free: which cells pass varies from image to image), for
    /// the planes of `channels`.
    func gatePool1Gradients(channels: Range<Int> = 0..<32) {
        let n = channels.upperBound &* cells1
        var i = channels.lowerBound &* cells1
        while i &+ 16 <= n { store16(dP1.p + i, passWherePositive16(load16(p1.p + i), load16(dP1.p + i))); i &+= 16 }
        while i < n { dP1.p[i] = p1.p[i] > 0 ? dP1.p[i] : 0; i &+= 1 }
    }

    /// dW1[c][ky][kx] = sum_cell dz in[s + ky*side + kx];  db1[c] = sum_cell dz; then the update,
    /// for c in `channels`, the gradient rows kept at `grad` (nil: `dConv1`).
    func conv1Update(_ w: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, update: FusedSGD,
                     channels: Range<Int> = 0..<32, grad: UnsafeMutablePointer<Float>? = nil) {
        let k = architecture.kernel, s = side, taps = k &* k, input = UnsafePointer(self.input.p)
        let grad = grad ?? dConv1.p
        for c in channels {
            let dz = dP1.p + c &* cells1, at = s1.p + c &* cells1
            // Two accumulator sets (even and odd cells) halve the FMA dependency chains.
            var r0 = Vec8(), r1 = Vec8(), r2 = Vec8(), r3 = Vec8(), r4 = Vec8()
            var e0 = Vec8(), e1 = Vec8(), e2 = Vec8(), e3 = Vec8(), e4 = Vec8()
            var cell = 0
            while cell < cells1 {
                let d = dz[cell], x = input + Int(at[cell])
                r0 = fmas8(d, load8(x), r0); r1 = fmas8(d, load8(x + s), r1); r2 = fmas8(d, load8(x + 2 &* s), r2)
                r3 = fmas8(d, load8(x + 3 &* s), r3); r4 = fmas8(d, load8(x + 4 &* s), r4)
                cell &+= 1
                guard cell < cells1 else { break }
                let e = dz[cell], y = input + Int(at[cell])
                e0 = fmas8(e, load8(y), e0); e1 = fmas8(e, load8(y + s), e1); e2 = fmas8(e, load8(y + 2 &* s), e2)
                e3 = fmas8(e, load8(y + 3 &* s), e3); e4 = fmas8(e, load8(y + 4 &* s), e4)
                cell &+= 1
            }
            store8(grad, r0 + e0); store8(grad + 8, r1 + e1); store8(grad + 16, r2 + e2)
            store8(grad + 24, r3 + e3); store8(grad + 32, r4 + e4)
            let row = w + c &* taps
            for ky in 0..<k { update.applyRow(row + ky &* k, count: k, scale: 1, input: grad + ky &* 8) }
            update.apply(bias + c, gradient: sum(dz, count: cells1))
        }
    }

    /// dIn[s + ky*side + kx] += dz W1[c][ky][kx], W1's 5-tap rows as 8 lanes with zeros beyond.
    /// Cells run in `inputGradientOrder`, so windows written one after another do not overlap
    /// (no load waits on a partly overlapping store).
    func conv1InputGradient(_ w: UnsafePointer<Float>) {
        let k = architecture.kernel, s = side, taps = k &* k
        let mask = Vec8(1, 1, 1, 1, 1, 0, 0, 0)
        dInput.zero()
        for c in 0..<32 {
            let row = w + c &* taps, dz = dP1.p + c &* cells1, at = s1.p + c &* cells1
            let f0 = load8(row) * mask, f1 = load8(row + k) * mask, f2 = load8(row + 2 &* k) * mask
            let f3 = load8(row + 3 &* k) * mask, f4 = load8(row + 4 &* k) * mask
            for j in 0..<cells1 {
                let cell = Int(inputGradientOrder.p[j]), d = dz[cell], g = dInput.p + Int(at[cell])
                store8(g, fmas8(d, f0, load8(g))); store8(g + s, fmas8(d, f1, load8(g + s)))
                store8(g + 2 &* s, fmas8(d, f2, load8(g + 2 &* s))); store8(g + 3 &* s, fmas8(d, f3, load8(g + 3 &* s)))
                store8(g + 4 &* s, fmas8(d, f4, load8(g + 4 &* s)))
            }
        }
    }
}
