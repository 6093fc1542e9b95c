import Engine
import Foundation
import Random

/// Settings of the "garbage" images of figure 7 (after Nguyen, Yosinski & Clune, 2015).
///
/// Method: start from uniform noise in [0, 1] (one seeded stream per class) and minimise
///
///     NLL(net(x), k) + lambda ||x - x0||^2     over x in [0, 1]^n
///
/// by L-BFGS-B with the box as bounds, stopping at the first iterate whose p(k | x) reaches
/// `confidence`. Stopping there (rather than at convergence) keeps the image close to its noise.
public struct FoolingSettings: Codable, Hashable, Sendable {
    public var confidence: Double
    /// lambda: pull towards the starting noise (0: none).
    public var noisePull: Double
    public var optimizer: LBFGSBSettings

    public init(confidence: Double = 0.996, noisePull: Double = 0,
                optimizer: LBFGSBSettings = LBFGSBSettings(memory: 15, factr: 1e7, pgtol: 1e-5, maxEvaluations: 500)) {
        self.confidence = confidence
        self.noisePull = noisePull
        self.optimizer = optimizer
    }
}

/// One fooling image and how it was reached.
public struct FoolingImage: Codable, Equatable, Sendable {
    public var label: Int
    public var pixels: [Float]
    /// p(label | pixels).
    public var confidence: Double
    /// The requested confidence was reached.
    public var reached: Bool
    public var iterations: Int
    public var evaluations: Int
    /// ||x - x0||_2 from the starting noise.
    public var distanceFromNoise: Double
    public var stop: LBFGSBStop
}

/// One fooling image per class; class k starts from the noise of `rng.child("class-k")`.
public func makeFoolingImages(network: Network, settings: FoolingSettings = FoolingSettings(),
                              rng: RandomStream) throws -> [FoolingImage] {
    try settings.optimizer.validate()
    guard settings.confidence > 0, settings.confidence < 1 else {
        throw AttackError.invalidSetting("fooling confidence must be in (0, 1), got \(settings.confidence)")
    }
    guard settings.noisePull >= 0 else { throw AttackError.invalidSetting("noisePull must be >= 0, got \(settings.noisePull)") }
    let a = network.architecture
    return try (0..<a.classes).map { label in
        var stream = rng.child("class-\(label)")
        let noise = (0..<a.pixels).map { _ in Double(stream.nextFloat()) }
        return try foolingImage(network: network, label: label, noise: noise, settings: settings)
    }
}

func foolingImage(network: Network, label: Int, noise: [Double], settings: FoolingSettings) throws -> FoolingImage {
    let n = noise.count, lambda = settings.noisePull
    var x = [Float](repeating: 0, count: n), gradient = x
    func confidence(_ point: UnsafeBufferPointer<Double>) -> Double {
        for i in 0..<n { x[i] = Float(point[i]) }
        return Double(exp(network.forward(x)[label]))
    }
    let result = try minimizeLBFGSB(start: noise, lower: Array(repeating: 0, count: n), upper: Array(repeating: 1, count: n),
                                    settings: settings.optimizer,
                                    stopWhen: { point, _ in confidence(point) >= settings.confidence }) { point, g in
        for i in 0..<n { x[i] = Float(point[i]) }
        let loss = x.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { network.lossAndInputGradient(p.baseAddress!, label: label, gradient: $0.baseAddress!) }
        }
        // f = NLL + lambda sum (x_i - x0_i)^2,  df/dx_i = dNLL/dx_i + 2 lambda (x_i - x0_i).
        var pull = 0.0
        for i in 0..<n {
            let d = point[i] - noise[i]
            pull += d * d
            g[i] = Double(gradient[i]) + 2 * lambda * d
        }
        return Double(loss) + lambda * pull
    }
    let pixels = result.x.map { Float($0) }
    let reached = result.x.withUnsafeBufferPointer { confidence($0) }
    let distance = zip(result.x, noise).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    return FoolingImage(label: label, pixels: pixels, confidence: reached, reached: reached >= settings.confidence,
                        iterations: result.iterations, evaluations: result.evaluations, distanceFromNoise: distance,
                        stop: result.stop)
}
