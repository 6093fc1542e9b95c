import Attacks
import Experiments

/// The one place that maps the sensitivity plan's typed levels onto what the attack and
/// hardening code can run today. When the author's attack variants (final-C rule, domain) and
/// the selection variants (pre/post-ReLU, base/current net) are merged, only this file changes:
/// `mainAttack`/`mainSelection` become what the main stages run, and the two `settings`
/// functions return settings for the new levels instead of nil.
enum SensitivityAdapter {
    /// The attack the main attack stage runs in this code.
    static let mainAttack = SensitivityAttack(finalC: .largestSuccessful, domain: .pixels784Unit, source: .train)
    /// The selection the main hardening stage runs in this code: post-ReLU activations of the
    /// network being trained (`HardeningTrainer.retainedUnits`).
    static let mainActivation = VolatilityActivation.postReLU
    static let mainVolatilityNetwork = VolatilityNetwork.current

    /// The primary configuration: what the main stages compute (fixed before looking).
    static func primary(epochs: Int) -> SensitivityConfiguration {
        SensitivityConfiguration(attack: mainAttack, activation: mainActivation, volatilityNetwork: mainVolatilityNetwork,
                                 baseNetwork: .ours, pipeline: .ours, epochs: epochs, metric: .withheld)
    }

    /// Attack settings for `attack`, or nil when this code cannot run it (the source images are
    /// the pool, chosen by the stage; final-C rule and domain need the attack variants).
    static func attackSettings(_ attack: SensitivityAttack, main: AttackSettings) -> AttackSettings? {
        guard attack.finalC == mainAttack.finalC, attack.domain == mainAttack.domain else { return nil }
        return main
    }

    /// Hardening settings with the selection of `key`, or nil when this code cannot run it.
    static func hardeningSettings(_ key: SensitivityGridKey, main: HardeningSettings) -> HardeningSettings? {
        guard key.activation == mainActivation, key.volatilityNetwork == mainVolatilityNetwork else { return nil }
        return main
    }

    /// Why a level cannot be computed in this code (nil when it can).
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
