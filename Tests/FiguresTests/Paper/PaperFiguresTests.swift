import Foundation
import XCTest
@testable import Figures

final class PaperFiguresTests: XCTestCase {
    /// Every figure, from realistic synthetic inputs.
    static func allFigures() throws -> [Figure] {
        var s = try Samples()
        let pair = s.pair(0, target: 3)
        return [
            try figure1AdversarialPair(pair),
            try figure2PerturbationRenderings(pair),
            try figure3Neuron(),
            try figure4MLP(),
            try figure5Convolution(ConvolutionExample(
                input: Samples.padded(pair.original).map { ($0 - 0.13) / 0.31 }, inputSide: 32,
                inputDescription: "a 7, zero-padded to 32×32 and normalised", kernel: s.values(25, scale: 0.25),
                bias: -0.05, channel: 12, patchRow: 9, patchColumn: 11)),
            try figure6Network(Samples.network),
            try figure7FoolingImages(FoolingImages(
                images: (0..<10).map { _ in s.values(784, scale: 0.3).map { min(1, max(0, 0.5 + $0)) } },
                classes: Array(0..<10), confidences: (0..<10).map { _ in 0.996 + s.rng.uniform() * 0.004 },
                method: "gradient ascent from uniform noise")),
            try figure8PairsGallery((1...5).map { s.pair($0, target: ($0 * 3) % 10) }, drawnFrom: 208),
            try figure9FeatureMaps(s.featureMaps(pair)),
            try figure10FullyConnected(s.fullyConnected(pairs: 208)),
            try figure11GroupProjections(GroupProjections(
                group: "9 → 1", choice: "as in the paper", method: "gradient back-projection", layer: "conv2",
                members: (10..<14).map { i in
                    let p = s.pair(i, target: 1)
                    return ProjectionMember(original: p.original, adversarial: p.adversarial,
                                            originalProjection: s.projection(p.original), adversarialProjection: s.projection(p.adversarial))
                })),
            try figure12UnitProjections(UnitProjectionDifferences(
                group: "0 → 9", choice: "as in the paper", method: "gradient back-projection", layer: "conv2", members: 3,
                differences: (0..<64).map { u in s.projection(s.digits.pixels(3)).map { $0 * Float(u % 7) / 6 } })),
            try figure13SelectionRates(SelectionRates(
                run: "SD 0.5 on conv2 and on fc, grouping Both, lr 0.001",
                conv2: (0..<64).map { _ in min(1, pow(s.rng.uniform(), 0.6)) }, conv2RetainedFraction: 0.5,
                fc: (0..<200).map { _ in min(1, pow(s.rng.uniform(), 2)) }, fcRetainedFraction: 0.5)),
        ]
    }

    /// Renders every figure into $FIGURES_OUT (for looking at them) when that variable is set.
    func testWritesFiguresForInspectionWhenAsked() throws {
        guard let out = ProcessInfo.processInfo.environment["FIGURES_OUT"] else { throw XCTSkip("FIGURES_OUT not set") }
        let dir = URL(fileURLWithPath: out)
        for figure in try Self.allFigures() {
            let record = try figure.write(figures: dir, data: dir.appendingPathComponent("data"))
            print("figure \(record.number): \(record.caption)")
        }
    }
}
