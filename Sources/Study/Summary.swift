import Engine
import Experiments
import Foundation
import Report

/// `out/summary.json`: every number of the run, no timings, dates or machine names.
struct Summary {
    let profile: Profile
    let seed: UInt64
    let base: BaseTrainingResult

    func json() -> JSONValue {
        let s = profile.base
        let perEpoch = JSONValue.array(base.perEpoch.map { e in
            ["epoch": .number(Double(e.epoch)), "loss": .number(e.loss), "train_accuracy_running": .number(e.runningTrainAccuracy),
             "test_accuracy": .number(e.testAccuracy)]
        })
        return [
            "profile": .string(profile.name),
            "seed": .number(Double(seed)),
            "base": [
                "architecture": .string(s.architecture.description),
                "parameters": .number(Double(s.architecture.parameterCount)),
                "epochs": .number(Double(s.epochs)),
                "batch_size": .number(Double(s.batchSize)),
                "train_images": .number(Double(s.trainImages)),
                "learning_rate": number(s.optimizer.learningRate),
                "learning_rate_decay": number(s.optimizer.learningRateDecay),
                "weight_decay": number(s.optimizer.weightDecay),
                "momentum": number(s.optimizer.momentum),
                "dampening": number(s.optimizer.dampening),
                "normalization": ["mean": number(base.model.normalization.mean), "std": number(base.model.normalization.std)],
                "test_accuracy": .number(base.testAccuracy),
                "train_accuracy": .number(base.trainAccuracy),
                "per_epoch": perEpoch,
            ],
        ]
    }
}

/// A Float setting as the number it was written as (0.0001, not 0.00010000000474974513).
func number(_ value: Float) -> JSONValue { .number(Double("\(value)")!) }
