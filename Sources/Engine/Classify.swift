import CSIMD

extension Network {
    /// The predicted class (first maximum) of each of `count` padded images stored one after
    /// another from `pixels`: `forward` and `predictedClass` per image, bit for bit, on the
    /// evaluations' path (`FastKernels.classify`: no max-pool switches, which only a backward
    /// pass reads; fc1 on two images at a time). Afterwards the last image counts as the last
    /// forward pass.
    public func classify(_ pixels: UnsafePointer<Float>, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        guard let fast else {
            return (0..<count).map { i in forward(pixels + i &* architecture.pixels); return predictedClass }
        }
        let classes = [Int](unsafeUninitializedCapacity: count) { out, initialised in
            fast.classify(pixels, count: count, normalisation: normalisation, parameters: parameters.baseAddress!,
                          into: out.baseAddress!)
            initialised = count
        }
        remember(pixels + (count &- 1) &* architecture.pixels)
        state = .fastLogProbabilities(replayed: false)
        return classes
    }
}

extension FastKernels {
    /// The predicted class (first maximum of the log-probabilities) of each of `count` images
    /// stored one after another from `pixels`, into `classes`: `forward`'s arithmetic, the same
    /// log-probabilities bit for bit, without recording conv1's max-pool switches (only a
    /// backward pass reads them), with conv1's weights transposed once for all the images, and
    /// with fc1 run on two images at a time (`fc1Pair`: each weight row loaded once for both).
    /// Not inside a switched-off step (`switchOff(layer:retained:)`). `logProbs` ends with the
    /// last image's.
    func classify(_ pixels: UnsafePointer<Float>, count: Int, normalisation: Normalisation,
                  parameters w: UnsafePointer<Float>, into classes: UnsafeMutablePointer<Int>) {
        precondition(switchedOffLayer == nil, "classify inside a switched-off step")
        let a = architecture
        transposeConv1(w + a.conv1WeightOffset)
        func head(_ hidden: UnsafePointer<Float>, image: Int) {
            fc2(w + a.fc2WeightOffset, bias: w + a.fc2BiasOffset, hidden: hidden)
            logSoftmax()
            classes[image] = Semantics.firstMaximum(logProbs.p, count: a.classes)
        }
        var i = 0
        while i &+ 1 < count {
            convolutions(pixels + i &* a.pixels, normalisation: normalisation, parameters: w, switches: false)
            pairedP2.p.update(from: p2.p, count: a.flatSize)
            convolutions(pixels + (i &+ 1) &* a.pixels, normalisation: normalisation, parameters: w, switches: false)
            fc1Pair(w + a.fc1WeightOffset, bias: w + a.fc1BiasOffset)
            head(UnsafePointer(pairedA3.p), image: i)
            head(UnsafePointer(a3.p), image: i &+ 1)
            i &+= 2
        }
        if i < count {
            forwardTransposed(pixels + i &* a.pixels, normalisation: normalisation, parameters: w, switches: false)
            classes[i] = Semantics.firstMaximum(logProbs.p, count: a.classes)
        }
    }

