import Foundation
import TestSupport
import XCTest

/// Paths of the templates and the fixtures in the repository.
enum TestPaths {
    static let templates = repositoryRoot.appendingPathComponent("Templates")
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/ReportTests/Fixtures")
}

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

func read(_ url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
}
