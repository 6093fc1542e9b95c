import CSIMD

/// The batch-1 fast path: direct SIMD kernels and their preallocated workspaces for the paper's
/// family of nets (32 conv1 channels, 3x3 then 2x2 pooling, widths in multiples of the vector).
///
/// It reads and updates the Torch-layout parameters in place (only conv1's few weights are
/// transposed per forward pass), so `Network.parameters` is always current. What makes it fast:
/// - ReLU and the 3x3 max-pool fused into conv1's register tiles, channel-last over 32 channels;
///   only the conv outputs floor-mode pooling reads are computed (27x27 of 28x28, 4x4 of 5x5);
/// - conv2 as dot products of its filters with im2col patches, 4 filters x 4 positions per tile;
/// - conv1 windows whose input is all border (blank MNIST background) take a precomputed value;
/// - in a selective-dropout step, conv2 and fc1 skip the switched-off units (`computedUnits`);
/// - a backward pass that visits only the max-pool switches, with the SGD update fused into it
///   (no gradient buffer: each weight row is read, propagated through and updated once), and
///   ReLU gates applied without branches (which units pass changes from image to image, and
///   mispredicted branches once cost a fifth of a step).
///
/// Results differ from `ReferenceNetwork` only by summation order; every run gives the same bits.
final class FastKernels {
    let architecture: Architecture
    let side: Int            // padded input side (32)
    let cells1: Int          // pool1 outputs per channel (9x9)
    let patch: Int           // conv2 patch length: conv1Channels * kernel^2 (800)
    let patchStride: Int     // row stride of the patch matrices (patch + slack)
    let used2: Int           // conv2 output side that pool2 reads (4)
    let positions2: Int      // used2^2 (16)

    // Forward state.
    let input: AlignedFloats       // normalised, padded image
    let inkRows: AlignedInts       // per input row, a bit per column that is not border
    var borderValue: Float = 0     // the input value of a zero pixel: (0 - mean) / std
    let conv1Weights: AlignedFloats   // conv1 weights transposed to [tap][channel]
    let p1: AlignedFloats          // pool1 output, channel-major [c][cell]
    let s1: AlignedInts            // pool1 switches: input offset of the winning patch
    let cols: AlignedFloats        // conv2 im2col patches [position][patchStride]
    let fullCols: AlignedFloats    // conv2 im2col over the positions pool2 drops [position][patch] (activations only)
    let z2: AlignedFloats          // conv2 pre-activation over the used positions [c][position]
    let p2: AlignedFloats          // pool2 output, Torch's flatten order [c][cell]
    let s2: AlignedInts            // pool2 switches: position index into z2's rows
    let z3: AlignedFloats, a3: AlignedFloats
    let pairedP2: AlignedFloats, pairedA3: AlignedFloats   // the first image's p2 and a3 of a `classify` pair
    let logits: AlignedFloats, logProbs: AlignedFloats
    // Backward state.
    let dLogits: AlignedFloats, dz3: AlignedFloats, dP2: AlignedFloats
    let dz2: AlignedFloats         // gradient at pool2's switches, past the ReLU [c][cell]
    // Per conv2 position, the filters whose switch it is and their gradients, and their count.
    let contributor: AlignedInts, contributorScale: AlignedFloats, contributorCount: AlignedInts
    let dCols: AlignedFloats       // gradient w.r.t. the conv2 patches
    let dP1: AlignedFloats         // gradient w.r.t. p1; gated in place to dz1 at the switches
    let dConv1: AlignedFloats      // conv1 weight gradient rows [c][ky][8]
    let dInput: AlignedFloats
    let scratch: AlignedFloats, scratchIndex: AlignedInts   // [thread][64]: values, then blanks / zeros
    /// pool1 cells by row, columns 0, 3, 6, 1, 4, 7, ...: consecutive cells 9 pixels apart.
    let inputGradientOrder: AlignedInts
    /// Switched-off units of a stateless `.switchOff` step (`switchOff(layer:retained:)`): nil
    /// outside such a step.
    private(set) var switchedOffLayer: UnitLayer?
    let switchedOff: UnsafeMutablePointer<Bool>
    /// 0, 1, 2, ...: the units a kernel computes when none is switched off (read-only, so both
    /// threads of a split step share it); `retainedUnits` the list of a `switchOff` step.
    let allUnits: AlignedInts, retainedUnits: AlignedInts

