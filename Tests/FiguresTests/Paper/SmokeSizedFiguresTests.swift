import StudyTypes
import XCTest
@testable import Figures

/// The `smoke` profile feeds tiny inputs: every figure must still render, not crash or come out blank.
final class SmokeSizedFiguresTests: XCTestCase {
    static func tinyFigures() throws -> [Figure] {
        var rng = LCG(seed: 3)
        func image(_ n: Int) -> [Float] { (0..<n).map { _ in Float(rng.uniform()) } }
        let pair = PairFigureInput(AdversarialPair(original: image(144), adversarial: image(144), trueLabel: 1, targetLabel: 2),
                             originalConfidence: 0.97, adversarialConfidence: 0.55)
        let member = ProjectionMember(original: image(144), adversarial: image(144),
                                      originalProjection: image(144).map { $0 - 0.5 }, adversarialProjection: image(144).map { 0.5 - $0 })
        return [
            try figure1AdversarialPair(pair),
            try figure2PerturbationRenderings(pair),
            try figure5Convolution(ConvolutionExample(input: image(256), inputSide: 16, inputDescription: "noise",
                                                      kernel: image(9).map { $0 - 0.5 }, kernelSide: 3, bias: 0.1, channel: 0,
                                                      patchRow: 2, patchColumn: 3)),
            try figure6Network(NetworkDiagram(shapes: [TensorShape(channels: 1, height: 16, width: 16),
                                                       TensorShape(channels: 3, height: 14, width: 14), TensorShape(channels: 3)],
                                              operations: ["conv 3×3", "flatten"], parameters: 40)),
            try figure7FoolingImages(FoolingImages(images: [image(144), image(144), image(144)], classes: [0, 1, 2],
                                                   confidences: [0.999, 0.997, 0.998], method: "noise")),
            try figure8PairsGallery([pair], drawnFrom: 2),
            try figure9FeatureMaps(FeatureMapsInput(trueLabel: 1, targetLabel: 2,
                conv1Original: LayerActivations(channels: 3, side: 14, values: image(588)),
                conv1Adversarial: LayerActivations(channels: 3, side: 14, values: image(588)),
                conv2Original: LayerActivations(channels: 4, side: 3, values: image(36)),
                conv2Adversarial: LayerActivations(channels: 4, side: 3, values: image(36)))),
            try figure10FullyConnected(FullyConnectedActivations(original: [image(6), image(6)], adversarial: [image(6), image(6)])),
            try figure11GroupProjections(GroupProjections(group: "1 → 2", choice: "the only group", method: "deconvnet",
                                                          layer: "conv2", members: [member])),
            try figure12UnitProjections(UnitProjectionDifferences(group: "1 → 2", choice: "the only group", method: "deconvnet",
                                                                  layer: "conv2", members: 1, differences: (0..<4).map { _ in image(144) })),
            try figure13SelectionRates(SelectionRates(run: "smoke", conv2: [0, 0.5, 1, 1], conv2RetainedFraction: 0.5,
                                                      fc: [0.2, 0.4, 0.6, 0.8, 1, 0], fcRetainedFraction: 0.7)),
            try figure14TrainingCurves(TrainingCurves(loss: [0.9], testAccuracy: [0.8], protocolDescription: "1 epoch")),
            try figure15HardeningCurves(HardeningCurves(metric: "adversarial validation accuracy",
                                                        panels: [CurvePanel(title: "Both, lr 0.001", series: [CurveSeries(name: "C", values: [0.5])])])),
            try figure16DistortionHistogram(DistortionValues(measure: "‖r‖₂", values: [1.5])),
            try figure17SeedIntervals(SeedIntervals(metric: "adversarial validation accuracy", seeds: 1,
                                                    panels: [IntervalPanel(title: "Both", entries: [IntervalEntry(model: "C", mean: 0.5, lower: 0.5, upper: 0.5)])])),
        ]
    }

    func testEveryFigureRendersFromSmokeSizedInputs() throws {
        for figure in try Self.tinyFigures() {
            let pixels = figure.drawing.pixels()
            XCTAssertGreaterThan(Set(pixels).count, 10, "figure \(figure.number)")
            XCTAssertTrue(String(decoding: try figure.drawing.pdf(), as: UTF8.self).hasPrefix("%PDF-"), "figure \(figure.number)")
        }
    }

    /// Writes the tiny figures into $FIGURES_OUT/smoke for looking at them.
    func testWritesSmokeFiguresForInspectionWhenAsked() throws {
        guard let out = ProcessInfo.processInfo.environment["FIGURES_OUT"] else { throw XCTSkip("FIGURES_OUT not set") }
        let dir = URL(fileURLWithPath: out).appendingPathComponent("smoke")
        for figure in try Self.tinyFigures() { _ = try figure.write(figures: dir, data: dir) }
    }
}
