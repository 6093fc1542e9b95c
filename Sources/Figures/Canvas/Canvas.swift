import CCairo

/// Horizontal and vertical anchoring of a text label at its point.
public enum HAnchor: Sendable { case left, center, right }
public enum VAnchor: Sendable { case top, middle, baseline, bottom }

/// The one typeface of every figure and its styles.
public struct Font: Equatable, Sendable {
    public static let face = "DejaVu Sans"
    public var size: Double
    public var bold: Bool
    public var italic: Bool
    public init(size: Double, bold: Bool = false, italic: Bool = false) {
        self.size = size; self.bold = bold; self.italic = italic
    }
    /// Sizes used across the figures (points; the PNG is 2x, so 10 pt is 20 device pixels).
    public static let tick = Font(size: 10)
    public static let label = Font(size: 11)
    public static let title = Font(size: 12, bold: true)
}

/// A drawing context over one Cairo surface. Figures draw through this; the same drawing
/// closure runs once per output format (PNG at 2x, PDF as vectors), so both show the same thing.
public final class Canvas {
    let cr: OpaquePointer
    /// Size of the drawing in points.
    public let width: Double
    public let height: Double

    init(context: OpaquePointer, width: Double, height: Double) {
        cr = context
        self.width = width
        self.height = height
        // Deterministic text: explicit face and options, nothing inherited from fontconfig.
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
    }

    /// The whole drawing area.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    func setColour(_ c: Colour) { cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha) }

    // MARK: Shapes

    public func fill(_ r: Rect, _ colour: Colour) {
        setColour(colour)
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        cairo_fill(cr)
    }

    public func stroke(_ r: Rect, _ colour: Colour, width: Double = 1) {
        setColour(colour)
        cairo_set_line_width(cr, width)
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        cairo_stroke(cr)
    }

    /// A rounded rectangle, filled and/or stroked.
    public func roundedRect(_ r: Rect, radius: Double, fill: Colour?, stroke: Colour?, width: Double = 1) {
        let rad = min(radius, r.width / 2, r.height / 2)
        cairo_new_sub_path(cr)
        cairo_arc(cr, r.maxX - rad, r.minY + rad, rad, -Double.pi / 2, 0)
        cairo_arc(cr, r.maxX - rad, r.maxY - rad, rad, 0, Double.pi / 2)
        cairo_arc(cr, r.minX + rad, r.maxY - rad, rad, Double.pi / 2, Double.pi)
        cairo_arc(cr, r.minX + rad, r.minY + rad, rad, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(cr)
        paint(fill: fill, stroke: stroke, width: width)
    }

    public func circle(_ centre: Point, radius: Double, fill: Colour?, stroke: Colour?, width: Double = 1) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, centre.x, centre.y, radius, 0, 2 * Double.pi)
        paint(fill: fill, stroke: stroke, width: width)
    }

    /// A closed polygon, filled and/or stroked.
    public func polygon(_ points: [Point], fill: Colour?, stroke: Colour?, width: Double = 1) {
        guard let first = points.first else { return }
        cairo_move_to(cr, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
        cairo_close_path(cr)
        paint(fill: fill, stroke: stroke, width: width)
    }

    private func paint(fill: Colour?, stroke: Colour?, width: Double) {
        if let fill {
            setColour(fill)
            if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let stroke {
            setColour(stroke)
            cairo_set_line_width(cr, width)
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }

    public func line(_ a: Point, _ b: Point, _ colour: Colour, width: Double = 1, dash: [Double] = []) {
        polyline([a, b], colour, width: width, dash: dash)
    }

    public func polyline(_ points: [Point], _ colour: Colour, width: Double = 1, dash: [Double] = []) {
        guard let first = points.first else { return }
        setColour(colour)
        cairo_set_line_width(cr, width)
        cairo_set_dash(cr, dash, Int32(dash.count), 0)
        cairo_move_to(cr, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
        cairo_stroke(cr)
        cairo_set_dash(cr, [], 0, 0)
    }

    /// Runs `body` with drawing clipped to `rect`.
    public func clipped(to rect: Rect, _ body: () -> Void) {
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        body()
        cairo_restore(cr)
    }

    // MARK: Text

    func select(_ font: Font) {
        cairo_select_font_face(cr, Font.face,
                               font.italic ? CAIRO_FONT_SLANT_OBLIQUE : CAIRO_FONT_SLANT_NORMAL,
                               font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, font.size)
    }

    /// Advance width of `text` in points.
    public func textWidth(_ text: String, _ font: Font) -> Double {
        select(font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance
    }

    /// Draws one line of text anchored at `point`, rotated counter-clockwise by `rotation`
    /// radians about it (`.pi / 2` reads bottom to top, as a y-axis label).
    public func text(_ text: String, at point: Point, font: Font = .label, colour: Colour = .ink,
                     h: HAnchor = .left, v: VAnchor = .baseline, rotation: Double = 0) {
        let width = textWidth(text, font)
        cairo_save(cr)
        cairo_translate(cr, point.x, point.y)
        if rotation != 0 { cairo_rotate(cr, -rotation) }
        let dx: Double = h == .left ? 0 : (h == .center ? -width / 2 : -width)
        cairo_move_to(cr, dx, baselineOffset(font, v))
        setColour(colour)
        cairo_show_text(cr, text)
        cairo_new_path(cr)
        cairo_restore(cr)
    }

    /// Offset from the anchor to the baseline, from the face's cap height (ascent of "H").
    func baselineOffset(_ font: Font, _ v: VAnchor) -> Double {
        let cap = 0.729 * font.size  // DejaVu Sans cap height
        let descent = 0.236 * font.size
        switch v {
        case .baseline: return 0
        case .top: return cap
        case .middle: return cap / 2
        case .bottom: return -descent
        }
    }
}
