import CSIMD

typealias Vec16 = SIMD16<Float>
typealias Vec8 = SIMD8<Float>

extension FastKernels {
    /// Forward pass of one image with the Torch-layout parameters `w`; fills `logProbs` and
    /// records the max-pool switches for a backward pass.
    func forward(_ pixels: UnsafePointer<Float>, normalisation: Normalisation, parameters w: UnsafePointer<Float>) {
        transposeConv1(w + architecture.conv1WeightOffset)
        forwardTransposed(pixels, normalisation: normalisation, parameters: w, switches: true)
    }

    /// `forward` after `transposeConv1`; `switches` records conv1's max-pool switches.
    func forwardTransposed(_ pixels: UnsafePointer<Float>, normalisation: Normalisation,
                           parameters w: UnsafePointer<Float>, switches: Bool) {
        let a = architecture
        convolutions(pixels, normalisation: normalisation, parameters: w, switches: switches)
        fc1(w + a.fc1WeightOffset, bias: w + a.fc1BiasOffset)
        if let off = switchedOff(.fc) {
            // A switched-off unit's zero row gives z = b + 0.
            let bias = w + a.fc1BiasOffset
            for h in 0..<a.hidden where off[h] { hidden(h, bias[h] + 0) }
        }
        fc2(w + a.fc2WeightOffset, bias: w + a.fc2BiasOffset)
        logSoftmax()
    }

    /// The forward pass up to p2 (conv1, pool1, conv2, pool2), conv1's weights transposed.
    func convolutions(_ pixels: UnsafePointer<Float>, normalisation: Normalisation,
                      parameters w: UnsafePointer<Float>, switches: Bool) {
        let a = architecture
        normaliseInput(pixels, normalisation)
        conv1ReluPool(bias: w + a.conv1BiasOffset, switches: switches)
        gatherConv2Patches()
        conv2(w + a.conv2WeightOffset, bias: w + a.conv2BiasOffset)
        if let off = switchedOff(.conv2) {
            zeroRowOutputs(z2.p, bias: w + a.conv2BiasOffset, off: off, units: a.conv2Channels, per: positions2)
        }
        reluPool2()
    }

    /// input = (pixel - mean) / std over all padded pixels; inkRows[y] has bit x set where the
    /// pixel is not zero (its input differs from the blank value).
    func normaliseInput(_ pixels: UnsafePointer<Float>, _ n: Normalisation) {
        borderValue = n.blankInput
        n.normalise(pixels, count: side &* side, into: input.p)
        for y in 0..<side {
            let src = pixels + y &* side
            var ink: UInt32 = 0
            for x in 0..<side { ink |= (src[x] != 0 ? 1 : 0) &<< UInt32(x) }
            inkRows.p[y] = Int32(bitPattern: ink)
        }
    }

    /// conv1Weights[tap][c] = W1[c][tap], so one tap's 32 weights are two vectors.
    func transposeConv1(_ w: UnsafePointer<Float>) {
        let taps = architecture.kernel &* architecture.kernel
        for c in 0..<32 { for t in 0..<taps { conv1Weights.p[t &* 32 &+ c] = w[c &* taps &+ t] } }
    }

