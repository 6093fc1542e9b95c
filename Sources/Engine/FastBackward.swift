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
        gatherContributors()
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

    /// dP2 = sum_h dz3[h] W3[h] (old rows);  dW3[h] = dz3[h] p2;  db3 = dz3: each row read once,
    /// carrying the signal down before its update.
    func fc1Backward(_ w: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, update: FusedSGD?) {
        let n = architecture.flatSize, off = switchedOff(.fc)
        dP2.zero()
        for h in 0..<architecture.hidden {
            fc1AddSignal(of: h, w + h &* n, off: off)
            if let update { fc1UpdateRow(h, w + h &* n, bias: bias, update: update, off: off) }
        }
    }

    /// `fc1Backward` for the rows h in `rows` only, which continue dP2's chains where the rows
    /// before them left them (dP2 starts at +0 with the first row). The two-thread step runs
    /// the first half on one thread, then the second on the other, so each thread reads and
    /// updates only the rows its forward half reads (no weight line crosses the cores) and every
    /// chain runs in row order as on one thread.
    func fc1Backward(_ w: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, update: FusedSGD,
                     rows: Range<Int>, afterSignal: () -> Void) {
        let n = architecture.flatSize, off = switchedOff(.fc)
        if rows.lowerBound == 0 { dP2.zero() }
        for h in rows { fc1AddSignal(of: h, w + h &* n, off: off) }
        afterSignal()
        for h in rows { fc1UpdateRow(h, w + h &* n, bias: bias, update: update, off: off) }
    }

    /// dP2 += dz3[h] row. A switched-off unit (its row is zero for the step) or one with d = 0
    /// (ReLU off, or blocked) adds nothing to dP2, which starts at +0 and never holds -0, so it
    /// is skipped.
    @inline(__always)
    func fc1AddSignal(of h: Int, _ row: UnsafePointer<Float>, off: UnsafePointer<Bool>?) {
        let d = dz3.p[h], dx = dP2.p
        if d == 0 || off?[h] == true { return }
        for i in Swift.stride(from: 0, to: architecture.flatSize, by: 16) {
            store16(dx + i, fmas16(d, load16(row + i), load16(dx + i)))
        }
    }

    /// dW3[h][i] = dz3[h] p2[i] and db3[h] = dz3[h] into the update. A switched-off unit's row
    /// is zero for the step and restored after it: only its bias moves. Under stateless SGD a
    /// unit with d = 0 moves none of its weights.
    @inline(__always)
    func fc1UpdateRow(_ h: Int, _ row: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>,
                      update: FusedSGD, off: UnsafePointer<Bool>?) {
        let d = dz3.p[h], x = UnsafePointer(p2.p)
        if off?[h] == true { update.apply(bias + h, gradient: d); return }
        if d == 0 && update.stateless { return }
        for i in Swift.stride(from: 0, to: architecture.flatSize, by: 16) { update.apply(row + i, gradient: d * load16(x + i)) }
        update.apply(bias + h, gradient: d)
    }

    /// Through pool2's ReLU: dz2[i] = [p2[i] > 0] dP2[i], 0 for the filters o = i / 4 that
    /// `blocked` marks.
    func conv2SwitchGradients(blocked: UnsafePointer<Bool>?) {
        let channels = architecture.conv2Channels
        for i in Swift.stride(from: 0, to: channels &* 4, by: 16) {
            store16(dz2.p + i, passWherePositive16(load16(p2.p + i), load16(dP2.p + i)))
        }
        guard let blocked else { return }
        for o in 0..<channels where blocked[o] { (dz2.p + o &* 4).update(repeating: 0, count: 4) }
    }

    /// dz2[o] is non-zero only at its 4 switches s_c, so dW2[o] = sum_c dz_c cols[s_c] and
    /// db2[o] = sum_c dz_c, for o in `filters` (nil: all), the patches read from `patches` (nil:
    /// `cols`); after `conv2PatchGradients` has read the old rows.
    func conv2Update(_ w: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, update: FusedSGD,
                     filters: Range<Int>? = nil, patches: UnsafePointer<Float>? = nil) {
        let off = switchedOff(.conv2), cols = patches ?? UnsafePointer(self.cols.p)
        for o in filters ?? 0..<architecture.conv2Channels {
            let cell = o &* 4, d = dz2.p + cell, row = w + o &* patch
            // Under stateless SGD a filter with no gradient at its four switches moves nothing; a
            // switched-off filter (zero for the step, restored after it) moves only its bias.
            if update.stateless && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0 { continue }
            if let off, off[o] { update.apply(bias + o, gradient: (d[0] + d[1]) + (d[2] + d[3])); continue }
            let x0 = cols + Int(s2.p[cell]) &* patchStride, x1 = cols + Int(s2.p[cell &+ 1]) &* patchStride
            let x2 = cols + Int(s2.p[cell &+ 2]) &* patchStride, x3 = cols + Int(s2.p[cell &+ 3]) &* patchStride
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

    /// Per conv2 position, the filters whose switch it is, in filter order, with their dz.
    func gatherContributors() {
        let channels = architecture.conv2Channels
        for pos in 0..<positions2 { contributorCount.p[pos] = 0 }
        // A switched-off filter's row is zero for the step: it contributes nothing.
        let off = switchedOff(.conv2)
        // Branch-free append: every entry is written, only non-zero ones advance the count.
        for o in 0..<channels {
            let passes: Float = off?[o] == true ? 0 : 1
            for cell in 0..<4 {
                let i = o &* 4 &+ cell, pos = Int(s2.p[i]), j = Int(contributorCount.p[pos]) &+ pos &* channels
                contributor.p[j] = Int32(truncatingIfNeeded: o)
                contributorScale.p[j] = dz2.p[i]
                contributorCount.p[pos] &+= dz2.p[i] * passes != 0 ? 1 : 0
            }
        }
    }

    /// The entries of position `pos`'s contributor list (after `gatherContributors`) whose
    /// filter is in `filters`: a range, since the list is in filter order.
    @inline(__always)
    func contributors(at pos: Int, in filters: Range<Int>) -> Range<Int> {
        let who = contributor.p + pos &* architecture.conv2Channels, count = Int(contributorCount.p[pos])
        var first = 0
        while first < count && Int(who[first]) < filters.lowerBound { first &+= 1 }
        var last = first
        while last < count && Int(who[last]) < filters.upperBound { last &+= 1 }
        return first..<last
    }

    /// `body(dCols row, entries, their filters, their dz)` for each conv2 position, the entries
    /// those of `contributors(at:in: filters)`, with `before(pos)` and `after(pos)` around it:
    /// the walk of both builds' `conv2PatchGradients`.
    @inline(__always)
    func forEachPatchGradientRow(filters: Range<Int>, before: (Int) -> Void, after: (Int) -> Void,
                                 _ body: (UnsafeMutablePointer<Float>, Range<Int>, UnsafePointer<Int32>, UnsafePointer<Float>) -> Void) {
        let channels = architecture.conv2Channels
        for pos in 0..<positions2 {
            before(pos)
            body(dCols.p + pos &* patchStride, contributors(at: pos, in: filters),
                 contributor.p + pos &* channels, contributorScale.p + pos &* channels)
            after(pos)
        }
    }

    #if ENGINE_AVX512
    /// dCols[pos] = sum of dz W2[o] over the (o, cell) whose switch is pos, with the old rows, in
    /// filter order, for the filters o in `filters` (nil: all); filters from above 0 continue the
    /// chains that the filters before them left in dCols (the two-thread step's helper continues
    /// the caller's; `before` and `after` run around each position, for that handover). Each
    /// position's contributors are gathered first (`gatherContributors`), so
    /// every dCols row is written once, ten vectors at a time from registers, instead of read
    /// and written per contributor.
    func conv2PatchGradients(_ w: UnsafePointer<Float>, filters: Range<Int>? = nil,
                             before: (Int) -> Void = { _ in }, after: (Int) -> Void = { _ in }) {
        let filters = filters ?? 0..<architecture.conv2Channels, continues = filters.lowerBound > 0
        forEachPatchGradientRow(filters: filters, before: before, after: after) { dst, mine, who, scale in
            for k in Swift.stride(from: 0, to: patch, by: 160) {
                let c = dst + k
                var t0 = Vec16(), t1 = Vec16(), t2 = Vec16(), t3 = Vec16(), t4 = Vec16()
                var t5 = Vec16(), t6 = Vec16(), t7 = Vec16(), t8 = Vec16(), t9 = Vec16()
                if continues {
                    t0 = load16(c); t1 = load16(c + 16); t2 = load16(c + 32); t3 = load16(c + 48); t4 = load16(c + 64)
                    t5 = load16(c + 80); t6 = load16(c + 96); t7 = load16(c + 112); t8 = load16(c + 128); t9 = load16(c + 144)
                }
                for j in mine {
                    let r = w + (Int(who[j]) &* patch &+ k), d = scale[j]
                    t0 = fmas16(d, load16(r), t0); t1 = fmas16(d, load16(r + 16), t1)
                    t2 = fmas16(d, load16(r + 32), t2); t3 = fmas16(d, load16(r + 48), t3)
                    t4 = fmas16(d, load16(r + 64), t4); t5 = fmas16(d, load16(r + 80), t5)
                    t6 = fmas16(d, load16(r + 96), t6); t7 = fmas16(d, load16(r + 112), t7)
                    t8 = fmas16(d, load16(r + 128), t8); t9 = fmas16(d, load16(r + 144), t9)
                }
                store16(c, t0); store16(c + 16, t1); store16(c + 32, t2); store16(c + 48, t3); store16(c + 64, t4)
                store16(c + 80, t5); store16(c + 96, t6); store16(c + 112, t7); store16(c + 128, t8); store16(c + 144, t9)
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
