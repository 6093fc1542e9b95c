import CCairo

/// A figure-independent drawing: a size in points and a closure that draws on a canvas.
/// Rendering runs the closure once per target, so PNG and PDF come from the same code. The
/// closure only reads values it captured, so figures can be rendered on several threads.
public struct Drawing: Sendable {
    public var width: Double
    public var height: Double
    public var draw: @Sendable (Canvas) -> Void

    public init(width: Double, height: Double, draw: @escaping @Sendable (Canvas) -> Void) {
        self.width = width; self.height = height; self.draw = draw
    }

    /// Device pixels per point of the PNG output (2x: crisp on high-density screens).
    public static let pngScale = 2.0

    /// Pixel size of the PNG.
    public var pixelWidth: Int { Int((width * Drawing.pngScale).rounded(.up)) }
    public var pixelHeight: Int { Int((height * Drawing.pngScale).rounded(.up)) }

    /// The drawing as PNG bytes at 2x pixel density on a white background.
    public func png() throws -> [UInt8] {
        let surface = rasterise()
        defer { cairo_surface_destroy(surface) }
        let sink = ByteSink()
        let status = cairo_surface_write_to_png_stream(surface, writeToSink, Unmanaged.passUnretained(sink).toOpaque())
        try check(status, "PNG encoding")
        return sink.bytes
    }

    /// The drawing as 0xAARRGGBB pixels, row by row (what the PNG encodes).
    func pixels() -> [UInt32] {
        let surface = rasterise()
        defer { cairo_surface_destroy(surface) }
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = UnsafeRawPointer(cairo_image_surface_get_data(surface)!)
        return (0..<(pixelWidth * pixelHeight)).map { i in
            data.load(fromByteOffset: (i / pixelWidth) * stride + (i % pixelWidth) * 4, as: UInt32.self)
        }
    }

    private func rasterise() -> OpaquePointer {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(pixelWidth), Int32(pixelHeight))!
        let cr = cairo_create(surface)!
        cairo_scale(cr, Drawing.pngScale, Drawing.pngScale)
        paint(on: cr)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        return surface
    }

    /// The drawing as a vector PDF, without a creation date so the bytes repeat.
    public func pdf() throws -> [UInt8] {
        let sink = ByteSink()
        let surface = cairo_pdf_surface_create_for_stream(writeToSink, Unmanaged.passUnretained(sink).toOpaque(),
                                                         width, height)!
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Figures")
        let cr = cairo_create(surface)!
        paint(on: cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        try check(status, "PDF rendering")
        return sink.bytes
    }

    private func paint(on cr: OpaquePointer) {
        let canvas = Canvas(context: cr, width: width, height: height)
        canvas.fill(canvas.bounds, .white)
        draw(canvas)
    }

    private func check(_ status: cairo_status_t, _ what: String) throws {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw FigureError.cairo(what: what, message: String(cString: cairo_status_to_string(status)))
        }
    }
}

/// Collects the bytes Cairo streams out.
final class ByteSink {
    var bytes: [UInt8] = []
}

private func writeToSink(_ closure: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?,
                         _ length: UInt32) -> cairo_status_t {
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}
