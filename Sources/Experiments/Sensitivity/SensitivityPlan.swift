import Engine
import StudyTypes

/// The factors the "why our tables differ" section varies, one at a time from the primary
/// configuration (STUDY.md stage 6). Each has two or more typed levels; `SensitivityLevel`
/// names one level of one factor.
public enum SensitivityFactor: String, Codable, CaseIterable, Hashable, Sendable {
    case finalCRule = "final-C rule"
    case attackDomain = "attack domain"
    case sourceImages = "source images"
    case volatilityActivation = "volatility activation"
    case volatilityNetwork = "volatility network"
    case baseNetwork = "base network"
    case inputPipeline = "input pipeline"
    case hardeningEpochs = "hardening epochs"
    case metricPairs = "metric pairs"

    /// Read from the primary grid's recorded runs, no new runs (epochs, metric pairs).
    public var isReadOut: Bool { self == .hardeningEpochs || self == .metricPairs }
    /// Changes the adversarial pairs (a new attack).
    public var changesPairs: Bool { [.finalCRule, .attackDomain, .sourceImages, .baseNetwork].contains(self) }
}

/// The network attacked and hardened.
public enum BaseNetworkChoice: String, Codable, CaseIterable, Hashable, Sendable {
    case ours = "ours"
    case authors = "the author's published net"
}

/// How pair and test images reach the net during hardening and evaluation.
public enum InputPipeline: String, Codable, CaseIterable, Hashable, Sendable {
    case ours = "float pixels, global normalisation"
    /// The notebook's `getImages`: 8-bit images, each standardised by its own mean and std.
    case notebook = "8-bit, per-image standardisation"
}

/// Which pairs the tables' metric is read on.
public enum MetricPairs: String, Codable, CaseIterable, Hashable, Sendable {
    case withheld = "withheld pairs"
    /// The paper's section 5: "evaluation was done based on training error".
    case training = "training pairs"
}

/// The attack that makes a configuration's pairs.
public struct SensitivityAttack: Codable, Hashable, Sendable {
    public var finalC: FinalCRule
    public var domain: AttackDomain
    public var source: AttackSource
    public init(finalC: FinalCRule, domain: AttackDomain, source: AttackSource) {
        self.finalC = finalC; self.domain = domain; self.source = source
    }
}

/// One full configuration: every factor at one level.
public struct SensitivityConfiguration: Codable, Hashable, Sendable {
    public var attack: SensitivityAttack
    /// The volatility factors: on which network, and before or after the target layer's ReLU.
    public var selection: UnitSelection
    public var baseNetwork: BaseNetworkChoice
    public var pipeline: InputPipeline
    public var epochs: Int
    public var metric: MetricPairs

    public init(attack: SensitivityAttack, selection: UnitSelection, baseNetwork: BaseNetworkChoice,
                pipeline: InputPipeline, epochs: Int, metric: MetricPairs) {
        self.attack = attack; self.selection = selection
        self.baseNetwork = baseNetwork; self.pipeline = pipeline; self.epochs = epochs; self.metric = metric
    }

    /// The part that decides which runs exist: everything but the read-outs (epochs, metric).
    public var grid: SensitivityGridKey {
        SensitivityGridKey(attack: attack, selection: selection, baseNetwork: baseNetwork, pipeline: pipeline)
    }

    /// The level `factor` stands at in this configuration.
    public func level(of factor: SensitivityFactor) -> SensitivityLevel {
        switch factor {
        case .finalCRule: return .finalC(attack.finalC)
        case .attackDomain: return .domain(attack.domain)
        case .sourceImages: return .source(attack.source)
        case .volatilityActivation: return .activation(selection.point)
        case .volatilityNetwork: return .volatilityNetwork(selection.source)
        case .baseNetwork: return .baseNetwork(baseNetwork)
        case .inputPipeline: return .pipeline(pipeline)
        case .hardeningEpochs: return .epochs(epochs)
        case .metricPairs: return .metric(metric)
        }
    }
}

/// The settings that decide a grid of hardening runs (the read-outs excluded).
public struct SensitivityGridKey: Codable, Hashable, Sendable {
    public var attack: SensitivityAttack
    public var selection: UnitSelection
    public var baseNetwork: BaseNetworkChoice
    public var pipeline: InputPipeline

    /// The attack part: configurations with equal pair keys share their pairs.
    public var pairs: SensitivityPairKey { SensitivityPairKey(attack: attack, baseNetwork: baseNetwork) }
    /// The control trains without selection: volatility settings do not change it.
    public var control: SensitivityGridKey {
        var key = self
        key.selection = .notebook
        return key
    }
}

/// What decides a configuration's adversarial pairs.
public struct SensitivityPairKey: Codable, Hashable, Sendable {
    public var attack: SensitivityAttack
    public var baseNetwork: BaseNetworkChoice
}

/// One level of one factor.
public enum SensitivityLevel: Codable, Hashable, Sendable, CustomStringConvertible {
    case finalC(FinalCRule)
    case domain(AttackDomain)
    case source(AttackSource)
    case activation(ActivationPoint)
    case volatilityNetwork(VolatilitySource)
    case baseNetwork(BaseNetworkChoice)
    case pipeline(InputPipeline)
    case epochs(Int)
    case metric(MetricPairs)

