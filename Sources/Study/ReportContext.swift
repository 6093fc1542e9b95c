import Analysis
import Attacks
import Engine
import Experiments
import Figures
import Foundation
import MNIST
import Report

/// Builds the templates' context (`Templates/CONTEXT.md`) from this run's results: every
/// number formatted (`Format`); the fixed prose lives in the templates, and each sentence whose
/// wording depends on the numbers is built by its section's context (`HardeningContext`,
/// `ClaimsContext`, `SensitivityContext`, `BeyondContext`, ...).
struct ReportContext: ReadsStudyResults {
    let options: StudyOptions
    let settingsHash: String
    let paper: PaperReference
    let results: StudyResults

    func json() -> JSONValue {
        let h = HardeningContext(results: hardening, paper: paper, baseTestAccuracy: base.testAccuracy)
        let claims = ClaimsContext(hardening: h, baseTestAccuracy: base.testAccuracy, transfer: transfer).json()
        let profile = options.profile
        let command = "swift run -c release report" + (profile.name == "paper" ? "" : " --profile \(profile.name)")
            + (options.seed == 1 ? "" : " --seed \(options.seed)")
        return [
            "title": "Visualization and Selective Dropout for Adversarial Image Classification: a reproduction",
            "paper": ["author": "William Hinthorn",
                      "title": "Visualization and Selective Dropout for Adversarial Image Classification",
                      "file": "hinthorn-selective-dropout.txt"],
            "run": ["profile": .string(profile.name), "seed": .string("\(options.seed)"),
                    "settings_hash": .string(settingsHash), "settings_hash_short": .string(String(settingsHash.prefix(12))),
                    "reduced_scale": .bool(profile.name != "paper"), "command": .string(command)],
            "claims_summary": .string(claims.summary),
            "base": baseJSON(),
            "adversarial": adversarialJSON(),
            "fgsm": fgsmJSON(),
            "fooling": foolingJSON(),
            "figures": figuresJSON(),
            "models": h.models,
            "tables": h.tables(),
            "hardening": h.hardening(),
            "seeds": h.seeds(),
            "ablations": h.ablations(),
            "schedule": h.schedule(),
            "transfer": transferJSON(),
            "sensitivity": SensitivityContext(stage: results.sensitivity).json(),
            "beyond": BeyondContext(beyond: results.beyond, hardening: hardening).json(),
            "analysis": ["concentration": .string(concentrationSentence())],
            "methods": MethodsContext(profile: profile, hardening: hardening).json(),
            "claims": claims.claims,
            "cited_claims": claims.cited,
            "discussion": ["points": .strings(discussion(h))],
            "repro": reproJSON(),
        ]
    }

    func baseJSON() -> JSONValue {
        let s = options.profile.base
        let shown = Set([1, 10, 20, 50, s.epochs].filter { $0 <= s.epochs })
        return [
            "architecture": .string(s.architecture.description),
            "parameters": .string(Format.count(s.architecture.parameterCount)),
            "epochs": .string("\(s.epochs)"),
            "steps": .string(Format.count(s.epochs * s.trainImages)),
            "batch_size": .string("\(s.batchSize)"),
            "learning_rate": .string(Format.setting(s.optimizer.learningRate)),
            "test_accuracy": .string(Format.percent(base.testAccuracy)),
            "train_accuracy": .string(Format.percent(base.trainAccuracy)),
            "paper_test_accuracy": .string(Format.percent(paper.base_training.reported_test_accuracy, 0)),
            "target": "98.8%",
            "meets_target": .bool(base.testAccuracy >= 0.988),
            "epochs_shown": .array(base.perEpoch.filter { shown.contains($0.epoch) }.map { e in
                ["epoch": .string("\(e.epoch)"), "loss": .string(Format.fixed(e.loss, 4)),
                 "test_accuracy": .string(Format.percent(e.testAccuracy))]
            }),
        ]
    }

