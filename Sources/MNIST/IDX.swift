/// The IDX format of MNIST: a big-endian magic (0x0000, element type 0x08 = unsigned byte,
/// number of dimensions), one big-endian UInt32 per dimension, then the bytes.
public struct IDXArray: Equatable, Sendable {
    public var dimensions: [Int]
    public var bytes: [UInt8]

    public init(dimensions: [Int], bytes: [UInt8]) {
        self.dimensions = dimensions
        self.bytes = bytes
    }

    /// Parses decompressed IDX bytes; throws `IDXError` on any inconsistency.
    public init(parsing data: [UInt8]) throws {
        guard data.count >= 4 else { throw IDXError.tooShort(have: data.count, need: 4) }
        guard data[0] == 0, data[1] == 0 else { throw IDXError.badMagic(readUInt32(data, at: 0)) }
        guard data[2] == 0x08 else { throw IDXError.unsupportedType(data[2]) }
        let rank = Int(data[3])
        guard (1...4).contains(rank) else { throw IDXError.badMagic(readUInt32(data, at: 0)) }
        let headerSize = 4 + 4 * rank
        guard data.count >= headerSize else { throw IDXError.tooShort(have: data.count, need: headerSize) }
        let dims = (0..<rank).map { Int(readUInt32(data, at: 4 + 4 * $0)) }
        let count = dims.reduce(1, *)
        guard data.count == headerSize + count else {
            throw data.count < headerSize + count
                ? IDXError.tooShort(have: data.count, need: headerSize + count)
                : IDXError.trailingBytes(data.count - headerSize - count)
        }
        dimensions = dims
        bytes = Array(data[headerSize...])
    }

    /// Serialises to IDX bytes (used by tests to build fixtures).
    public func serialised() -> [UInt8] {
        var out: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions {
            for shift in [24, 16, 8, 0] { out.append(UInt8(truncatingIfNeeded: d >> shift)) }
        }
        return out + bytes
    }
}

public enum IDXError: Error, Equatable, CustomStringConvertible {
    case tooShort(have: Int, need: Int)
    case badMagic(UInt32)
    case unsupportedType(UInt8)
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case .tooShort(let have, let need): return "IDX data truncated: \(have) bytes, expected \(need)"
        case .badMagic(let magic): return "not an IDX file (magic 0x\(String(magic, radix: 16)))"
        case .unsupportedType(let t): return "IDX element type 0x\(String(t, radix: 16)) is not unsigned byte"
        case .trailingBytes(let n): return "IDX data has \(n) unexpected trailing bytes"
        }
    }
}

private func readUInt32(_ data: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { ($0 << 8) | UInt32(data[offset + $1]) }
}
