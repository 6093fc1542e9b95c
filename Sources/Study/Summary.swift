import Analysis
import Attacks
import Engine
import Experiments
import Figures
import Foundation
import Report
import StudyTypes

/// `out/summary.json`: every number of the run, no timings, dates or machine names.
struct Summary: ReadsStudyResults {
    let profile: Profile
    let seed: UInt64
    let paper: PaperReference
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
            "sensitivity": SensitivityContext(stage: results.sensitivity).summaryJSON(),
            "claims": claimsJSON(),
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
            "normalization": ["mean": number(base.model.normalisation.mean), "std": number(base.model.normalisation.std)],
            "test_accuracy": .number(base.testAccuracy),
            "train_accuracy": .number(base.trainAccuracy),
            "per_epoch": .array(base.perEpoch.map { e in
                ["epoch": int(e.epoch), "loss": .number(e.loss), "train_accuracy_running": .number(e.runningTrainAccuracy),
                 "test_accuracy": .number(e.testAccuracy)]
            }),
        ]
    }

    func adversarialJSON() -> JSONValue {
        var json = Summary.protocolJSON(attack.summary)
        json["source"] = .string(attack.source.description)
        json["variants"] = .object(attack.variantSummaries.map { ($0.settings.name, Summary.protocolJSON($0)) })
        return json
    }

    /// One protocol's statistics (the primary's, and each variant's under `variants`).
    static func protocolJSON(_ summary: AdversarialSummary) -> JSONValue {
        func stats(_ s: SampleSummary) -> JSONValue {
            ["mean": .number(s.mean), "median": .number(s.median), "min": .number(s.min), "max": .number(s.max)]
        }
        let a = summary.settings
        return [
            "protocol": .string(a.name),
            "domain": .string(a.domain.rawValue),
            "growth_stop": .string(a.growthStop.rawValue),
            "final_c_rule": .string(a.finalC.rawValue),
            "evaluation_counting": .string(a.wrapper.rawValue),
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
            "c_final_zero": int(summary.cFinalZero),
            "c_final_values": JSONValue(numbers: summary.cFinalValues),
            "evaluations": stats(summary.evaluations),
            "pairs_by_source_target": .array(summary.pairsBySourceTarget.map { JSONValue(integers: $0) }),
        ]
    }

    /// Every claim with its source, verdict and evidence (the report's claims tables).
    func claimsJSON() -> JSONValue {
        let h = HardeningContext(results: hardening, paper: paper, baseTestAccuracy: base.testAccuracy)
        return ClaimsContext(hardening: h, baseTestAccuracy: base.testAccuracy, transfer: transfer).json().list
    }

    func hardeningJSON() -> JSONValue {
        let h = hardening, s = h.settings
        /// `{grouping: {rate: [one value per table column]}}`, the reference.json layout.
        func grid(_ value: (HardeningCellKey) -> JSONValue) -> JSONValue {
            .object(s.groupings.map { g in
                (g.rawValue, .object(s.learningRates.map { lr in
                    ("\(lr)", .array(h.columns.map { value(HardeningCellKey(g, lr, $0)) }))
                }))
            })
        }
        func seed0(_ value: @escaping (HardeningRunResult) -> JSONValue) -> JSONValue {
            grid { value(h.run(seed: 0, $0)) }
        }
        func cell(_ c: CellStatistics) -> JSONValue {
            var o: JSONValue = [
                "model": .string(c.key.model.description), "mean": .number(c.summary.mean), "sd": .number(c.summary.sd),
                "ci95": c.summary.ci95.map(JSONValue.number) ?? .null,
                "values": JSONValue(numbers: c.values),
                "convergence_steps_mean": c.convergence.meanSteps.map(JSONValue.number) ?? .null,
                "converged": int(c.convergence.converged), "censored": int(c.convergence.censored),
                "original_accuracy_mean": .number(c.meanOriginalTraining),
            ]
            if let t = c.pairedT { o["p_value"] = .number(t.p); o["mean_difference"] = .number(t.meanDifference) }
            if let s = c.sign { o["sign_test_p"] = .number(s.p) }
            if let w = c.wilcoxon { o["wilcoxon_p"] = .number(w.p) }
            return o
        }
        return [
            "columns": .array(h.columns.map { .string($0.description) }),
            "epochs": int(s.epochs),
            "learning_rates": JSONValue(numbers: s.learningRates),
            "selection": ["source": .string(s.selection.source.rawValue), "activation": .string(s.selection.point.rawValue)],
            "training_accuracy": "fraction of the epoch's steps whose forward pass, before the update, classified the image as its true label",
            "tables": seed0 { .number($0.final.adversarialValidation) },
            "test_sizes": .object(s.groupings.map { ($0.rawValue, int(h.testSize($0))) }),
            "training_sizes": .object(s.groupings.map { ($0.rawValue, int(h.trainingSize($0))) }),
            "convergence_steps": seed0 { $0.convergenceSteps.map(int) ?? .null },
            "convergence": [
                "tolerance": .number(s.convergence.tolerance), "plateau_epochs": int(s.convergence.plateauEpochs),
                "censored": grid { int(h.cell($0).convergence.censored) },
                "converged": grid { int(h.cell($0).convergence.converged) },
                "steps_mean_converged": grid { h.cell($0).convergence.meanSteps.map(JSONValue.number) ?? .null },
            ],
            "original_accuracy": seed0 { .number($0.final.originalTraining) },
            "original_reversal": seed0 { r in .number(r.epochs.map(\.originalTraining).max()! - r.final.originalTraining) },
            "mnist_test_accuracy": seed0 { .number($0.finalTestAccuracy!) },
            "seeds": [
                "count": int(s.seeds),
                "cells": grid { cell(h.cell($0)) },
                "extra_models": .array(h.extraCells.map { c in
                    var o = cell(c)
                    o["grouping"] = .string(c.key.grouping.rawValue)
                    o["learning_rate"] = .number(c.key.learningRate)
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