    public var factor: SensitivityFactor {
        switch self {
        case .finalC: return .finalCRule
        case .domain: return .attackDomain
        case .source: return .sourceImages
        case .activation: return .volatilityActivation
        case .volatilityNetwork: return .volatilityNetwork
        case .baseNetwork: return .baseNetwork
        case .pipeline: return .inputPipeline
        case .epochs: return .hardeningEpochs
        case .metric: return .metricPairs
        }
    }

    /// The level's name as the report and summary write it.
    public var description: String {
        switch self {
        case .finalC(let v): return v == .laggedLowerBound ? "author's lagged C" : "largest successful C"
        case .domain(let v): return v == .paddedNormalised ? "1024 padded pixels, normalised units" : "784 pixels in [0, 1]"
        case .source(let v): return v == .test ? "test images" : "training images"
        case .activation(let v): return v == .preReLU ? "pre-ReLU" : "post-ReLU"
        case .volatilityNetwork(let v): return v == .baseNet ? "fixed base net" : "network being trained"
        case .baseNetwork(let v): return v.rawValue
        case .pipeline(let v): return v.rawValue
        case .epochs(let e): return "\(e) epoch\(e == 1 ? "" : "s")"
        case .metric(let v): return v.rawValue
        }
    }

    /// A short label for figure axes, e.g. "source: test", "epochs: 5".
    public var shortName: String {
        switch self {
        case .finalC(let v): return "final C: " + (v == .laggedLowerBound ? "lagged" : "largest")
        case .domain(let v): return "domain: " + (v == .paddedNormalised ? "1024 normalised" : "784 in [0,1]")
        case .source(let v): return "source: " + (v == .test ? "test" : "train")
        case .activation(let v): return "volatility: " + (v == .preReLU ? "pre-ReLU" : "post-ReLU")
        case .volatilityNetwork(let v): return "volatility: " + (v == .baseNet ? "base net" : "current net")
        case .baseNetwork(let v): return "net: " + (v == .ours ? "ours" : "author's")
        case .pipeline(let v): return "pipeline: " + (v == .ours ? "ours" : "notebook")
        case .epochs(let e): return "epochs: \(e)"
        case .metric(let v): return "metric: " + (v == .withheld ? "withheld" : "training pairs")
        }
    }

    /// `configuration` with this factor set to this level and every other factor unchanged.
    public func applied(to configuration: SensitivityConfiguration) -> SensitivityConfiguration {
        var c = configuration
        switch self {
        case .finalC(let v): c.attack.finalC = v
        case .domain(let v): c.attack.domain = v
        case .source(let v): c.attack.source = v
        case .activation(let v): c.selection.point = v
        case .volatilityNetwork(let v): c.selection.source = v
        case .baseNetwork(let v): c.baseNetwork = v
        case .pipeline(let v): c.pipeline = v
        case .epochs(let e): c.epochs = e
        case .metric(let v): c.metric = v
        }
        return c
    }
}

/// The sensitivity stage's settings (part of the profile and of its cache key).
public struct SensitivitySettings: Codable, Hashable, Sendable {
    /// Hardening seeds per level: seeds 0..<seeds of the primary grid (same splits and orders
    /// wherever the pairs are the same), so levels compare seed by seed with the control.
    public var seeds: Int = 3
    /// The epoch levels, read from the primary grid's per-epoch records (at most its epoch cap).
    public var epochLevels: [Int] = [1, 2, 5, 10, 20]
    /// Parallel runs; results do not depend on it.
    public var workers: Int = 2

    public init(seeds: Int = 3, epochLevels: [Int] = [1, 2, 5, 10, 20], workers: Int = 2) {
        self.seeds = seeds; self.epochLevels = epochLevels; self.workers = workers
    }

    /// Every level of every factor, each factor's primary level first: the others are
    /// `primary` with that one factor changed.
    public func levels(primary: SensitivityConfiguration) -> [SensitivityLevel] {
        SensitivityFactor.allCases.flatMap { factor -> [SensitivityLevel] in
            let own = primary.level(of: factor)
            let all: [SensitivityLevel]
            switch factor {
            case .finalCRule: all = FinalCRule.allCases.map { .finalC($0) }
            case .attackDomain: all = AttackDomain.allCases.map { .domain($0) }
            case .sourceImages: all = AttackSource.allCases.map { .source($0) }
            case .volatilityActivation: all = ActivationPoint.allCases.map { .activation($0) }
            case .volatilityNetwork: all = VolatilitySource.allCases.map { .volatilityNetwork($0) }
            case .baseNetwork: all = BaseNetworkChoice.allCases.map { .baseNetwork($0) }
            case .inputPipeline: all = InputPipeline.allCases.map { .pipeline($0) }
            case .hardeningEpochs: all = epochLevels.filter { $0 <= primary.epochs }.map { .epochs($0) }
            case .metricPairs: all = MetricPairs.allCases.map { .metric($0) }
            }
            return [own] + all.filter { $0 != own }
        }
    }
}
