@testable import Engine
import Random
import XCTest

/// Checks written so that a wrong engine fails them: gradients by relative error where they are
/// large (with a guard that enough of them are), pool2 with several windows and Torch's flatten
/// order, the gradient-mask ablation's blocked gradient, and Torch's default dampening.
final class TestsThatCanFailTests: XCTestCase {
    /// 16x16 images padded to 20x20, 3x3 kernels: conv1 18x18 -> pool1 6x6 -> conv2 4x4 ->
    /// pool2 2x2, so pool2 has four windows per channel and the fc reads 3 x 2 x 2 = 12 values.
    static let windows = Architecture(imageSide: 16, padding: 2, kernel: 3, conv1Channels: 2, pool1: 3,
                                      conv2Channels: 3, pool2: 2, hidden: 5, classes: 3)

    func makeNetwork(_ arch: Architecture, seed: UInt64) -> (Network, [Float], Int) {
        var rng = RandomStream(seed: seed)
        let model = Model.torchDefault(arch, normalisation: Normalisation(mean: 0.1, std: 0.3), rng: &rng)
        return (Network(model), arch.pad((0..<arch.imagePixels).map { _ in rng.nextFloat() }), rng.nextInt(below: arch.classes))
    }

    func loss(_ net: Network, _ pixels: [Float], _ label: Int) -> Double { Double(-net.forward(pixels)[label]) }

    /// Compares analytic gradients with central differences at steps h (`coarse`) and h/2
    /// (`fine`): by relative error (<= 2%) where max(|analytic|, |fine|) >= `large`, by absolute
    /// error (<= `large` / 10) elsewhere. An entry whose two differences disagree by more than 1%
    /// has a ReLU or max-pool kink within the step and is skipped, but at most a tenth of the
    /// large ones may be; and at least `minimumLarge` entries must be compared relatively (a
    /// gradient that is zero almost everywhere would otherwise pass).
    func assertGradientsMatch(_ analytic: [Float], coarse: [Double], fine: [Double], large: Double, minimumLarge: Int,
                              _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        var compared = 0, kinks = 0
        for i in analytic.indices {
            let a = Double(analytic[i]), n = fine[i], scale = max(abs(a), abs(n))
            if abs(coarse[i] - fine[i]) > 0.01 * scale + large / 20 {
                kinks += 1
                continue
            }
            if scale >= large {
                compared += 1
                XCTAssertLessThanOrEqual(abs(a - n) / scale, 2e-2, "\(what) \(i): analytic \(a), numeric \(n)", file: file, line: line)
            } else {
                XCTAssertLessThanOrEqual(abs(a - n), large / 10, "\(what) \(i): analytic \(a), numeric \(n)", file: file, line: line)
            }
        }
        XCTAssertGreaterThanOrEqual(compared, minimumLarge, "\(what): too few large gradient entries to test (\(kinks) at kinks)",
                                    file: file, line: line)
        XCTAssertLessThanOrEqual(kinks * 10, compared, "\(what): \(kinks) entries at kinks, \(compared) compared", file: file, line: line)
    }

    func testTheTestArchitectureHasSeveralPool2Windows() {
        XCTAssertEqual(Self.windows.pool2Side, 2)
        XCTAssertEqual(Self.windows.flatSize, 12)
        XCTAssertEqual(Architecture.paper.pool2Side, 2, "the paper's pool2 reads 2x2 windows of a 5x5 map")
    }

