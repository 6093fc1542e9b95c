import CSIMD

extension FastKernels {
    /// conv1 + ReLU + pool1 for `channels` only (whole register groups of `conv1Group`), with
    /// the per-thread buffers `values` and `index` (64 entries each; index[32..<64] stay zero):
    /// p1[c][cell] and s1[c][cell] exactly as the fused kernel computes them, lane for lane (each
    /// channel's FMA chains, first-maximum rule and blank-window shortcut are the same); s1
    /// only with `switches`.
    func conv1ReluPool(bias: UnsafePointer<Float>, channels: Range<Int>,
                       values: UnsafeMutablePointer<Float>, index: UnsafeMutablePointer<Int32>, switches: Bool = true) {
        let k = architecture.kernel, pooled = architecture.pool1Side, s = side, width = FastKernels.conv1Group
        let groups = channels.lowerBound / width..<channels.upperBound / width
        for g in groups { conv1Blank(group: g, bias: bias, values: values) }
        let window = 3 &+ k &- 1, columns = UInt32(1) << UInt32(window) &- 1
        let blank = UnsafePointer(values + 32), first = switches ? UnsafePointer(index + 32) : nil
        let found = switches ? UnsafePointer(index) : nil
        for py in 0..<pooled {
            var ink: UInt32 = 0
            for r in 0..<window { ink |= UInt32(bitPattern: inkRows.p[3 &* py &+ r]) }
            for px in 0..<pooled {
                let origin = input.p + (3 &* py &* s &+ 3 &* px), cell = py &* pooled &+ px
                if ink & (columns << UInt32(3 &* px)) == 0 {
                    scatterPool1Cell(cell, origin: origin, channels: channels, values: blank, index: first)
                    continue
                }
                conv1Windows(origin, groups: groups, bias: bias, values: values, index: index)
                scatterPool1Cell(cell, origin: origin, channels: channels, values: values, index: found)
            }
        }
    }
}

#if ENGINE_AVX512
extension FastKernels {
    /// conv1 channels per register group of the split step's 16-lane kernels.
    static let conv1Group = 16

    /// values[32 + c] = max(0, b[c] + sum_tap w[c][tap] border) for the 16 channels of group g,
    /// the same chain as the fused kernel's blank value.
    @inline(__always)
    func conv1Blank(group g: Int, bias: UnsafePointer<Float>, values: UnsafeMutablePointer<Float>) {
        let k = architecture.kernel, w = conv1Weights.p, border = borderValue
        var blank = load16(bias + 16 &* g)
        for t in 0..<k &* k { blank = fmas16(border, load16(w + (t &* 32 &+ 16 &* g)), blank) }
        store16(values + (32 &+ 16 &* g), relu16(blank))
    }

    /// The 3x3 pooling window at `origin` for the conv1 groups `groups`, one group at a time.
    @inline(__always)
    func conv1Windows(_ origin: UnsafeMutablePointer<Float>, groups: Range<Int>, bias: UnsafePointer<Float>,
                      values: UnsafeMutablePointer<Float>, index: UnsafeMutablePointer<Int32>) {
        for g in groups { conv1Window(origin, group: g, bias: bias, values: values, index: index) }
    }

    /// One 3x3 pooling window of 16 channels: the fused kernel's 9 FMA chains of one register
    /// half, its first maximum in scan order and ReLU, left at `values + 16g` and `index + 16g`.
    @inline(__always)
    func conv1Window(_ origin: UnsafeMutablePointer<Float>, group g: Int, bias: UnsafePointer<Float>,
                     values: UnsafeMutablePointer<Float>, index: UnsafeMutablePointer<Int32>) {
        let k = architecture.kernel, s = side, w = conv1Weights.p + 16 &* g
        let b = load16(bias + 16 &* g)
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b, a8 = b
        for ky in 0..<k {
            let r0 = origin + ky &* s, r1 = r0 + s, r2 = r1 + s
            for kx in 0..<k {
                let wt = load16(w + (ky &* k &+ kx) &* 32)
                a0 = fmas16(r0[kx], wt, a0); a1 = fmas16(r0[kx &+ 1], wt, a1); a2 = fmas16(r0[kx &+ 2], wt, a2)
                a3 = fmas16(r1[kx], wt, a3); a4 = fmas16(r1[kx &+ 1], wt, a4); a5 = fmas16(r1[kx &+ 2], wt, a5)
                a6 = fmas16(r2[kx], wt, a6); a7 = fmas16(r2[kx &+ 1], wt, a7); a8 = fmas16(r2[kx &+ 2], wt, a8)
            }
        }
        var best = a0, which = SIMD16<Int32>(repeating: 0)
        firstMax(&best, &which, a1, 1); firstMax(&best, &which, a2, 2); firstMax(&best, &which, a3, 3)
        firstMax(&best, &which, a4, 4); firstMax(&best, &which, a5, 5); firstMax(&best, &which, a6, 6)
        firstMax(&best, &which, a7, 7); firstMax(&best, &which, a8, 8)
        store16(values + 16 &* g, relu16(best))
        UnsafeMutableRawPointer(index + 16 &* g).storeBytes(of: which, as: SIMD16<Int32>.self)
    }
}
#endif
