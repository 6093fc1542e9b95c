import Analysis
import Attacks
import Engine
import Experiments
import Figures
import Foundation
import Report

/// `out/summary.json`: every number of the run, no timings, dates or machine names.
struct Summary: ReadsStudyResults {
    let profile: Profile
    let seed: UInt64
    let results: StudyResults

    func json() -> JSONValue {
        [
            "profile": .string(profile.name),
            "seed": .number(Double(seed)),
            "base": baseJSON(),
            "adversarial": adversarialJSON(),
            "fgsm": .array(attack.fgsm.map { f in
                ["epsilon": number(f.epsilon), "images": int(f.images), "fooled": int(f.fooled),
                 "success_rate": .number(f.successRate), "l2_mean": .number(f.meanL2), "linf_mean": .number(f.meanLinf)]
            }),
            "fooling": .array(attack.fooling.map { f in
                ["label": int(f.label), "confidence": .number(f.confidence), "reached": .bool(f.reached),
                 "evaluations": int(f.evaluations)]
            }),
            "hardening": hardeningJSON(),
            "transfer": transferJSON(),
            "analysis": analysisJSON(),
            "monte_carlo": BeyondSummary(beyond: results.beyond).monteCarloJSON(),
            "distortion_moments": BeyondSummary(beyond: results.beyond).momentsJSON(),
            "darwinian": BeyondSummary(beyond: results.beyond).darwinianJSON(),
            "figures": .array(figures.map { f in
                ["number": int(f.number), "file": .string(f.file), "caption": .string(f.caption)]
            }),
        ]
    }

    func baseJSON() -> JSONValue {
        let s = profile.base
        return [
            "architecture": .string(s.architecture.description),
            "parameters": int(s.architecture.parameterCount),
            "epochs": int(s.epochs),
            "batch_size": int(s.batchSize),
            "train_images": int(s.trainImages),
            "learning_rate": number(s.optimizer.learningRate),
            "learning_rate_decay": number(s.optimizer.learningRateDecay),
            "weight_decay": number(s.optimizer.weightDecay),
            "momentum": number(s.optimizer.momentum),
            "dampening": number(s.optimizer.dampening),
            "normalization": ["mean": number(base.model.normalization.mean), "std": number(base.model.normalization.std)],
            "test_accuracy": .number(base.testAccuracy),
            "train_accuracy": .number(base.trainAccuracy),
            "per_epoch": .array(base.perEpoch.map { e in
                ["epoch": int(e.epoch), "loss": .number(e.loss), "train_accuracy_running": .number(e.runningTrainAccuracy),
                 "test_accuracy": .number(e.testAccuracy)]
            }),
        ]
    }

    func adversarialJSON() -> JSONValue {
        let summary = attack.summary
        func stats(_ s: SampleStatistics) -> JSONValue {
            ["mean": .number(s.mean), "median": .number(s.median), "min": .number(s.min), "max": .number(s.max)]
        }
        return [
            "source": "correctly classified training images",
            "pairs": int(summary.pairs),
            "attempts": int(summary.attempts),
            "failures": int(summary.failures),
            "misclassified_skipped": int(summary.misclassifiedSkipped),
            "success_rate": .number(summary.successRate),
            "l2": stats(summary.l2),
            "l2_szegedy": stats(summary.l2PerPixel),
            "linf": stats(summary.linf),
            "mean_abs": stats(summary.meanAbs),
            "target_confidence": stats(summary.targetConfidence),
            "c": stats(summary.c),
            "evaluations": stats(summary.evaluations),
            "pairs_by_source_target": .array(summary.pairsBySourceTarget.map { JSONValue(integers: $0) }),
        ]
    }

