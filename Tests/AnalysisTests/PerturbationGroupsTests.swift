import Analysis
import StudyTypes
import XCTest

final class PerturbationGroupsTests: XCTestCase {
    func testGroupsFollowTheThreeDefinitions() {
        let blank = [Float](repeating: 0, count: 4)
        let pairs = [(3, 8), (3, 8), (3, 5), (1, 8)].map {
            AdversarialPair(original: blank, adversarial: blank, trueLabel: $0.0, targetLabel: $0.1)
        }
        XCTAssertEqual(perturbationGroups(pairs, by: .both).map(\.members), [[3], [2], [0, 1]])
        XCTAssertEqual(perturbationGroups(pairs, by: .orig).map(\.members), [[3], [0, 1, 2]])
        XCTAssertEqual(perturbationGroups(pairs, by: .adv).map(\.members), [[2], [0, 1, 3]])
        XCTAssertEqual(perturbationGroups(pairs, by: .adv).map(\.name), ["*->5", "*->8"])
    }
}
