/// Plain-text exports of the hardening runs (for `out/data/`): one row per run and epoch, and
/// one row per run and unit for the selection counts. Numbers in Swift's shortest round-trip
/// form; empty fields where a value was not measured.
extension HardeningResults {
    public static let curveHeader = "seed,grouping,learning_rate,model,epoch,adversarial_validation,adversarial_training,"
        + "original_training,original_validation,mnist_monitor,mean_loss,retained"

    /// Learning curves of every run (or of the runs `include` accepts).
    public func curvesCSV(include: (HardeningRunSpec) -> Bool = { _ in true }) -> String {
        var lines = [HardeningResults.curveHeader]
        for run in runs where include(run.spec) {
            let s = run.spec
            for e in run.epochs {
                let fields: [String] = [
                    "\(s.seed)", s.grouping.rawValue, "\(s.learningRate)", s.model.description, "\(e.epoch)",
                    "\(e.adversarialValidation)", "\(e.adversarialTraining)", "\(e.originalTraining)",
                    e.originalValidation.map { "\($0)" } ?? "", e.mnistMonitor.map { "\($0)" } ?? "", e.meanLoss.map { "\($0)" } ?? "",
                    e.retained.map { "\($0)" } ?? "",
                ]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per-unit selection counts of every selective-dropout run (figure 13).
    public func selectionCSV(include: (HardeningRunSpec) -> Bool = { _ in true }) -> String {
        var lines = ["seed,grouping,learning_rate,model,unit,selected,opportunities"]
        for run in runs where include(run.spec) && !run.selectionCounts.isEmpty {
            let s = run.spec
            for (unit, count) in run.selectionCounts.enumerated() {
                lines.append("\(s.seed),\(s.grouping.rawValue),\(s.learningRate),\(s.model.description),\(unit),"
                    + "\(count),\(run.selectionOpportunities)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
