import Experiments
import Formatting
import Foundation
import Study

/// Progress on stderr: a live line on a terminal, one line per epoch otherwise. Timings go
/// here, never into `out/`.
final class ProgressDisplay: @unchecked Sendable {
    /// Events come from worker threads too.
    let lock = NSLock()
    let live = isatty(STDERR_FILENO) != 0
    var started = DispatchTime.now().uptimeNanoseconds
    var stageStart = DispatchTime.now().uptimeNanoseconds
    var lineOpen = false
    /// Steps already done when this process began training (a resumed run starts past zero).
    var firstTrainingStep: Double?

    func handle(_ event: StudyEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .stageStarted(let name):
            finishLine()
            stageStart = DispatchTime.now().uptimeNanoseconds
            firstTrainingStep = nil
            write("[\(name)] started\n")
        case .stageCached(let name):
            write("[\(name)] from cache\n")
        case .stageFinished(let name, let seconds):
            finishLine()
            write("[\(name)] done in \(Format.duration(seconds))\n")
        case .training(let p):
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - stageStart) / 1e9
            let done = Double((p.epoch - 1) * p.stepsPerEpoch + p.step)
            let total = Double(p.epochs * p.stepsPerEpoch)
            // A resumed run: the rate counts only the steps this process took.
            let start = firstTrainingStep ?? Double((p.epoch - 1) * p.stepsPerEpoch)
            firstTrainingStep = start
            let rate = (done - start) / max(elapsed, 1e-9)
            let eta = (total - done) / max(rate, 1e-9)
            let test = p.lastTest.map { " test(epoch \($0.epoch)) " + Format.fixed($0.accuracy, 4) } ?? ""
            let share = Format.padded(Format.fixed(100 * Double(p.step) / Double(p.stepsPerEpoch), 0), 3)
            let text = "  epoch \(p.epoch)/\(p.epochs)  \(share)%  loss \(Format.fixed(p.meanLoss, 4))  acc "
                + "\(Format.fixed(p.runningAccuracy, 4))\(test)  \(Format.fixed(rate, 0)) img/s  ETA \(Format.duration(eta))"
                + (p.twoThreadSteps > 0 ? "  2 threads \(Format.fixed(100 * Double(p.twoThreadSteps) / Double(p.step), 0))%" : "")
            if live {
                write("\r\u{1B}[K" + text)
                lineOpen = true
            } else if p.step == p.stepsPerEpoch {
                write(text + "\n")
            }
        case .progress(let name, let done, let total, let note):
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - stageStart) / 1e9
            let eta = done > 0 ? elapsed * Double(total - done) / Double(done) : 0
            let text = "  \(name) \(done)/\(total) (\(note))  elapsed \(Format.duration(elapsed))  ETA \(Format.duration(eta))"
            if live {
                write("\r\u{1B}[K" + text)
                lineOpen = true
            } else if done == total || done % max(1, total / 10) == 0 {
                write(text + "\n")
            }
        case .message(let text):
            finishLine()
            write(text + "\n")
        }
    }

    func message(_ text: String) { handle(.message(text)) }

    /// Ends a live progress line so the next output starts on its own line.
    func finishLine() {
        if lineOpen { write("\n"); lineOpen = false }
    }

    func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

}
