import CSIMD

#if !ENGINE_AVX512
/// The hot kernels with register tiles sized for 16 vector registers of 8 lanes (AVX2), for
/// every build without AVX-512. They give the same bits as the 16-lane tiles: every output
/// lane runs the same chain of fused multiply-adds in the same order (a 16-lane accumulator
/// becomes a low and a high 8-lane one), and `sum16(v)` is computed as `sum8(low + high)`,
/// which is the same tree. Only the order in which independent chains are visited changes.
extension FastKernels {
    /// conv1 channels per register group of the 8-lane kernels.
    static let conv1Group = 8

    /// The whole of conv1 + ReLU + pool1 on one thread: `conv1ReluPool(bias:channels:...)` over
    /// all channels, one group of 8 channels at a time (the 16-lane build fuses 32 channels).
    /// Without `switches` the windows still find their indices but s1 is not written.
    func conv1ReluPool(bias: UnsafePointer<Float>, switches: Bool) {
        conv1ReluPool(bias: bias, channels: 0..<32, values: scratch.p, index: scratchIndex.p, switches: switches)
    }

    /// values[32 + c] = max(0, b[c] + sum_tap w[c][tap] border) for the 8 channels of group g:
    /// a window over blank input, as `conv1Window` would compute it.
    @inline(__always)
    func conv1Blank(group g: Int, bias: UnsafePointer<Float>, values: UnsafeMutablePointer<Float>) {
        let k = architecture.kernel, w = conv1Weights.p, border = borderValue
        var blank = load8(bias + 8 &* g)
        for t in 0..<k &* k { blank = fmas8(border, load8(w + (t &* 32 &+ 8 &* g)), blank) }
        store8(values + (32 &+ 8 &* g), relu8(blank))
    }

    /// The 3x3 pooling window at `origin` for the conv1 groups `groups`, two groups at a time
    /// (`conv1WindowPair`), a last odd group alone (`conv1Window`).
    @inline(__always)
    func conv1Windows(_ origin: UnsafeMutablePointer<Float>, groups: Range<Int>, bias: UnsafePointer<Float>,
                      values: UnsafeMutablePointer<Float>, index: UnsafeMutablePointer<Int32>) {
        var g = groups.lowerBound
        while g &+ 1 < groups.upperBound {
            conv1WindowPair(origin, group: g, bias: bias, values: values, index: index)
            g &+= 2
        }
        if g < groups.upperBound { conv1Window(origin, group: g, bias: bias, values: values, index: index) }
    }

    /// One 3x3 pooling window of 8 channels: 9 FMA chains over the 25 taps, then the first
    /// maximum in scan order and the ReLU, left at `values + 8g` and `index + 8g`.
    @inline(__always)
    func conv1Window(_ origin: UnsafeMutablePointer<Float>, group g: Int, bias: UnsafePointer<Float>,
                     values: UnsafeMutablePointer<Float>, index: UnsafeMutablePointer<Int32>) {
        let k = architecture.kernel, s = side, w = conv1Weights.p + 8 &* g
        let b = load8(bias + 8 &* g)
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b, a8 = b
        for ky in 0..<k {
            let r0 = origin + ky &* s, r1 = r0 + s, r2 = r1 + s
            for kx in 0..<k {
                let wt = load8(w + (ky &* k &+ kx) &* 32)
                a0 = fmas8(r0[kx], wt, a0); a1 = fmas8(r0[kx &+ 1], wt, a1); a2 = fmas8(r0[kx &+ 2], wt, a2)
                a3 = fmas8(r1[kx], wt, a3); a4 = fmas8(r1[kx &+ 1], wt, a4); a5 = fmas8(r1[kx &+ 2], wt, a5)
                a6 = fmas8(r2[kx], wt, a6); a7 = fmas8(r2[kx &+ 1], wt, a7); a8 = fmas8(r2[kx &+ 2], wt, a8)
            }
        }
        var best = a0, which = SIMD8<Int32>()
        firstMax8(&best, &which, a1, 1); firstMax8(&best, &which, a2, 2); firstMax8(&best, &which, a3, 3)
        firstMax8(&best, &which, a4, 4); firstMax8(&best, &which, a5, 5); firstMax8(&best, &which, a6, 6)
        firstMax8(&best, &which, a7, 7); firstMax8(&best, &which, a8, 8)
        store8(values + 8 &* g, relu8(best))
        UnsafeMutableRawPointer(index + 8 &* g).storeBytes(of: which, as: SIMD8<Int32>.self)
    }

