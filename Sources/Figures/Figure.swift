import Foundation
import StudyTypes

/// One rendered-on-demand figure of the report: its drawing, caption and re-plottable data.
public struct Figure: Sendable {
    /// The figure's number in the report (1-13 follow the paper; 14+ are new).
    public var number: Int
    /// File stem, e.g. "figure01-adversarial-pair" (no extension, no folder).
    public var name: String
    public var drawing: Drawing
    /// What the figure shows, with the numbers behind it.
    public var caption: String
    /// The values the figure was drawn from, as JSON (the figure's input struct), so a reader
    /// can re-plot it.
    public var data: [UInt8]

    public init(number: Int, name: String, drawing: Drawing, caption: String, data: [UInt8]) {
        self.number = number; self.name = name; self.drawing = drawing; self.caption = caption; self.data = data
    }

    /// Writes `<name>.png` (2x) and `<name>.pdf` into `figures`, `<name>.json` into `data`, and
    /// returns the record for summary.json with `file` = `filePrefix + name + ".png"`.
    public func write(figures: URL, data dataDirectory: URL, filePrefix: String = "figures/") throws -> FigureRecord {
        let fm = FileManager.default
        try fm.createDirectory(at: figures, withIntermediateDirectories: true)
        try fm.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        try Data(drawing.png()).write(to: figures.appendingPathComponent(name + ".png"))
        try Data(drawing.pdf()).write(to: figures.appendingPathComponent(name + ".pdf"))
        try Data(data).write(to: dataDirectory.appendingPathComponent(name + ".json"))
        return record(filePrefix: filePrefix)
    }

    /// The summary.json entry of this figure.
    public func record(filePrefix: String = "figures/") -> FigureRecord {
        FigureRecord(number: number, file: filePrefix + name + ".png", caption: caption)
    }
}

/// A figure's entry in summary.json's `figures` list.
public struct FigureRecord: Codable, Equatable, Sendable {
    public var number: Int
    public var file: String
    public var caption: String
    public init(number: Int, file: String, caption: String) {
        self.number = number; self.file = file; self.caption = caption
    }
}

/// Bad figure input or a Cairo failure, with what and where.
public enum FigureError: Error, CustomStringConvertible, Equatable {
    case badInput(figure: String, message: String)
    case cairo(what: String, message: String)

    public var description: String {
        switch self {
        case let .badInput(figure, message): return "\(figure): \(message)"
        case let .cairo(what, message): return "Cairo failed during \(what): \(message)"
        }
    }
}

/// Stable JSON of a figure's input (sorted keys, so two runs give identical bytes).
func figureJSON<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return Array(try encoder.encode(value))
}

/// Input checks shared by the figure functions.
struct Check {
    let figure: String

    func count<T>(_ values: [T], _ expected: Int, _ what: String) throws {
        guard values.count == expected else {
            throw FigureError.badInput(figure: figure, message: "\(what) has \(values.count) values, expected \(expected)")
        }
    }

    /// A square image of `pixels` values (1024 for padded MNIST; any side for smaller test nets).
    func square(_ values: [Float], _ what: String, pixels: Int? = nil) throws {
        let side = Int(Double(values.count).squareRoot().rounded())
        guard side > 0, side * side == values.count else {
            throw FigureError.badInput(figure: figure, message: "\(what) has \(values.count) values, not a square image")
        }
        if let pixels { try count(values, pixels, what) }
        try finite(values, what)
    }

    func that(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw FigureError.badInput(figure: figure, message: message()) }
    }

    func finite(_ values: [Float], _ what: String) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw FigureError.badInput(figure: figure, message: "\(what)[\(i)] is \(values[i]), not a finite number")
        }
    }
}

/// Writes every figure (PNG, PDF, JSON data) and returns summary.json's `figures` list, by number.
/// The figures are rendered on `workers` threads (each into its own Cairo surfaces and files, so
/// the bytes do not depend on the order they finish in).
public func writeFigures(_ list: [Figure], figures: URL, data: URL, filePrefix: String = "figures/",
                         workers: Int = 2) throws -> [FigureRecord] {
    let sorted = list.sorted { $0.number < $1.number }
    for folder in [figures, data] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    return try parallelMap(count: sorted.count, workers: workers, makeState: {}) { _, index in
        try sorted[index].write(figures: figures, data: data, filePrefix: filePrefix)
    }
}
