import XCTest

// Placeholder: the Analysis tests replace this file.
final class AnalysisPlaceholderTests: XCTestCase {}