    #if ENGINE_AVX512
    /// p1[c][cell] = max(0, max over the cell's 3x3 window of b[c] + sum_tap w[c][tap] in[pos + tap]),
    /// computing the window's 9 positions x 32 channels in 18 vector registers. A window whose
    /// 7x7 input is all border (about 40% of an MNIST digit's) takes the precomputed value of
    /// the same FMA chain over border pixels: the same bits, without the arithmetic.
    /// Without `switches` the window's maximum is the same chain of `max16`s, without indices.
    func conv1ReluPool(bias: UnsafePointer<Float>, switches: Bool) {
        let k = architecture.kernel, pooled = architecture.pool1Side, s = side
        let b0 = load16(bias), b1 = load16(bias + 16), w = conv1Weights.p
        var blank0 = b0, blank1 = b1
        let border = borderValue
        for t in 0..<k &* k {
            blank0 = fmas16(border, load16(w + t &* 32), blank0); blank1 = fmas16(border, load16(w + (t &* 32 &+ 16)), blank1)
        }
        let window = 3 &+ k &- 1, columns = UInt32(1) << UInt32(window) &- 1
        for py in 0..<pooled {
            var ink: UInt32 = 0
            for r in 0..<window { ink |= UInt32(bitPattern: inkRows.p[3 &* py &+ r]) }
            for px in 0..<pooled {
                let origin = input.p + (3 &* py &* s &+ 3 &* px)
                if ink & (columns << UInt32(3 &* px)) == 0 {
                    let first = SIMD16<Int32>(repeating: 0)
                    storePool1Cell(py &* pooled &+ px, origin: origin, relu16(blank0), relu16(blank1),
                                   switches ? (first, first) : nil)
                    continue
                }
                var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1
                var a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1
                var a60 = b0, a61 = b1, a70 = b0, a71 = b1, a80 = b0, a81 = b1
                for ky in 0..<k {
                    let r0 = origin + ky &* s, r1 = r0 + s, r2 = r1 + s
                    for kx in 0..<k {
                        let wt = w + (ky &* k &+ kx) &* 32
                        let w0 = load16(wt), w1 = load16(wt + 16)
                        var v = r0[kx]; a00 = fmas16(v, w0, a00); a01 = fmas16(v, w1, a01)
                        v = r0[kx &+ 1]; a10 = fmas16(v, w0, a10); a11 = fmas16(v, w1, a11)
                        v = r0[kx &+ 2]; a20 = fmas16(v, w0, a20); a21 = fmas16(v, w1, a21)
                        v = r1[kx]; a30 = fmas16(v, w0, a30); a31 = fmas16(v, w1, a31)
                        v = r1[kx &+ 1]; a40 = fmas16(v, w0, a40); a41 = fmas16(v, w1, a41)
                        v = r1[kx &+ 2]; a50 = fmas16(v, w0, a50); a51 = fmas16(v, w1, a51)
                        v = r2[kx]; a60 = fmas16(v, w0, a60); a61 = fmas16(v, w1, a61)
                        v = r2[kx &+ 1]; a70 = fmas16(v, w0, a70); a71 = fmas16(v, w1, a71)
                        v = r2[kx &+ 2]; a80 = fmas16(v, w0, a80); a81 = fmas16(v, w1, a81)
                    }
                }
                if !switches {
                    let best0 = max16(max16(max16(max16(max16(max16(max16(max16(a00, a10), a20), a30), a40), a50), a60), a70), a80)
                    let best1 = max16(max16(max16(max16(max16(max16(max16(max16(a01, a11), a21), a31), a41), a51), a61), a71), a81)
                    storePool1Cell(py &* pooled &+ px, origin: origin, relu16(best0), relu16(best1), nil)
                    continue
                }
                // First maximum in scan order, per channel.
                var best0 = a00, best1 = a01
                var which0 = SIMD16<Int32>(repeating: 0), which1 = SIMD16<Int32>(repeating: 0)
                firstMax(&best0, &which0, a10, 1); firstMax(&best1, &which1, a11, 1)
                firstMax(&best0, &which0, a20, 2); firstMax(&best1, &which1, a21, 2)
                firstMax(&best0, &which0, a30, 3); firstMax(&best1, &which1, a31, 3)
                firstMax(&best0, &which0, a40, 4); firstMax(&best1, &which1, a41, 4)
                firstMax(&best0, &which0, a50, 5); firstMax(&best1, &which1, a51, 5)
                firstMax(&best0, &which0, a60, 6); firstMax(&best1, &which1, a61, 6)
                firstMax(&best0, &which0, a70, 7); firstMax(&best1, &which1, a71, 7)
                firstMax(&best0, &which0, a80, 8); firstMax(&best1, &which1, a81, 8)
                storePool1Cell(py &* pooled &+ px, origin: origin, relu16(best0), relu16(best1), (which0, which1))
            }
        }
    }

