// ReportCommand: the `report` executable: options, subcommands and the progress display. It
// holds no science: it parses options and calls Study (and Report for diff).

import ArgumentParser
import Engine
import Foundation
import Report
import Study

@main
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Regenerate Hinthorn's selective-dropout study as a deterministic paper-style report.",
        discussion: """
        The pipeline; each stage is cached by a hash of its inputs and settings:
          1. data       the vendored MNIST files, SHA-256 checked
          2. base       the author's CNN, trained as the author did
                        (batch 1, 100 epochs in the paper profile)
          3. attack     box-constrained L-BFGS pairs (Nocedal's L-BFGS-B),
                        FGSM, fooling images
          4. analysis   activations, volatility, projections, groups
          5. hardening  selective dropout against the control (tables 1-3),
                        over 10 seeds, with ablations and the p schedule
          6. transfer   how often the pairs fool a second network
          7. report     figures (Cairo), summary.json, report.md/.html,
                        manifest.json
        The report is assembled in a temporary folder and replaces the
        output folder only when complete.
        """,
        subcommands: [Generate.self, Diff.self],
        defaultSubcommand: Generate.self)

    /// Pins OpenBLAS's kernels and threads (a re-exec, before any work) so results are the same
    /// bits on every run, then parses the command line.
    static func main() {
        OpenBLASRuntime.ensurePinnedEnvironment()
        OpenBLASRuntime.pinToOneThread()
        Interruption.install { signal in
            "report: stopped by \(signal); the output folder is as it was, and the next run resumes from the cache"
        }
        main(nil)
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Run every stage and write the report (the default subcommand).")

    @Option(name: .long, help: "Scale of the run: paper (the paper's protocol), quick (minutes), smoke (tests).")
    var profile: String = "paper"

    @Option(name: .long, help: "Root seed; every stage draws from its own named stream derived from it.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Output folder, replaced only when the new report is complete.")
    var out: String = "out"

    @Option(name: .long, help: "Folder of cached stage outputs.")
    var cache: String = ".cache"

    @Option(name: .long, help: "Folder with the four MNIST .gz files (the paper's numbers are read from ../paper/reference.json beside it).")
    var data: String = "data/mnist"

    @Option(name: .long, help: "Folder with the report templates.")
    var templates: String = "Templates"

    @Flag(name: .long, help: "Ignore cached stage outputs and recompute every stage.")
    var fresh = false

    @Flag(name: .long, help: "Regenerate into a temporary folder and report any difference with the output folder (exit 1 if any); the output folder is not changed.")
    var check = false

    func validate() throws {
        guard Profile.named(profile) != nil else {
            throw ValidationError("unknown profile '\(profile)'; choose one of: \(Profile.all.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        let options = StudyOptions(
            profile: Profile.named(profile)!, seed: seed, outDirectory: URL(fileURLWithPath: out),
            cacheDirectory: URL(fileURLWithPath: cache), dataDirectory: URL(fileURLWithPath: data),
            templatesDirectory: URL(fileURLWithPath: templates), fresh: fresh)
        let display = ProgressDisplay()
        let study = Study(options: options, events: display.handle)
        do {
            if check {
                let comparison = try study.check()
                display.message(comparison.isIdentical ? "check: \(out)/ is reproduced byte for byte" : comparison.rendered)
                if !comparison.isIdentical { throw ExitCode.failure }
                return
            }
            try study.run()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            display.finishLine()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        display.message("report written to \(out)/")
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every number and file that changed in out/ between a git revision and now.")

    @Argument(help: "The git revision to compare with (e.g. HEAD~1).")
    var revision: String

    @Option(name: .long, help: "Output folder, relative to the repository root.")
    var out: String = "out"

    func run() throws {
        let repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let folder = repository.appendingPathComponent(out)
        do {
            let old = try GitRevision.json("\(out)/summary.json", at: revision, repository: repository)
            let new = try JSONValue(parsing: try FileTree.bytes(of: folder.appendingPathComponent("summary.json")))
            var diff = SummaryDiff(old: old, new: new)
            let oldManifest = try Manifest(json: try GitRevision.json("\(out)/\(Manifest.fileName)", at: revision, repository: repository))
            diff.compare(oldManifest: oldManifest, newManifest: try Manifest.read(from: folder))
            print(diff.isEmpty ? "no change in \(out)/ since \(revision)" : diff.rendered)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