    func adversarialJSON() -> JSONValue {
        let s = attack.summary
        return [
            "pairs": .string("\(s.pairs)"), "attempts": .string("\(s.attempts)"), "failures": .string("\(s.failures)"),
            "success_rate": .string(Format.percent(s.successRate, 1)),
            "source": .string(attack.source.description + ", drawn at random"),
            "protocol": .string(s.settings.name),
            "c_final_zero": .string("\(s.cFinalZero)"),
            "l2_mean": .string(Format.fixed(s.l2.mean, 2)), "l2_median": .string(Format.fixed(s.l2.median, 2)),
            "l2_min": .string(Format.fixed(s.l2.min, 2)), "l2_max": .string(Format.fixed(s.l2.max, 2)),
            "szegedy_mean": .string(Format.fixed(s.l2PerPixel.mean, 3)), "linf_mean": .string(Format.fixed(s.linf.mean, 2)),
            "mean_abs_mean": .string(Format.fixed(s.meanAbs.mean, 3)),
            "target_confidence_mean": .string(Format.percent(s.targetConfidence.mean, 1)),
            "c_median": .string(Format.significant(s.c.median, 3)),
            "evaluations_mean": .string(Format.count(Int(s.evaluations.mean.rounded()))),
        ]
    }

    func fgsmJSON() -> JSONValue {
        let l2 = attack.summary.l2.mean
        let rows = attack.fgsm
        let comparison: String
        if let half = rows.first(where: { $0.successRate >= 0.5 }) {
            comparison = "the smallest epsilon at which FGSM fools at least half of the same originals is \(Format.setting(half.epsilon)), with a mean L2 distortion of \(Format.fixed(half.meanL2, 2)), \(Format.fixed(half.meanL2 / max(l2, 1e-9), 1)) times that of L-BFGS, and it chooses no target"
        } else {
            comparison = "FGSM fools at most \(Format.percent(rows.map(\.successRate).max() ?? 0, 1)) of the same originals at the epsilons tried (L-BFGS: all of them, at mean L2 \(Format.fixed(l2, 2)))"
        }
        return ["rows": .array(rows.map { r in
                    ["epsilon": .string(Format.setting(r.epsilon)), "success_rate": .string(Format.percent(r.successRate, 1)),
                     "l2_mean": .string(Format.fixed(r.meanL2, 2))]
                }),
                "comparison": .string(comparison)]
    }

    func foolingJSON() -> JSONValue {
        [
            "classes": .array(attack.fooling.map { ["label": .string("\($0.label)"), "confidence": .string(Format.percent($0.confidence))] }),
            "min_confidence": .string(Format.percent(attack.fooling.map(\.confidence).min() ?? 0)),
            "method": "L-BFGS-B on -log p(class) over the pixels, bounded to [0, 1], from seeded uniform noise, stopped once p(class) >= 99.6%",
        ]
    }

    static let figureTitles: [Int: (title: String, alt: String)] = [
        1: ("An adversarial pair", "Original digit, perturbation, adversarial digit"),
        2: ("The perturbation re-rendered", "The perturbation thresholded and at 80% contrast"),
        3: ("An artificial neuron", "Diagram of one neuron"),
        4: ("A multilayer perceptron", "Diagram of an MLP of depth 3"),
        5: ("Convolution as a sweeping product", "A conv1 kernel swept over a digit"),
        6: ("This study's network", "Diagram of the CNN's layers"),
        7: ("Fooling images", "Ten noise-like images, one per class"),
        8: ("Five adversarial pairs", "Originals above their adversarial images"),
        9: ("Feature maps, original and adversarial", "conv1 and conv2 feature maps"),
        10: ("Concentration of blame in the fc layer", "fc activations and their differences"),
        11: ("Averaged conv2 projections of a group", "Projections of originals, adversarials and differences"),
        12: ("Per-unit conv2 projection differences", "64 projection differences"),
        13: ("Selection rates under selective dropout", "Histograms and sorted selection rates"),
        14: ("Base training curves", "Loss and accuracy per epoch"),
        15: ("Hardening learning curves", "Adversarial validation accuracy per epoch"),
        16: ("Distortion of the adversarial pairs", "Histogram of L2 distortions"),
        17: ("Selective dropout against the control over seeds", "Means with 95% confidence intervals"),
        18: ("Why our tables differ", "Distance to the paper's cells and SD minus control, per sensitivity level"),
        19: ("Monte-Carlo probing around the pairs", "Shares of noisy images classified as the original or the target per noise level"),
        20: ("Darwinian testing", "Distortion, attack success and accuracy per round, control and selective dropout"),
    ]