    /// best = max(best, v), recording `index` in the lanes where v > best (first maximum wins).
    @inline(__always)
    func firstMax(_ best: inout Vec16, _ which: inout SIMD16<Int32>, _ v: Vec16, _ index: Int32) {
        which = argmaxIndex16(best, which, v, index)
        best = max16(best, v)
    }

    #endif

    /// Scatters one cell's 32 channels into channel-major p1 and, given the window indices
    /// `which`, records each switch as the input offset of the winning position's patch.
    @inline(__always)
    func storePool1Cell(_ cell: Int, origin: UnsafeMutablePointer<Float>, _ v0: Vec16, _ v1: Vec16,
                        _ which: (SIMD16<Int32>, SIMD16<Int32>)?) {
        store16(scratch.p, v0); store16(scratch.p + 16, v1)
        guard let which else {
            scatterPool1Cell(cell, origin: origin, channels: 0..<32, values: scratch.p, index: nil)
            return
        }
        UnsafeMutableRawPointer(scratchIndex.p).storeBytes(of: which.0, as: SIMD16<Int32>.self)
        UnsafeMutableRawPointer(scratchIndex.p + 16).storeBytes(of: which.1, as: SIMD16<Int32>.self)
        scatterPool1Cell(cell, origin: origin, channels: 0..<32, values: scratch.p, index: scratchIndex.p)
    }

    /// p1 of one cell's `channels` from the values left in `values` (channel c at offset c),
    /// and s1 from the window indices in `index` (nil: no switches recorded).
    @inline(__always)
    func scatterPool1Cell(_ cell: Int, origin: UnsafeMutablePointer<Float>, channels: Range<Int>,
                          values: UnsafePointer<Float>, index: UnsafePointer<Int32>?) {
        guard let index else {
            for c in channels { p1.p[c &* cells1 &+ cell] = values[c] }
            return
        }
        let base = Int32(origin - input.p), s = Int32(side)
        for c in channels {
            let q = index[c], qy = q / 3
            p1.p[c &* cells1 &+ cell] = values[c]
            s1.p[c &* cells1 &+ cell] = base &+ qy &* s &+ (q &- qy &* 3)
        }
    }

    /// cols[y*4 + x] = the conv2 patch at (y, x) (`gatherPatch`) into `patches` (nil: `cols`).
    func gatherConv2Patches(into patches: UnsafeMutablePointer<Float>? = nil) {
        let patches = patches ?? cols.p
        for pos in 0..<positions2 {
            let y = pos / used2
            gatherPatch(y: y, x: pos &- y &* used2, into: patches + pos &* patchStride)
        }
    }

    /// dst[(c, ky, kx)] = p1[c][y + ky][x + kx], the conv2 patch at (y, x): each 5-tap row copied
    /// as 8 lanes, the next copy overwriting the 3 extra ones. The last row's extra 3 land past
    /// the patch, so patches are written in order and every buffer has slack after it.
    @inline(__always)
    func gatherPatch(y: Int, x: Int, into dst: UnsafeMutablePointer<Float>) {
        let k = architecture.kernel, pooled = architecture.pool1Side
        var dst = dst
        for c in 0..<architecture.conv1Channels {
            let plane = p1.p + (c &* cells1 &+ y &* pooled &+ x)
            for ky in 0..<k { store8(dst, load8(plane + ky &* pooled)); dst += k }
        }
    }

