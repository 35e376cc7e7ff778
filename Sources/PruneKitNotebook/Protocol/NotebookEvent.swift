import Foundation

/// What a running notebook tells the weaver, besides the text it prints: one control line on
/// standard output per event.
///
/// A control line is ``NotebookEvent/prefix`` followed by the event as one line of JSON, for example
///
///     @@notebook {"cell":{"line":42,"title":"Configure the schedule"}}
///
/// Control lines travel on standard output together with `print`'s text, so the order of text and
/// events is the order the notebook produced them. Standard output is line-buffered while the
/// protocol is on, so every line reaches the weaver as it is written and a crash loses nothing.
public enum NotebookEvent: Sendable, Equatable, Codable {
    /// A cell starts: the `#line` of its `cell(…)` marker and its title.
    case cell(line: Int, title: String)
    /// A parameter's value and where it came from.
    case parameter(name: String, value: String, origin: ParameterOrigin)
    /// A table, placed in the page as Markdown.
    case table(NotebookTable)
    /// An image written into the page's files directory: the file name there and its alt text.
    case image(file: String, alt: String)
    /// Markdown text computed by the notebook, placed in the page as is.
    case markdown(String)

    /// The start of every control line.
    public static let prefix = "@@notebook "

    /// The event as one control line (without the newline).
    public var controlLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain values cannot fail; JSON escapes newlines, so the line stays one line.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return Self.prefix + String(decoding: data, as: UTF8.self)
    }

    /// The event of a control line, or `nil` when `line` is ordinary output (or a malformed control line,
    /// which is then shown as text rather than lost).
    public init?(controlLine line: Substring) {
        guard line.hasPrefix(Self.prefix) else { return nil }
        let json = line.dropFirst(Self.prefix.count)
        guard let event = try? JSONDecoder().decode(NotebookEvent.self, from: Data(json.utf8)) else { return nil }
        self = event
    }

    /// ``init(controlLine:)`` for a `String`.
    public init?(controlLine line: String) { self.init(controlLine: line[...]) }
}

/// Where a parameter's value came from.
public enum ParameterOrigin: String, Sendable, Codable, Equatable {
    /// The notebook's default.
    case `default`
    /// The notebook's quick-mode value (`--quick`).
    case quick
    /// An explicit override (`--set name=value`).
    case override
}