    func figuresJSON() -> JSONValue {
        func list(_ numbers: [Int]) -> JSONValue {
            .array(figures.filter { numbers.contains($0.number) }.sorted { $0.number < $1.number }.map { f in
                let png = f.file, vector = String(f.file.dropLast(4)) + ".pdf"
                guard let names = ReportContext.figureTitles[f.number] else {
                    preconditionFailure("figure \(f.number) has no entry in ReportContext.figureTitles")
                }
                return ["number": .number(Double(f.number)), "anchor": .string("fig-\(f.number)"), "png": .string(png),
                        "vector": .string(vector), "vector_format": "PDF", "title": .string(names.title),
                        "caption": .string(f.caption), "alt": .string(names.alt)]
            })
        }
        return ["background": list([3, 4, 5, 6]), "attack": list([1, 2, 7, 8]), "analysis": list([9, 10, 11, 12]),
                "hardening": list([13]), "new": list(Array(14...40).filter { !BeyondContext.figureNumbers.contains($0) }),
                "beyond": list(BeyondContext.figureNumbers)]
    }

    func transferJSON() -> JSONValue {
        let r = transfer.result, s = r.settings
        let comparison: String
        switch r.fooledRate {
        case ..<0.35: comparison = "far below the more than 70% Szegedy et al. report; the minimal-distortion L-BFGS images made for the base net transfer poorly to a second MNIST net"
        case ..<0.7: comparison = "below the more than 70% Szegedy et al. report"
        default: comparison = "in line with the more than 70% Szegedy et al. report"
        }
        return [
            "second_net_test_accuracy": .string(Format.percent(transfer.secondNetTestAccuracy)),
            "schedule": .string("same architecture, a new seed, batch size 1 in a shuffled order, lr \(Format.setting(s.sgd.learningRate)) with decay \(Format.setting(s.sgd.learningRateDecay)), momentum \(Format.setting(s.sgd.momentum)), \(s.epochs) epoch\(s.epochs == 1 ? "" : "s"): shorter than the base net's protocol\(r.reachedRequiredAccuracy ? "" : "; it did not reach the required \(Format.percent(s.requiredTestAccuracy, 0))")"),
            "fooling_rate": .string(Format.percent(r.fooledRate, 1)),
            "fooled": .string("\(r.fooled)"),
            "szegedy_rate": "> 70%",
            "comparison": .string(comparison),
        ]
    }

