import StudyTypes
import XCTest
@testable import Figures

final class FigureInputTests: XCTestCase {
    let digit = [Float](repeating: 0.5, count: 784)

    func testAPairWithTheWrongPixelCountIsRejectedWithItsFigureAndField() {
        let pair = PairFigureInput(AdversarialPair(original: [Float](repeating: 0, count: 783), adversarial: digit, trueLabel: 1, targetLabel: 2),
                             originalConfidence: 0.9, adversarialConfidence: 0.9)
        XCTAssertThrowsError(try figure1AdversarialPair(pair)) { error in
            XCTAssertEqual("\(error)", "figure 1: pair.original has 783 values, not a square image")
        }
    }

    func testAnAdversarialOfAnotherSizeThanItsOriginalIsRejected() {
        let pair = PairFigureInput(AdversarialPair(original: digit, adversarial: [Float](repeating: 0, count: 144), trueLabel: 1, targetLabel: 2),
                             originalConfidence: 0.9, adversarialConfidence: 0.9)
        XCTAssertThrowsError(try figure2PerturbationRenderings(pair)) { error in
            XCTAssertEqual("\(error)", "figure 2: pair.adversarial has 144 values, expected 784")
        }
    }

    func testNonFinitePixelsAreRejected() {
        var bad = digit
        bad[17] = .nan
        let pair = PairFigureInput(AdversarialPair(original: digit, adversarial: bad, trueLabel: 1, targetLabel: 2),
                             originalConfidence: 0.9, adversarialConfidence: 0.9)
        XCTAssertThrowsError(try figure8PairsGallery([pair], drawnFrom: 1)) { error in
            XCTAssertTrue("\(error)".contains("pairs[0].adversarial[17]"), "\(error)")
        }
    }

    func testAConvolutionPatchOutsideTheOutputIsRejected() {
        let example = ConvolutionExample(input: [Float](repeating: 0, count: 1024), inputSide: 32, inputDescription: "zeros",
                                         kernel: [Float](repeating: 0, count: 25), bias: 0, channel: 0, patchRow: 28, patchColumn: 0)
        XCTAssertThrowsError(try figure5Convolution(example))
    }

    func testConvolutionOutputIsTheCrossCorrelationPlusBias() {
        var input = [Float](repeating: 0, count: 36)
        input[1 * 6 + 2] = 2  // one lit pixel at row 1, column 2
        var kernel = [Float](repeating: 0, count: 25)
        kernel[0 * 5 + 1] = 3  // reads x[i, j+1]
        let example = ConvolutionExample(input: input, inputSide: 6, inputDescription: "", kernel: kernel, bias: 0.5,
                                         channel: 0, patchRow: 0, patchColumn: 0)
        let z = example.output()
        XCTAssertEqual(z.count, 4)
        XCTAssertEqual(z[1 * 2 + 1], 6.5)  // z[1,1] = k[0,1] x[1,2] + b
        XCTAssertEqual(z[0], 0.5)
    }

    func testSelectionRatesOutsideZeroToOneAreRejected() {
        let rates = SelectionRates(run: "x", conv2: [0.5, 1.2], conv2RetainedFraction: 0.5, fc: [0.1], fcRetainedFraction: 0.5)
        XCTAssertThrowsError(try figure13SelectionRates(rates))
    }

    func testOperationsMustSitBetweenShapes() {
        let diagram = NetworkDiagram(shapes: [TensorShape(channels: 1, height: 4, width: 4), TensorShape(channels: 10)],
                                     operations: [], parameters: 170)
        XCTAssertThrowsError(try figure6Network(diagram))
    }
}
