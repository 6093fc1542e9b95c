import Engine

/// Outcome of one minibatch step, from its forward pass (before the update).
public struct BatchStepResult: Sendable {
    /// Mean NLL over the batch (the loss the step descends).
    public var meanLoss: Float
    /// How many images the network classified correctly.
    public var correct: Int
}

extension BatchNetwork {
    /// One SGD step on a minibatch of `labels.count <= capacity` images (pixels image after
    /// image): forward, mean NLL, backward through `sgemm`, update by `optimizer`.
    @discardableResult
    public func trainStep(images: [Float], labels: [Int], optimizer: SGD) -> BatchStepResult {
        let count = labels.count, a = architecture
        precondition(images.count == count * a.pixels, "expected \(count) images of \(a.pixels) pixels")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < a.classes }, "label out of range")
        precondition(optimizer.velocity.count == a.parameterCount, "optimizer sized for another network")
        images.withUnsafeBufferPointer { forward($0.baseAddress!, count: count) }
        var loss: Float = 0, correct = 0
        for b in 0..<count {
            let lp = logProbs.p + b * a.classes
            loss -= lp[labels[b]]
            if Semantics.firstMaximum(lp, count: a.classes) == labels[b] { correct += 1 }
        }
        labels.withUnsafeBufferPointer { backward(labels: $0.baseAddress!, count: count) }
        optimizer.update(parameters.baseAddress!, gradients.baseAddress!, range: 0..<a.parameterCount,
                         rate: optimizer.currentLearningRate)
        optimizer.finishStep()
        return BatchStepResult(meanLoss: loss / Float(count), correct: correct)
    }

    /// Gradient of the mean NLL of the last forward pass into `gradients`.
    func backward(labels: UnsafePointer<Int>, count: Int) {
        let a = architecture, w = UnsafePointer(parameters.baseAddress!), g = gradients.baseAddress!
        let rows1 = count * used1 * used1, rows2 = count * used2 * used2
        // d mean NLL / d z_k = (softmax_k - [k == label]) / count
        let scale = 1 / Float(count)
        for b in 0..<count {
            let row = dLogits.p + b * a.classes
            Semantics.nllGradient(logProbs.p + b * a.classes, count: a.classes, label: labels[b], into: row)
            for k in 0..<a.classes { row[k] *= scale }
        }
        // fc2: dW4 = dZ4^T a3;  db4 = column sums;  dA3 = dZ4 W4
        gemm(a.classes, a.hidden, count, dLogits.p, a3.p, transposeA: true, g + a.fc2WeightOffset)
        columnSums(dLogits.p, rows: count, width: a.classes, into: g + a.fc2BiasOffset)
        gemm(count, a.hidden, a.classes, dLogits.p, w + a.fc2WeightOffset, dz3.p)
        for i in 0..<count * a.hidden where !(z3.p[i] > 0) { dz3.p[i] = 0 }
        // fc1: dW3 = dZ3^T p2;  dP2 = dZ3 W3
        gemm(a.hidden, a.flatSize, count, dz3.p, p2.p, transposeA: true, g + a.fc1WeightOffset)
        columnSums(dz3.p, rows: count, width: a.hidden, into: g + a.fc1BiasOffset)
        gemm(count, a.flatSize, a.hidden, dz3.p, w + a.fc1WeightOffset, dP2.p)
        // conv2: through pool2's switches and ReLU, then dW2 = dZ2^T cols2;  dCols2 = dZ2 W2
        unpool(dP2.p, pooled: p2.p, switches: s2.p, count: count * a.flatSize, into: dz2, size: rows2 * a.conv2Channels)
        gemm(a.conv2Channels, taps2, rows2, dz2.p, cols2.p, transposeA: true, g + a.conv2WeightOffset)
        columnSums(dz2.p, rows: rows2, width: a.conv2Channels, into: g + a.conv2BiasOffset)
        gemm(rows2, taps2, a.conv2Channels, dz2.p, w + a.conv2WeightOffset, dCols2.p)
        col2im(dCols2.p, channels: a.conv1Channels, side: a.pool1Side, used: used2, count: count, into: dP1.p)
        // conv1: dW1 = dZ1^T cols1
        let pooled1 = count * a.conv1Channels * a.pool1Side * a.pool1Side
        unpool(dP1.p, pooled: p1.p, switches: s1.p, count: pooled1, into: dz1, size: rows1 * a.conv1Channels)
        gemm(a.conv1Channels, taps1, rows1, dz1.p, cols1.p, transposeA: true, g + a.conv1WeightOffset)
        columnSums(dz1.p, rows: rows1, width: a.conv1Channels, into: g + a.conv1BiasOffset)
    }

    /// dz[switch[i]] = d[i] where the pooled (post-ReLU) value is positive, 0 elsewhere.
    func unpool(_ d: UnsafePointer<Float>, pooled: UnsafePointer<Float>, switches: UnsafePointer<Int32>, count: Int,
                into dz: AlignedFloats, size: Int) {
        dz.p.update(repeating: 0, count: size)
        // Every switch is written (each is one unit's own), so the loop has no data-dependent branch.
        for i in 0..<count { dz.p[Int(switches[i])] = pooled[i] > 0 ? d[i] : 0 }
    }

    /// sums[j] = sum_r m[r][j].
    func columnSums(_ m: UnsafePointer<Float>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>) {
        sums.update(repeating: 0, count: width)
        for r in 0..<rows {
            let row = m + r &* width
            for j in 0..<width { sums[j] += row[j] }
        }
    }

    /// The adjoint of `im2col`: d[b][c][y + ky][x + kx] += cols[(b, y, x)][(c, ky, kx)].
    func col2im(_ cols: UnsafePointer<Float>, channels: Int, side: Int, used: Int, count: Int,
                into d: UnsafeMutablePointer<Float>) {
        let k = architecture.kernel
        d.update(repeating: 0, count: count * channels * side * side)
        forEachPatchRow(channels: channels, side: side, used: used, count: count) { col, image in
            for kx in 0..<k { d[image &+ kx] += cols[col &+ kx] }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