    func discussion(_ h: HardeningContext) -> [String] {
        var points: [String] = []
        let gap = 100 * (base.testAccuracy - paper.base_training.reported_test_accuracy)
        points.append("The base network ends at \(Format.percent(base.testAccuracy)) test accuracy, \(Format.fixed(abs(gap), 2)) points \(gap >= 0 ? "above" : "below") the paper's 99%.")
        let conv2 = volatility[.conv2].concentration, fc = volatility[.fc].concentration
        points.append("The change an adversarial image causes is concentrated: the top 10% of units carry on average \(Format.percent(conv2.meanTopTenShare, 0)) of the total volatility in conv2 and \(Format.percent(fc.meanTopTenShare, 0)) in fc (Gini \(Format.fixed(conv2.meanGini, 2)) and \(Format.fixed(fc.meanGini, 2))).")
        let s = h.significantCount()
        let expected = 0.05 * Double(s.total)
        let reading = Double(s.significant) <= 2 * expected
            ? "no more than chance gives, so single-seed tables like the paper's cannot separate the methods"
            : s.worse > s.better
                ? "far more than chance gives: the differences are real, and \(s.worse) of them favour the control"
                : "far more than chance gives: the differences are real, and \(s.better) of them favour selective dropout"
        points.append("Over \(h.settings.seeds) seeds, \(s.significant) of \(s.total) selective-dropout cells differ from the control at p < 0.05 (\(s.better) better, \(s.worse) worse) against \(Format.fixed(expected, 1)) expected by chance: \(reading).")
        points += selectiveDropoutEffect(h)
        points.append(h.trainingErrorPoint())
        let sizes = h.settings.groupings.map { "\($0.rawValue) \(hardening.testSize($0))" }.joined(separator: ", ")
        let smallest = h.settings.groupings.map(hardening.testSize).min() ?? 1
        points.append("Validation sets are small (\(sizes) pairs), so one pair moves a cell by up to \(Format.fixed(1 / Double(max(smallest, 1)), 2)).")
        return points
    }

    /// How concentrated the change in the fc layer is: per pair, and in the mean over pairs.
    func concentrationSentence() -> String {
        let fc = volatility[.fc].concentration
        let perPair = fc.meanTopTenShare, profile = fc.profileTopTenShare
        let reading: String
        if perPair < 0.15 {
            reading = "the change is spread fairly evenly"
        } else if profile <= 0.15 {
            reading = "each pair's change is concentrated, but on different units from pair to pair"
        } else if profile >= 0.8 * perPair {
            reading = "the change concentrates on the same units across pairs"
        } else {
            reading = "each pair's change is concentrated, on units that overlap only partly from pair to pair"
        }
        return "in the fc layer the 10% most changed units carry \(Format.percent(perPair, 0)) of an adversarial image's change on average (10% if it were spread evenly; Gini \(Format.fixed(fc.meanGini, 2))), while in the change averaged over all pairs the top 10% carry \(Format.percent(profile, 0)): \(reading)"
    }

    /// How far each retained proportion p moves the mean accuracy from the control, over every
    /// grouping, learning rate and layer (multi-seed means).
    func selectiveDropoutEffect(_ h: HardeningContext) -> [String] {
        h.settings.proportions.map { p in
            let differences = h.seedCells().filter { $0.column.model.policy?.proportion == p }
                .map { $0.cell.summary.mean - $0.control.summary.mean }
            let lower = differences.min() ?? 0, upper = differences.max() ?? 0
            return "Keeping p = \(p) of the units moves the mean adversarial validation accuracy by \(Format.signed(lower, 3)) to \(Format.signed(upper, 3)) against the control over the \(differences.count) (grouping, learning rate, layer) cells."
        }
    }

    func reproJSON() -> JSONValue {
        [
            "swift": .string(ReportContext.swiftVersion),
            "os": "Linux (Debian 12 packages)",
            "libraries": .array([
                ["name": "OpenBLAS", "version": .string(OpenBLASRuntime.version())],
                ["name": "liblbfgsb (L-BFGS-B, Byrd, Lu, Nocedal, Zhu)", "version": "3.0"],
                ["name": "Cairo", "version": .string(cairoVersion())],
                ["name": "zlib", "version": .string(zlibVersionString())],
                ["name": "swift-mustache", "version": "2.1.1"],
                ["name": "swift-argument-parser", "version": "1.8.2"],
            ]),
            // What was pinned, never the CPU's detected kernel family (no result's bits depend on it).
            "openblas_core": .string(PortableBLAS.description + "; OpenBLAS held to one thread"),
            "check_command": "swift run -c release report --check",
            "diff_command": "swift run -c release report diff HEAD~1",
        ]
    }

    static var swiftVersion: String {
        #if swift(>=6.3)
        return "Swift 6.3 or later"
        #else
        return "Swift 6.0 or later"
        #endif
    }
}
