import CBLAS
import Foundation

/// Holds OpenBLAS to one kernel family and one thread, so that its sums (and so every result
/// computed through it) are the same bits on every run on machines of one kind.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` and `OPENBLAS_NUM_THREADS` only when the library loads,
/// before `main` runs, so setting them from Swift is too late: `ensurePinnedEnvironment` sets
/// them and re-executes the program once. (OpenBLAS 0.3.21 also misdetects some recent CPUs and
/// falls back to slow SSE3 kernels; naming the core type avoids that.)
public enum OpenBLASRuntime {
    /// Marks the re-executed process, so that a failed pin cannot loop.
    static let marker = "OPENBLAS_PINNED_BY_REEXEC"

    /// If `OPENBLAS_CORETYPE` or `OPENBLAS_NUM_THREADS` is unset, sets them (SkylakeX kernels on
    /// CPUs with AVX-512, Haswell with AVX2 and FMA; one thread) and replaces the process with a
    /// fresh copy of itself (`execv` of /proc/self/exe with the same arguments). Call it first
    /// thing in `main`; returns normally when the environment is already pinned, when nothing
    /// better is known for this CPU, or where re-executing is not possible (non-Linux).
    public static func ensurePinnedEnvironment(arguments: [String] = CommandLine.arguments) {
        #if os(Linux)
        let environment = ProcessInfo.processInfo.environment
        guard environment[marker] == nil,
              environment["OPENBLAS_CORETYPE"] == nil || environment["OPENBLAS_NUM_THREADS"] == nil else { return }
        if environment["OPENBLAS_CORETYPE"] == nil, let core = preferredCoreType() {
            setenv("OPENBLAS_CORETYPE", core, 1)
        }
        if environment["OPENBLAS_NUM_THREADS"] == nil { setenv("OPENBLAS_NUM_THREADS", "1", 1) }
        setenv(marker, "1", 1)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &argv)
        // Only reached if execv failed: go on unpinned, but say so.
        FileHandle.standardError.write(Data("warning: could not re-execute to pin OpenBLAS (errno \(errno))\n".utf8))
        #endif
    }

    /// The OpenBLAS core type for this CPU: "SkylakeX" with AVX-512 (F, BW, VL, DQ), "Haswell"
    /// with AVX2 and FMA, nil otherwise (leave OpenBLAS's own detection).
    public static func preferredCoreType() -> String? {
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(line.split(separator: " ").map(String.init))
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// Holds OpenBLAS's own thread pool to one thread from now on (the engine's callers run
    /// their own parallel work; two pools on few cores fight).
    public static func pinToOneThread() {
        openblas_set_num_threads(1)
    }

    /// The OpenBLAS version, e.g. "0.3.21" (from its build configuration string).
    public static func version() -> String {
        let config = openblas_get_config().map { String(cString: $0) } ?? ""
        let words = config.split(separator: " ")
        return words.count > 1 && words[0] == "OpenBLAS" ? String(words[1]) : "unknown"
    }

    /// The kernel family in use and the thread count, e.g. "SkylakeX, 1 thread".
    public static func core() -> String {
        let core = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        let threads = openblas_get_num_threads()
        return "\(core), \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// The kernel family and build OpenBLAS is running with, for provenance, e.g.
    /// "OpenBLAS core SkylakeX, 1 thread, config: OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY ...".
    public static func describe() -> String {
        let core = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        let config = openblas_get_config().map { String(cString: $0) } ?? "unknown"
        let threads = openblas_get_num_threads()
        return "OpenBLAS core \(core), \(threads) thread\(threads == 1 ? "" : "s"), config: \(config)"
    }
}
