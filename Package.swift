// swift-tools-version:6.0
import Foundation
import PackageDescription

// The hot loops need real vector FMAs: without a target CPU, SIMD fused multiply-adds become a
// library call per lane. The build detects the host's AVX-512 / AVX2 support from /proc/cpuinfo
// (a native build, like -march=native); `REPORT_TARGET_CPU=haswell` (or `skylake-avx512`) names
// the target instead (to build and test the AVX2 kernels on an AVX-512 machine, in a separate
// `--scratch-path`), and `REPORT_PORTABLE=1` forces a baseline x86-64 build that runs anywhere
// (slower, and without FMA its last bits differ). The AVX-512 and AVX2 kernels give the same bits.
func targetCPU() -> String? {
    #if arch(x86_64)
    let environment = ProcessInfo.processInfo.environment
    if environment["REPORT_PORTABLE"] == "1" { return nil }
    if let named = environment["REPORT_TARGET_CPU"], !named.isEmpty { return named }
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?
        .split(separator: " ").map(String.init) ?? [])
    if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "skylake-avx512" }
    if flags.isSuperset(of: ["avx2", "fma"]) { return "haswell" }
    #endif
    return nil
}

/// Settings of the numeric targets: the target CPU, the kernels' vector width as a compilation
/// condition (`ENGINE_AVX512` selects the 16-lane register tiles; otherwise the 8-lane ones
/// sized for 16 AVX2 registers; `ENGINE_FMA` marks a build with fused multiply-adds), and optimisation in every configuration, so that a plain
/// `swift run report` (debug) runs the engine at release speed.
func numericSettings() -> [SwiftSetting] {
    var settings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
    if let cpu = targetCPU() {
        settings.append(.unsafeFlags(["-target-cpu", cpu]))
        settings.append(.define("ENGINE_FMA"))
        if cpu.contains("avx512") || cpu.hasPrefix("znver4") || cpu.hasPrefix("sapphirerapids") || cpu.hasPrefix("icelake") {
            settings.append(.define("ENGINE_AVX512"))
        }
    }
    return settings
}

let fast = numericSettings()
/// Every other target: optimised in every configuration too (checksums, gzip, figures).
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "SelectiveDropoutReport",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "report", targets: ["ReportCommand"]),
        .executable(name: "bench", targets: ["bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev zlib1g-dev libcairo2-dev liblbfgsb-dev).
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib"),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo"),
        .systemLibrary(name: "CLBFGSB"),
        // Header-only inline SIMD helpers for Engine (fused multiply-adds, maxima), as a C target:
        // as a system library, a change to its header did not rebuild the targets that import it.
        .target(name: "CSIMD"),
        // Sequential C definitions of the BLAS/LAPACK routines liblbfgsb calls: they interpose
        // OpenBLAS's (CPU-dependent last bits) in every executable that links Attacks.
        .target(name: "CPortableBLAS"),

        // Ground: data, checksums, the network engine, figures, report writing.
        .target(name: "Digest", swiftSettings: optimised),
        .target(name: "StudyTypes", swiftSettings: optimised),
        .target(name: "Formatting", swiftSettings: optimised),
        .target(name: "Random", swiftSettings: optimised),
        .target(name: "MNIST", dependencies: ["CZlib", "Digest"], swiftSettings: optimised),
        .target(name: "Engine", dependencies: ["CBLAS", "CSIMD", "Random"], swiftSettings: fast),
        // The benchmark's minibatch engine (sgemm): never used by the study.
        .target(name: "Minibatch", dependencies: ["Engine", "CBLAS"], swiftSettings: fast),
        .target(name: "Figures", dependencies: ["CCairo", "StudyTypes", "Formatting"], swiftSettings: optimised),
        .target(name: "Report", dependencies: [
            "Digest", "Formatting", .product(name: "Mustache", package: "swift-mustache"),
        ], swiftSettings: optimised),

        // Middle: the attack and the analyses, on the engine.
        .target(name: "Attacks", dependencies: ["Engine", "StudyTypes", "Random", "CLBFGSB", "CPortableBLAS"], swiftSettings: fast),
        .target(name: "Analysis", dependencies: ["Engine", "StudyTypes", "Random"], swiftSettings: fast),
        // The experiments: base training, hardening with selective dropout, seeds, transfer.
        .target(name: "Experiments", dependencies: ["Engine", "Analysis", "StudyTypes", "Random", "MNIST"], swiftSettings: fast),

        // Top: the stages, their order and cache; then the command line.
        .target(name: "Study", dependencies: [
            "MNIST", "Engine", "StudyTypes", "Attacks", "Analysis", "Experiments", "Figures", "Formatting", "Report", "Random", "Digest",
        ], swiftSettings: fast, plugins: ["CodeDigestPlugin"]),
        .executableTarget(name: "ReportCommand", dependencies: [
            "Study", "Report", "Engine", "Experiments", "Formatting", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: optimised),
        .executableTarget(name: "bench", dependencies: ["Engine", "Minibatch", "Attacks", "StudyTypes", "Formatting", "MNIST", "CBLAS", "Random"], swiftSettings: fast),

        // Build time: the SHA-256 of every source file, compiled into Study for the stage cache's keys.
        .executableTarget(name: "CodeDigestTool", dependencies: ["Digest"], swiftSettings: optimised),
        .plugin(name: "CodeDigestPlugin", capability: .buildTool(), dependencies: ["CodeDigestTool"]),

        // Helpers the test targets share (scratch folders, git).
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "StudyTypesTests", dependencies: ["StudyTypes"]),
        .testTarget(name: "FormattingTests", dependencies: ["Formatting"]),
        .testTarget(name: "RandomTests", dependencies: ["Random"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST"]),
        .testTarget(name: "CSIMDTests", dependencies: ["CSIMD"], swiftSettings: fast),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Random"], swiftSettings: fast),
        .testTarget(name: "MinibatchTests", dependencies: ["Minibatch", "Engine", "Random"], swiftSettings: fast),
        .testTarget(name: "AttacksTests", dependencies: ["Attacks", "CPortableBLAS", "Engine", "StudyTypes", "Random"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Engine", "StudyTypes", "Random"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Analysis", "Engine", "StudyTypes", "Random", "MNIST"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "StudyTypes", "Formatting", "MNIST"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Digest", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "StudyTests", dependencies: ["Study", "StudyTypes", "Analysis", "Attacks", "Engine", "Experiments", "Report", "Digest"]),
        // Runs the built `report` executable as a user would (it is found next to the test bundle).
        .testTarget(name: "ReportCommandTests", dependencies: ["Digest", "TestSupport"]),
    ]
)
