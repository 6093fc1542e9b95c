import XCTest

// Placeholder: the Figures tests replace this file.
final class FiguresPlaceholderTests: XCTestCase {}
