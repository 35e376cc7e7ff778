import Foundation

/// A notebook's Markdown page: the prose, each cell's code as a `swift` block and, right after it,
/// what the cell produced (text, tables, images, Markdown), as `jupyter nbconvert --to markdown`
/// writes an executed notebook.
///
/// The first line is a machine-readable header,
///
///     <!-- prunekit-notebook source=Notebooks/03-pruning/main.swift hash=0123456789abcdef mode=full status=ok -->
///
/// which ``NotebookPage/Header`` reads back for `notebook --check`.
public enum NotebookPage {
    /// Text outputs longer than this many lines are folded into a `<details>` element.
    public static let foldLines = 40

    /// The fields of a page's first line.
    public struct Header: Sendable, Equatable {
        /// The notebook source, relative to the package root.
        public var source: String
        /// ``sourceHash(_:)`` of the source the page was rendered from.
        public var hash: String
        /// `full`, `quick` or `custom` (see ``NotebookRun/mode``).
        public var mode: String
        /// `ok` or `failed`.
        public var status: String

        /// A header; see each property for the meaning of its argument.
        public init(source: String, hash: String, mode: String, status: String) {
            self.source = source
            self.hash = hash
            self.mode = mode
            self.status = status
        }

        /// The header line.
        public var line: String { "<!-- prunekit-notebook source=\(source) hash=\(hash) mode=\(mode) status=\(status) -->" }

        /// Reads the header from a page's first line, or `nil` when it has none.
        public init?(page: String) {
            guard let first = page.split(separator: "\n", maxSplits: 1).first,
                  first.hasPrefix("<!-- prunekit-notebook "), first.hasSuffix(" -->") else { return nil }
            var fields: [String: String] = [:]
            for word in first.dropFirst("<!-- prunekit-notebook ".count).dropLast(4).split(separator: " ") {
                if let equals = word.firstIndex(of: "=") { fields[String(word[..<equals])] = String(word[word.index(after: equals)...]) }
            }
            guard let source = fields["source"], let hash = fields["hash"], let mode = fields["mode"], let status = fields["status"] else { return nil }
            self.init(source: source, hash: hash, mode: mode, status: status)
        }
    }

    /// Why a committed page is out of date with its notebook, or `nil` when it is current: it must
    /// exist, come from the current source (same hash), use the notebook's defaults (full mode) and
    /// have run without failure.
    public static func staleness(page: String?, sourceText: String) -> String? {
        guard let page else { return "no page (run the notebook)" }
        guard let header = Header(page: page) else { return "the page has no prunekit-notebook header" }
        if header.hash != sourceHash(sourceText.utf8) { return "the notebook changed since the page was written (hash \(header.hash))" }
        if header.mode != "full" { return "the page was written in \(header.mode) mode, not with the notebook's defaults" }
        if header.status != "ok" { return "the page records a failed run" }
        return nil
    }

    /// The page of `run`.
    ///
    /// - Parameters:
    ///   - name: The notebook's name (its folder, `03-pruning`); images live in `<name>_files/`.
    ///   - sourcePath: The source file, relative to the package root, for the header.
    ///   - sourceLink: The source file relative to the page, for the link in the summary line.
    ///   - sourceText: The source, for the hash.
    ///   - run: What the run produced.
    public static func render(name: String, sourcePath: String, sourceLink: String, sourceText: String, run: NotebookRun) -> String {
        let header = Header(source: sourcePath, hash: sourceHash(sourceText.utf8), mode: run.mode, status: run.failed ? "failed" : "ok")
        var blocks: [String] = [header.line]
        let parameters = run.parameters.map { "`\($0.name)=\($0.value)`" + ($0.origin == .default ? "" : " (\($0.origin.rawValue))") }
        blocks.append("*Generated from [`\(sourcePath)`](\(sourceLink)) by `swift run notebook \(name)`"
            + (parameters.isEmpty ? "" : " with " + parameters.joined(separator: ", "))
            + String(format: "; ran in %.1f s. Edit the notebook, not this page.*", run.seconds))

        let source = run.source
        // Each cell's outputs go after its last code segment, or at its marker when it has no code.
        var anchor: [Int: Int] = [:]
        for (index, segment) in source.segments.enumerated() {
            switch segment {
            case .code(_, _, let cell): anchor[cell] = index
            case .marker(let cell): if anchor[cell] == nil { anchor[cell] = index }
            case .prose: break
            }
        }
        let started = Set(run.startedCells)
        var placed = Set<Int>()
        for (index, segment) in source.segments.enumerated() {
            switch segment {
            case .prose(let text, _):
                blocks.append(text)
            case .code(let code, _, _):
                blocks.append("```swift\n\(code)\n```")
            case .marker:
                break
            }
            for (cell, position) in anchor where position == index {
                placed.insert(cell)
                blocks += outputBlocks(cell: cell, name: name, run: run, started: started.contains(cell))
            }
        }
        // Output of cells the parser has no segment for (not expected): at the end, not lost.
        for cell in source.cells.indices where !placed.contains(cell) && !run.outputs[cell].isEmpty {
            blocks += outputBlocks(cell: cell, name: name, run: run, started: true)
        }
        if !run.problems.isEmpty {
            blocks.append("> **Error:** " + run.problems.joined(separator: "; "))
        }
        return blocks.filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    private static func outputBlocks(cell: Int, name: String, run: NotebookRun, started: Bool) -> [String] {
        guard started else {
            return run.failed ? ["*Not run: an earlier cell failed.*"] : []
        }
        var blocks = run.outputs[cell].map { output -> String in
            switch output {
            case .text(let text, let stream):
                return textBlock(text, label: stream == .stderr ? "standard error" : "output")
            case .table(let table):
                return table.markdown
            case .image(let file, let alt):
                return "![\(alt.replacingOccurrences(of: "]", with: ")"))](\(name)_files/\(file))"
            case .markdown(let text):
                return text
            }
        }
        if run.failedCell == cell {
            let title = run.source.cells[cell]
            let place = cell == 0 ? "the setup code" : "cell “\(title.title)” (line \(title.line))"
            blocks.append("> **Error:** the notebook \(run.terminationDescription) in \(place).")
        }
        return blocks
    }

    /// A fenced text block, folded when long; the fence is longer than any backtick run inside.
    static func textBlock(_ text: String, label: String) -> String {
        var fence = "```"
        while text.contains(fence) { fence += "`" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let block = "\(fence)text\n\(text)\n\(fence)"
        guard lines > foldLines else { return block }
        return "<details><summary>\(label), \(lines) lines</summary>\n\n\(block)\n\n</details>"
    }
}