    #if ENGINE_AVX512
    /// z2[o][pos] = b[o] + W2[o] . cols[pos] for o in `filters` (multiples of 4; nil: all) but
    /// the switched-off ones (`computedUnits`), tiles of 4 filters x 4 positions, the patches
    /// read from `patches` (nil: `cols`). (`low` is the 8-lane kernels' scratch.)
    func conv2(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>, filters: Range<Int>? = nil,
               low: UnsafeMutablePointer<Float>? = nil, patches: UnsafePointer<Float>? = nil) {
        let n = patch, stride = patchStride, out = z2.p
        let cols = patches ?? UnsafePointer(self.cols.p)
        let (list, count) = computedUnits(filters ?? 0..<architecture.conv2Channels, of: .conv2, tile: 4)
        for t in Swift.stride(from: 0, to: count, by: 4) {
            let o0 = Int(list[t]), o1 = Int(list[t &+ 1]), o2 = Int(list[t &+ 2]), o3 = Int(list[t &+ 3])
            let w0 = w + o0 &* n, w1 = w + o1 &* n, w2 = w + o2 &* n, w3 = w + o3 &* n
            for pos in Swift.stride(from: 0, to: positions2, by: 4) {
                let c0 = cols + pos &* stride, c1 = c0 + stride, c2 = c1 + stride, c3 = c2 + stride
                var t00 = Vec16(), t01 = Vec16(), t02 = Vec16(), t03 = Vec16()
                var t10 = Vec16(), t11 = Vec16(), t12 = Vec16(), t13 = Vec16()
                var t20 = Vec16(), t21 = Vec16(), t22 = Vec16(), t23 = Vec16()
                var t30 = Vec16(), t31 = Vec16(), t32 = Vec16(), t33 = Vec16()
                for i in Swift.stride(from: 0, to: n, by: 16) {
                    let x0 = load16(c0 + i), x1 = load16(c1 + i), x2 = load16(c2 + i), x3 = load16(c3 + i)
                    var f = load16(w0 + i)
                    t00 = fma16(f, x0, t00); t01 = fma16(f, x1, t01); t02 = fma16(f, x2, t02); t03 = fma16(f, x3, t03)
                    f = load16(w1 + i)
                    t10 = fma16(f, x0, t10); t11 = fma16(f, x1, t11); t12 = fma16(f, x2, t12); t13 = fma16(f, x3, t13)
                    f = load16(w2 + i)
                    t20 = fma16(f, x0, t20); t21 = fma16(f, x1, t21); t22 = fma16(f, x2, t22); t23 = fma16(f, x3, t23)
                    f = load16(w3 + i)
                    t30 = fma16(f, x0, t30); t31 = fma16(f, x1, t31); t32 = fma16(f, x2, t32); t33 = fma16(f, x3, t33)
                }
                let r0 = out + (o0 &* positions2 &+ pos), r1 = out + (o1 &* positions2 &+ pos)
                let r2 = out + (o2 &* positions2 &+ pos), r3 = out + (o3 &* positions2 &+ pos)
                r0[0] = bias[o0] + sum16(t00); r0[1] = bias[o0] + sum16(t01)
                r0[2] = bias[o0] + sum16(t02); r0[3] = bias[o0] + sum16(t03)
                r1[0] = bias[o1] + sum16(t10); r1[1] = bias[o1] + sum16(t11)
                r1[2] = bias[o1] + sum16(t12); r1[3] = bias[o1] + sum16(t13)
                r2[0] = bias[o2] + sum16(t20); r2[1] = bias[o2] + sum16(t21)
                r2[2] = bias[o2] + sum16(t22); r2[3] = bias[o2] + sum16(t23)
                r3[0] = bias[o3] + sum16(t30); r3[1] = bias[o3] + sum16(t31)
                r3[2] = bias[o3] + sum16(t32); r3[3] = bias[o3] + sum16(t33)
            }
        }
    }

    #endif