    /// The shapes the kernels are written for (patch = 800 = 5 chunks of 160); other
    /// architectures use `ReferenceNetwork`.
    static func supports(_ a: Architecture) -> Bool {
        a.kernel == 5 && a.inputSide <= 32 && a.conv1Channels == 32 && a.pool1 == 3 && a.pool2 == 2 && a.pool2Side == 2
            && a.conv2Channels % 4 == 0 && a.flatSize % 16 == 0 && a.hidden % 8 == 0
    }

    init(_ a: Architecture) {
        precondition(FastKernels.supports(a), "no fast kernels for \(a)")
        architecture = a
        side = a.inputSide
        cells1 = a.pool1Side * a.pool1Side
        patch = a.conv1Channels * a.kernel * a.kernel
        patchStride = patch + 16
        used2 = a.pool2Side * a.pool2
        positions2 = used2 * used2
        // Slack of 16 floats after every buffer lets 8-lane rows of 5 taps read past a row end.
        input = AlignedFloats(side * side)
        inkRows = AlignedInts(side)
        conv1Weights = AlignedFloats(a.kernel * a.kernel * 32)
        p1 = AlignedFloats(32 * cells1); s1 = AlignedInts(32 * cells1)
        cols = AlignedFloats(positions2 * patchStride)
        fullCols = AlignedFloats((a.conv2Side * a.conv2Side - positions2) * patch)
        z2 = AlignedFloats(a.conv2Channels * positions2)
        p2 = AlignedFloats(a.flatSize); s2 = AlignedInts(a.flatSize)
        z3 = AlignedFloats(a.hidden); a3 = AlignedFloats(a.hidden)
        pairedP2 = AlignedFloats(a.flatSize); pairedA3 = AlignedFloats(a.hidden)
        logits = AlignedFloats(a.classes); logProbs = AlignedFloats(a.classes)
        dLogits = AlignedFloats(a.classes); dz3 = AlignedFloats(a.hidden); dP2 = AlignedFloats(a.flatSize)
        dz2 = AlignedFloats(a.flatSize)
        contributor = AlignedInts(positions2 * a.conv2Channels)
        contributorScale = AlignedFloats(positions2 * a.conv2Channels)
        contributorCount = AlignedInts(positions2)
        dCols = AlignedFloats(positions2 * patchStride)
        dP1 = AlignedFloats(32 * cells1)
        dConv1 = AlignedFloats(32 * a.kernel * 8)
        dInput = AlignedFloats(side * side)
        // 64 values per thread of a split step (`FastSplitStep`).
        scratch = AlignedFloats(128); scratchIndex = AlignedInts(128)
        let pooled = a.pool1Side
        let columns = (0..<3).flatMap { Array(Swift.stride(from: $0, to: pooled, by: 3)) }
        inputGradientOrder = AlignedInts(cells1)
        for y in 0..<pooled { for (j, x) in columns.enumerated() { inputGradientOrder.p[y * pooled + j] = Int32(y * pooled + x) } }
        switchedOff = .allocate(capacity: max(a.conv2Channels, a.hidden))
        switchedOff.initialize(repeating: false, count: max(a.conv2Channels, a.hidden))
        allUnits = AlignedInts(max(a.conv2Channels, a.hidden))
        for u in 0..<max(a.conv2Channels, a.hidden) { allUnits.p[u] = Int32(u) }
        retainedUnits = AlignedInts(max(a.conv2Channels, a.hidden) + 16)
    }

    deinit { switchedOff.deallocate() }

