import Engine
import Minibatch
import Formatting
import Foundation
import MNIST
import Random

/// Training and inference throughput of the paper's net on real MNIST images at batch sizes 1
/// (the paper's protocol, direct SIMD kernels), 10 and 128 (im2col + sgemm), with the
/// nominal GFLOP/s each rate implies.
///
/// Two FLOP counts per image. "nominal" is the conventional dense count: a forward pass is 2 x
/// the multiply-adds of every conv output position and fc weight
/// (`Architecture.forwardMultiplyAdds`), a training step 3 x a forward pass. "performed" is
/// what the kernels compute: only the conv outputs pooling reads; for batch 1 a backward pass
/// through the max-pool switches only (blank conv1 windows skipped on top, not counted);
/// plus 6 FLOPs per parameter for the SGD update, per step.
struct EngineBenchmark {
    let mnist: MNIST
    let seconds: Double
    /// This run's single-core sgemm peak (GFLOP/s).
    let peak: Throughput
    let architecture = Architecture.paper
    let imageCount = 6400
    let pixels: [Float]
    let labels: [Int]
    let model: Model
    /// The author's base-training optimiser (reference.json "author_code").
    let settings = SGDSettings(learningRate: 1e-4, learningRateDecay: 5e-7, weightDecay: 1e-3, momentum: 0.9, dampening: 0.9)

    init(mnist: MNIST, seconds: Double, peak: Throughput) {
        self.mnist = mnist
        self.seconds = seconds
        self.peak = peak
        var flat: [Float] = []
        flat.reserveCapacity(imageCount * architecture.pixels)
        for i in 0..<imageCount { flat += architecture.pad(mnist.train.pixels(i)) }
        pixels = flat
        labels = (0..<imageCount).map { Int(mnist.train.labels[$0]) }
        var rng = RandomStream(rootSeed: 1, name: "bench")
        model = Model.torchDefault(.paper, normalisation: Normalisation(mean: 0.1, std: 0.3), rng: &rng)
    }

    /// Conventional dense FLOPs of one forward pass.
    var nominalForward: Double { 2 * Double(architecture.forwardMultiplyAdds) }

    /// FLOPs of a forward pass over the conv outputs floor-mode pooling reads.
    var pooledForward: Double {
        let a = architecture, u1 = a.pool1Side * a.pool1, u2 = a.pool2Side * a.pool2
        let macs = u1 * u1 * a.conv1Channels * a.kernel * a.kernel
            + u2 * u2 * a.conv2Channels * a.conv1Channels * a.kernel * a.kernel + a.fc1WeightCount + a.fc2WeightCount
        return 2 * Double(macs)
    }

    /// The batch-1 backward pass through the switches: fc layers dense (gradient and input
    /// signal), conv2 4 switches per filter (gradient and patch signal), conv1 one switch per
    /// pooled unit; then the update.
    var sparseBackward: Double {
        let a = architecture, k2 = a.kernel * a.kernel, patch = a.conv1Channels * k2
        let macs = 2 * (a.fc2WeightCount + a.fc1WeightCount) + 2 * a.flatSize * patch
            + a.conv1Channels * a.pool1Side * a.pool1Side * k2
        return 2 * Double(macs) + update
    }

    var update: Double { 6 * Double(architecture.parameterCount) }

    func report(_ name: String, _ batch: Int, _ t: Throughput, nominal: Double, performed: Double) {
        print(pad(name, 34), pad("\(batch)", 5), pad(grouped(t.wall), 10), pad(grouped(t.cpu), 10),
              pad(Format.fixed(t.wall * nominal / 1e9, 1), 8),
              pad(Format.fixed(t.wall * performed / 1e9, 1), 10),
              pad(Format.fixed(t.cpu * nominal / 1e9 / peak.cpu, 2) + "x", 8), "  load \(loadAverage())")
    }

    func run() {
        print(pad("GFLOP/s:", 66), pad("nominal", 8), pad("performed", 10), pad("nominal", 8))
        print(pad("", 84), pad("/ sgemm", 8))
        print(pad("", 34), pad("batch", 5), pad("images/s", 10), pad("per CPU-s", 10))
        batchOne()
        for batch in [10, 128] { batched(batch) }
    }

