import XCTest

// Placeholder: the Experiments tests replace this file.
final class ExperimentsPlaceholderTests: XCTestCase {}
