/// A maths-ish label without LaTeX: "w_i", "a_{12}", "x^2", "Σ w_i a_i + b".
/// Latin letters are set in oblique (variables), everything else upright; `_` and `^` lower or
/// raise the next character or the next `{...}` group at 70% size.
struct MathRun: Equatable {
    enum Shift { case none, sub, sup }
    var text: String
    var shift: Shift
}

func parseMath(_ source: String) -> [MathRun] {
    var runs: [MathRun] = []
    var chars = Array(source)[...]
    var plain = ""
    func flush() { if !plain.isEmpty { runs.append(MathRun(text: plain, shift: .none)); plain = "" } }
    while let c = chars.popFirst() {
        guard c == "_" || c == "^", let next = chars.first else { plain.append(c); continue }
        flush()
        var group = ""
        if next == "{" {
            chars.removeFirst()
            while let g = chars.popFirst(), g != "}" { group.append(g) }
        } else {
            group = String(chars.removeFirst())
        }
        runs.append(MathRun(text: group, shift: c == "_" ? .sub : .sup))
    }
    flush()
    return runs
}

extension Canvas {
    /// Pieces of a maths label: (text, font, baseline shift) split at letter/non-letter borders.
    private func mathPieces(_ source: String, size: Double) -> [(String, Font, Double)] {
        var pieces: [(String, Font, Double)] = []
        for run in parseMath(source) {
            let fontSize = run.shift == .none ? size : size * 0.7
            let shift = run.shift == .sub ? size * 0.25 : (run.shift == .sup ? -size * 0.38 : 0)
            var current = "", currentItalic = false
            for ch in run.text {
                let italic = ch.isASCII && ch.isLetter
                if !current.isEmpty && italic != currentItalic {
                    pieces.append((current, Font(size: fontSize, italic: currentItalic), shift)); current = ""
                }
                current.append(ch); currentItalic = italic
            }
            if !current.isEmpty { pieces.append((current, Font(size: fontSize, italic: currentItalic), shift)) }
        }
        return pieces
    }

    /// Width of a maths label in points.
    public func mathWidth(_ source: String, size: Double) -> Double {
        mathPieces(source, size: size).reduce(0) { $0 + textWidth($1.0, $1.1) }
    }

    /// Draws a maths label anchored like `text(_:at:)`.
    public func math(_ source: String, at point: Point, size: Double = 12, colour: Colour = .ink,
                     h: HAnchor = .center, v: VAnchor = .middle) {
        let width = mathWidth(source, size: size)
        var x = point.x - (h == .left ? 0 : (h == .center ? width / 2 : width))
        let baseline = point.y + baselineOffset(Font(size: size), v)
        for (text, font, shift) in mathPieces(source, size: size) {
            self.text(text, at: Point(x, baseline + shift), font: font, colour: colour, h: .left, v: .baseline)
            x += textWidth(text, font)
        }
    }
}
