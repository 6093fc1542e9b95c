import Formatting
import Foundation

/// One throughput measurement: images per second of wall-clock time, and per second of this
/// thread's CPU time (the two differ when other processes share the cores).
struct Throughput {
    var wall: Double
    var cpu: Double
}

/// Repeats `chunk` (which processes `imagesPerChunk` images) for about `seconds`, `runs` times
/// after one short warm-up, and returns the median run by wall-clock rate.
func measure(seconds: Double, runs: Int = 3, imagesPerChunk: Int, _ chunk: () -> Void) -> Throughput {
    func once(_ duration: Double) -> Throughput {
        let wallStart = Date(), cpuStart = threadCPUTime()
        var images = 0
        repeat {
            chunk()
            images += imagesPerChunk
        } while Date().timeIntervalSince(wallStart) < duration
        let wall = Date().timeIntervalSince(wallStart), cpu = threadCPUTime() - cpuStart
        return Throughput(wall: Double(images) / wall, cpu: Double(images) / max(cpu, 1e-9))
    }
    _ = once(min(0.5, seconds))
    let results = (0..<runs).map { _ in once(seconds) }.sorted { $0.wall < $1.wall }
    return results[runs / 2]
}

/// CPU seconds this thread has used.
func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The 1-minute load average, to judge how much the machine was shared during a measurement.
func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
    return String(text.split(separator: " ").first ?? "?")
}

/// "12,345": the value rounded, with thousands separators.
func grouped(_ value: Double) -> String { Format.count(Int(value.rounded())) }

/// `s` right-aligned in `width` characters.
func pad(_ s: String, _ width: Int) -> String { Format.padded(s, width) }
