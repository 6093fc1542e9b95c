import CZlib

/// Errors reading gzip data.
public enum GzipError: Error, CustomStringConvertible, Equatable {
    case corrupt(String)

    public var description: String {
        switch self {
        case .corrupt(let why): return "not a valid gzip stream (\(why))"
        }
    }
}

/// Inflates a whole gzip member with zlib (window bits 15 + 32: detect the gzip header).
public func gunzip(_ compressed: [UInt8]) throws -> [UInt8] {
    var stream = z_stream()
    guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw GzipError.corrupt("zlib failed to initialise")
    }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    output.reserveCapacity(compressed.count * 8)
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var status: Int32 = Z_OK
    try compressed.withUnsafeBufferPointer { input in
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = uInt(input.count)
        repeat {
            try chunk.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                status = inflate(&stream, Z_NO_FLUSH)
                guard status == Z_OK || status == Z_STREAM_END else {
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw GzipError.corrupt(message)
                }
                output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
            }
            if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 {
                throw GzipError.corrupt("the stream ends early (truncated file)")
            }
        } while status != Z_STREAM_END
    }
    return output
}

/// The zlib library's version, for the report's provenance.
public func zlibVersionString() -> String { String(cString: zlibVersion()) }
