/// A notebook's source split into prose and code cells, as the weaver reads it.
///
/// - Prose: `//:` lines (the marker and one following space removed) and `/*: … */` blocks (their
///   common indentation removed): Swift Playground markup, Markdown inside.
/// - Cells: a line whose code starts with `cell(` begins a cell; the cell is the code from there to
///   the next such line. The marker line itself is runner plumbing and is not shown. Code before the
///   first marker (imports, parameters) is cell 0, the setup cell.
/// - Everything else is code, shown as it is; ordinary `//` comments stay in the code. Lines inside a
///   multi-line string literal (`"""`) are always code.
public struct NotebookSource: Sendable, Equatable {
    /// A run of prose or code, in source order.
    public enum Segment: Sendable, Equatable {
        /// Markdown, starting at source line `line`.
        case prose(String, line: Int)
        /// Code lines `lines` (1-based, inclusive) of cell `cell`, blank lines at both ends removed.
        case code(String, lines: ClosedRange<Int>, cell: Int)
        /// Where cell `cell`'s marker stands (not shown).
        case marker(cell: Int)
    }

    /// A cell: its title and the line of its `cell(…)` marker (0 for the setup cell).
    public struct Cell: Sendable, Equatable {
        /// The title given to `cell(_:)`.
        public var title: String
        /// The source line of the marker.
        public var line: Int
    }

    /// The segments in source order.
    public var segments: [Segment] = []
    /// The cells; `cells[0]` is the setup cell before the first marker.
    public var cells: [Cell] = [Cell(title: "setup", line: 0)]

    /// Parses notebook source text.
    public init(text: String) {
        var prose: [String] = [], proseLine = 0
        var code: [(line: Int, text: String)] = []
        var inBlock = false, blockLines: [String] = [], blockLine = 0
        var inString = false

        func flushProse() {
            if !prose.isEmpty { segments.append(.prose(prose.joined(separator: "\n"), line: proseLine)) }
            prose = []
        }
        func flushCode() {
            let lines = code.drop { $0.text.allSatisfy(\.isWhitespace) }.reversed().drop { $0.text.allSatisfy(\.isWhitespace) }.reversed()
            if let first = lines.first, let last = lines.last {
                segments.append(.code(lines.map(\.text).joined(separator: "\n"), lines: first.line ... last.line, cell: cells.count - 1))
            }
            code = []
        }

        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = offset + 1
            let line = String(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            let trimmed = line.drop(while: \.isWhitespace)
            if inBlock {
                if let end = line.range(of: "*/") {
                    let last = String(line[..<end.lowerBound])
                    if !last.allSatisfy(\.isWhitespace) { blockLines.append(last) }
                    inBlock = false
                    flushCode()
                    segments.append(.prose(Self.dedent(blockLines), line: blockLine))
                } else {
                    blockLines.append(line)
                }
                continue
            }
            if inString {
                code.append((number, line))
                if Self.tripleQuotes(in: line) % 2 == 1 { inString = false }
                continue
            }
            if trimmed.hasPrefix("//:") {
                flushCode()
                if prose.isEmpty { proseLine = number }
                var content = trimmed.dropFirst(3)
                if content.first == " " { content = content.dropFirst() }
                prose.append(String(content))
                continue
            }
            flushProse()
            if trimmed.hasPrefix("/*:") {
                flushCode()
                let rest = trimmed.dropFirst(3)
                blockLine = number
                if let end = rest.range(of: "*/") {
                    segments.append(.prose(String(rest[..<end.lowerBound]).trimmingWhitespace, line: number))
                } else {
                    inBlock = true
                    blockLines = rest.allSatisfy(\.isWhitespace) ? [] : [String(rest).trimmingWhitespace]
                }
                continue
            }
            if trimmed.hasPrefix("cell(") {
                flushCode()
                cells.append(Cell(title: Self.title(of: trimmed) ?? "cell \(cells.count)", line: number))
                segments.append(.marker(cell: cells.count - 1))
                continue
            }
            code.append((number, line))
            if Self.tripleQuotes(in: line) % 2 == 1 { inString = true }
        }
        if inBlock { segments.append(.prose(Self.dedent(blockLines), line: blockLine)) }
        flushProse()
        flushCode()
    }

    /// The cell whose marker is at `line`, or else the last cell whose marker comes before it (a
    /// `cell(…)` call the parser did not see as a marker, such as one inside a helper, still lands
    /// near its output).
    public func cellIndex(markerLine line: Int) -> Int {
        cells.lastIndex { $0.line <= line } ?? 0
    }

    /// The number of `"""` in a line.
    private static func tripleQuotes(in line: String) -> Int {
        line.components(separatedBy: "\"\"\"").count - 1
    }

    /// The string literal of `cell("…")`, unescaped for `\"` and `\\`.
    private static func title(of line: Substring) -> String? {
        guard let open = line.firstIndex(of: "\"") else { return nil }
        var title = "", escaped = false
        for character in line[line.index(after: open)...] {
            if escaped { title.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" { return title }
            title.append(character)
        }
        return nil
    }

    /// Lines without the indentation they all share (blank lines ignored), blank lines at both ends removed.
    static func dedent(_ lines: [String]) -> String {
        let indent = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
        let body = lines.map { $0.allSatisfy(\.isWhitespace) ? "" : String($0.dropFirst(indent)) }
        return body.drop { $0.isEmpty }.reversed().drop { $0.isEmpty }.reversed().joined(separator: "\n")
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace.
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
