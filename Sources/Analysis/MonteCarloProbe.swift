import StudyTypes
import Engine
import Random

/// How the samples of one level were classified.
public struct LevelCounts: Codable, Equatable, Sendable {
    public var level: Int
    /// The requested noise std (pixel units; 0 for resampled noise).
    public var noiseStd: Double
    /// Mean over samples of the std of (clipped image - centre): the noise that arrived.
    public var actualNoiseStd: Double
    public var original: Int
    public var target: Int
    public var other: Int

    public var samples: Int { original + target + other }
}

/// One pair's curve for one centre and noise (levels ascending).
public struct ProbeCurve: Codable, Equatable, Sendable {
    public var centre: ProbeCentre
    public var noise: ProbeNoise
    public var levels: [LevelCounts]
}

/// Monte-Carlo probing of the neighbourhood of one pair, on several networks at once: each noisy
/// image is drawn once and classified by every network, so the networks are compared on the
/// same samples (common random numbers).
///
/// Per centre, noise and level: `samplesPerLevel` images centre + noise, clipped to [0, 1]
/// (the author's bounds: every pixel inside [0, 255] bytes); Gaussian noise has r's mean and the
/// level's std (`MonteCarloSettings.standardDeviation`), resampled noise draws each pixel from
/// r's values with replacement. Every draw comes from `rng`'s children named by centre and noise.
public func probePair(_ pair: AdversarialPair, networks: [Network], settings: MonteCarloSettings,
                      rng: RandomStream) -> [[ProbeCurve]] {
    let n = pair.original.count
    let r: [Double] = zip(pair.adversarial, pair.original).map { Double($0) - Double($1) }
    let mean: Double = r.reduce(0, +) / Double(n)
    // Torch's std: sqrt(sum (r - mean)^2 / (n - 1))
    var squares = 0.0
    for v in r { squares += (v - mean) * (v - mean) }
    let std = (squares / Double(max(n - 1, 1))).squareRoot()
    let samples = settings.samplesPerLevel
    var batch = [Float](repeating: 0, count: n * samples)
    var out = [[ProbeCurve]](repeating: [], count: networks.count)
    for centre in settings.centres {
        let base = centre == .adversarial ? pair.adversarial : pair.original
        for noise in settings.noises {
            var stream = rng.child("\(centre.rawValue)-\(noise.rawValue)")
            var curves = [[LevelCounts]](repeating: [], count: networks.count)
            for level in settings.levels(noise) {
                let sd = noise == .gaussian ? settings.standardDeviation(level: level, perturbationStd: std) : 0
                var counts = [LevelCounts](repeating: LevelCounts(level: level, noiseStd: sd, actualNoiseStd: 0,
                                                                  original: 0, target: 0, other: 0),
                                           count: networks.count)
                var actual = 0.0
                for j in 0..<samples {
                    for i in 0..<n {
                        let d = noise == .gaussian ? mean + sd * stream.nextGaussian() : r[stream.nextInt(below: n)]
                        batch[j &* n &+ i] = Float(min(max(Double(base[i]) + d, 0), 1))
                    }
                    actual += realisedStd(batch[j &* n ..< (j &+ 1) &* n], base)
                }
                for (k, net) in networks.enumerated() {
                    for c in batch.withUnsafeBufferPointer({ net.classify($0.baseAddress!, count: samples) }) {
                        if c == pair.trueLabel { counts[k].original += 1 }
                        else if c == pair.targetLabel { counts[k].target += 1 }
                        else { counts[k].other += 1 }
                    }
                }
                for k in counts.indices {
                    counts[k].actualNoiseStd = actual / Double(max(samples, 1))
                    curves[k].append(counts[k])
                }
            }
            for k in networks.indices { out[k].append(ProbeCurve(centre: centre, noise: noise, levels: curves[k])) }
        }
    }
    return out
}

/// std (n - 1) of image - centre.
func realisedStd(_ image: ArraySlice<Float>, _ centre: [Float]) -> Double {
    let n = Double(image.count)
    var s = 0.0, s2 = 0.0
    for (x, c) in zip(image, centre) { let d = Double(x) - Double(c); s += d; s2 += d * d }
    return max(0, (s2 - s * s / n) / max(n - 1, 1)).squareRoot()
}
