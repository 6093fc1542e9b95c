// swift-tools-version:6.0
import Foundation
import PackageDescription

// The hot loops need real vector FMAs: without a target CPU, SIMD fused multiply-adds become a
// library call per lane. The build detects the host's AVX-512 / AVX2 support from /proc/cpuinfo
// (a native build, like -march=native); `REPORT_PORTABLE=1` forces a baseline x86-64 build that
// runs anywhere (slower).
func targetCPUFlags() -> [SwiftSetting] {
    #if arch(x86_64)
    if ProcessInfo.processInfo.environment["REPORT_PORTABLE"] == "1" { return [] }
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?
        .split(separator: " ").map(String.init) ?? [])
    if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) {
        return [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
    }
    if flags.isSuperset(of: ["avx2", "fma"]) {
        return [.unsafeFlags(["-target-cpu", "haswell"])]
    }
    #endif
    return []
}

let fast = targetCPUFlags()

let package = Package(
    name: "SelectiveDropoutReport",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "report", targets: ["report"]),
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
        // Header-only: inline SIMD helpers (fused multiply-add on 16-float vectors) for Engine.
        .systemLibrary(name: "CSIMD"),
        // Sequential C definitions of the BLAS/LAPACK routines liblbfgsb calls: they interpose
        // OpenBLAS's (CPU-dependent last bits) in every executable that links Attacks.
        .target(name: "CPortableBLAS"),

        // Ground: data, checksums, the network engine, figures, report writing.
        .target(name: "Digest"),
        .target(name: "StudyTypes"),
        .target(name: "Random"),
        .target(name: "MNIST", dependencies: ["CZlib", "Digest"]),
        .target(name: "Engine", dependencies: ["CBLAS", "CSIMD", "Random"], swiftSettings: fast),
        .target(name: "Figures", dependencies: ["CCairo"]),
        .target(name: "Report", dependencies: [
            "Digest", .product(name: "Mustache", package: "swift-mustache"),
        ]),

        // Middle: the attack and the analyses, on the engine.
        .target(name: "Attacks", dependencies: ["Engine", "Random", "CLBFGSB", "CPortableBLAS"], swiftSettings: fast),
        .target(name: "Analysis", dependencies: ["Engine", "StudyTypes", "Random"], swiftSettings: fast),
        // The experiments: base training, hardening with selective dropout, seeds, transfer.
        .target(name: "Experiments", dependencies: ["Engine", "Analysis", "StudyTypes", "Random", "MNIST"], swiftSettings: fast),

        // Top: the stages, their order and cache; then the command line.
        .target(name: "Study", dependencies: [
            "MNIST", "Engine", "StudyTypes", "Attacks", "Analysis", "Experiments", "Figures", "Report", "Random", "Digest",
        ], swiftSettings: fast),
        .executableTarget(name: "report", dependencies: [
            "Study", "Report", "Engine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "bench", dependencies: ["Engine", "Attacks", "MNIST"], swiftSettings: fast),

        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "StudyTypesTests", dependencies: ["StudyTypes"]),
        .testTarget(name: "RandomTests", dependencies: ["Random"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Random"]),
        .testTarget(name: "AttacksTests", dependencies: ["Attacks", "CPortableBLAS", "Engine", "Random"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Engine", "StudyTypes", "Random"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Engine", "StudyTypes", "Random", "MNIST"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "MNIST"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"], exclude: ["Fixtures"]),
        .testTarget(name: "StudyTests", dependencies: ["Study", "Analysis", "Attacks", "Engine", "Experiments", "Report", "Digest"]),
    ]
)