    /// `conv1Window` for groups g and g + 1 at once, so that each broadcast input pixel feeds
    /// two FMAs (AVX2 has no broadcast operand: a broadcast is a load of its own, and one per
    /// FMA made conv1 twice as slow as the 16-lane build's). The pair's 18 chains do not fit 16
    /// registers, so positions 0-4 run first and are reduced to their first maximum, which
    /// positions 5-8 then continue: the same chains, the same scan order, the same bits.
    @inline(__always)
    func conv1WindowPair(_ origin: UnsafeMutablePointer<Float>, group g: Int, bias: UnsafePointer<Float>,
                         values: UnsafeMutablePointer<Float>, index: UnsafeMutablePointer<Int32>) {
        let k = architecture.kernel, s = side, w = conv1Weights.p + 8 &* g
        let b0 = load8(bias + 8 &* g), b1 = load8(bias + (8 &* g &+ 8))
        // Positions 0-4: row 0 columns 0-2, row 1 columns 0-1.
        var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1
        for ky in 0..<k {
            let r0 = origin + ky &* s, r1 = r0 + s
            for kx in 0..<k {
                let wt = w + (ky &* k &+ kx) &* 32, w0 = load8(wt), w1 = load8(wt + 8)
                var v = r0[kx]; a00 = fmas8(v, w0, a00); a01 = fmas8(v, w1, a01)
                v = r0[kx &+ 1]; a10 = fmas8(v, w0, a10); a11 = fmas8(v, w1, a11)
                v = r0[kx &+ 2]; a20 = fmas8(v, w0, a20); a21 = fmas8(v, w1, a21)
                v = r1[kx]; a30 = fmas8(v, w0, a30); a31 = fmas8(v, w1, a31)
                v = r1[kx &+ 1]; a40 = fmas8(v, w0, a40); a41 = fmas8(v, w1, a41)
            }
        }
        var best0 = a00, best1 = a01, which0 = SIMD8<Int32>(), which1 = SIMD8<Int32>()
        firstMax8(&best0, &which0, a10, 1); firstMax8(&best1, &which1, a11, 1)
        firstMax8(&best0, &which0, a20, 2); firstMax8(&best1, &which1, a21, 2)
        firstMax8(&best0, &which0, a30, 3); firstMax8(&best1, &which1, a31, 3)
        firstMax8(&best0, &which0, a40, 4); firstMax8(&best1, &which1, a41, 4)
        // Positions 5-8: row 1 column 2, row 2 columns 0-2.
        var a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1, a80 = b0, a81 = b1
        for ky in 0..<k {
            let r1 = origin + (ky &+ 1) &* s, r2 = r1 + s
            for kx in 0..<k {
                let wt = w + (ky &* k &+ kx) &* 32, w0 = load8(wt), w1 = load8(wt + 8)
                var v = r1[kx &+ 2]; a50 = fmas8(v, w0, a50); a51 = fmas8(v, w1, a51)
                v = r2[kx]; a60 = fmas8(v, w0, a60); a61 = fmas8(v, w1, a61)
                v = r2[kx &+ 1]; a70 = fmas8(v, w0, a70); a71 = fmas8(v, w1, a71)
                v = r2[kx &+ 2]; a80 = fmas8(v, w0, a80); a81 = fmas8(v, w1, a81)
            }
        }
        firstMax8(&best0, &which0, a50, 5); firstMax8(&best1, &which1, a51, 5)
        firstMax8(&best0, &which0, a60, 6); firstMax8(&best1, &which1, a61, 6)
        firstMax8(&best0, &which0, a70, 7); firstMax8(&best1, &which1, a71, 7)
        firstMax8(&best0, &which0, a80, 8); firstMax8(&best1, &which1, a81, 8)
        store8(values + 8 &* g, relu8(best0)); store8(values + (8 &* g &+ 8), relu8(best1))
        UnsafeMutableRawPointer(index + 8 &* g).storeBytes(of: which0, as: SIMD8<Int32>.self)
        UnsafeMutableRawPointer(index + (8 &* g &+ 8)).storeBytes(of: which1, as: SIMD8<Int32>.self)
    }

