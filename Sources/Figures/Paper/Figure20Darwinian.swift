/// Figure 20's input: Darwinian testing per round, one panel per measure; per model the mean
/// over seeds and its 95% confidence interval.
public struct DarwinianCurves: Codable, Equatable, Sendable {
    public var panels: [LinePanel]
    public var seeds: Int
    public var findings: [String]
    public init(panels: [LinePanel], seeds: Int, findings: [String]) {
        self.panels = panels; self.seeds = seeds; self.findings = findings
    }
}

/// Figure 20: the distortion the adaptive adversary needs, its success and the network's clean
/// accuracy and memory of round 0, against the round, control vs selective dropout.
public func figure20Darwinian(_ input: DarwinianCurves) throws -> Figure {
    let drawing = try drawLinePanels(input.panels, figure: "figure 20", columns: 2)
    let caption = "Darwinian testing (the paper's section 6.3): in every round the L-BFGS adversary attacks the current network "
        + "on fresh test images, and the network then trains on the pairs it found; means over \(input.seeds) seeds with 95% "
        + "confidence intervals (bands). " + input.findings.joined(separator: " ")
    return Figure(number: 20, name: "figure20-darwinian", drawing: drawing, caption: caption, data: try figureJSON(input))
}
