/// A plain-text table with aligned columns: text left-aligned, numbers right-aligned.
public struct TextTable {
    public let header: [String]
    public private(set) var rows: [[String]] = []
    /// Columns whose cells are right-aligned (numbers).
    public let rightAligned: Set<Int>

    public init(header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "a row needs \(header.count) cells")
        rows.append(row)
    }

    /// Header, a dashed rule, then the rows; two spaces between columns; no trailing spaces.
    public var rendered: String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell -> String in
                let gap = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? gap + cell : cell + gap
            }
            return String(padded.joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
