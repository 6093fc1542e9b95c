/// Figure 19's input: Monte-Carlo probing curves (the author's `-mc`), one panel per centre,
/// outcome and pair subset; per net the median over pairs and the interquartile band.
public struct MonteCarloCurves: Codable, Equatable, Sendable {
    public var panels: [LinePanel]
    /// Samples per level and pairs, for the caption.
    public var samplesPerLevel: Int
    /// One sentence per panel with its numbers (computed by the caller).
    public var findings: [String]
    public init(panels: [LinePanel], samplesPerLevel: Int, findings: [String]) {
        self.panels = panels; self.samplesPerLevel = samplesPerLevel; self.findings = findings
    }
}

/// Figure 19: the share of noisy images classified as the original (or the target) against the
/// noise level i (std = std(r) 2^i 0.9^(i+5)), per network.
public func figure19MonteCarlo(_ input: MonteCarloCurves) throws -> Figure {
    let drawing = try drawLinePanels(input.panels, figure: "figure 19", columns: 2)
    let caption = "Monte-Carlo probing as in the author's adversarial.lua: \(input.samplesPerLevel) Gaussian samples per level "
        + "with r's own mean and std(r) 2^i 0.9^(i+5), clipped to the pixel box, added to the adversarial or the original image; "
        + "lines are the median over pairs, bands the interquartile range; drawn for the base net, the control and SD at the paper's best p (the table lists every net). " + input.findings.joined(separator: " ")
    return Figure(number: 19, name: "figure19-monte-carlo", drawing: drawing, caption: caption, data: try figureJSON(input))
}
