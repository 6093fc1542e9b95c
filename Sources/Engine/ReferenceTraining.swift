extension ReferenceNetwork {
    /// One SGD step on one image: forward, NLL loss, backward, update by `optimizer`.
    @discardableResult
    public func trainStep(_ pixels: UnsafePointer<Float>, label: Int, optimizer: SGD, mask: UnitMask? = nil) -> StepResult {
        guard let mask else { return plainStep(pixels, label: label, optimizer: optimizer, blocked: nil) }
        precondition(mask.retained.count == architecture.width(of: mask.layer))
        switch mask.mode {
        case .gradientMask:
            let blocked = mask.retained.map { !$0 }
            return blocked.withUnsafeBufferPointer {
                plainStep(pixels, label: label, optimizer: optimizer, blocked: (mask.layer, $0.baseAddress!))
            }
        case .switchOff:
            let rows = incomingRows(of: mask.layer)
            var saved = [Float](repeating: 0, count: mask.retained.count * rows.length)
            return saved.withUnsafeMutableBufferPointer { saved in
                mask.withSwitchedOffRows(in: parameters.baseAddress!, rows: rows, saved: saved.baseAddress!) {
                    plainStep(pixels, label: label, optimizer: optimizer, blocked: nil)
                }
            }
        }
    }

    /// Convenience for arrays.
    @discardableResult
    public func trainStep(_ pixels: [Float], label: Int, optimizer: SGD, mask: UnitMask? = nil) -> StepResult {
        pixels.withUnsafeBufferPointer { trainStep($0.baseAddress!, label: label, optimizer: optimizer, mask: mask) }
    }

    func plainStep(_ pixels: UnsafePointer<Float>, label: Int, optimizer: SGD,
                   blocked: (UnitLayer, UnsafePointer<Bool>)?) -> StepResult {
        forward(pixels)
        let result = StepResult(loss: -logProbs[label], correct: predictedClass == label)
        backwardFromLoss(label: label, parameterGradients: true, inputGradient: nil,
                         blockedLayer: blocked?.0, blocked: blocked?.1)
        optimizer.update(parameters.baseAddress!, gradients.baseAddress!, range: 0..<architecture.parameterCount,
                         rate: optimizer.currentLearningRate)
        optimizer.finishStep()
        return result
    }

    /// The incoming weight rows of a layer's units: unit j owns `length` values from
    /// `offset + j * length` (a conv2 filter, or an fc1 weight row).
    public func incomingRows(of layer: UnitLayer) -> (offset: Int, length: Int) {
        let a = architecture
        switch layer {
        case .conv1: return (a.conv1WeightOffset, a.kernel * a.kernel)
        case .conv2: return (a.conv2WeightOffset, a.conv1Channels * a.kernel * a.kernel)
        case .fc: return (a.fc1WeightOffset, a.flatSize)
        }
    }

    /// NLL(net(x), label) and its gradient with respect to the pixels of x (the attack's oracle).
    /// Returns the loss; the log-probabilities stay readable in `logProbabilities`.
    @discardableResult
    public func lossAndInputGradient(_ pixels: UnsafePointer<Float>, label: Int,
                                     gradient: UnsafeMutablePointer<Float>) -> Float {
        forward(pixels)
        backwardFromLoss(label: label, parameterGradients: false, inputGradient: gradient)
        return -logProbs[label]
    }

    /// Gradient of NLL(net(x), label) with respect to every parameter (tests, analyses).
    public func parameterGradient(_ pixels: [Float], label: Int) -> [Float] {
        forward(pixels)
        backwardFromLoss(label: label, parameterGradients: true, inputGradient: nil)
        return Array(gradients)
    }

    /// Projects a signal placed on `layer`'s post-ReLU activation back to input pixels, through
    /// the last forward pass's max-pool switches, crossing each ReLU by `rule`. Seeding with one
    /// unit's own activation (others zero) gives that unit's projection.
    public func project(from layer: UnitLayer, seed: [Float], rule: ReLURule) -> [Float] {
        let target: Buffer
        switch layer {
        case .conv1: target = dA1
        case .conv2: target = dA2
        case .fc: target = dA3
        }
        precondition(seed.count == target.count, "seed has \(seed.count) values, layer has \(target.count)")
        for i in 0..<seed.count { target[i] = seed[i] }
        var out = [Float](repeating: 0, count: architecture.pixels)
        let start: BackwardStart = layer == .conv1 ? .conv1 : layer == .conv2 ? .conv2 : .fc
        out.withUnsafeMutableBufferPointer {
            propagate(from: start, rule: rule, parameterGradients: false, inputGradient: $0.baseAddress!)
        }
        return out
    }
}
