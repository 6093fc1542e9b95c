/// How a backward signal crosses a ReLU.
public enum ReLURule: String, Codable, Sendable {
    /// The gradient: pass the signal where the forward pre-activation was positive.
    case forwardMask
    /// Zeiler-Fergus's deconvnet: rectify the signal itself, ignoring the forward pass.
    case rectifySignal
}

/// Where a backward pass starts: the gradient of the loss at the logits, or a seed placed on a
/// layer's post-ReLU activation (projections).
enum BackwardStart {
    case logits, fc, conv2, conv1
}

extension ReferenceNetwork {
    /// Backward pass from the loss NLL(log-softmax(logits), label) of the last forward pass.
    /// Writes parameter gradients into `gradients` when `parameterGradients` is true, and the
    /// gradient with respect to the input pixels into `inputGradient` when given. Units whose
    /// `blocked` entry is true at `blockedLayer` pass no gradient (the gradient-mask ablation).
    func backwardFromLoss(label: Int, parameterGradients: Bool, inputGradient: UnsafeMutablePointer<Float>?,
                          blockedLayer: UnitLayer? = nil, blocked: UnsafePointer<Bool>? = nil) {
        Semantics.nllGradient(logProbs.p, count: architecture.classes, label: label, into: dLogits.p)
        propagate(from: .logits, rule: .forwardMask, parameterGradients: parameterGradients,
                  inputGradient: inputGradient, blockedLayer: blockedLayer, blocked: blocked)
    }

    /// The shared backward pass. The signal at the starting point must already be in place
    /// (dLogits, dA3, dA2 or dA1).
    func propagate(from start: BackwardStart, rule: ReLURule, parameterGradients: Bool,
                   inputGradient: UnsafeMutablePointer<Float>?, blockedLayer: UnitLayer? = nil,
                   blocked: UnsafePointer<Bool>? = nil) {
        let a = architecture, w = parameters.baseAddress!, g = gradients.baseAddress!
        let grads = parameterGradients
        if start == .logits {
            // fc2: dW[n][h] = dz[n] a3[h];  db = dz;  da3[h] = sum_n W[n][h] dz[n]
            denseBackward(dLogits.p, input: a3.p, inputs: a.hidden, outputs: a.classes,
                          weights: w + a.fc2WeightOffset, dWeights: grads ? g + a.fc2WeightOffset : nil,
                          dBias: grads ? g + a.fc2BiasOffset : nil, dInput: dA3.p)
        }
        if start == .logits || start == .fc {
            reluBackward(dA3, pre: z3, rule: rule)  // dA3 now holds dz3
            if blockedLayer == .fc, let blocked { for h in 0..<a.hidden where blocked[h] { dA3[h] = 0 } }
            denseBackward(dA3.p, input: p2.p, inputs: a.flatSize, outputs: a.hidden,
                          weights: w + a.fc1WeightOffset, dWeights: grads ? g + a.fc1WeightOffset : nil,
                          dBias: grads ? g + a.fc1BiasOffset : nil, dInput: dP2.p)
            dA2.fill(0)
            for i in 0..<p2.count { dA2[Int(s2[i])] += dP2[i] }  // unpool through the switches
        }
        if start != .conv1 {
            reluBackward(dA2, pre: z2, rule: rule)  // dz2
            if blockedLayer == .conv2, let blocked {
                let area = a.conv2Side * a.conv2Side
                for c in 0..<a.conv2Channels where blocked[c] { for j in 0..<area { dA2[c * area + j] = 0 } }
            }
            convBackward(dA2.p, input: p1.p, channels: a.conv1Channels, side: a.pool1Side,
                         outChannels: a.conv2Channels, weights: w + a.conv2WeightOffset,
                         dWeights: grads ? g + a.conv2WeightOffset : nil, dBias: grads ? g + a.conv2BiasOffset : nil,
                         dInput: dP1.p)
            dA1.fill(0)
            for i in 0..<p1.count { dA1[Int(s1[i])] += dP1[i] }
        }
        reluBackward(dA1, pre: z1, rule: rule)  // dz1
        let needInput = inputGradient != nil
        convBackward(dA1.p, input: input.p, channels: 1, side: a.inputSide, outChannels: a.conv1Channels,
                     weights: w + a.conv1WeightOffset, dWeights: grads ? g + a.conv1WeightOffset : nil,
                     dBias: grads ? g + a.conv1BiasOffset : nil, dInput: needInput ? dInput.p : nil)
        if let inputGradient {
            normalisation.pixelGradient(dInput.p, count: a.pixels, into: inputGradient)
        }
    }

    func reluBackward(_ d: Buffer, pre z: Buffer, rule: ReLURule) {
        switch rule {
        case .forwardMask: for i in 0..<d.count where !(z[i] > 0) { d[i] = 0 }
        case .rectifySignal: for i in 0..<d.count where d[i] < 0 { d[i] = 0 }
        }
    }

    func denseBackward(_ dz: UnsafePointer<Float>, input: UnsafePointer<Float>, inputs: Int, outputs: Int,
                       weights: UnsafePointer<Float>, dWeights: UnsafeMutablePointer<Float>?,
                       dBias: UnsafeMutablePointer<Float>?, dInput: UnsafeMutablePointer<Float>) {
        for i in 0..<inputs { dInput[i] = 0 }
        for o in 0..<outputs {
            let d = dz[o], row = weights + o &* inputs
            if let dWeights { let gr = dWeights + o &* inputs; for i in 0..<inputs { gr[i] = d * input[i] } }
            if let dBias { dBias[o] = d }
            for i in 0..<inputs { dInput[i] += d * row[i] }
        }
    }

    /// dW[o][i][ky][kx] = sum_{y,x} dz[o][y][x] in[i][y+ky][x+kx];  db[o] = sum dz[o];
    /// dIn[i][y+ky][x+kx] += W[o][i][ky][kx] dz[o][y][x].
    func convBackward(_ dz: UnsafePointer<Float>, input: UnsafePointer<Float>, channels: Int, side: Int,
                      outChannels: Int, weights: UnsafePointer<Float>, dWeights: UnsafeMutablePointer<Float>?,
                      dBias: UnsafeMutablePointer<Float>?, dInput: UnsafeMutablePointer<Float>?) {
        let k = architecture.kernel, outSide = side &- k &+ 1, area = outSide &* outSide
        if let dInput { for i in 0..<channels &* side &* side { dInput[i] = 0 } }
        for o in 0..<outChannels {
            let d = dz + o &* area
            if let dBias { var s: Float = 0; for j in 0..<area { s += d[j] }; dBias[o] = s }
            for i in 0..<channels {
                let plane = input + i &* side &* side
                for ky in 0..<k {
                    for kx in 0..<k {
                        let wi = ((o &* channels &+ i) &* k &+ ky) &* k &+ kx
                        if let dWeights {
                            var s: Float = 0
                            for y in 0..<outSide {
                                let row = plane + ((y &+ ky) &* side &+ kx), dr = d + y &* outSide
                                for x in 0..<outSide { s += dr[x] * row[x] }
                            }
                            dWeights[wi] = s
                        }
                        if let dInput {
                            let wv = weights[wi], dplane = dInput + i &* side &* side
                            for y in 0..<outSide {
                                let row = dplane + ((y &+ ky) &* side &+ kx), dr = d + y &* outSide
                                for x in 0..<outSide { row[x] += wv * dr[x] }
                            }
                        }
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
