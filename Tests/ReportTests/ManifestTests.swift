import Digest
import Foundation
import Report
import TestSupport
import XCTest

final class ManifestTests: XCTestCase {
    func testManifestListsEveryFileSortedWithHashAndSizeButNotItself() throws {
        let folder = try makeScratchFolder(self)
        try write("b", to: folder.appendingPathComponent("b.txt"))
        try write("hello", to: folder.appendingPathComponent("figures/fig1.png"))
        try write("{}", to: folder.appendingPathComponent("Z.json"))
        try write("old", to: folder.appendingPathComponent(Manifest.fileName))
        let manifest = try Manifest(scanning: folder, settingsHash: "abc")
        XCTAssertEqual(manifest.entries.map(\.path), ["Z.json", "b.txt", "figures/fig1.png"])
        XCTAssertEqual(manifest.entries[2].sha256, SHA256.hex(Array("hello".utf8)))
        XCTAssertEqual(manifest.entries[2].bytes, 5)
    }

    func testManifestWritesAndReadsBack() throws {
        let folder = try makeScratchFolder(self)
        try write("x", to: folder.appendingPathComponent("data/a.csv"))
        let manifest = try Manifest(scanning: folder, settingsHash: try Manifest.settingsHash(of: ["seed": 1]))
        try manifest.write(into: folder)
        XCTAssertEqual(try Manifest.read(from: folder), manifest)
        let rescanned = try Manifest(scanning: folder, settingsHash: manifest.settingsHash)
        XCTAssertEqual(rescanned, manifest, "the manifest must not list itself")
    }

    func testSettingsHashFollowsTheSettings() throws {
        XCTAssertEqual(try Manifest.settingsHash(of: ["seed": 1]), try Manifest.settingsHash(of: ["seed": 1]))
        XCTAssertNotEqual(try Manifest.settingsHash(of: ["seed": 1]), try Manifest.settingsHash(of: ["seed": 2]))
    }

    func testScanningAMissingFolderNamesIt() {
        XCTAssertThrowsError(try Manifest(scanning: URL(fileURLWithPath: "/nonexistent/out"), settingsHash: "")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/out"))
        }
    }
}
