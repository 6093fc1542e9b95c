import Analysis
import Experiments
import Foundation

/// The paper's own numbers and claims (`data/paper/reference.json`, vendored from the study's
/// shared folder), set beside ours in the report. Nothing here is a result of this run.
struct PaperReference: Decodable {
    struct BaseTraining: Decodable {
        var reported_test_accuracy: Double
    }
    struct Hardening: Decodable {
        /// The columns' notation ("C^c", "SD^c_0.2", ...), in the order of each table row.
        var models: [String]
        var tables: [String: [String: [Double]]]
        var table_numbers: [String: Int]
        var claims: [String]
        var expected_test_sizes: ExpectedSizes
    }
    struct ExpectedSizes: Decodable {
        var Both: Int
        var Orig: Int
        var Adv: Int
        var note: String
    }
    var base_training: BaseTraining
    var hardening: Hardening
    /// The paper's tables 1-3 as typed rows (reference.json keys them "Both" -> "0.001"), parsed
    /// once by `load`.
    private(set) var tables = SensitivityTable([:])

    private enum CodingKeys: String, CodingKey { case base_training, hardening }

    static func load(from url: URL) throws -> PaperReference {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StudyError.missingFile(url.path, what: "the paper's reference numbers")
        }
        var reference: PaperReference
        do {
            reference = try JSONDecoder().decode(PaperReference.self, from: data)
        } catch {
            throw StudyError.malformedFile(url.path, reason: "\(error)")
        }
        var cells: [TableRow: [Double]] = [:]
        for (grouping, rates) in reference.hardening.tables {
            for (rate, row) in rates {
                guard let g = Grouping(rawValue: grouping), let lr = Double(rate) else {
                    throw StudyError.malformedFile(url.path, reason: "table row \"\(grouping)\" \(rates.keys.sorted()): "
                        + "expected a grouping (\(Grouping.allCases.map(\.rawValue).joined(separator: ", "))) and learning rates")
                }
                cells[TableRow(g, lr)] = row
            }
        }
        reference.tables = SensitivityTable(cells)
        return reference
    }

    /// The paper's cell of `row` in the column the paper writes `notation` ("SD^f_0.7").
    func tableValue(_ row: TableRow, _ notation: String) -> Double? {
        guard let column = hardening.models.firstIndex(of: notation) else { return nil }
        let cells = tables[row]
        return column < cells.count ? cells[column] : nil
    }

    func expectedTestSize(_ grouping: Grouping) -> Int {
        switch grouping {
        case .both: return hardening.expected_test_sizes.Both
        case .orig: return hardening.expected_test_sizes.Orig
        case .adv: return hardening.expected_test_sizes.Adv
        }
    }
}

/// Errors of the pipeline itself (the stages' own errors pass through unchanged).
public enum StudyError: Error, CustomStringConvertible {
    case missingFile(String, what: String)
    case malformedFile(String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let path, let what): return "missing \(what): \(path)"
        case .malformedFile(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
}