    /// p2[o][cell] = max(0, max of the cell's 2x2 positions), first maximum in scan order, for
    /// o in `filters` (nil: all).
    func reluPool2(filters: Range<Int>? = nil) {
        let u = used2
        for o in filters ?? 0..<architecture.conv2Channels {
            let z = z2.p + o &* positions2
            for cy in 0..<2 {
                for cx in 0..<2 {
                    let p = 2 &* cy &* u &+ 2 &* cx
                    var best = z[p], at = p
                    if z[p &+ 1] > best { best = z[p &+ 1]; at = p &+ 1 }
                    if z[p &+ u] > best { best = z[p &+ u]; at = p &+ u }
                    if z[p &+ u &+ 1] > best { best = z[p &+ u &+ 1]; at = p &+ u &+ 1 }
                    let cell = o &* 4 &+ cy &* 2 &+ cx
                    p2.p[cell] = best > 0 ? best : 0
                    s2.p[cell] = Int32(truncatingIfNeeded: at)
                }
            }
        }
    }

    #if ENGINE_AVX512
    /// a3[h] = max(0, b[h] + W3[h] . p2) for h in `rows` (multiples of 8; nil: all) but the
    /// switched-off ones (`computedUnits`), 8 rows at a time.
    func fc1(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>, rows: Range<Int>? = nil) {
        let n = architecture.flatSize, x = UnsafePointer(p2.p)
        let (list, count) = computedUnits(rows ?? 0..<architecture.hidden, of: .fc, tile: 8)
        for t in Swift.stride(from: 0, to: count, by: 8) {
            let h0 = Int(list[t]), h1 = Int(list[t &+ 1]), h2 = Int(list[t &+ 2]), h3 = Int(list[t &+ 3])
            let h4 = Int(list[t &+ 4]), h5 = Int(list[t &+ 5]), h6 = Int(list[t &+ 6]), h7 = Int(list[t &+ 7])
            let r0 = w + h0 &* n, r1 = w + h1 &* n, r2 = w + h2 &* n, r3 = w + h3 &* n
            let r4 = w + h4 &* n, r5 = w + h5 &* n, r6 = w + h6 &* n, r7 = w + h7 &* n
            var t0 = Vec16(), t1 = Vec16(), t2 = Vec16(), t3 = Vec16(), t4 = Vec16(), t5 = Vec16(), t6 = Vec16(), t7 = Vec16()
            for i in Swift.stride(from: 0, to: n, by: 16) {
                let v = load16(x + i)
                t0 = fma16(load16(r0 + i), v, t0); t1 = fma16(load16(r1 + i), v, t1)
                t2 = fma16(load16(r2 + i), v, t2); t3 = fma16(load16(r3 + i), v, t3)
                t4 = fma16(load16(r4 + i), v, t4); t5 = fma16(load16(r5 + i), v, t5)
                t6 = fma16(load16(r6 + i), v, t6); t7 = fma16(load16(r7 + i), v, t7)
            }
            hidden(h0, bias[h0] + sum16(t0)); hidden(h1, bias[h1] + sum16(t1))
            hidden(h2, bias[h2] + sum16(t2)); hidden(h3, bias[h3] + sum16(t3))
            hidden(h4, bias[h4] + sum16(t4)); hidden(h5, bias[h5] + sum16(t5))
            hidden(h6, bias[h6] + sum16(t6)); hidden(h7, bias[h7] + sum16(t7))
        }
    }

    #endif

    /// logits[k] = b[k] + W4[k] . a3 (or . `hidden`, another image's a3).
    func fc2(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>, hidden: UnsafePointer<Float>? = nil) {
        let n = architecture.hidden, x = hidden ?? UnsafePointer(a3.p)
        for k in 0..<architecture.classes {
            let row = w + k &* n
            var t = Vec8()
            for i in Swift.stride(from: 0, to: n, by: 8) { t = fma8(load8(row + i), load8(x + i), t) }
            logits.p[k] = bias[k] + sum8(t)
        }
    }

    /// log p_k = z_k - max - log sum_j exp(z_j - max).
    func logSoftmax() { Semantics.logSoftmax(logits.p, count: architecture.classes, into: logProbs.p) }
}
