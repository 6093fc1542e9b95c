import Attacks
import Experiments

/// The one place that maps the sensitivity plan's typed levels onto what the attack and
/// hardening code can run today. When the author's attack variants (final-C rule, domain) and
/// the selection variants (pre/post-ReLU, base/current net) are merged, only this file changes:
/// `mainAttack`/`mainSelection` become what the main stages run, and the two `settings`
/// functions return settings for the new levels instead of nil.
enum SensitivityAdapter {
    /// The attack the main attack stage runs (the profile's protocol and source set).
    static func mainAttack(_ profile: Profile) -> SensitivityAttack {
        SensitivityAttack(finalC: profile.attack.finalC == .laggedLowerBound ? .authorLag : .largestSuccessful,
                          domain: profile.attack.domain == .paddedNormalised ? .padded1024Normalised : .pixels784Unit,
                          source: profile.attackSource == .test ? .test : .train)
    }

    /// The selection the main hardening stage runs (`HardeningSettings.selection`).
    static func mainActivation(_ settings: HardeningSettings) -> VolatilityActivation {
        settings.selection.point == .preReLU ? .preReLU : .postReLU
    }
    static func mainVolatilityNetwork(_ settings: HardeningSettings) -> VolatilityNetwork {
        settings.selection.source == .baseNet ? .base : .current
    }

    /// The primary configuration: what the main stages compute (fixed before looking).
    static func primary(_ profile: Profile) -> SensitivityConfiguration {
        SensitivityConfiguration(attack: mainAttack(profile), activation: mainActivation(profile.hardening),
                                 volatilityNetwork: mainVolatilityNetwork(profile.hardening),
                                 baseNetwork: .ours, pipeline: .ours, epochs: profile.hardening.epochs, metric: .withheld)
    }

    /// The main attack settings with `attack`'s final-C rule and domain (every other field
    /// unchanged); the source set is the pool, chosen by the stage.
    static func attackSettings(_ attack: SensitivityAttack, main: AttackSettings) -> AttackSettings? {
        var s = main
        s.finalC = attack.finalC == .authorLag ? .laggedLowerBound : .largestSuccessful
        s.domain = attack.domain == .padded1024Normalised ? .paddedNormalised : .interiorPixels
        return s
    }

    /// The main hardening settings with `key`'s selection (network and activation point):
    /// its table models then carry that selection.
    static func hardeningSettings(_ key: SensitivityGridKey, main: HardeningSettings) -> HardeningSettings? {
        var s = main
        s.selection = UnitSelection(source: key.volatilityNetwork == .base ? .baseNet : .currentNet,
                                    point: key.activation == .preReLU ? .preReLU : .postReLU)
        return s
    }

    /// Why a level cannot be computed in this build (nil when it can).
    static func unavailableReason(_ configuration: SensitivityConfiguration, main: Profile) -> String? {
        if attackSettings(configuration.attack, main: main.attack) == nil {
            return "the attack variant (\(configuration.attack.finalC.rawValue), \(configuration.attack.domain.rawValue)) is not in this build"
        }
        if hardeningSettings(configuration.grid, main: main.hardening) == nil {
            return "the selection variant (\(configuration.activation.rawValue), \(configuration.volatilityNetwork.rawValue)) is not in this build"
        }
        return nil
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