    /// best = max(best, v), recording `index` in the lanes where v > best (first maximum wins).
    @inline(__always)
    func firstMax8(_ best: inout Vec8, _ which: inout SIMD8<Int32>, _ v: Vec8, _ index: Int32) {
        which = argmaxIndex8(best, which, v, index)
        best = max8(best, v)
    }

    /// z2[o][pos] = b[o] + W2[o] . cols[pos] as the 16-lane tiles compute it: per (filter,
    /// position) a low and a high 8-lane chain over the patch, tiles of 4 filters x 2 positions,
    /// the low halves kept in `scratch` while the high halves run.
    /// `filters` (multiples of 4; nil: all), `low` (nil: `scratch`) and `patches` (nil: `cols`)
    /// as the 16-lane kernel's.
    func conv2(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>, filters: Range<Int>? = nil,
               low: UnsafeMutablePointer<Float>? = nil, patches: UnsafePointer<Float>? = nil) {
        let n = patch, stride = patchStride, out = z2.p, low = low ?? scratch.p
        let cols = patches ?? UnsafePointer(self.cols.p)
        let (list, count) = computedUnits(filters ?? 0..<architecture.conv2Channels, of: .conv2, tile: 4)
        for t in Swift.stride(from: 0, to: count, by: 4) {
            let o0 = Int(list[t]), o1 = Int(list[t &+ 1]), o2 = Int(list[t &+ 2]), o3 = Int(list[t &+ 3])
            let w0 = w + o0 &* n, w1 = w + o1 &* n, w2 = w + o2 &* n, w3 = w + o3 &* n
            for pos in Swift.stride(from: 0, to: positions2, by: 2) {
                let c0 = cols + pos &* stride, c1 = c0 + stride
                for half in Swift.stride(from: 0, to: 16, by: 8) {
                    var t00 = Vec8(), t01 = Vec8(), t10 = Vec8(), t11 = Vec8()
                    var t20 = Vec8(), t21 = Vec8(), t30 = Vec8(), t31 = Vec8()
                    var i = half
                    while i < n {
                        let x0 = load8(c0 + i), x1 = load8(c1 + i)
                        var f = load8(w0 + i); t00 = fma8(f, x0, t00); t01 = fma8(f, x1, t01)
                        f = load8(w1 + i); t10 = fma8(f, x0, t10); t11 = fma8(f, x1, t11)
                        f = load8(w2 + i); t20 = fma8(f, x0, t20); t21 = fma8(f, x1, t21)
                        f = load8(w3 + i); t30 = fma8(f, x0, t30); t31 = fma8(f, x1, t31)
                        i &+= 16
                    }
                    if half == 0 {
                        store8(low, t00); store8(low + 8, t01); store8(low + 16, t10); store8(low + 24, t11)
                        store8(low + 32, t20); store8(low + 40, t21); store8(low + 48, t30); store8(low + 56, t31)
                        continue
                    }
                    let r0 = out + (o0 &* positions2 &+ pos), r1 = out + (o1 &* positions2 &+ pos)
                    let r2 = out + (o2 &* positions2 &+ pos), r3 = out + (o3 &* positions2 &+ pos)
                    r0[0] = bias[o0] + sum8(load8(low) + t00); r0[1] = bias[o0] + sum8(load8(low + 8) + t01)
                    r1[0] = bias[o1] + sum8(load8(low + 16) + t10); r1[1] = bias[o1] + sum8(load8(low + 24) + t11)
                    r2[0] = bias[o2] + sum8(load8(low + 32) + t20); r2[1] = bias[o2] + sum8(load8(low + 40) + t21)
                    r3[0] = bias[o3] + sum8(load8(low + 48) + t30); r3[1] = bias[o3] + sum8(load8(low + 56) + t31)
                }
            }
        }
    }

