import Digest
import Foundation
import TestSupport
import XCTest

/// Runs the built `report` executable as a user would, in scratch folders.
enum Harness {
    /// `report` next to the test bundle (`.build/<config>/`), else `.build/release/report`.
    static let executable: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("report")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            let url = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("report")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return repositoryRoot.appendingPathComponent(".build/release/report")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The first line of standard error that says "error" (or the first line at all).
        var message: String {
            let lines = stderr.split(separator: "\n").map(String.init)
            return lines.first { $0.lowercased().contains("error") } ?? lines.first ?? ""
        }
    }

    static func process(_ arguments: [String], in folder: URL) -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        return (process, out, err)
    }

    /// Runs `report arguments...` in `folder` to completion.
    static func run(_ arguments: [String], in folder: URL) throws -> Result {
        let (process, out, err) = process(arguments, in: folder)
        try process.run()
        // Read both pipes concurrently so that neither fills and blocks the child.
        let errors = Locked(Data())
        let reader = Thread { errors.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errors.isSet { usleep(1000) }
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                      stderr: String(decoding: errors.value, as: UTF8.self))
    }

    /// Every file below `folder` by relative path with its bytes (empty when the folder is absent).
    static func snapshot(_ folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return files }
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        for case let url as URL in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[String(url.standardizedFileURL.resolvingSymlinksInPath().path.dropFirst(base.count))] = try? Data(contentsOf: url)
            }
        }
        return files
    }

    /// An `out/` holding one sentinel file, as a previous run's stand-in.
    static func previousOut(in dir: URL) throws -> URL {
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("previous report\n".utf8).write(to: out.appendingPathComponent("report.md"))
        return out
    }

    /// A data folder `data/mnist` of links to the vendored files, beside a link to `data/paper`.
    static func dataFolder(in dir: URL) throws -> URL {
        let data = dir.appendingPathComponent("data")
        let mnist = data.appendingPathComponent("mnist")
        try FileManager.default.createDirectory(at: mnist, withIntermediateDirectories: true)
        let vendored = repositoryRoot.appendingPathComponent("data/mnist")
        for name in try FileManager.default.contentsOfDirectory(atPath: vendored.path) {
            try FileManager.default.createSymbolicLink(at: mnist.appendingPathComponent(name),
                                                       withDestinationURL: vendored.appendingPathComponent(name))
        }
        try FileManager.default.createSymbolicLink(at: data.appendingPathComponent("paper"),
                                                   withDestinationURL: repositoryRoot.appendingPathComponent("data/paper"))
        return mnist
    }

    /// The options of a smoke run reading everything from the repository but for the given folders.
    static func smoke(out: URL, cache: URL, data: URL? = nil, templates: URL? = nil) -> [String] {
        ["--profile", "smoke", "--out", out.path, "--cache", cache.path,
         "--data", (data ?? repositoryRoot.appendingPathComponent("data/mnist")).path,
         "--templates", (templates ?? repositoryRoot.appendingPathComponent("Templates")).path]
    }

    /// One smoke run shared by the tests that need a filled cache and a reference output (the
    /// first caller pays about 20-30 s): its folder holds `cache/` and `out/`.
    static func sharedSmoke() throws -> URL {
        try shared.withLock { state in
            if let folder = state { return folder }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-cli-shared-\(getpid())")
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let result = try run(smoke(out: folder.appendingPathComponent("out"), cache: folder.appendingPathComponent("cache")),
                                 in: folder)
            guard result.status == 0 else { throw HarnessError(message: "the shared smoke run failed: \(result.stderr)") }
            atexit { try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory
                .appendingPathComponent("report-cli-shared-\(getpid())")) }
            state = folder
            return folder
        }
    }

    /// A private copy of the shared smoke cache in `dir`.
    static func cacheCopy(in dir: URL) throws -> URL {
        let copy = dir.appendingPathComponent("cache")
        try FileManager.default.copyItem(at: try sharedSmoke().appendingPathComponent("cache"), to: copy)
        return copy
    }

    /// The cache entry file of `stage` (the only one of its stage in a smoke cache).
    static func entry(_ stage: String, in cache: URL) throws -> URL {
        let folder = cache.appendingPathComponent(stage)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".bin") }
        guard names.count == 1 else { throw HarnessError(message: "\(stage) has \(names.count) entries") }
        return folder.appendingPathComponent(names[0])
    }

    /// True when every `.bin` entry below `cache` is whole: its header's length and SHA-256 match.
    static func everyEntryIsWhole(_ cache: URL) -> Bool {
        snapshot(cache).filter { $0.key.hasSuffix(".bin") }.allSatisfy { _, data in
            let bytes = [UInt8](data)
            guard let newline = bytes.firstIndex(of: 0x0A) else { return false }
            let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
            let payload = bytes[(newline + 1)...]
            return header.count == 4 && Int(header[3]) == payload.count && header[2] == SHA256.hex(payload)
        }
    }

    /// Leftover staging or backup folders beside `out`.
    static func leftovers(beside out: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix(out.lastPathComponent + ".") }
    }

    private static let shared = Locked<URL?>(nil)
}

struct HarnessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    private var written = false
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    var isSet: Bool { lock.withLock { written } }
    func set(_ value: Value) { lock.withLock { stored = value; written = true } }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&stored)
    }
}
