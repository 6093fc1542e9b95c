import StudyTypes
@testable import Study
import XCTest

/// Which of the sensitivity study's pairs the attack stage makes from its own C searches.
final class SensitivityPlanningTests: XCTestCase {
    func testOnlyTheOtherFinalCRuleIsFinishedFromThePrimaryAttacksSearches() {
        // The domain and source levels change the searches themselves; the author's net is another net.
        for profile in Profile.all {
            XCTAssertEqual(SensitivityPlanning.finalRulesOfPrimarySearches(profile),
                           FinalCRule.allCases.filter { $0 != profile.attack.finalC }, profile.name)
        }
    }
}
