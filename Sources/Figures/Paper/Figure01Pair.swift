import Formatting
/// Figure 1: original, perturbation and adversarial image of one pair, with labels and confidences.
public func figure1AdversarialPair(_ input: PairFigureInput) throws -> Figure {
    try input.validate(Check(figure: "figure 1"), "pair")
    let r = input.perturbation
    let diverging = ColourMap.diverging(fitting: r)
    let drawing = Drawing(width: 620, height: 262) { canvas in
        let cells = canvas.bounds.inset(top: 12, left: 10, bottom: 46, right: 10)
            .columns(weights: [1, 1, 1], gap: 44)
        let side = 168.0
        let triple: [(ScalarImage, ColourMap, [String], [String])] = [
            (ScalarImage(square: input.pair.original), .ink, ["Original x"],
             ["classified \(input.pair.trueLabel) (\(Format.percent(input.originalConfidence, 1, minus: .typographic)))"]),
            (ScalarImage(square: r), diverging, ["Perturbation r = x′ − x"],
             ["‖r‖₂ = \(Format.fixed(input.l2, 2, minus: .typographic)),  ‖r‖∞ = \(Format.fixed(input.linf, 2, minus: .typographic))"]),
            (ScalarImage(square: input.pair.adversarial), .ink, ["Adversarial x′"],
             ["classified \(input.pair.targetLabel) (\(Format.percent(input.adversarialConfidence, 1, minus: .typographic)))"]),
        ]
        var rects: [Rect] = []
        for (cell, (image, map, above, below)) in zip(cells, triple) {
            rects.append(canvas.labelledImage(image, in: cell.centred(width: cell.width, height: side + 44),
                                              map: map, above: above, below: below, aboveFont: .title))
        }
        canvas.text("+", at: Point((rects[0].maxX + rects[1].minX) / 2, rects[0].midY), font: Font(size: 22),
                    h: .center, v: .middle)
        canvas.text("=", at: Point((rects[1].maxX + rects[2].minX) / 2, rects[0].midY), font: Font(size: 22),
                    h: .center, v: .middle)
        let bar = Rect(x: rects[1].minX + 14, y: rects[1].maxY + 32, width: rects[1].width - 28, height: 8)
        canvas.horizontalColourBar(diverging, in: bar, label: "r")
    }
    let caption = "An adversarial pair of this run. Left: an MNIST \(input.pair.trueLabel), classified "
        + "\(input.pair.trueLabel) with confidence \(Format.percent(input.originalConfidence, 2, minus: .typographic)). Centre: the L-BFGS-B perturbation r "
        + "(blue negative, red positive, white zero; ‖r‖₂ = \(Format.fixed(input.l2, 3, minus: .typographic)), ‖r‖∞ = \(Format.fixed(input.linf, 3, minus: .typographic)) "
        + "in [0, 1] pixel units). Right: x + r, classified \(input.pair.targetLabel) with confidence "
        + "\(Format.percent(input.adversarialConfidence, 2, minus: .typographic))."
    return Figure(number: 1, name: "figure01-adversarial-pair", drawing: drawing, caption: caption,
                  data: try figureJSON(input))
}
