/// The distortion statistics the author's `adversarial.lua` writes per image (its CSV columns
/// "Disturbance mean; Std; Kurtosis; Skewness"), of r = adversarial - original over all of a
/// pair's pixels, in byte units (r * 255).
///
/// The author's code converts r to bytes as an image (`r * std + mean`), so its CSV mean carries
/// the data set's mean byte value as an offset; `mean` here is r's own mean, and `csvMean` adds
/// that offset back (`datasetMeanByte`). Std is Torch's (n - 1); kurtosis is the population
/// excess kurtosis n sum d^4 / (sum d^2)^2 - 3; skewness mixes the two, as the code does:
/// (sum d^3 / n) / (sum d^2 / (n - 1))^(3/2). All four are invariant to the offset.
public struct DistortionMoments: Codable, Equatable, Sendable {
    public var mean: Double
    public var csvMean: Double
    public var std: Double
    public var skewness: Double
    public var excessKurtosis: Double
    /// ||r||_2 and ||r||_inf in [0, 1] pixel units, beside them.
    public var l2: Double
    public var linf: Double

    public init(original: [Float], adversarial: [Float], datasetMeanByte: Double) {
        precondition(original.count == adversarial.count && original.count > 1, "need two images of the same size")
        let bytes = zip(adversarial, original).map { 255 * (Double($0) - Double($1)) }
        let n = Double(bytes.count)
        let m = bytes.reduce(0, +) / n
        var s2 = 0.0, s3 = 0.0, s4 = 0.0
        // central moments: s_k = sum (d - m)^k
        for b in bytes {
            let d = b - m, d2 = d * d
            s2 += d2; s3 += d2 * d; s4 += d2 * d2
        }
        mean = m
        csvMean = m + datasetMeanByte
        std = (s2 / (n - 1)).squareRoot()
        skewness = s2 > 0 ? (s3 / n) / Foundation.pow(s2 / (n - 1), 1.5) : 0
        excessKurtosis = s2 > 0 ? n * s4 / (s2 * s2) - 3 : 0
        l2 = (bytes.reduce(0) { $0 + $1 * $1 }).squareRoot() / 255
        linf = (bytes.map(abs).max() ?? 0) / 255
    }
}

/// The moments of every pair, and their medians and quartiles over pairs.
public struct DistortionMomentsSummary: Codable, Equatable, Sendable {
    public var perPair: [DistortionMoments]
    public var mean: SampleSummary
    public var std: SampleSummary
    public var skewness: SampleSummary
    public var excessKurtosis: SampleSummary
    public var l2: SampleSummary
    public var linf: SampleSummary

    public init(pairs: [AdversarialPair], datasetMeanByte: Double) {
        precondition(!pairs.isEmpty, "no pairs")
        perPair = pairs.map { DistortionMoments(original: $0.original, adversarial: $0.adversarial, datasetMeanByte: datasetMeanByte) }
        mean = SampleSummary(perPair.map(\.mean), summing: .ascending)
        std = SampleSummary(perPair.map(\.std), summing: .ascending)
        skewness = SampleSummary(perPair.map(\.skewness), summing: .ascending)
        excessKurtosis = SampleSummary(perPair.map(\.excessKurtosis), summing: .ascending)
        l2 = SampleSummary(perPair.map(\.l2), summing: .ascending)
        linf = SampleSummary(perPair.map(\.linf), summing: .ascending)
    }
}

import StudyTypes
import Foundation
