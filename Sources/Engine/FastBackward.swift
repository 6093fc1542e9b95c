import CSIMD

extension FastKernels {
    /// Backward pass from NLL(logProbs, label) of the last forward pass. With `update`, each
    /// parameter is updated as soon as its gradient is known (after the old value has carried
    /// the signal further down); with `inputGradient`, d loss / d pixel is written there.
    /// Units of `blocked.layer` whose `blocked.units` entry is true pass no gradient (the
    /// gradient-mask ablation: their pre-activation gradient is zeroed).
    func backward(label: Int, normalisation: Normalisation, parameters w: UnsafeMutablePointer<Float>,
                  update: FusedSGD?, inputGradient: UnsafeMutablePointer<Float>?,
                  blocked: (layer: UnitLayer, units: [Bool])? = nil) {
        let a = architecture
        // d NLL / d z_k = softmax_k - [k == label]
        Semantics.nllGradient(logProbs.p, count: a.classes, label: label, into: dLogits.p)
        fc2Backward(w + a.fc2WeightOffset, bias: w + a.fc2BiasOffset, update: update)
        if let blocked, blocked.layer == .fc {
            for h in 0..<a.hidden where blocked.units[h] { dz3.p[h] = 0 }
        }
        fc1Backward(w + a.fc1WeightOffset, bias: w + a.fc1BiasOffset, update: update)
        if let blocked, blocked.layer == .conv2 {
            blocked.units.withUnsafeBufferPointer { conv2SwitchGradients(blocked: $0.baseAddress!) }
        } else {
            conv2SwitchGradients(blocked: nil)
        }
        conv2PatchGradients(w + a.conv2WeightOffset)
        if let update { conv2Update(w + a.conv2WeightOffset, bias: w + a.conv2BiasOffset, update: update) }
        scatterPatchGradients()
        gatePool1Gradients()
        if let update { conv1Update(w + a.conv1WeightOffset, bias: w + a.conv1BiasOffset, update: update) }
        if let inputGradient {
            conv1InputGradient(w + a.conv1WeightOffset)
            normalisation.pixelGradient(dInput.p, count: side &* side, into: inputGradient)
        }
    }

    /// dz3[h] = [z3[h] > 0] sum_k W4[k][h] dLogits[k];  dW4[k][h] = dLogits[k] a3[h];  db4 = dLogits.
    func fc2Backward(_ w: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, update: FusedSGD?) {
        let n = architecture.hidden, classes = architecture.classes
        for i in Swift.stride(from: 0, to: n, by: 8) {
            var t = Vec8()
            for k in 0..<classes { t = fmas8(dLogits.p[k], load8(w + (k &* n &+ i)), t) }
            store8(dz3.p + i, passWherePositive8(load8(z3.p + i), t))
        }
        guard let update else { return }
        for k in 0..<classes {
            update.applyRow(w + k &* n, count: n, scale: dLogits.p[k], input: a3.p)
            update.apply(bias + k, gradient: dLogits.p[k])
        }
    }

    /// dP2 = sum_h dz3[h] W3[h] (old rows);  dW3[h][i] = dz3[h] p2[i];  db3 = dz3; for the
    /// inputs i in `columns` (multiples of 16; nil: all), the biases with the range from 0.
    func fc1Backward(_ w: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, update: FusedSGD?,
                     columns: Range<Int>? = nil) {
        let n = architecture.flatSize, x = UnsafePointer(p2.p), dx = dP2.p, columns = columns ?? 0..<n
        let lo = columns.lowerBound, hi = columns.upperBound, off = switchedOff(.fc)
        (dx + lo).update(repeating: 0, count: columns.count)
        for h in 0..<architecture.hidden {
            let d = dz3.p[h], row = w + h &* n
            // A switched-off unit's row is zero for the step and restored after it: only its bias moves.
            if let off, off[h] {
                if let update, lo == 0 { update.apply(bias + h, gradient: d) }
                continue
            }
            // A unit with d = 0 (ReLU off, or blocked) adds nothing to dP2 (which starts at +0
            // and never holds -0), and under stateless SGD moves none of its weights.
            if d != 0 {
                for i in Swift.stride(from: lo, to: hi, by: 16) { store16(dx + i, fmas16(d, load16(row + i), load16(dx + i))) }
            } else if update?.stateless ?? true {
                continue
            }
            guard let update else { continue }
            for i in Swift.stride(from: lo, to: hi, by: 16) { update.apply(row + i, gradient: d * load16(x + i)) }
            if lo == 0 { update.apply(bias + h, gradient: d) }
        }
    }