    func batchOne() {
        let net = Network(model), n = architecture.parameterCount
        let optimizer = SGD(settings: settings, parameterCount: n)
        let one = trainBatchOne(net, optimizer: optimizer)
        let chunk = EngineBenchmark.chunk
        var next = 0
        func step(_ body: (UnsafePointer<Float>, Int) -> Void) { eachImageOfAChunk(from: &next, body) }
        twoThreads(oneThread: one)
        let mask = UnitMask(layer: .fc, retained: (0..<architecture.hidden).map { $0 % 2 == 0 }, mode: .switchOff)
        let masked = measure(seconds: seconds, imagesPerChunk: chunk) {
            step { net.trainStep($0, label: $1, optimizer: optimizer, mask: mask) }
        }
        report("train SGD, fc units switched off", 1, masked, nominal: 3 * nominalForward,
               performed: pooledForward + sparseBackward)
        // The hardening stage's steps: stateless SGD (no momentum, no weight decay), on a net of its own.
        let hardening = Network(model), plain = SGD(settings: .plain(0.001), parameterCount: n)
        let stateless = measure(seconds: seconds, imagesPerChunk: chunk) {
            step { hardening.trainStep($0, label: $1, optimizer: plain) }
        }
        report("hardening step (stateless SGD)", 1, stateless, nominal: 3 * nominalForward,
               performed: pooledForward + sparseBackward)
        let statelessMasked = measure(seconds: seconds, imagesPerChunk: chunk) {
            step { hardening.trainStep($0, label: $1, optimizer: plain, mask: mask) }
        }
        report("the same, fc units switched off", 1, statelessMasked, nominal: 3 * nominalForward,
               performed: pooledForward + sparseBackward)
        // Selective dropout on conv2 at p = 0.5: half the filters switched off.
        let conv2Mask = UnitMask(layer: .conv2, retained: (0..<architecture.conv2Channels).map { $0 % 2 == 0 }, mode: .switchOff)
        let conv2Masked = measure(seconds: seconds, imagesPerChunk: chunk) {
            step { hardening.trainStep($0, label: $1, optimizer: plain, mask: conv2Mask) }
        }
        report("the same, half the conv2 filters off", 1, conv2Masked, nominal: 3 * nominalForward,
               performed: pooledForward + sparseBackward)
        let infer = measure(seconds: seconds, imagesPerChunk: chunk) { step { p, _ in net.forward(p) } }
        report("inference (Network.forward)", 1, infer, nominal: nominalForward, performed: pooledForward)
        // The evaluations' path: 500 images per call, no max-pool switches recorded.
        var first = 0
        let classify = measure(seconds: seconds, imagesPerChunk: chunk) {
            pixels.withUnsafeBufferPointer { p in _ = net.classify(p.baseAddress! + first * architecture.pixels, count: chunk) }
            first = (first + chunk) % (imageCount - chunk + 1)
        }
        report("evaluation (Network.classify)", 1, classify, nominal: nominalForward, performed: pooledForward)
        var gradient = [Float](repeating: 0, count: architecture.pixels)
        let oracle = measure(seconds: seconds, imagesPerChunk: chunk) {
            gradient.withUnsafeMutableBufferPointer { g in step { net.lossAndInputGradient($0, label: $1, gradient: g.baseAddress!) } }
        }
        report("loss + input gradient (attack)", 1, oracle, nominal: 3 * nominalForward,
               performed: pooledForward + sparseBackward - update)
    }

    /// Images per timed chunk at batch 1.
    static let chunk = 500

    /// `body(pixels, label)` for the `chunk` images from `next` on (wrapping), `next` advanced.
    func eachImageOfAChunk(from next: inout Int, _ body: (UnsafePointer<Float>, Int) -> Void) {
        pixels.withUnsafeBufferPointer { p in
            for _ in 0..<EngineBenchmark.chunk {
                body(p.baseAddress! + next * architecture.pixels, labels[next])
                next = (next + 1) % imageCount
            }
        }
    }

    /// The batch-1 SGD step on `net`'s threads over the images from `next` on (`measure`, `runs`
    /// runs of `seconds`), `next` advanced.
    func stepRate(_ net: Network, optimizer: SGD, seconds: Double, runs: Int = 3, from next: inout Int) -> Throughput {
        measure(seconds: seconds, runs: runs, imagesPerChunk: EngineBenchmark.chunk) {
            eachImageOfAChunk(from: &next) { net.trainStep($0, label: $1, optimizer: optimizer) }
        }
    }