    #if ENGINE_AVX512
    /// `fc1` for two images at once: pairedA3 from pairedP2 and a3 from p2, 8 rows at a time,
    /// each row's 16-lane chunk loaded once and fed to both images' chains (the same chains as
    /// `fc1`'s, so the same bits). z3 is not written.
    func fc1Pair(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>) {
        let n = architecture.flatSize, x = UnsafePointer(pairedP2.p), y = UnsafePointer(p2.p)
        for h in Swift.stride(from: 0, to: architecture.hidden, by: 8) {
            let r0 = w + h &* n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n, r4 = r3 + n, r5 = r4 + n, r6 = r5 + n, r7 = r6 + n
            var s0 = Vec16(), s1 = Vec16(), s2 = Vec16(), s3 = Vec16(), s4 = Vec16(), s5 = Vec16(), s6 = Vec16(), s7 = Vec16()
            var t0 = Vec16(), t1 = Vec16(), t2 = Vec16(), t3 = Vec16(), t4 = Vec16(), t5 = Vec16(), t6 = Vec16(), t7 = Vec16()
            for i in Swift.stride(from: 0, to: n, by: 16) {
                let u = load16(x + i), v = load16(y + i)
                var f = load16(r0 + i); s0 = fma16(f, u, s0); t0 = fma16(f, v, t0)
                f = load16(r1 + i); s1 = fma16(f, u, s1); t1 = fma16(f, v, t1)
                f = load16(r2 + i); s2 = fma16(f, u, s2); t2 = fma16(f, v, t2)
                f = load16(r3 + i); s3 = fma16(f, u, s3); t3 = fma16(f, v, t3)
                f = load16(r4 + i); s4 = fma16(f, u, s4); t4 = fma16(f, v, t4)
                f = load16(r5 + i); s5 = fma16(f, u, s5); t5 = fma16(f, v, t5)
                f = load16(r6 + i); s6 = fma16(f, u, s6); t6 = fma16(f, v, t6)
                f = load16(r7 + i); s7 = fma16(f, u, s7); t7 = fma16(f, v, t7)
            }
            relu(h, s0, t0); relu(h &+ 1, s1, t1); relu(h &+ 2, s2, t2); relu(h &+ 3, s3, t3)
            relu(h &+ 4, s4, t4); relu(h &+ 5, s5, t5); relu(h &+ 6, s6, t6); relu(h &+ 7, s7, t7)
        }
        /// Row h's outputs of both images: max(0, b[h] + sum16(chain)).
        @inline(__always) func relu(_ h: Int, _ s: Vec16, _ t: Vec16) {
            let z0 = bias[h] + sum16(s), z1 = bias[h] + sum16(t)
            pairedA3.p[h] = z0 > 0 ? z0 : 0
            a3.p[h] = z1 > 0 ? z1 : 0
        }
    }
    #else
    /// `fc1` for two images at once (see the 16-lane `fc1Pair`), 2 rows at a time with a low and
    /// a high chain per row and image: 8 accumulators, 4 input vectors and a weight vector fit
    /// AVX2's 16 registers. The same chains as the 8-lane `fc1`'s, so the same bits.
    func fc1Pair(_ w: UnsafePointer<Float>, bias: UnsafePointer<Float>) {
        let n = architecture.flatSize, x = UnsafePointer(pairedP2.p), y = UnsafePointer(p2.p)
        for h in Swift.stride(from: 0, to: architecture.hidden, by: 2) {
            let r0 = w + h &* n, r1 = r0 + n
            var l0 = Vec8(), u0 = Vec8(), l1 = Vec8(), u1 = Vec8()   // the first image's chains
            var m0 = Vec8(), v0 = Vec8(), m1 = Vec8(), v1 = Vec8()   // the second image's
            for i in Swift.stride(from: 0, to: n, by: 16) {
                let xl = load8(x + i), xh = load8(x + (i &+ 8)), yl = load8(y + i), yh = load8(y + (i &+ 8))
                var f = load8(r0 + i); l0 = fma8(f, xl, l0); m0 = fma8(f, yl, m0)
                f = load8(r0 + (i &+ 8)); u0 = fma8(f, xh, u0); v0 = fma8(f, yh, v0)
                f = load8(r1 + i); l1 = fma8(f, xl, l1); m1 = fma8(f, yl, m1)
                f = load8(r1 + (i &+ 8)); u1 = fma8(f, xh, u1); v1 = fma8(f, yh, v1)
            }
            relu(h, l0 + u0, m0 + v0); relu(h &+ 1, l1 + u1, m1 + v1)
        }
        /// Row h's outputs of both images: max(0, b[h] + sum8(low + high)).
        @inline(__always) func relu(_ h: Int, _ s: Vec8, _ t: Vec8) {
            let z0 = bias[h] + sum8(s), z1 = bias[h] + sum8(t)
            pairedA3.p[h] = z0 > 0 ? z0 : 0
            a3.p[h] = z1 > 0 ? z1 : 0
        }
    }
    #endif
}