    func testEveryParameterGradientWithSeveralPool2WindowsMatchesFiniteDifferencesByRelativeError() {
        let (net, pixels, label) = makeNetwork(Self.windows, seed: 21)
        let analytic = net.parameterGradient(pixels, label: label)
        func numeric(_ h: Float) -> [Double] {
            (0..<net.architecture.parameterCount).map { i -> Double in
                let original = net.parameters[i]
                net.parameters[i] = original + h; let up = loss(net, pixels, label)
                net.parameters[i] = original - h; let down = loss(net, pixels, label)
                net.parameters[i] = original
                return (up - down) / Double(2 * h)
            }
        }
        let nonZero = analytic.filter { $0 != 0 }.count
        XCTAssertGreaterThan(Double(nonZero), 0.5 * Double(analytic.count), "most parameters must receive a gradient")
        assertGradientsMatch(analytic, coarse: numeric(2e-3), fine: numeric(1e-3), large: 1e-2,
                             minimumLarge: analytic.count / 5, "parameter")
        // Every layer's weights take part, including the fc weights of every pool2 window.
        let a = net.architecture
        for (name, range) in [("conv1", a.conv1WeightOffset..<a.conv1BiasOffset), ("conv2", a.conv2WeightOffset..<a.conv2BiasOffset),
                              ("fc1", a.fc1WeightOffset..<a.fc1BiasOffset), ("fc2", a.fc2WeightOffset..<a.fc2BiasOffset)] {
            XCTAssertTrue(range.contains { abs(analytic[$0]) >= 1e-2 }, "\(name) has no large gradient entry")
        }
    }

    func testTheInputGradientMatchesFiniteDifferencesByRelativeError() {
        let (net, pixels, label) = makeNetwork(Self.windows, seed: 22)
        var gradient = [Float](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { _ = net.lossAndInputGradient(p.baseAddress!, label: label, gradient: $0.baseAddress!) }
        }
        func numeric(_ h: Float) -> [Double] {
            pixels.indices.map { i -> Double in
                var up = pixels, down = pixels
                up[i] += h; down[i] -= h
                return (loss(net, up, label) - loss(net, down, label)) / Double(2 * h)
            }
        }
        assertGradientsMatch(gradient, coarse: numeric(1e-2), fine: numeric(5e-3), large: 2e-3, minimumLarge: 20, "pixel")
    }

    /// The fc reads the pooled maps channel-major, then row, then column (Torch's `view`):
    /// flat index c * side^2 + y * side + x holds the maximum of conv2 map c over window (y, x).
    func testTheFcReadsEachPool2WindowInTorchsFlattenOrder() {
        let a = Self.windows
        let (net, pixels, _) = makeNetwork(a, seed: 23)
        _ = net.forward(pixels)
        let maps = net.activation(.conv2)  // post-ReLU, full conv2Side x conv2Side maps, channel-major
        let side = a.pool2Side, mapSide = a.conv2Side
        var pooled: [Float] = []
        for c in 0..<a.conv2Channels {
            for y in 0..<side {
                for x in 0..<side {
                    var m = -Float.infinity
                    for dy in 0..<a.pool2 { for dx in 0..<a.pool2 {
                        m = max(m, maps[c * mapSide * mapSide + (y * a.pool2 + dy) * mapSide + x * a.pool2 + dx])
                    } }
                    pooled.append(m)
                }
            }
        }
        XCTAssertGreaterThan(Set(pooled).count, 6, "the pooled values must differ for the order to be visible")
        // fc unit j reads flat index k alone (weight 1, bias 0): its pre-ReLU value is pooled[k].
        for k in 0..<a.flatSize {
            for j in 0..<a.hidden {
                for i in 0..<a.flatSize { net.parameters[a.fc1WeightOffset + j * a.flatSize + i] = i == (k + j) % a.flatSize ? 1 : 0 }
                net.parameters[a.fc1BiasOffset + j] = 0
            }
            _ = net.forward(pixels)
            let fc = net.activation(.fc, preReLU: true)
            for j in 0..<a.hidden { XCTAssertEqual(fc[j], pooled[(k + j) % a.flatSize], "fc unit \(j) reading flat index \((k + j) % a.flatSize)") }
        }
    }

