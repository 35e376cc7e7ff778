/// What one run of a notebook produced, cell by cell: built line by line from its output (the runner
/// merges standard output and standard error in order; ``receive(_:from:)``), then closed with its exit status (``finish(_:overrides:)``).
public struct NotebookRun: Sendable, Equatable {
    /// Which stream a line of text came from.
    public enum Stream: String, Sendable, Equatable {
        /// Standard output.
        case stdout
        /// Standard error.
        case stderr
    }

    /// One thing shown under a cell.
    public enum Output: Sendable, Equatable {
        /// Printed lines, joined, from one stream.
        case text(String, stream: Stream)
        /// A table from `show(table:)`.
        case table(NotebookTable)
        /// An image in the page's files directory, with its alt text.
        case image(file: String, alt: String)
        /// Markdown from `show(markdown:)`.
        case markdown(String)
    }

    /// A parameter as the notebook reported it.
    public struct Parameter: Sendable, Equatable {
        /// The parameter's name.
        public var name: String
        /// The value it took, as text.
        public var value: String
        /// Where the value came from: the default, quick mode or an override.
        public var origin: ParameterOrigin
    }

    /// How the process ended.
    public enum Termination: Sendable, Equatable {
        /// It exited with this status (0: success).
        case exited(Int32)
        /// A signal killed it (a Swift runtime trap is SIGILL or SIGTRAP).
        case signalled(Int32)
        /// It could not be started (the message says why).
        case notStarted(String)
    }

    /// The source the run belongs to.
    public let source: NotebookSource
    /// Outputs per cell index.
    public private(set) var outputs: [[Output]]
    /// The cells that started, in order.
    public private(set) var startedCells: [Int] = [0]
    /// The parameters reported, in order.
    public private(set) var parameters: [Parameter] = []
    /// How the process ended (`nil` while running).
    public private(set) var termination: Termination?
    /// Problems found by the weaver itself (an override the notebook does not declare).
    public var problems: [String] = []
    /// Wall-clock seconds of the run.
    public var seconds: Double = 0

    /// An empty run of `source`.
    public init(source: NotebookSource) {
        self.source = source
        outputs = Array(repeating: [], count: source.cells.count)
    }

    /// The cell output currently goes to.
    public var currentCell: Int { startedCells.last ?? 0 }

    /// Takes one line (without its newline) from `stream`: a control line (on standard output) is
    /// applied, anything else is text under the current cell.
    public mutating func receive(_ line: Substring, from stream: Stream) {
        if stream == .stdout, let event = NotebookEvent(controlLine: line) {
            apply(event)
        } else {
            append(text: String(line), stream: stream)
        }
    }

    /// Applies one event.
    public mutating func apply(_ event: NotebookEvent) {
        switch event {
        case .cell(let line, _):
            startedCells.append(source.cellIndex(markerLine: line))
        case .parameter(let name, let value, let origin):
            parameters.removeAll { $0.name == name }
            parameters.append(Parameter(name: name, value: value, origin: origin))
        case .table(let table):
            outputs[currentCell].append(.table(table))
        case .image(let file, let alt):
            outputs[currentCell].append(.image(file: file, alt: alt))
        case .markdown(let text):
            outputs[currentCell].append(.markdown(text))
        }
    }

    private mutating func append(text: String, stream: Stream) {
        let cell = currentCell
        if case .text(let previous, let previousStream)? = outputs[cell].last, previousStream == stream {
            outputs[cell][outputs[cell].count - 1] = .text(previous + "\n" + text, stream: stream)
        } else {
            outputs[cell].append(.text(text, stream: stream))
        }
    }

    /// Records how the process ended and, when it finished, checks that every override in
    /// `overrides` names a parameter the notebook declared.
    public mutating func finish(_ termination: Termination, overrides: [String] = []) {
        self.termination = termination
        // A notebook that stopped early may not have declared all its parameters yet.
        guard termination == .exited(0) else { return }
        let declared = parameters.map(\.name)
        for name in overrides where !declared.contains(name) {
            problems.append("unknown parameter '\(name)' (the notebook declares: \(declared.isEmpty ? "none" : declared.joined(separator: ", ")))")
        }
    }

    /// Whether the run failed: the process did not exit with status 0, or the weaver found a problem.
    public var failed: Bool { termination != .exited(0) || !problems.isEmpty }

    /// The cell the failure belongs to (the last that started), when the process failed.
    public var failedCell: Int? { termination == .exited(0) || termination == nil ? nil : currentCell }

    /// One sentence on how the process ended.
    public var terminationDescription: String {
        switch termination {
        case .exited(let status)?: return status == 0 ? "finished" : "exited with status \(status)"
        case .signalled(let signal)?: return "was killed by signal \(signal)\(Self.signalName(signal).map { " (\($0))" } ?? "")"
        case .notStarted(let message)?: return "could not start: \(message)"
        case nil: return "did not finish"
        }
    }

    private static func signalName(_ signal: Int32) -> String? {
        [4: "SIGILL, a Swift runtime trap", 5: "SIGTRAP, a Swift runtime trap", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM"][signal]
    }

    /// The mode the parameters describe: `full` (all defaults), `quick` or `custom` (any override).
    public var mode: String {
        if parameters.contains(where: { $0.origin == .override }) { return "custom" }
        if parameters.contains(where: { $0.origin == .quick }) { return "quick" }
        return "full"
    }
}