    /// Runs `body` (one training step under stateless SGD) as if the incoming rows of the units
    /// of `layer` that `retained` leaves out were zero and restored afterwards, without touching
    /// them: the forward pass gives those units z = b + 0 (what a zero row gives), the backward
    /// pass sends nothing through their rows and leaves them as they are (the restore), and
    /// their biases take the update. The same bits as `UnitMask.withSwitchedOffRows`.
    func switchOff<R>(layer: UnitLayer, retained: [Bool], _ body: () -> R) -> R {
        for (j, kept) in retained.enumerated() { switchedOff[j] = !kept }
        switchedOffLayer = layer
        defer { switchedOffLayer = nil }
        return body()
    }

    /// The switched-off flags of `layer` during a `switchOff` step, else nil.
    @inline(__always)
    func switchedOff(_ layer: UnitLayer) -> UnsafePointer<Bool>? {
        switchedOffLayer == layer ? UnsafePointer(switchedOff) : nil
    }

    /// z[u][0..<per] = b[u] + 0 for the switched-off units u < `units`: what the kernels give a
    /// zero row (its FMA chains sum to +0).
    func zeroRowOutputs(_ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, off: UnsafePointer<Bool>,
                        units: Int, per: Int) {
        for u in 0..<units where off[u] {
            for i in 0..<per { z[u &* per &+ i] = bias[u] + 0 }
        }
    }

    /// z3[h] = z, a3[h] = max(0, z).
    @inline(__always)
    func hidden(_ h: Int, _ z: Float) {
        z3.p[h] = z
        a3.p[h] = z > 0 ? z : 0
    }

    /// The units of `range` a forward kernel of `layer` computes, `tile` at a time: all of them,
    /// or in a `switchOff` step only the retained ones (a switched-off unit's zero row would give
    /// z = b + 0, which the forward pass writes without the arithmetic: `zeroRowOutputs` for
    /// conv2, `hidden` for fc1), the last repeated to fill the last tile (a unit computed twice
    /// is written twice with the same bits). `range` is a whole number of tiles.
    func computedUnits(_ range: Range<Int>, of layer: UnitLayer, tile: Int) -> (list: UnsafePointer<Int32>, count: Int) {
        guard let off = switchedOff(layer) else { return (UnsafePointer(allUnits.p + range.lowerBound), range.count) }
        var n = 0
        for u in range where !off[u] { retainedUnits.p[n] = Int32(truncatingIfNeeded: u); n &+= 1 }
        guard n > 0 else { return (UnsafePointer(retainedUnits.p), 0) }
        while n % tile != 0 { retainedUnits.p[n] = retainedUnits.p[n &- 1]; n &+= 1 }
        return (UnsafePointer(retainedUnits.p), n)
    }
}

extension UnsafeMutableBufferPointer where Element: Numeric {
    /// `count` zeros starting on a cache line (64 bytes). Every weight row of the paper's net
    /// then starts on a line too (the parameter offsets are multiples of 16 floats), so the fast
    /// kernels' 16-float loads and stores never straddle two lines (`allocate(capacity:)` aligns
    /// to 16 bytes only, so most did; Intel cores pay for each split access). Interleaved `bench`
    /// runs on a Xeon family 6 model 207 could not separate the gain from that VM's drift (0-25%
    /// on the step). Free it with `deallocate()`.
    static func allocateCacheAligned(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
        let bytes = MemoryLayout<Element>.stride * Swift.max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        return UnsafeMutableBufferPointer(start: raw.initializeMemory(as: Element.self, repeating: .zero, count: count),
                                          count: count)
    }
}

/// A zero-initialised, 64-byte aligned Float workspace with 16 floats of slack at the end.
public final class AlignedFloats {
    public let p: UnsafeMutablePointer<Float>
    public let count: Int
    public init(_ count: Int) {
        self.count = count
        p = UnsafeMutableBufferPointer.allocateCacheAligned(count + 16).baseAddress!
    }
    deinit { p.deallocate() }
    public func zero() { p.update(repeating: 0, count: count) }
}

/// A zero-initialised, 64-byte aligned Int32 workspace with 16 values of slack.
public final class AlignedInts {
    public let p: UnsafeMutablePointer<Int32>
    public init(_ count: Int) {
        p = UnsafeMutableBufferPointer.allocateCacheAligned(count + 16).baseAddress!
    }
    deinit { p.deallocate() }
}
