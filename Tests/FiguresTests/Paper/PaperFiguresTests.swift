import Formatting
import StudyTypes
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
                input: Samples.padded(pair.pair.original).map { ($0 - 0.13) / 0.31 }, inputSide: 32,
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
                    let p = s.pair(i, target: 1).pair
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
            try figure14TrainingCurves(s.trainingCurves(epochs: 100)),
            try figure15HardeningCurves(s.hardeningCurves(epochs: 20)),
            try figure16DistortionHistogram(DistortionValues(
                measure: "‖r‖₂ (pixels in [0, 1])", values: (0..<208).map { _ in 1.2 + abs(s.rng.gaussian()) * 0.8 })),
            try figure17SeedIntervals(s.seedIntervals(seeds: 10)),
        ]
    }

    func testEveryFigureHasTheSizeOfItsDrawingAtTwiceTheDensity() throws {
        for figure in try Self.allFigures() {
            let png = try figure.drawing.png()
            XCTAssertEqual(Array(png[1...3]), Array("PNG".utf8))
            // IHDR: width and height are big-endian UInt32 at bytes 16 and 20
            let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
            XCTAssertEqual(width, Int((figure.drawing.width * 2).rounded(.up)), "figure \(figure.number)")
            XCTAssertEqual(height, Int((figure.drawing.height * 2).rounded(.up)), "figure \(figure.number)")
            XCTAssertGreaterThanOrEqual(width, 800, "figure \(figure.number) is too small to read")
        }
    }

    func testEveryFigureIsNotBlank() throws {
        for figure in try Self.allFigures() {
            let pixels = figure.drawing.pixels()
            let white = pixels.filter { $0 == 0xffff_ffff }.count
            XCTAssertGreaterThan(Set(pixels).count, 10, "figure \(figure.number) has almost no colours")
            XCTAssertGreaterThan(pixels.count - white, pixels.count / 50, "figure \(figure.number) is nearly empty")
        }
    }

    func testEveryFigureRendersByteIdenticallyTwice() throws {
        let first = try Self.allFigures(), second = try Self.allFigures()
        XCTAssertEqual(first.map(\.number), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17])
        for (a, b) in zip(first, second) {
            XCTAssertEqual(try a.drawing.png(), try b.drawing.png(), "figure \(a.number) PNG")
            XCTAssertEqual(try a.drawing.pdf(), try b.drawing.pdf(), "figure \(a.number) PDF")
            XCTAssertEqual(a.data, b.data, "figure \(a.number) data")
            XCTAssertEqual(a.caption, b.caption, "figure \(a.number) caption")
        }
    }

    func testPDFsAreVectorPagesWithoutACreationDate() throws {
        for figure in try Self.allFigures() {
            let pdf = String(decoding: try figure.drawing.pdf(), as: UTF8.self)
            XCTAssertTrue(pdf.hasPrefix("%PDF-"))
            XCTAssertFalse(pdf.contains("CreationDate"), "figure \(figure.number)")
        }
    }

    func testFigureDataDecodesBackToTheInput() throws {
        var s = try Samples()
        let pair = s.pair(4, target: 8)
        let figure = try figure1AdversarialPair(pair)
        XCTAssertEqual(try JSONDecoder().decode(PairFigureInput.self, from: Data(figure.data)), pair)
    }

    func testWritingAFigureProducesPNGPDFAndDataAndItsRecord() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let record = try figure4MLP().write(figures: dir.appendingPathComponent("figures"), data: dir.appendingPathComponent("data"))
        XCTAssertEqual(record.number, 4)
        XCTAssertEqual(record.file, "figures/figure04-mlp.png")
        for path in ["figures/figure04-mlp.png", "figures/figure04-mlp.pdf", "data/figure04-mlp.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(path).path), path)
        }
    }

    func testWritingEveryFigureOnTwoThreadsGivesTheFilesAndRecordsOfOneThread() throws {
        let figures = try Self.allFigures().reversed()  // writeFigures orders them by number itself
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(workers: Int) throws -> (records: [FigureRecord], files: [String: Data]) {
            let dir = root.appendingPathComponent("\(workers)")
            let records = try writeFigures(Array(figures), figures: dir.appendingPathComponent("figures"),
                                           data: dir.appendingPathComponent("data"), workers: workers)
            var files: [String: Data] = [:]
            for folder in ["figures", "data"] {
                for name in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(folder).path) {
                    files[folder + "/" + name] = try Data(contentsOf: dir.appendingPathComponent(folder).appendingPathComponent(name))
                }
            }
            return (records, files)
        }
        let one = try write(workers: 1), two = try write(workers: 2)
        XCTAssertEqual(one.records.map(\.number), Array(1...17))
        XCTAssertEqual(two.records, one.records)
        XCTAssertEqual(one.files.count, 3 * 17)
        XCTAssertEqual(two.files, one.files)
    }

    func testCaptionsStateTheNumbersBehindTheFigure() throws {
        var s = try Samples()
        let pair = s.pair(0, target: 3)
        let caption = try figure1AdversarialPair(pair).caption
        XCTAssertTrue(caption.contains(Format.fixed(pair.l2, 3, minus: .typographic)), caption)
        XCTAssertTrue(caption.contains(Format.percent(pair.adversarialConfidence, 2, minus: .typographic)), caption)
        let fc = try figure10FullyConnected(FullyConnectedActivations(original: [[1, 0, 0, 0]], adversarial: [[5, 0, 0, 0]]))
        XCTAssertTrue(fc.caption.contains("carry 100.0% of the total"), fc.caption)
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
