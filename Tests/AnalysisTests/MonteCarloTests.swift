@testable import Analysis
import Engine
import Random
import StudyTypes
import XCTest

final class MonteCarloTests: XCTestCase {
    func testWilsonIntervalMatchesPublishedValues() {
        // Wilson (1927) score intervals at z = 1.96, as tabulated e.g. by Newcombe (1998).
        let half = WilsonInterval(successes: 5, trials: 10)
        XCTAssertEqual(half.lower, 0.2366, accuracy: 1e-4)
        XCTAssertEqual(half.upper, 0.7634, accuracy: 1e-4)
        let none = WilsonInterval(successes: 0, trials: 10)
        XCTAssertEqual(none.lower, 0, accuracy: 1e-12)
        XCTAssertEqual(none.upper, 3.8416 / 13.8416, accuracy: 1e-4)
        let all = WilsonInterval(successes: 10, trials: 10)
        XCTAssertEqual(all.lower, 10 / 13.8416, accuracy: 1e-4)
        XCTAssertEqual(all.upper, 1, accuracy: 1e-12)
        let newcombe = WilsonInterval(successes: 81, trials: 263)
        XCTAssertEqual(newcombe.lower, 0.2553, accuracy: 1e-4)
        XCTAssertEqual(newcombe.upper, 0.3662, accuracy: 1e-4)
        XCTAssertEqual(WilsonInterval(successes: 0, trials: 0).upper, 1)
    }

    func testNoiseScheduleShrinksByPointNinePerLevelOnTopOfPowersOfTwo() {
        let s = MonteCarloSettings()
        XCTAssertEqual(s.levels(.gaussian), Array(-5...5))
        XCTAssertEqual(s.levels(.resampled), [0])
        // level i: std(r) * 2^i * 0.9^(i + 5)
        XCTAssertEqual(s.standardDeviation(level: -5, perturbationStd: 2), 2.0 / 32, accuracy: 1e-15)
        XCTAssertEqual(s.standardDeviation(level: -4, perturbationStd: 2), 2 * 0.9 / 16, accuracy: 1e-15)
        XCTAssertEqual(s.standardDeviation(level: 0, perturbationStd: 2), 2 * 0.59049, accuracy: 1e-12)
        XCTAssertEqual(s.standardDeviation(level: 5, perturbationStd: 2), 2 * 32 * pow(0.9, 10), accuracy: 1e-12)
        XCTAssertEqual(s.forwardsPerPair, 2 * 12 * 100)
    }

    func tinyPair() -> (Network, AdversarialPair) {
        var rng = RandomStream(seed: 3)
        let model = Model.torchDefault(.tiny, normalisation: Normalisation(mean: 0.3, std: 0.3), rng: &rng)
        let original = (0..<Architecture.tiny.pixels).map { _ in Float(0.5) }
        let adversarial = original.enumerated().map { $0.offset % 7 == 0 ? Float(0.6) : $0.element }
        return (Network(model), AdversarialPair(original: original, adversarial: adversarial, trueLabel: 0, targetLabel: 1))
    }

    func testProbeCountsEverySampleAndRealisesTheRequestedNoiseWhereNothingClips() {
        var settings = MonteCarloSettings()
        settings.samplesPerLevel = 40
        let (net, pair) = tinyPair()
        let curves = probePair(pair, networks: [net, net], settings: settings, rng: RandomStream(seed: 9))
        XCTAssertEqual(curves.count, 2)
        XCTAssertEqual(curves[0], curves[1], "both networks see the same samples")
        XCTAssertEqual(curves[0].map { "\($0.centre)-\($0.noise)" },
                       ["adversarial-gaussian", "adversarial-resampled", "original-gaussian", "original-resampled"])
        let r = zip(pair.adversarial, pair.original).map { Double($0) - Double($1) }
        let n = Double(r.count)
        let mean = r.reduce(0, +) / n
        let std = (r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        for curve in curves[0] {
            XCTAssertEqual(curve.levels.count, curve.noise == .gaussian ? 11 : 1)
            for l in curve.levels { XCTAssertEqual(l.samples, 40) }
        }
        // From the original (all pixels 0.5), levels up to 0 never reach the box (std <= 0.03).
        for l in curves[0][2].levels where l.level <= 0 {
            XCTAssertEqual(l.noiseStd, settings.standardDeviation(level: l.level, perturbationStd: std), accuracy: 1e-12)
            XCTAssertEqual(l.actualNoiseStd, l.noiseStd, accuracy: 0.05 * l.noiseStd)
        }
        let again = probePair(pair, networks: [net], settings: settings, rng: RandomStream(seed: 9))
        XCTAssertEqual(again[0], curves[0], "seeded")
    }

    func testSummaryPoolsSharesOverPairs() {
        var settings = MonteCarloSettings()
        settings.samplesPerLevel = 10
        let (net, pair) = tinyPair()
        let curves = (0..<3).map { probePair(pair, networks: [net], settings: settings, rng: RandomStream(seed: UInt64($0)))[0] }
        let summary = MonteCarloNetworkSummary(curves: curves)
        XCTAssertEqual(summary.levels.count, 2 * 12)
        for l in summary.levels {
            XCTAssertEqual(l.original.pooled.trials, 30)
            XCTAssertEqual(l.original.pooled.successes + l.target.pooled.successes + l.other.pooled.successes, 30)
        }
    }

    func testDistortionMomentsFollowTheAuthorsFormulas() {
        // r in bytes: 255 * (adv - orig) = [0, 0, 0, 51] -> d = r - 12.75
        let original = [Float](repeating: 0, count: 4)
        let adversarial: [Float] = [0, 0, 0, 0.2]
        let m = DistortionMoments(original: original, adversarial: adversarial, datasetMeanByte: 33)
        let d: [Double] = [-12.75, -12.75, -12.75, 38.25]
        let s2 = d.map { $0 * $0 }.reduce(0, +), s3 = d.map { $0 * $0 * $0 }.reduce(0, +), s4 = d.map { pow($0, 4) }.reduce(0, +)
        XCTAssertEqual(m.mean, 12.75, accuracy: 1e-4)
        XCTAssertEqual(m.csvMean, 45.75, accuracy: 1e-4)
        XCTAssertEqual(m.std, (s2 / 3).squareRoot(), accuracy: 1e-4)
        XCTAssertEqual(m.skewness, (s3 / 4) / pow(s2 / 3, 1.5), accuracy: 1e-6)
        XCTAssertEqual(m.excessKurtosis, 4 * s4 / (s2 * s2) - 3, accuracy: 1e-6)
        XCTAssertEqual(m.l2, 0.2, accuracy: 1e-6)
        XCTAssertEqual(m.linf, 0.2, accuracy: 1e-6)
    }
}
