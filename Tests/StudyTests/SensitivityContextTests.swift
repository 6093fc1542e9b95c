import Analysis
import Experiments
@testable import Study
import XCTest

/// The section's sentences follow from the numbers.
final class SensitivityContextTests: XCTestCase {
    let paper = SensitivityTable([TableRow(.both, 0.001): [0.4, 0.6, 0.4, 0.5], TableRow(.adv, 0.001): [0.4, 0.6, 0.4, 0.5]])
    let controls = [true, false, true, false]

    func level(_ level: SensitivityLevel, primary: Bool, _ seeds: [SensitivityTable]) -> SensitivityLevelResult {
        SensitivityLevelResult(level: level, isPrimary: primary, perSeed: seeds, controlColumns: controls, paper: paper)
    }

    func table(_ c: Double, _ sd: Double) -> SensitivityTable {
        SensitivityTable([TableRow(.both, 0.001): [c, sd, c, sd], TableRow(.adv, 0.001): [c, sd, c, sd]])
    }

    func stage(_ levels: [SensitivityLevelResult]) -> SensitivityStage {
        SensitivityStage(primary: SensitivityAdapter.primary(.paper), settings: SensitivitySettings(), levels: levels,
                         attacks: [], newRuns: 0, reusedRuns: 0, paperTables: paper, controlColumns: controls)
    }

    func testALevelCloserOnEverySeedMovesTowardThePaperAndOneFartherMovesAway() {
        let primary = level(.epochs(20), primary: true, [table(0.8, 0.8), table(0.8, 0.8)])
        let closer = level(.epochs(1), primary: false, [table(0.5, 0.6), table(0.6, 0.7)])
        let farther = level(.epochs(2), primary: false, [table(0.9, 0.9), table(1.0, 1.0)])
        let mixed = level(.epochs(5), primary: false, [table(0.5, 0.5), table(1.0, 1.0)])
        let context = SensitivityContext(stage: stage([primary, closer, farther]))
        XCTAssertEqual(context.direction(closer), .toward)
        XCTAssertEqual(context.direction(farther), .away)
        XCTAssertNil(context.direction(primary))
        XCTAssertEqual(SensitivityContext(stage: stage([primary, mixed])).direction(mixed), .unclear)
        let text = context.sentences.joined(separator: "\n")
        XCTAssertTrue(text.contains("toward the paper on every seed (distance without Table 3, primary -> level): hardening epochs: 1 epoch"), text)
        XCTAssertTrue(text.contains("away from the paper on every seed: hardening epochs: 2 epochs"), text)
        XCTAssertTrue(text.contains("Levels whose seeds disagree on the direction: none."), text)
    }

    func testThePaperPatternNeedsSDAboveTheControlInAsManyRowsAndOnEverySeed() {
        let primary = level(.epochs(20), primary: true, [table(0.8, 0.8), table(0.8, 0.8)])
        let pattern = level(.epochs(1), primary: false, [table(0.5, 0.6), table(0.5, 0.55)])
        let oneSeedBelow = level(.epochs(2), primary: false, [table(0.5, 0.7), table(0.5, 0.45)])
        let context = SensitivityContext(stage: stage([primary, pattern, oneSeedBelow]))
        XCTAssertEqual(context.paper.rowsWhereSDBeatsControl, 2)
        XCTAssertTrue(context.reproducesPattern(pattern))
        XCTAssertFalse(context.reproducesPattern(oneSeedBelow))
        XCTAssertFalse(context.reproducesPattern(primary))
        XCTAssertTrue(context.sentences.contains { $0.hasPrefix("Levels that reproduce the paper's pattern") && $0.contains("hardening epochs: 1 epoch") })
        let none = SensitivityContext(stage: stage([primary]))
        XCTAssertTrue(none.sentences.contains { $0.hasPrefix("No level reproduces the paper's pattern") })
    }
}
