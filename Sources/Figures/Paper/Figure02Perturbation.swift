import Formatting
/// Figure 2's settings: how figure 1's perturbation is re-rendered.
public struct PerturbationRendering: Codable, Equatable, Sendable {
    /// Left panel: |r| below this fraction of max |r| is shown white (thresholded single-hue gradient).
    public var threshold: Double = 0.1
    /// Right panel: contrast added to mid-grey + r, as an image editor's contrast slider:
    /// grey = 0.5 + r / (1 - contrast), clipped to [0, 1] (0.8 -> 5x gain).
    public var contrast: Double = 0.8
    public init(threshold: Double = 0.1, contrast: Double = 0.8) { self.threshold = threshold; self.contrast = contrast }
}

/// Figure 2: figure 1's perturbation re-rendered: a thresholded one-colour gradient of |r|, and
/// mid-grey + r with 80% contrast.
public func figure2PerturbationRenderings(_ input: PairFigureInput, rendering: PerturbationRendering = .init()) throws -> Figure {
    let check = Check(figure: "figure 2")
    try input.validate(check, "pair")
    try check.that(rendering.threshold >= 0 && rendering.threshold < 1, "threshold \(rendering.threshold) must be in [0, 1)")
    try check.that(rendering.contrast >= 0 && rendering.contrast < 1, "contrast \(rendering.contrast) must be in [0, 1)")
    let r = input.perturbation
    let maxAbs = Double(r.reduce(0) { max($0, abs($1)) })
    let cut = Float(rendering.threshold * maxAbs)
    let magnitude = r.map { abs($0) >= cut ? abs($0) : 0 }
    let kept = magnitude.filter { $0 > 0 }.count
    let gain = 1 / (1 - rendering.contrast)
    // grey = 0.5 + gain * r  <=>  a grey map over r in [-0.5/gain, 0.5/gain]
    let greys = ColourMap.greys(-0.5 / gain, 0.5 / gain)
    let reds = ColourMap.reds(0, maxAbs)
    let clipped = r.filter { abs(Double($0)) * gain > 0.5 }.count
    let drawing = Drawing(width: 520, height: 236) { canvas in
        let halves = canvas.bounds.inset(top: 12, left: 14, bottom: 10, right: 14).columns(weights: [1, 1], gap: 40)
        let panels: [(ScalarImage, ColourMap, String, String)] = [
            (ScalarImage(square: magnitude), reds, "|r|, cut below \(Int(rendering.threshold * 100))% of max", "|r|"),
            (ScalarImage(square: r), greys, "0.5 + r, \(Int(rendering.contrast * 100))% contrast", "r"),
        ]
        for (half, (image, map, title, barLabel)) in zip(halves, panels) {
            let (left, barColumn) = half.splitRight(44, gap: 8)
            let rect = canvas.labelledImage(image, in: left.inset(bottom: 8), map: map, above: [title], aboveFont: .title)
            canvas.colourBar(map, in: Rect(x: barColumn.minX, y: rect.minY, width: 9, height: rect.height), label: barLabel)
        }
    }
    let caption = "Figure 1's perturbation r re-rendered to show its form. Left: |r| on a single white-to-red "
        + "gradient, thresholded: the \(r.count - kept) pixels with |r| below \(Int(rendering.threshold * 100))% of "
        + "max |r| = \(Format.fixed(maxAbs, 3, minus: .typographic)) are white, \(kept) remain. Right: mid-grey + r with "
        + "\(Int(rendering.contrast * 100))% contrast (grey = 0.5 + \(Format.fixed(gain, 0, minus: .typographic))·r, clipped; "
        + "\(clipped) pixels saturate). The original was a \(input.pair.trueLabel), the target \(input.pair.targetLabel)."
    struct Data: Codable { var pair: PairFigureInput; var rendering: PerturbationRendering }
    return Figure(number: 2, name: "figure02-perturbation-renderings", drawing: drawing, caption: caption,
                  data: try figureJSON(Data(pair: input, rendering: rendering)))
}
