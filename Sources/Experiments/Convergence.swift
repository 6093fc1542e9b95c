/// When a hardening run counts as converged (the paper gives no definition).
///
/// A run converges at the first epoch from which its adversarial training accuracy stays within
/// `tolerance` of its final value through the last epoch (the start of its final plateau),
/// provided that plateau spans at least `plateauEpochs` epoch records. A run whose plateau is
/// shorter has not converged by the epoch cap: it is right-censored (reported as not
/// converged), never read as converging at the cap.
public struct ConvergenceRule: Codable, Hashable, Sendable {
    /// Default 0.01 (one percentage point).
    public var tolerance: Double
    /// Default 3: the convergence epoch and at least the two after it.
    public var plateauEpochs: Int

    public init(tolerance: Double = 0.01, plateauEpochs: Int = 3) {
        precondition(plateauEpochs >= 2, "a plateau needs at least two epochs")
        self.tolerance = tolerance
        self.plateauEpochs = plateauEpochs
    }

    /// The convergence epoch of `records` (epoch 0 = the base net), or nil when censored.
    public func convergenceEpoch(_ records: [EpochRecord]) -> Int? {
        guard let last = records.last else { return nil }
        var start = records.count - 1
        // |acc_e - acc_last| <= tolerance for every e from the plateau's start on.
        while start > 0, abs(records[start - 1].adversarialTraining - last.adversarialTraining) <= tolerance {
            start -= 1
        }
        return records.count - start >= plateauEpochs ? records[start].epoch : nil
    }
}

/// Steps to convergence over a cell's runs, censored runs counted apart.
public struct ConvergenceSummary: Codable, Equatable, Sendable {
    /// Mean steps over the converged runs; nil when none converged.
    public var meanSteps: Double?
    public var converged: Int
    /// Runs not converged by the epoch cap.
    public var censored: Int

    /// From each run's steps to convergence (nil = censored).
    public init(steps: [Int?]) {
        let done = steps.compactMap { $0 }
        converged = done.count
        censored = steps.count - done.count
        meanSteps = done.isEmpty ? nil : Double(done.reduce(0, +)) / Double(done.count)
    }
}
