import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which units of the target layer train on a pair, and how the others are kept out.
public struct DropoutPolicy: Codable, Hashable, Sendable {
    /// conv2 (feature maps) or fc (neurons).
    public var layer: UnitLayer
    /// The retained proportion p (p_0 of a schedule).
    public var proportion: Double
    /// 0 for a constant p; otherwise p_t = 1 - exp(-alpha t) + p_0 exp(-alpha t), t = completed
    /// epochs (0 in the first epoch), the schedule of the paper's section 6.
    public var scheduleRate: Double
    /// `.switchOff` (the author's notebook) or the `.gradientMask` ablation.
    public var mode: UnitMask.Mode
    /// Keep the least volatile units instead (the ablation the notebook literally codes).
    public var inverted: Bool
    /// Where volatility is measured; the default is the notebook's (pre-ReLU, fixed base net).
    public var selection: UnitSelection
    /// When set, p_0 is chosen per pair from its volatility (the paper's section 6 suggestion):
    /// the smallest fraction of units that carries this share of the pair's total volatility
    /// (`VolatilityShareRule`); `proportion` is then ignored. Nil (the default): a fixed p_0.
    public var volatilityShare: Double?

    public init(layer: UnitLayer, proportion: Double, scheduleRate: Double = 0, mode: UnitMask.Mode = .switchOff,
                inverted: Bool = false, selection: UnitSelection = .notebook, volatilityShare: Double? = nil) {
        precondition(volatilityShare.map { $0 > 0 && $0 <= 1 } ?? true, "the volatility share must be in (0, 1]")
        self.volatilityShare = volatilityShare
        precondition(layer != .conv1, "selective dropout targets conv2 or fc")
        precondition(proportion > 0 && proportion <= 1, "p must be in (0, 1]")
        self.layer = layer
        self.proportion = proportion
        self.scheduleRate = scheduleRate
        self.mode = mode
        self.inverted = inverted
        self.selection = selection
    }

    /// p_t for the epoch after `completedEpochs` epochs.
    public func proportion(afterEpochs completedEpochs: Int) -> Double {
        scheduled(proportion, afterEpochs: completedEpochs)
    }

    /// p_t = 1 - exp(-alpha t) + p_0 exp(-alpha t).
    func scheduled(_ p0: Double, afterEpochs completedEpochs: Int) -> Double {
        let decay = exp(-scheduleRate * Double(completedEpochs))
        return 1 - decay + p0 * decay
    }

    /// The units a pair keeps given its volatility `v`: `count` for a fixed p_0; with
    /// `volatilityShare`, ceil(p_t * width) for the pair's own p_0 from `VolatilityShareRule`.
    public func retainedCount(volatility v: [Float], fixed count: Int, afterEpochs completedEpochs: Int) -> Int {
        guard let share = volatilityShare else { return count }
        let p0 = VolatilityShareRule(share: share).proportion(v)
        let exact = scheduled(p0, afterEpochs: completedEpochs) * Double(v.count)
        return min(v.count, max(1, Int((exact - 1e-9).rounded(.up))))
    }

    /// k = ceil(p_t * width): the one retained-unit count of the study (`retainedCount(proportion:width:)`).
    public func retainedCount(width: Int, afterEpochs completedEpochs: Int) -> Int {
        DropoutPolicy.retainedCount(proportion: proportion(afterEpochs: completedEpochs), width: width)
    }

    /// k = ceil(p * width), with p * width lowered by 1e-9 first so that 0.2 * 200 keeps 40, and
    /// at least one unit kept (the guard: p > 0 never switches a whole layer off).
    public static func retainedCount(proportion p: Double, width: Int) -> Int {
        min(width, max(1, Int((p * Double(width) - 1e-9).rounded(.up))))
    }
}

/// One trained variant: the control (no policy) or selective dropout with a policy.
public struct HardeningModel: Codable, Hashable, Sendable, CustomStringConvertible {
    public var policy: DropoutPolicy?

    public init(policy: DropoutPolicy?) { self.policy = policy }

    public static let control = HardeningModel(policy: nil)

    /// SD_p on `layer` with `selection` (default: the notebook's).
    public static func selective(_ layer: UnitLayer, _ p: Double, selection: UnitSelection = .notebook) -> HardeningModel {
        HardeningModel(policy: DropoutPolicy(layer: layer, proportion: p, selection: selection))
    }

    /// The paper's notation: "C", "SD^c_0.2", "SD^f_0.7"; ablations, schedules and selection
    /// variants add a suffix: " gradient-mask", " inverted", " schedule a=0.1", " post-ReLU",
    /// " current-net"; p_0 from volatility reads "SD^f_v0.8".
    public var description: String {
        guard let p = policy else { return "C" }
        // p_0 from the pair's volatility: "SD^f_v0.8" (the share of volatility kept).
        var name = "SD^\(p.layer == .conv2 ? "c" : "f")_" + (p.volatilityShare.map { "v\($0)" } ?? "\(p.proportion)")
        if p.mode == .gradientMask { name += " gradient-mask" }
        if p.inverted { name += " inverted" }
        if p.scheduleRate > 0 { name += " schedule a=\(p.scheduleRate)" }
        if p.selection.point == .postReLU { name += " post-ReLU" }
        if p.selection.source == .currentNet { name += " current-net" }
        return name
    }
}
