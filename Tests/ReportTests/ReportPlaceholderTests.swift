import XCTest

// Placeholder: the Report tests replace this file.
final class ReportPlaceholderTests: XCTestCase {}