    /// a3[h] = max(0, b[h] + W3[h] . p2) for h in `rows` (multiples of 4; nil: all) but the
    /// switched-off ones (`computedUnits`), 4 rows at a time with a low and a high chain each.
    func fc1(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>, rows: Range<Int>? = nil) {
        let n = architecture.flatSize, x = UnsafePointer(p2.p)
        let (list, count) = computedUnits(rows ?? 0..<architecture.hidden, of: .fc, tile: 4)
        for t in Swift.stride(from: 0, to: count, by: 4) {
            let h0 = Int(list[t]), h1 = Int(list[t &+ 1]), h2 = Int(list[t &+ 2]), h3 = Int(list[t &+ 3])
            let r0 = w + h0 &* n, r1 = w + h1 &* n, r2 = w + h2 &* n, r3 = w + h3 &* n
            var l0 = Vec8(), l1 = Vec8(), l2 = Vec8(), l3 = Vec8(), u0 = Vec8(), u1 = Vec8(), u2 = Vec8(), u3 = Vec8()
            for i in Swift.stride(from: 0, to: n, by: 16) {
                let v = load8(x + i), v8 = load8(x + (i &+ 8))
                l0 = fma8(load8(r0 + i), v, l0); u0 = fma8(load8(r0 + (i &+ 8)), v8, u0)
                l1 = fma8(load8(r1 + i), v, l1); u1 = fma8(load8(r1 + (i &+ 8)), v8, u1)
                l2 = fma8(load8(r2 + i), v, l2); u2 = fma8(load8(r2 + (i &+ 8)), v8, u2)
                l3 = fma8(load8(r3 + i), v, l3); u3 = fma8(load8(r3 + (i &+ 8)), v8, u3)
            }
            hidden(h0, bias[h0] + sum8(l0 + u0)); hidden(h1, bias[h1] + sum8(l1 + u1))
            hidden(h2, bias[h2] + sum8(l2 + u2)); hidden(h3, bias[h3] + sum8(l3 + u3))
        }
    }

    /// As the 16-lane `conv2PatchGradients`, in chunks of 80 floats (10 accumulators of 8).
    func conv2PatchGradients(_ w: UnsafePointer<Float>, filters: Range<Int>? = nil,
                             before: (Int) -> Void = { _ in }, after: (Int) -> Void = { _ in }) {
        let filters = filters ?? 0..<architecture.conv2Channels, continues = filters.lowerBound > 0
        forEachPatchGradientRow(filters: filters, before: before, after: after) { dst, mine, who, scale in
            for k in Swift.stride(from: 0, to: patch, by: 80) {
                let c = dst + k
                var t0 = Vec8(), t1 = Vec8(), t2 = Vec8(), t3 = Vec8(), t4 = Vec8()
                var t5 = Vec8(), t6 = Vec8(), t7 = Vec8(), t8 = Vec8(), t9 = Vec8()
                if continues {
                    t0 = load8(c); t1 = load8(c + 8); t2 = load8(c + 16); t3 = load8(c + 24); t4 = load8(c + 32)
                    t5 = load8(c + 40); t6 = load8(c + 48); t7 = load8(c + 56); t8 = load8(c + 64); t9 = load8(c + 72)
                }
                for j in mine {
                    let r = w + (Int(who[j]) &* patch &+ k), d = scale[j]
                    t0 = fmas8(d, load8(r), t0); t1 = fmas8(d, load8(r + 8), t1)
                    t2 = fmas8(d, load8(r + 16), t2); t3 = fmas8(d, load8(r + 24), t3)
                    t4 = fmas8(d, load8(r + 32), t4); t5 = fmas8(d, load8(r + 40), t5)
                    t6 = fmas8(d, load8(r + 48), t6); t7 = fmas8(d, load8(r + 56), t7)
                    t8 = fmas8(d, load8(r + 64), t8); t9 = fmas8(d, load8(r + 72), t9)
                }
                store8(c, t0); store8(c + 8, t1); store8(c + 16, t2); store8(c + 24, t3); store8(c + 32, t4)
                store8(c + 40, t5); store8(c + 48, t6); store8(c + 56, t7); store8(c + 64, t8); store8(c + 72, t9)
            }
        }
    }
}
#endif
