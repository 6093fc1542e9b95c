import StudyTypes
import XCTest

final class LabelledImagesTests: XCTestCase {
    func testSubsetKeepsTheRequestedImagesInTheRequestedOrder() throws {
        let images = try LabelledImages(pixels: [0, 0.1, 1, 0.9, 0.5, 0.4], labels: [3, 7, 1], pixelsPerImage: 2)
        let subset = images.subset([2, 0])
        XCTAssertEqual(subset.labels, [1, 3])
        XCTAssertEqual(subset.pixels, [0.5, 0.4, 0, 0.1])
        XCTAssertEqual(subset.count, 2)
    }

    func testPixelCountThatDoesNotMatchTheLabelsIsRejected() {
        XCTAssertThrowsError(try LabelledImages(pixels: [0, 1, 2], labels: [1, 2], pixelsPerImage: 2))
    }
}

final class AdversarialPairTests: XCTestCase {
    func testValidationNamesThePairWhoseTargetEqualsItsTrueLabel() {
        let good = AdversarialPair(original: [0, 1], adversarial: [0.1, 0.9], trueLabel: 1, targetLabel: 2)
        let bad = AdversarialPair(original: [0, 1], adversarial: [0.1, 0.9], trueLabel: 4, targetLabel: 4)
        XCTAssertNoThrow(try AdversarialPair.validate([good], pixels: 2, classes: 10))
        XCTAssertThrowsError(try AdversarialPair.validate([good, bad], pixels: 2, classes: 10)) { error in
            XCTAssertTrue("\(error)".contains("pair 1"), "\(error)")
        }
    }

    func testValidationRejectsImagesOfTheWrongSize() {
        let pair = AdversarialPair(original: [0, 1, 0], adversarial: [0, 1, 0], trueLabel: 1, targetLabel: 2)
        XCTAssertThrowsError(try AdversarialPair.validate([pair], pixels: 2, classes: 10))
    }
}
