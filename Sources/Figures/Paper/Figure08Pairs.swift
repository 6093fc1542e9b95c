import Formatting
/// Figure 8: originals (top) and their adversarials (bottom) for a few pairs, with labels.
/// `pairs` are the pairs shown (the paper shows five random ones); `drawnFrom` is how many there were.
public func figure8PairsGallery(_ pairs: [PairFigureInput], drawnFrom total: Int) throws -> Figure {
    let check = Check(figure: "figure 8")
    try check.that(!pairs.isEmpty, "no pairs")
    for (i, pair) in pairs.enumerated() { try pair.validate(check, "pairs[\(i)]") }
    let n = pairs.count
    let drawing = Drawing(width: 110 + Double(n) * 100, height: 240) { canvas in
        let (labels, grid) = canvas.bounds.inset(top: 6, left: 8, bottom: 6, right: 8).splitLeft(84, gap: 4)
        let cells = grid.grid(rows: 2, columns: n, hGap: 10, vGap: 8)
        for (i, shown) in pairs.enumerated() {
            canvas.labelledImage(ScalarImage(square: shown.pair.original), in: cells[0][i], map: .ink,
                                 below: ["\(shown.pair.trueLabel) (\(Format.percent(shown.originalConfidence, 1, minus: .typographic)))"])
            canvas.labelledImage(ScalarImage(square: shown.pair.adversarial), in: cells[1][i], map: .ink,
                                 below: ["→ \(shown.pair.targetLabel) (\(Format.percent(shown.adversarialConfidence, 1, minus: .typographic)))"])
        }
        for (row, name) in ["original", "adversarial"].enumerated() {
            canvas.text(name, at: Point(labels.maxX, cells[row][0].midY - 6), font: .title, h: .right, v: .middle)
        }
    }
    let l2 = pairs.map(\.l2)
    let caption = "\(n) of the \(total) adversarial pairs: originals (top, true label and the net's confidence) "
        + "and the adversarial images L-BFGS-B made from them (bottom, the target label the net now predicts and its "
        + "confidence). ‖r‖₂ of these pairs: " + l2.map { Format.fixed($0, 2, minus: .typographic) }.joined(separator: ", ") + "."
    struct Data: Codable { var pairs: [PairFigureInput]; var drawnFrom: Int }
    return Figure(number: 8, name: "figure08-adversarial-pairs", drawing: drawing, caption: caption,
                  data: try figureJSON(Data(pairs: pairs, drawnFrom: total)))
}
