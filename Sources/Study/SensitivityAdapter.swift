import Attacks
import Experiments

/// The one place that maps the sensitivity plan's levels onto the settings the attack and
/// hardening code run: the primary configuration is what the main stages run, and a level's
/// settings are the main ones with that level's field changed.
enum SensitivityAdapter {
    /// The primary configuration: what the main stages compute (fixed before looking).
    static func primary(_ profile: Profile) -> SensitivityConfiguration {
        SensitivityConfiguration(
            attack: SensitivityAttack(finalC: profile.attack.finalC, domain: profile.attack.domain, source: profile.attackSource),
            selection: profile.hardening.selection, baseNetwork: .ours, pipeline: .ours,
            epochs: profile.hardening.epochs, metric: .withheld)
    }

    /// The main attack settings with `attack`'s final-C rule and domain (every other field
    /// unchanged); the source set is the pool, chosen by the stage.
    static func attackSettings(_ attack: SensitivityAttack, main: AttackSettings) -> AttackSettings {
        var s = main
        s.finalC = attack.finalC
        s.domain = attack.domain
        return s
    }

    /// The main hardening settings with `key`'s selection: its table models then carry that selection.
    static func hardeningSettings(_ key: SensitivityGridKey, main: HardeningSettings) -> HardeningSettings {
        var s = main
        s.selection = key.selection
        return s
    }
}

extension Profile {
    /// The sensitivity stage's settings: 3 seeds per level (2 for `smoke`), the epoch levels
    /// 1, 2, 5, 10, 20 that the profile's epoch cap reaches.
    var sensitivity: SensitivitySettings {
        let levels = [1, 2, 5, 10, 20].filter { $0 <= hardening.epochs }
        return SensitivitySettings(seeds: min(name == "smoke" ? 2 : 3, hardening.seeds), epochLevels: levels,
                                   workers: hardening.workers)
    }
}
