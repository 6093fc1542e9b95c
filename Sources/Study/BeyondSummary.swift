import StudyTypes
import Analysis
import Experiments
import Report

/// summary.json's parts past the paper: `monte_carlo`, `distortion_moments`, `darwinian`.
struct BeyondSummary {
    let beyond: BeyondResults

    func monteCarloJSON() -> JSONValue {
        let mc = beyond.monteCarlo, s = mc.settings
        func share(_ o: OutcomeShare) -> JSONValue {
            ["median": .number(o.perPair.median), "q1": .number(o.perPair.q1), "q3": .number(o.perPair.q3),
             "pooled": .number(o.pooled.share), "wilson_lower": .number(o.pooled.lower), "wilson_upper": .number(o.pooled.upper),
             "samples": int(o.pooled.trials)]
        }
        return [
            "samples_per_level": int(s.samplesPerLevel),
            "levels": JSONValue(numbers: (s.lowestLevel...s.highestLevel).map(Double.init)),
            "level_decay": .number(s.levelDecay),
            "noise_std_rule": "std(r) * 2^i * 0.9^(i - lowest level); resampled noise (r's values with replacement) at level 0 only, as the author's -hist",
            "grouping": .string(mc.grouping.rawValue),
            "learning_rate": .number(mc.learningRate),
            "held_out_pairs": int(mc.heldOut.count),
            "nets": .array(mc.nets.indices.map { k in
                ["net": .string(mc.nets[k].name),
                 "pairs": .object(ProbedPairs.allCases.map { subset in
                     (subset.rawValue, .array(mc.summary(k, subset).levels.map { l in
                         ["centre": .string(l.centre.rawValue), "noise": .string(l.noise.rawValue), "level": int(l.level),
                          "noise_std_median": .number(l.noiseStdMedian), "actual_noise_std_median": .number(l.actualNoiseStdMedian),
                          "original": share(l.original), "target": share(l.target), "other": share(l.other)]
                     }))
                 })]
            }),
        ]
    }

    func momentsJSON() -> JSONValue {
        let m = beyond.moments
        func q(_ x: SampleSummary) -> JSONValue {
            ["median": .number(x.median), "q1": .number(x.q1), "q3": .number(x.q3), "mean": .number(x.mean)]
        }
        return [
            "units": "bytes (r * 255); l2 and linf in [0, 1] pixel units",
            "summary": ["mean": q(m.mean), "std": q(m.std), "skewness": q(m.skewness), "excess_kurtosis": q(m.excessKurtosis),
                        "l2": q(m.l2), "linf": q(m.linf)],
            "per_pair": .array(m.perPair.map { p in
                ["mean": .number(p.mean), "csv_mean": .number(p.csvMean), "std": .number(p.std), "skewness": .number(p.skewness),
                 "excess_kurtosis": .number(p.excessKurtosis), "l2": .number(p.l2), "linf": .number(p.linf)]
            }),
        ]
    }

    func darwinianJSON() -> JSONValue {
        let d = beyond.darwinian, s = d.settings
        func summary(_ x: SampleSummary?) -> JSONValue {
            guard let x else { return .null }
            return ["mean": .number(x.mean), "ci95": x.ci95.map(JSONValue.number) ?? .null, "seeds": int(x.count)]
        }
        return [
            "rounds": int(s.rounds), "sources_per_round": int(s.sourcesPerRound), "seeds": int(s.seeds),
            "learning_rate": .number(s.learningRate), "epochs": int(s.epochs), "fgsm_epsilon": number(s.fgsmEpsilon),
            "models": .array(s.models.map { .string($0.description) }),
            "per_round": .array(d.summaries.map { r in
                ["model": .string(r.model.description), "round": int(r.round), "success_rate": summary(r.successRate),
                 "median_l2": summary(r.medianL2),
                 "l2_pooled": r.l2.map { ["q1": .number($0.q1), "median": .number($0.median), "q3": .number($0.q3)] } ?? .null,
                 "c_median": r.cMedian.map(JSONValue.number) ?? .null,
                 "fgsm_success_rate": summary(r.fgsmSuccessRate), "clean_accuracy_after": summary(r.cleanAccuracyAfter),
                 "round0_accuracy_after": summary(r.roundZeroAccuracyAfter),
                 "accuracy_on_rounds": JSONValue(numbers: r.accuracyOnRounds)]
            }),
            "chains": .array(d.chains.map { c in
                ["seed": int(c.seed), "model": .string(c.model.description), "rounds": .array(c.rounds.map { r in
                    ["round": int(r.round), "attempts": int(r.attempts), "successes": int(r.successes),
                     "l2": JSONValue(numbers: r.successfulL2), "c": JSONValue(numbers: r.successfulC),
                     "fgsm_success_rate": .number(r.fgsmSuccessRate), "fgsm_l2_mean": .number(r.fgsmMeanL2),
                     "clean_accuracy_before": .number(r.cleanAccuracyBefore), "clean_accuracy_after": .number(r.cleanAccuracyAfter),
                     "accuracy_on_rounds": JSONValue(numbers: r.accuracyOnRounds)]
                })]
            }),
        ]
    }
}
