import XCTest

// Placeholder: the Study tests replace this file.
final class StudyPlaceholderTests: XCTestCase {}
