import Analysis
import Experiments
import Figures
import Report

/// What the sensitivity levels say, computed from their numbers: which levels move the
/// reproduction toward the paper, which away, and whether any level reproduces the paper's
/// pattern. The report context, the summary and figure 18 all read it from here.
struct SensitivityContext {
    let stage: SensitivityStage
    /// The paper's own tables read as a level (one "seed"), for its control mean and SD minus control.
    let paper: SensitivityLevelResult

    init(stage: SensitivityStage) {
        self.stage = stage
        paper = SensitivityLevelResult(level: .metric(.withheld), isPrimary: false, perSeed: [stage.paperTables],
                                       controlColumns: stage.controlColumns, paper: stage.paperTables)
    }

    /// How a level's distance to the paper (Table 3 excluded) compares with its factor's primary level, seed by seed.
    enum Direction: String { case toward = "toward the paper", away = "away from the paper", unclear = "no consistent change" }

    var primaryLevels: [SensitivityFactor: SensitivityLevelResult] {
        Dictionary(stage.levels.filter(\.isPrimary).map { ($0.level.factor, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Toward when every seed's distance is below the primary's on that seed, away when every seed's is above.
    func direction(_ level: SensitivityLevelResult) -> Direction? {
        guard !level.isPrimary, let primary = primaryLevels[level.level.factor] else { return nil }
        let deltas = zip(level.distanceWithoutTable3.values, primary.distanceWithoutTable3.values).map { $0 - $1 }
        if !deltas.isEmpty && deltas.allSatisfy({ $0 < 0 }) { return .toward }
        if !deltas.isEmpty && deltas.allSatisfy({ $0 > 0 }) { return .away }
        return .unclear
    }

    /// The paper's pattern, as its tables show it: some SD beats the control in at least as many
    /// (grouping, lr) rows as in the paper, and SD minus control is positive on every seed.
    func reproducesPattern(_ level: SensitivityLevelResult) -> Bool {
        level.rowsWhereSDBeatsControl >= paper.rowsWhereSDBeatsControl && level.sdMinusControl.max > 0
            && level.sdMinusControl.values.allSatisfy { $0 > 0 }
    }

    static func label(_ level: SensitivityLevelResult) -> String { "\(level.level.factor.rawValue): \(level.level)" }

    func levelList(_ levels: [SensitivityLevelResult]) -> String {
        levels.map { l in
            "\(Self.label(l)) (\(Format.fixed(primaryLevels[l.level.factor]!.distanceWithoutTable3.mean, 3)) -> "
                + "\(Format.fixed(l.distanceWithoutTable3.mean, 3)))"
        }.joined(separator: "; ")
    }

    /// The section's computed sentences, in order.
    var sentences: [String] {
        let others = stage.levels.filter { !$0.isPrimary }
        var out: [String] = []
        let primary = stage.levels.first(where: \.isPrimary)
        if let primary {
            out.append("Each level was run over \(primary.seeds) seeds (seeds 0 to \(primary.seeds - 1) of the hardening grid). "
                + "The primary configuration reaches a control mean of \(Format.fixed(primary.controlMean.mean, 3)) (the paper's tables: "
                + "\(Format.fixed(paper.controlMean.mean, 3))), SD minus control \(Format.signed(primary.sdMinusControl.mean, 3)) "
                + "(paper \(Format.signed(paper.sdMinusControl.mean, 3))) and a mean absolute distance to the paper's cells of "
                + "\(Format.fixed(primary.distanceWithoutTable3.mean, 3)) without Table 3 (\(Format.fixed(primary.distanceToPaper.mean, 3)) over all 48).")
        }
        for direction in [Direction.toward, .away, .unclear] {
            let levels = others.filter { self.direction($0) == direction }
            let lead: String
            switch direction {
            case .toward: lead = "Levels that move the reproduction toward the paper on every seed (distance without Table 3, primary -> level)"
            case .away: lead = "Levels that move it away from the paper on every seed"
            case .unclear: lead = "Levels whose seeds disagree on the direction"
            }
            out.append(levels.isEmpty ? "\(lead): none." : "\(lead): \(levelList(levels)).")
        }
        if let closest = stage.levels.min(by: { $0.distanceWithoutTable3.mean < $1.distanceWithoutTable3.mean }) {
            out.append("The closest level is \(Self.label(closest)), at \(Format.fixed(closest.distanceWithoutTable3.mean, 3)) "
                + "without Table 3 (\(Format.fixed(closest.distanceToPaper.mean, 3)) over all 48 cells).")
        }
        let reproducing = stage.levels.filter(reproducesPattern)
        let criterion = "some SD_p above the control in at least \(paper.rowsWhereSDBeatsControl) of \(paper.rows) rows, as in the paper, "
            + "and SD minus control positive on every seed"
        if reproducing.isEmpty {
            out.append("No level reproduces the paper's pattern (\(criterion)). Only one factor was changed at a time; "
                + "a combination of levels was not run, so whether one would reproduce the paper is not measured here.")
        } else {
            out.append("Levels that reproduce the paper's pattern (\(criterion)): "
                + reproducing.map(Self.label).joined(separator: "; ") + ". Combinations of levels were not run.")
        }
        return out
    }

    /// The primary once, then every other level (the primary's level of each factor has the primary's numbers).
    var shownLevels: [SensitivityLevelResult] {
        Array(stage.levels.filter(\.isPrimary).prefix(1)) + stage.levels.filter { !$0.isPrimary }
    }

    /// Every factor's level in the primary configuration, e.g. "final-C rule: author's lagged C; ...".
    var primaryDescription: String {
        SensitivityFactor.allCases.map { "\($0.rawValue): \(stage.primary.level(of: $0))" }.joined(separator: "; ")
    }

    /// The report's rows: the primary first, then one per other level.
    func json() -> JSONValue {
        [
            "seeds": .string("\(stage.levels.first?.seeds ?? 0)"),
            "new_runs": .string(Format.count(stage.newRuns)),
            "reused_runs": .string(Format.count(stage.reusedRuns)),
            "extra_attacks": .string("\(stage.attacks.count)"),
            "shared_search_attacks": .string("\(stage.attacks.filter(\.sharesPrimarySearches).count)"),
            "sentences": .strings(sentences),
            "rows": .array(shownLevels.map { l in
                ["factor": .string(l.isPrimary ? "primary configuration" : l.level.factor.rawValue),
                 "level": .string(l.isPrimary ? primaryDescription : l.level.description),
                 "primary": .bool(l.isPrimary), "direction": .string(direction(l)?.rawValue ?? "primary"),
                 "control_mean": .string(Format.fixed(l.controlMean.mean, 3)),
                 "sd_minus_control": .string(Format.signed(l.sdMinusControl.mean, 3)),
                 "distance": .string(Format.fixed(l.distanceWithoutTable3.mean, 3)),
                 "distance_48": .string(Format.fixed(l.distanceToPaper.mean, 3)),
                 "rows_sd_beats_control": .string("\(l.rowsWhereSDBeatsControl)/\(l.rows)")]
            }),
            "paper": ["control_mean": .string(Format.fixed(paper.controlMean.mean, 3)),
                      "sd_minus_control": .string(Format.signed(paper.sdMinusControl.mean, 3)),
                      "rows_sd_beats_control": .string("\(paper.rowsWhereSDBeatsControl)/\(paper.rows)")],
        ]
    }

    /// `sensitivity` of summary.json: every level with its 48 cells and statistics.
    func summaryJSON() -> JSONValue {
        func seeds(_ v: SeedValues) -> JSONValue {
            ["mean": .number(v.mean), "min": .number(v.min), "max": .number(v.max), "per_seed": .array(v.values.map(JSONValue.number))]
        }
        // {"Adv": {"0.001": [cells], ...}, ...}, as reference.json writes the paper's tables.
        func table(_ t: SensitivityTable) -> JSONValue {
            let groupings = t.keys.map(\.grouping).reduce(into: [Grouping]()) { if !$0.contains($1) { $0.append($1) } }
            return .object(groupings.map { g in
                (g.rawValue, .object(t.rows.filter { $0.key.grouping == g }.map { ("\($0.key.learningRate)", .array($0.cells.map(JSONValue.number))) }))
            })
        }
        return [
            "seeds": .number(Double(stage.levels.first?.seeds ?? 0)),
            "new_hardening_runs": .number(Double(stage.newRuns)),
            "reused_hardening_runs": .number(Double(stage.reusedRuns)),
            "extra_attacks": .array(stage.attacks.map { a in
                ["final_c": .string(SensitivityLevel.finalC(a.key.attack.finalC).description),
                 "domain": .string(SensitivityLevel.domain(a.key.attack.domain).description),
                 "source": .string(SensitivityLevel.source(a.key.attack.source).description),
                 "base_network": .string(a.key.baseNetwork.rawValue),
                 "pairs": .number(Double(a.pairs)), "attempts": .number(Double(a.attempts)),
                 "shares_primary_searches": .bool(a.sharesPrimarySearches)]
            }),
            "factors": .array(stage.levels.map { l in
                ["factor": .string(l.level.factor.rawValue), "level": .string(l.level.description), "primary": .bool(l.isPrimary),
                 "seeds": .number(Double(l.seeds)), "tables": table(l.tables), "control_mean": seeds(l.controlMean),
                 "sd_minus_control": seeds(l.sdMinusControl),
                 "distance_to_paper": ["all_48": seeds(l.distanceToPaper), "without_table_3": seeds(l.distanceWithoutTable3),
                                       "table_3_note": "the paper's Table 3 repeats Table 1's numbers (a copy error)"],
                 "direction": .string(direction(l)?.rawValue ?? "primary"),
                 "reproduces_paper_pattern": .bool(reproducesPattern(l))]
            }),
        ]
    }

    /// Figure 18's input: distance without Table 3 and SD minus control per level.
    func figureInput() -> SensitivityDots {
        func entries(_ value: (SensitivityLevelResult) -> SeedValues) -> [IntervalEntry] {
            shownLevels.map { l in
                let v = value(l)
                return IntervalEntry(model: l.isPrimary ? "primary" : l.level.shortName,
                                     mean: v.mean, lower: v.min, upper: v.max)
            }
        }
        return SensitivityDots(seeds: stage.levels.first?.seeds ?? 0, panels: [
            IntervalPanel(title: "mean |ours - paper| over the 32 cells of Tables 1-2", entries: entries(\.distanceWithoutTable3)),
            IntervalPanel(title: "SD minus control (mean over the 36 SD cells)", entries: entries(\.sdMinusControl)),
        ], references: [nil, paper.sdMinusControl.mean])
    }
}
