import Foundation

/// Why an output folder could not be staged or swapped into place.
public struct StagingError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Safe replacement of an output folder: everything is written into a temporary folder beside the
/// target (`out.tmp-<pid>-<n>`, same file system, so the swap is two renames), and the target is
/// replaced only by `commit()`. Until then, and whenever something fails, the previous target stays
/// exactly as it was. Leftovers of an interrupted run (`out.tmp-*`, `out.old-*`) are cleaned up
/// by the next `begin`; a run killed between the two renames of `commit` left only `out.old-*`,
/// which the next `begin` puts back in place.
public struct OutputStaging: Sendable {
    /// The folder being replaced.
    public let target: URL
    /// Where the caller writes the new contents.
    public let staging: URL

    private static let temporaryInfix = ".tmp-"
    private static let backupInfix = ".old-"

    /// Checks that the target's parent exists and is writable (by creating the staging folder in
    /// it), recovers or removes leftovers of earlier runs, and returns an empty staging folder.
    public static func begin(replacing target: URL) throws -> OutputStaging {
        let target = target.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StagingError(message: "cannot write '\(target.lastPathComponent)': its parent '\(parent.path)' is not an existing folder")
        }
        if manager.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw StagingError(message: "cannot write the output folder '\(target.path)': a file is in the way (it is left as it is)")
        }
        try recoverLeftovers(of: target)
        let staging = parent.appendingPathComponent(
            target.lastPathComponent + temporaryInfix + "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw StagingError(message: "cannot write into the folder '\(parent.path)' (needed to assemble '\(target.lastPathComponent)' beside it): \(reason(error))")
        }
        return OutputStaging(target: target, staging: staging)
    }

    /// Stages, lets `body` fill the staging folder, and commits; if `body` throws (or SIGINT /
    /// SIGTERM arrives, once `Interruption.install` has run), the staging folder is removed, the
    /// target is untouched, and the error is rethrown.
    public static func replace(_ target: URL, _ body: (URL) throws -> Void) throws {
        let staging = try begin(replacing: target)
        try Interruption.cleaningUp({ staging.discard() }) {
            do {
                try body(staging.staging)
            } catch {
                staging.discard()
                throw error
            }
            try Interruption.critical { try staging.commit() }
        }
    }

    /// Swaps the staging folder into place: old target renamed to a backup, staging renamed to the
    /// target, backup deleted. If the second rename fails, the backup is renamed back.
    public func commit() throws {
        let manager = FileManager.default
        var backup: URL?
        if manager.fileExists(atPath: target.path) {
            let url = target.deletingLastPathComponent().appendingPathComponent(
                target.lastPathComponent + Self.backupInfix + staging.lastPathComponent.split(separator: "-", maxSplits: 1).last!)
            do {
                try manager.moveItem(at: target, to: url)
            } catch {
                discard()
                throw StagingError(message: "cannot move the previous '\(target.path)' aside: \(Self.reason(error)); it is unchanged")
            }
            backup = url
        }
        do {
            try manager.moveItem(at: staging, to: target)
        } catch {
            if let backup { try? manager.moveItem(at: backup, to: target) }
            discard()
            throw StagingError(message: "cannot move the new output into '\(target.path)': \(Self.reason(error)); the previous one was restored")
        }
        if let backup { try? manager.removeItem(at: backup) }
    }

    /// Removes the staging folder; the target is not touched.
    public func discard() {
        try? FileManager.default.removeItem(at: staging)
    }

    /// Temporary folders of earlier runs are deleted; a backup is renamed back when the target is
    /// missing (a run died between the renames), otherwise deleted.
    private static func recoverLeftovers(of target: URL) throws {
        let manager = FileManager.default
        let parent = target.deletingLastPathComponent()
        let names = (try? manager.contentsOfDirectory(atPath: parent.path)) ?? []
        let name = target.lastPathComponent
        for leftover in names.sorted() where leftover.hasPrefix(name + temporaryInfix) {
            try? manager.removeItem(at: parent.appendingPathComponent(leftover))
        }
        for leftover in names.sorted() where leftover.hasPrefix(name + backupInfix) {
            let url = parent.appendingPathComponent(leftover)
            if manager.fileExists(atPath: target.path) {
                try? manager.removeItem(at: url)
            } else {
                try manager.moveItem(at: url, to: target)
            }
        }
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}