    func hardeningJSON() -> JSONValue {
        let h = hardening
        func grid<T>(_ table: [String: [String: [T]]], _ convert: (T) -> JSONValue) -> JSONValue {
            .object(h.settings.groupings.map { g in
                (g.rawValue, .object(h.settings.learningRates.map { lr in
                    ("\(lr)", .array((table[g.rawValue]?["\(lr)"] ?? []).map(convert)))
                }))
            })
        }
        func cell(_ c: CellStatistics) -> JSONValue {
            var o: JSONValue = [
                "model": .string(c.model), "mean": .number(c.summary.mean), "sd": .number(c.summary.sd),
                "ci95": c.summary.ci95.map(JSONValue.number) ?? .null,
                "values": JSONValue(numbers: c.values),
                "convergence_steps_mean": .number(c.meanConvergenceSteps),
                "original_accuracy_mean": .number(c.meanOriginalAccuracy),
            ]
            if let t = c.pairedT { o["p_value"] = .number(t.p); o["mean_difference"] = .number(t.meanDifference) }
            if let s = c.sign { o["sign_test_p"] = .number(s.p) }
            if let w = c.wilcoxon { o["wilcoxon_p"] = .number(w.p) }
            return o
        }
        return [
            "columns": .array(h.columns.map(JSONValue.string)),
            "epochs": int(h.settings.epochs),
            "learning_rates": JSONValue(numbers: h.settings.learningRates),
            "tables": grid(h.tables) { .number($0) },
            "test_sizes": .object(h.settings.groupings.map { ($0.rawValue, int(h.testSizes[$0.rawValue] ?? 0)) }),
            "training_sizes": .object(h.settings.groupings.map { ($0.rawValue, int(h.trainingSizes[$0.rawValue] ?? 0)) }),
            "convergence_steps": grid(h.convergenceSteps) { int($0) },
            "original_accuracy": grid(h.originalAccuracy) { .number($0) },
            "original_reversal": grid(h.originalReversal) { .number($0) },
            "mnist_test_accuracy": grid(h.testAccuracy) { .number($0) },
            "seeds": [
                "count": int(h.settings.seeds),
                "cells": grid(h.seeds, cell),
                "extra_models": .array(h.extraModels.map { c in
                    var o = cell(c)
                    o["grouping"] = .string(c.grouping.rawValue)
                    o["learning_rate"] = .number(c.learningRate)
                    return o
                }),
            ],
        ]
    }

    /// How concentrated the change between original and adversarial activations is per layer.
    func analysisJSON() -> JSONValue {
        [
            "volatility_definition": "Frobenius norm of a_j(adversarial) - a_j(original) per unit (feature map or neuron)",
            "concentration": .object(volatility.layers.map { l in
                let c = l.concentration
                return (l.layer.rawValue, [
                    "units": int(c.units),
                    "top10_share_mean": .number(c.meanTopTenShare), "gini_mean": .number(c.meanGini),
                    "top10_share_of_mean_profile": .number(c.profileTopTenShare), "gini_of_mean_profile": .number(c.profileGini),
                ])
            }),
        ]
    }

    func transferJSON() -> JSONValue {
        let r = transfer.result
        return [
            "second_net_test_accuracy": .number(transfer.secondNetTestAccuracy),
            "second_net_epochs": int(r.settings.epochs),
            "second_net_learning_rate": number(r.settings.sgd.learningRate),
            "second_net_momentum": number(r.settings.sgd.momentum),
            "reached_required_accuracy": .bool(r.reachedRequiredAccuracy),
            "pairs": int(r.pairs),
            "fooled": int(r.fooled),
            "fooled_rate": .number(r.fooledRate),
            "fooled_to_target": int(r.fooledToTarget),
            "target_rate": .number(r.targetRate),
            "originals_correct": int(r.originalsCorrect),
            "fooled_among_correct": int(r.fooledAmongCorrect),
        ]
    }
}

func int(_ value: Int) -> JSONValue { .number(Double(value)) }

/// A Float setting as the number it was written as (0.0001, not 0.00010000000474974513).
func number(_ value: Float) -> JSONValue { .number(Double("\(value)")!) }
