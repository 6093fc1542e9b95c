import XCTest

// Placeholder: the Attacks tests replace this file.
final class AttacksPlaceholderTests: XCTestCase {}