    /// The batch-1 SGD step on `net`'s threads; prints and returns its throughput.
    @discardableResult
    func trainBatchOne(_ net: Network, optimizer: SGD, label name: String = "train SGD (Network.trainStep)") -> Throughput {
        var next = 0
        let train = stepRate(net, optimizer: optimizer, seconds: seconds, from: &next)
        report(name, 1, train, nominal: 3 * nominalForward, performed: pooledForward + sparseBackward)
        return train
    }

    /// The same step with `StepThreads.two` (bit-identical), its rate over the one-thread rate
    /// and over the sgemm peak per wall-second (CPU time of one thread means little here), the
    /// ceiling two cores side by side put on it (`sideBySide`), and the cost of one of its six
    /// barriers per step and of a cache line handed between the cores.
    func twoThreads(oneThread: Throughput) {
        let net = Network(model, threads: .two)
        let optimizer = SGD(settings: settings, parameterCount: architecture.parameterCount)
        let two = trainBatchOne(net, optimizer: optimizer, label: "train SGD, 2 threads (.two)")
        let barrier = StepThreads.barrierNanoseconds()
        print("  2 threads: \(Format.fixed(two.wall / oneThread.wall, 2))x the 1-thread rate, "
              + "\(Format.fixed(two.wall * 3 * nominalForward / 1e9 / peak.wall, 2))x the sgemm peak per wall-s; "
              + "step \(Format.fixed(1e6 / two.wall, 1)) us (1 thread \(Format.fixed(1e6 / oneThread.wall, 1)) us), "
              + "barrier \(Format.fixed(barrier, 0)) ns x 6 per step  load \(loadAverage())")
        let kept = sideBySide()
        print("  side by side (two one-thread steps at once, a network each): each at \(Format.fixed(kept, 2))x its rate "
              + "alone, so no split of one step can pass \(Format.fixed(2 * kept, 2))x here now  load \(loadAverage())")
        // What crossing between the cores costs on this machine right now (on these VMs it
        // varies from hour to hour with where the two vCPUs sit on the host).
        let handoff = StepThreads.lineHandoffNanoseconds()
        print("  a cache line updated on one core right after the other: \(Format.fixed(handoff, 1)) ns more than a line "
              + "the core owns  load \(loadAverage())")
        net.profileSteps()
        trainBatchOne(net, optimizer: optimizer, label: "the same, phases timed")
        if let profile = net.stepProfile {
            print("  per step (us): \(Format.fixed(profile.stepMicroseconds, 1)), of which serial on the calling thread "
                  + Format.fixed(profile.serialMicroseconds, 1))
            for phase in profile.phases {
                let us = { (x: Double) in pad(Format.fixed(x, 1), 5) }
                print("  " + pad(phase.name, 15) + "  caller \(us(phase.callerMicroseconds))  helper \(us(phase.helperMicroseconds))"
                      + "  caller waits \(us(phase.waitMicroseconds))")
            }
        }
    }

    func batched(_ batch: Int) {
        let net = BatchNetwork(model, capacity: batch)
        let optimizer = SGD(settings: settings, parameterCount: architecture.parameterCount)
        let batches = imageCount / batch
        let images = (0..<batches).map { Array(pixels[$0 * batch * architecture.pixels..<($0 + 1) * batch * architecture.pixels]) }
        let batchLabels = (0..<batches).map { Array(labels[$0 * batch..<($0 + 1) * batch]) }
        var next = 0
        let train = measure(seconds: seconds, imagesPerChunk: batch) {
            net.trainStep(images: images[next], labels: batchLabels[next], optimizer: optimizer)
            next = (next + 1) % batches
        }
        report("train minibatch SGD (BatchNetwork)", batch, train, nominal: 3 * nominalForward,
               performed: 3 * pooledForward + update / Double(batch))
        let infer = measure(seconds: seconds, imagesPerChunk: batch) {
            _ = images[next].withUnsafeBufferPointer { net.logProbabilities(images: $0.baseAddress!, count: batch) }
            next = (next + 1) % batches
        }
        report("inference (BatchNetwork)", batch, infer, nominal: nominalForward, performed: pooledForward)
    }
}