    /// Through pool2's ReLU: dz2[i] = [p2[i] > 0] dP2[i] for i in `cells` (multiples of 16;
    /// nil: all), 0 for the filters o = i / 4 that `blocked` marks.
    func conv2SwitchGradients(blocked: UnsafePointer<Bool>?, cells: Range<Int>? = nil) {
        let cells = cells ?? 0..<architecture.conv2Channels &* 4
        for i in Swift.stride(from: cells.lowerBound, to: cells.upperBound, by: 16) {
            store16(dz2.p + i, passWherePositive16(load16(p2.p + i), load16(dP2.p + i)))
        }
        guard let blocked else { return }
        for o in cells.lowerBound / 4..<cells.upperBound / 4 where blocked[o] { (dz2.p + o &* 4).update(repeating: 0, count: 4) }
    }

    /// dz2[o] is non-zero only at its 4 switches s_c, so dW2[o] = sum_c dz_c cols[s_c] and
    /// db2[o] = sum_c dz_c, for o in `filters` (nil: all); after `conv2PatchGradients` has read
    /// the old rows.
    func conv2Update(_ w: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, update: FusedSGD,
                     filters: Range<Int>? = nil) {
        let off = switchedOff(.conv2)
        for o in filters ?? 0..<architecture.conv2Channels {
            let cell = o &* 4, d = dz2.p + cell, row = w + o &* patch
            // Under stateless SGD a filter with no gradient at its four switches moves nothing; a
            // switched-off filter (zero for the step, restored after it) moves only its bias.
            if update.stateless && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0 { continue }
            if let off, off[o] { update.apply(bias + o, gradient: (d[0] + d[1]) + (d[2] + d[3])); continue }
            let x0 = UnsafePointer(cols.p + Int(s2.p[cell]) &* patchStride), x1 = UnsafePointer(cols.p + Int(s2.p[cell &+ 1]) &* patchStride)
            let x2 = UnsafePointer(cols.p + Int(s2.p[cell &+ 2]) &* patchStride), x3 = UnsafePointer(cols.p + Int(s2.p[cell &+ 3]) &* patchStride)
            let d0 = Vec16(repeating: d[0]), d1 = Vec16(repeating: d[1]), d2 = Vec16(repeating: d[2]), d3 = Vec16(repeating: d[3])
            for i in Swift.stride(from: 0, to: patch, by: 16) {
                var g = d0 * load16(x0 + i)
                g = fma16(d1, load16(x1 + i), g)
                g = fma16(d2, load16(x2 + i), g)
                g = fma16(d3, load16(x3 + i), g)
                update.apply(row + i, gradient: g)
            }
            update.apply(bias + o, gradient: (d[0] + d[1]) + (d[2] + d[3]))
        }
    }

    /// Per conv2 position in the rows of pool2 cell row `cellRows` (nil: all), the filters whose
    /// switch it is, in filter order, with their dz: pool2 cell (cy, cx) reads positions in rows
    /// 2cy and 2cy + 1 only. Returns those positions.
    func gatherContributors(cellRows: Range<Int>?) -> Range<Int> {
        let channels = architecture.conv2Channels, rows = cellRows ?? 0..<2
        let positions = rows.lowerBound &* 2 &* used2..<rows.upperBound &* 2 &* used2
        for pos in positions { contributorCount.p[pos &* 16] = 0 }
        // A switched-off filter's row is zero for the step: it contributes nothing.
        let off = switchedOff(.conv2)
        // Branch-free append: every entry is written, only non-zero ones advance the count.
        for o in 0..<channels {
            let passes: Float = off?[o] == true ? 0 : 1
            for cell in rows.lowerBound &* 2..<rows.upperBound &* 2 {
                let i = o &* 4 &+ cell, pos = Int(s2.p[i]), j = Int(contributorCount.p[pos &* 16]) &+ pos &* channels
                contributor.p[j] = Int32(truncatingIfNeeded: o)
                contributorScale.p[j] = dz2.p[i]
                contributorCount.p[pos &* 16] &+= dz2.p[i] * passes != 0 ? 1 : 0
            }
        }
        return positions
    }

