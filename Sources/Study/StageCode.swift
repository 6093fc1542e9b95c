import Digest

/// The code a computation runs, as paths relative to the package root: whole folders
/// (`Sources/Engine`), single files (`Package.swift`), minus `excluded` ones. Its `digest` keys the
/// stage cache, so editing any file a stage runs recomputes that stage (and, through the upstream
/// keys, every stage after it), while an edit elsewhere recomputes nothing.
public struct StageCode: Sendable, Equatable {
    public var paths: [String]
    public var excluded: [String]

    public init(_ paths: [String], excluding excluded: [String] = []) {
        self.paths = paths
        self.excluded = excluded
    }

    /// True when `file` is one of `paths` or lies in one of them, and is in no `excluded` path.
    public func contains(_ file: String) -> Bool {
        func under(_ root: String) -> Bool { file == root || file.hasPrefix(root + "/") }
        return paths.contains(where: under) && !excluded.contains(where: under)
    }

    /// The files of `table` this code covers, in UTF-8 byte order.
    public func files(in table: [String: String] = StageCode.builtFiles) -> [String] {
        table.keys.filter(contains).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// SHA-256 of the lines `<path> <sha256>\n` of every covered file, in byte order of the paths.
    /// `table` maps each file to its SHA-256 (default: the build's, from the CodeDigestPlugin).
    public func digest(in table: [String: String] = StageCode.builtFiles) -> String {
        SHA256.hex(Array(files(in: table).map { "\($0) \(table[$0]!)\n" }.joined().utf8))
    }

    /// Every file the build digested (for tests that compare it with the tree on disk).
    public static var builtFiles: [String: String] { CodeDigests.files }
}

extension StageCode {
    /// Study's own files that only present results (summary, report context, figures' inputs,
    /// data files): they never change a cached stage's result.
    public static let presentation = [
        "Claims.swift", "DataFiles.swift", "FigureInputs.swift", "Formatting.swift", "HardeningContext.swift",
        "MethodsContext.swift", "PaperReference.swift", "ReportContext.swift", "Summary.swift",
        "AttackDescription.swift", "ClaimRules.swift", "HardeningContextSections.swift", "SensitivityContext.swift",
        "BeyondContext.swift", "BeyondDataFiles.swift", "BeyondFigures.swift", "BeyondFindings.swift", "BeyondSummary.swift",
    ].map { "Sources/Study/" + $0 }

    /// The targets every computing stage runs: the data reader, the engine, the analyses and the
    /// experiments with everything they import, the build settings (compiler flags) and Study's
    /// stage code (all of Study but `presentation`).
    public static let computeTargets = [
        "Digest", "Random", "CZlib", "MNIST", "CBLAS", "CSIMD", "StudyTypes", "Engine", "Analysis", "Experiments",
    ]

    /// Base training, the hardening grid and the transfer net.
    public static let training = StageCode(
        ["Package.swift", "Sources/Study"] + computeTargets.map { "Sources/" + $0 }, excluding: presentation)

    /// The attack stage: the training code plus the attacks and L-BFGS-B's shim.
    public static let attack = StageCode(
        training.paths + ["Sources/Attacks", "Sources/CLBFGSB", "Sources/CPortableBLAS"], excluding: presentation)

    /// Everything that reaches `out/`: the whole package's code and templates but the benchmark
    /// and its minibatch engine (recorded in `manifest.json` as `code_digest`).
    public static let report = StageCode(["Package.swift", "Sources", "Templates"],
                                         excluding: ["Sources/bench", "Sources/Minibatch"])
}
