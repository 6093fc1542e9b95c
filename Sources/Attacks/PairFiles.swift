import Engine
import Foundation

/// The pairs on disk (`out/data/`), readable without this program:
///
///     <name>.csv              one header line, then one line per attack in draw order
///     <name>-original.f32     n x pixels little-endian Float32, row i = the CSV's row i
///     <name>-adversarial.f32  the same for x + r
///
/// Pixels are row-major 28x28 in [0, 1]. CSV columns are `PairFiles.columns`; numbers are
/// written in the shortest form that reads back to the same Float/Double; `stop` is a code of
/// `LBFGSBStop` (`relative_reduction`, `projected_gradient`, `evaluation_limit`,
/// `stopped_by_caller`, `abnormal_line_search`, or `message:<text>`).
public enum PairFiles {
    public static let columns = [
        "source_index", "true_label", "target", "success", "predicted", "l2", "l2_per_pixel", "linf", "mean_abs",
        "target_confidence", "original_confidence", "c", "evaluations", "iterations", "runs", "stop",
    ]

    /// The format above as Markdown, for a README beside the files.
    public static func formatDescription(name: String, pixelsPerImage: Int = Architecture.paper.pixels) -> String {
        let files = fileNames(name)
        return """
        # Adversarial pairs: `\(files.csv)`, `\(files.original)`, `\(files.adversarial)`

        - `\(files.csv)`: a header line, then one line per attack in draw order (failures included,
          `success` = 0). Columns: \(columns.map { "`\($0)`" }.joined(separator: ", ")).
          Distortions are of r = adversarial - original in pixel units ([0, 1]); `l2_per_pixel` is
          Szegedy et al.'s sqrt(sum r^2 / \(pixelsPerImage)); confidences are softmax probabilities; `c`
          is the penalty weight of the reported run; `evaluations`, `iterations`, `runs` total the
          whole C search; `stop` is why the reported L-BFGS-B run ended.
        - `\(files.original)`, `\(files.adversarial)`: \(pixelsPerImage) little-endian Float32 per row of the
          CSV, in its order; row-major 28x28 pixels in [0, 1].

        """
    }

    /// The three file names for `name`.
    public static func fileNames(_ name: String) -> (csv: String, original: String, adversarial: String) {
        ("\(name).csv", "\(name)-original.f32", "\(name)-adversarial.f32")
    }

    /// Writes `pairs` as the three files `name`* in `directory` (created if missing).
    public static func write(_ pairs: [AdversarialPair], to directory: URL, name: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = fileNames(name)
        var csv = columns.joined(separator: ",") + "\n"
        for p in pairs {
            let fields: [String] = [
                "\(p.sourceIndex)", "\(p.trueLabel)", "\(p.target)", p.success ? "1" : "0", "\(p.predicted)",
                "\(p.l2)", "\(p.l2PerPixel)", "\(p.linf)", "\(p.meanAbs)", "\(p.targetConfidence)",
                "\(p.originalConfidence)", "\(p.c)", "\(p.evaluations)", "\(p.iterations)", "\(p.runs)", p.stop.code,
            ]
            csv += fields.joined(separator: ",") + "\n"
        }
        try Data(csv.utf8).write(to: directory.appendingPathComponent(files.csv))
        try float32Bytes(pairs.flatMap(\.original)).write(to: directory.appendingPathComponent(files.original))
        try float32Bytes(pairs.flatMap(\.adversarial)).write(to: directory.appendingPathComponent(files.adversarial))
    }

    /// Reads the files `write` made; distortions are taken from the CSV as written.
    public static func read(from directory: URL, name: String, pixelsPerImage: Int = Architecture.paper.pixels) throws -> [AdversarialPair] {
        let files = fileNames(name)
        let csvURL = directory.appendingPathComponent(files.csv)
        guard let text = try? String(contentsOf: csvURL, encoding: .utf8) else {
            throw AttackError.badFile(path: csvURL.path, reason: "missing or not UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first.map(String.init) == columns.joined(separator: ",") else {
            throw AttackError.badFile(path: csvURL.path, reason: "header is not \(columns.joined(separator: ","))")
        }
        lines.removeFirst()
        let originals = try floats(directory.appendingPathComponent(files.original), count: lines.count * pixelsPerImage)
        let adversarials = try floats(directory.appendingPathComponent(files.adversarial), count: lines.count * pixelsPerImage)
        return try lines.enumerated().map { row, line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func bad(_ reason: String) -> AttackError { .badFile(path: csvURL.path, reason: "row \(row + 1): \(reason)") }
            guard f.count == columns.count else { throw bad("\(f.count) fields, expected \(columns.count)") }
            func int(_ i: Int) throws -> Int {
                guard let v = Int(f[i]) else { throw bad("\(columns[i]) '\(f[i])' is not an integer") }
                return v
            }
            func double(_ i: Int) throws -> Double {
                guard let v = Double(f[i]) else { throw bad("\(columns[i]) '\(f[i])' is not a number") }
                return v
            }
            let range = row * pixelsPerImage..<(row + 1) * pixelsPerImage
            var pair = AdversarialPair(
                sourceIndex: try int(0), trueLabel: try int(1), target: try int(2), predicted: try int(4),
                targetConfidence: try double(9), originalConfidence: try double(10), c: try double(11),
                evaluations: try int(12), iterations: try int(13), runs: try int(14), stop: LBFGSBStop(code: f[15]),
                original: Array(originals[range]), adversarial: Array(adversarials[range]))
            pair.l2 = try double(5); pair.l2PerPixel = try double(6); pair.linf = try double(7); pair.meanAbs = try double(8)
            guard pair.success == (try int(3) == 1) else { throw bad("success disagrees with predicted and target") }
            return pair
        }
    }

    static func float32Bytes(_ values: [Float]) -> Data {
        var data = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func floats(_ url: URL, count: Int) throws -> [Float] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw AttackError.badFile(path: url.path, reason: "missing")
        }
        guard data.count == count * 4 else {
            throw AttackError.badFile(path: url.path, reason: "\(data.count) bytes, expected \(count * 4)")
        }
        return data.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }
}

extension LBFGSBStop {
    /// A one-word code for files (commas in messages become semicolons).
    public var code: String {
        switch self {
        case .convergedRelativeReduction: return "relative_reduction"
        case .convergedProjectedGradient: return "projected_gradient"
        case .evaluationLimit: return "evaluation_limit"
        case .stoppedByCaller: return "stopped_by_caller"
        case .abnormalLineSearch: return "abnormal_line_search"
        case .message(let text): return "message:" + text.replacingOccurrences(of: ",", with: ";")
                .replacingOccurrences(of: "\n", with: " ")
        }
    }

    public init(code: String) {
        switch code {
        case "relative_reduction": self = .convergedRelativeReduction
        case "projected_gradient": self = .convergedProjectedGradient
        case "evaluation_limit": self = .evaluationLimit
        case "stopped_by_caller": self = .stoppedByCaller
        case "abnormal_line_search": self = .abnormalLineSearch
        default: self = .message(code.hasPrefix("message:") ? String(code.dropFirst(8)) : code)
        }
    }
}