    #if ENGINE_AVX512
    /// dCols[pos] = sum of dz W2[o] over the (o, cell) whose switch is pos, with the old rows,
    /// for the positions of pool2 cell rows `cellRows` (nil: all). Each position gathers its
    /// contributors first, so every dCols row is written once, ten vectors at a time from
    /// registers, instead of read and written per contributor.
    func conv2PatchGradients(_ w: UnsafePointer<Float>, cellRows: Range<Int>? = nil) {
        let channels = architecture.conv2Channels
        for pos in gatherContributors(cellRows: cellRows) {
            let dst = dCols.p + pos &* patchStride, count = Int(contributorCount.p[pos &* 16])
            let who = contributor.p + pos &* channels, scale = contributorScale.p + pos &* channels
            for k in Swift.stride(from: 0, to: patch, by: 160) {
                var t0 = Vec16(), t1 = Vec16(), t2 = Vec16(), t3 = Vec16(), t4 = Vec16()
                var t5 = Vec16(), t6 = Vec16(), t7 = Vec16(), t8 = Vec16(), t9 = Vec16()
                for j in 0..<count {
                    let r = w + (Int(who[j]) &* patch &+ k), d = scale[j]
                    t0 = fmas16(d, load16(r), t0); t1 = fmas16(d, load16(r + 16), t1)
                    t2 = fmas16(d, load16(r + 32), t2); t3 = fmas16(d, load16(r + 48), t3)
                    t4 = fmas16(d, load16(r + 64), t4); t5 = fmas16(d, load16(r + 80), t5)
                    t6 = fmas16(d, load16(r + 96), t6); t7 = fmas16(d, load16(r + 112), t7)
                    t8 = fmas16(d, load16(r + 128), t8); t9 = fmas16(d, load16(r + 144), t9)
                }
                store16(dst + k, t0); store16(dst + (k &+ 16), t1); store16(dst + (k &+ 32), t2)
                store16(dst + (k &+ 48), t3); store16(dst + (k &+ 64), t4); store16(dst + (k &+ 80), t5)
                store16(dst + (k &+ 96), t6); store16(dst + (k &+ 112), t7); store16(dst + (k &+ 128), t8)
                store16(dst + (k &+ 144), t9)
            }
        }
    }

    #endif

    /// dP1[c][y + ky][x + kx] += dCols[y*4 + x][(c, ky, kx)] for c in `channels`: 5-tap rows as
    /// 8 lanes, the 3 extra lanes multiplied by 0 (they stay in channel c's plane). Positions run
    /// outermost so overlapping rows are far apart in time.
    func scatterPatchGradients(channels: Range<Int> = 0..<32) {
        let k = architecture.kernel, pooled = architecture.pool1Side
        let mask = Vec8(1, 1, 1, 1, 1, 0, 0, 0)
        (dP1.p + channels.lowerBound &* cells1).update(repeating: 0, count: channels.count &* cells1)
        for x in 0..<used2 {
            for y in 0..<used2 {
                var src = UnsafePointer(dCols.p + ((y &* used2 &+ x) &* patchStride &+ channels.lowerBound &* k &* k))
                for c in channels {
                    let plane = dP1.p + (c &* cells1 &+ y &* pooled &+ x)
                    for ky in 0..<k {
                        let dst = plane + ky &* pooled
                        store8(dst, load8(dst) + load8(src) * mask)
                        src += k
                    }
                }
            }
        }
    }

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

    /// sum_i x[i] over 16 lanes and a scalar tail, in a fixed order.
    func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var t = Vec16(), i = 0
        while i &+ 16 <= count { t += load16(x + i); i &+= 16 }
        var total = sum16(t)
        while i < count { total += x[i]; i &+= 1 }
        return total
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
