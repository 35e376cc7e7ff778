/// A small table a notebook shows: Markdown in a page, aligned plain text on a terminal.
public struct NotebookTable: Sendable, Equatable, Codable {
    /// How a column's cells line up.
    public enum Alignment: String, Sendable, Equatable, Codable {
        /// Flush left (text).
        case left
        /// Flush right (numbers).
        case right
    }

    /// The column titles.
    public var headers: [String]
    /// The rows, each with one cell per column.
    public var rows: [[String]]
    /// One alignment per column.
    public var alignments: [Alignment]

    /// A table; `alignments` defaults to right-aligned columns for those whose cells all look like
    /// numbers (digits, signs, separators, `%`, units after a number), left otherwise.
    ///
    /// - Precondition: every row has `headers.count` cells.
    public init(headers: [String], rows: [[String]], alignments: [Alignment]? = nil) {
        precondition(rows.allSatisfy { $0.count == headers.count }, "every row needs \(headers.count) cells")
        self.headers = headers
        self.rows = rows
        self.alignments = alignments ?? headers.indices.map { column in
            rows.allSatisfy { Self.looksNumeric($0[column]) } && !rows.isEmpty ? .right : .left
        }
    }

    /// Whether a cell starts like a number: `1,234`, `-0.5`, `87.50%`, `1.7 MB`, `×3.1`.
    static func looksNumeric(_ cell: String) -> Bool {
        guard let first = cell.trimmingLeadingSymbols.first else { return cell.isEmpty }
        return first.isNumber
    }

    /// The table in GitHub-flavoured Markdown; `|` in cells is escaped.
    public var markdown: String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + alignments.map { $0 == .right ? "---:|" : "---|" }.joined()
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// The table as aligned plain text, for a terminal.
    public var plainText: String {
        let widths = headers.indices.map { column in ([headers] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return alignments[column] == .right ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

private extension String {
    /// The string without a leading sign or multiplication sign.
    var trimmingLeadingSymbols: Substring { drop { "-+−×~≈".contains($0) } }
}
