@testable import Engine
import Random
import XCTest

/// Central finite differences against the analytic backward pass, on the tiny architecture
/// (every parameter of every layer) and on the paper's (a sample per layer).
final class GradientCheckTests: XCTestCase {
    /// A random net and a random padded image: a zero border as the data layer pads it, or
    /// (`inkedBorder`) random values on every padded pixel, as an attack may leave them.
    func makeNetwork(_ arch: Architecture, seed: UInt64, inkedBorder: Bool = false) -> (Network, [Float], Int) {
        var rng = RandomStream(seed: seed)
        let model = Model.torchDefault(arch, normalisation: Normalisation(mean: 0.1, std: 0.3), rng: &rng)
        let pixels = inkedBorder ? (0..<arch.pixels).map { _ in rng.nextFloat() }
            : arch.pad((0..<arch.imagePixels).map { _ in rng.nextFloat() })
        return (Network(model), pixels, rng.nextInt(below: arch.classes))
    }

    func loss(_ net: Network, _ pixels: [Float], _ label: Int) -> Double {
        Double(-net.forward(pixels)[label])
    }

    /// |analytic - numeric| <= 2e-3 * max(1, |numeric|), with a step of 1e-2 in Float.
    func assertClose(_ analytic: Float, _ numeric: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(Double(analytic) - numeric), 2e-3 * max(1, abs(numeric)),
                                 "\(what): analytic \(analytic), numeric \(numeric)", file: file, line: line)
    }

    func testEveryParameterGradientOfTheTinyNetMatchesFiniteDifferences() {
        let (net, pixels, label) = makeNetwork(.tiny, seed: 11)
        let analytic = net.parameterGradient(pixels, label: label)
        let h: Float = 1e-2
        for i in 0..<net.architecture.parameterCount {
            let original = net.parameters[i]
            net.parameters[i] = original + h; let up = loss(net, pixels, label)
            net.parameters[i] = original - h; let down = loss(net, pixels, label)
            net.parameters[i] = original
            assertClose(analytic[i], (up - down) / Double(2 * h), "parameter \(i)")
        }
    }

    func testInputGradientOfTheTinyNetMatchesFiniteDifferences() {
        let (net, pixels, label) = makeNetwork(.tiny, seed: 12, inkedBorder: true)
        var gradient = [Float](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { _ = net.lossAndInputGradient(p.baseAddress!, label: label, gradient: $0.baseAddress!) }
        }
        let h: Float = 1e-2
        for i in 0..<pixels.count {
            var up = pixels, down = pixels
            up[i] += h; down[i] -= h
            assertClose(gradient[i], (loss(net, up, label) - loss(net, down, label)) / Double(2 * h), "pixel \(i)")
        }
    }

    func testSampledParameterGradientsOfThePaperNetMatchFiniteDifferences() {
        let (net, pixels, label) = makeNetwork(.paper, seed: 13)
        let a = net.architecture
        let analytic = net.parameterGradient(pixels, label: label)
        let layers = [a.conv1WeightOffset, a.conv1BiasOffset, a.conv2WeightOffset, a.conv2BiasOffset,
                      a.fc1WeightOffset, a.fc1BiasOffset, a.fc2WeightOffset, a.fc2BiasOffset, a.parameterCount]
        var rng = RandomStream(seed: 99)
        // A smaller step: 784 conv positions make ReLU and max-pool kinks likely within +-1e-2.
        let h: Float = 1e-3
        for l in 0..<layers.count - 1 {
            for _ in 0..<8 {
                let i = layers[l] + rng.nextInt(below: layers[l + 1] - layers[l])
                let original = net.parameters[i]
                net.parameters[i] = original + h; let up = loss(net, pixels, label)
                net.parameters[i] = original - h; let down = loss(net, pixels, label)
                net.parameters[i] = original
                assertClose(analytic[i], (up - down) / Double(2 * h), "layer \(l) parameter \(i)")
            }
        }
    }
}