    func testTheGradientMaskBlocksTheGradientThroughMaskedUnits() throws {
        let a = Self.windows
        let (start, pixels, label) = makeNetwork(a, seed: 24)
        let model = Model(architecture: a, normalisation: Normalisation(mean: 0.1, std: 0.3),
                          parameters: Array(start.parameters))
        for layer in [UnitLayer.conv2, .fc] {
            let width = a.width(of: layer)
            // Which units this image drives (a silent ReLU unit gets no gradient anyway).
            let probe = Network(model)
            _ = probe.forward(pixels)
            let values = probe.activation(layer)
            let size = values.count / width
            let active = (0..<width).map { j in values[(j * size)..<((j + 1) * size)].contains { $0 > 0 } }
            let blocked = try XCTUnwrap(active.firstIndex(of: true), "\(layer): no active unit")
            XCTAssertGreaterThan(active.filter { $0 }.count, 1, "\(layer): a retained active unit is needed")
            let retained = (0..<width).map { $0 != blocked }
            let net = Network(model)
            let before = Array(net.parameters)
            net.trainStep(pixels, label: label, optimizer: SGD(settings: .plain(0.5), parameterCount: a.parameterCount),
                          mask: UnitMask(layer: layer, retained: retained, mode: .gradientMask))
            let after = Array(net.parameters)
            let (offset, length) = net.incomingRows(of: layer)
            let bias = layer == .fc ? a.fc1BiasOffset : a.conv2BiasOffset
            for j in 0..<width {
                let row = (offset + j * length)..<(offset + (j + 1) * length)
                if retained[j] && active[j] {
                    XCTAssertNotEqual(Array(after[row]), Array(before[row]), "\(layer) unit \(j) is retained and must train")
                } else if !retained[j] {
                    XCTAssertEqual(Array(after[row]), Array(before[row]), "\(layer) unit \(j): no gradient may reach its weights")
                    XCTAssertEqual(after[bias + j], before[bias + j], "\(layer) unit \(j): no gradient may reach its bias")
                }
            }
            // Blocking an active unit also changes what reaches the layers below it.
            let free = Network(model)
            free.trainStep(pixels, label: label, optimizer: SGD(settings: .plain(0.5), parameterCount: a.parameterCount))
            XCTAssertNotEqual(Array(free.parameters[a.conv1WeightOffset..<a.conv1BiasOffset]),
                              Array(after[a.conv1WeightOffset..<a.conv1BiasOffset]), "\(layer): conv1 must see the blocked gradient")
        }
    }

    /// Torch's optim.sgd: dampening defaults to the momentum, so with a constant gradient g the
    /// velocity stays g (v2 = m g + (1 - m) g), where dampening 0 would give v2 = (1 + m) g.
    func testTorchsDefaultDampeningIsTheMomentum() {
        XCTAssertEqual(SGDSettings(learningRate: 0.1, momentum: 0.9).dampening, 0.9)
        XCTAssertEqual(SGDSettings(learningRate: 0.1, momentum: 0.9, dampening: 0).dampening, 0)
        XCTAssertEqual(SGDSettings(learningRate: 0.1).dampening, 0)
        let g: [Float] = [1, -2, 0.5]
        func twoSteps(_ settings: SGDSettings) -> [Float] {
            let sgd = SGD(settings: settings, parameterCount: 3)
            var x: [Float] = [0, 0, 0]
            for _ in 0..<2 {
                x.withUnsafeMutableBufferPointer { xp in
                    g.withUnsafeBufferPointer { sgd.update(xp.baseAddress!, $0.baseAddress!, range: 0..<3, rate: settings.learningRate) }
                }
                sgd.finishStep()
            }
            return x
        }
        let torch = twoSteps(SGDSettings(learningRate: 0.1, momentum: 0.9))
        let undamped = twoSteps(SGDSettings(learningRate: 0.1, momentum: 0.9, dampening: 0))
        for i in 0..<3 {
            XCTAssertEqual(torch[i], -2 * 0.1 * g[i], accuracy: 1e-6, "default: v stays g")
            XCTAssertEqual(undamped[i], -(1 + 1.9) * 0.1 * g[i], accuracy: 1e-6, "dampening 0: v2 = 1.9 g")
        }
    }
}
