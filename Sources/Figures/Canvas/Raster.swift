import CCairo

/// A grid of scalar values (row-major) to be drawn as pixels, e.g. a digit or a feature map.
public struct ScalarImage: Equatable, Sendable {
    public var rows: Int
    public var columns: Int
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "ScalarImage: \(values.count) values for \(rows)x\(columns)")
        self.rows = rows; self.columns = columns; self.values = values
    }

    /// A square image; `values.count` must be a perfect square.
    public init(square values: [Float]) {
        let side = Int(Double(values.count).squareRoot().rounded())
        self.init(rows: side, columns: side, values: values)
    }

    public subscript(row: Int, column: Int) -> Float { values[row * columns + column] }

    public var maxAbs: Float { values.reduce(0) { max($0, abs($1)) } }
    public var maxValue: Float { values.max() ?? 0 }
}

extension Canvas {
    /// Draws `image` through `map` into `rect` with nearest-neighbour pixel blocks. The pixels are
    /// replicated here (not by the viewer's filter), so the PDF stays sharp in every viewer.
    public func image(_ image: ScalarImage, in rect: Rect, map: ColourMap, frame: Colour? = .rule) {
        let colours = image.values.map { map.colour(Double($0)) }
        raster(colours, rows: image.rows, columns: image.columns, in: rect)
        if let frame { stroke(rect, frame, width: 0.5) }
    }

    /// Draws row-major colours as a rows x columns block image filling `rect`.
    public func raster(_ colours: [Colour], rows: Int, columns: Int, in rect: Rect) {
        // Blocks at the PNG's density per source pixel: crisp edges after any resampling.
        let block = max(2, Int((Drawing.pngScale * max(rect.width / Double(columns),
                                                         rect.height / Double(rows))).rounded(.up)))
        let w = columns * block, h = rows * block
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h))!
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = UnsafeMutableRawPointer(cairo_image_surface_get_data(surface)!)
        for r in 0..<rows {
            for c in 0..<columns {
                let colour = colours[r * columns + c]
                let pixel = UInt32(colour.red * 255 + 0.5) << 16 | UInt32(colour.green * 255 + 0.5) << 8
                    | UInt32(colour.blue * 255 + 0.5)
                for dy in 0..<block {
                    let rowStart = (r * block + dy) * stride + c * block * 4
                    for dx in 0..<block { data.storeBytes(of: pixel, toByteOffset: rowStart + dx * 4, as: UInt32.self) }
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(w), rect.height / Double(h))
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_paint(cr)
        cairo_restore(cr)
    }
}
