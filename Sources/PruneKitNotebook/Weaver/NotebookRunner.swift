import Foundation

/// Runs a notebook's executable with the control-line protocol on and collects what it produces
/// into a ``NotebookRun``.
public struct NotebookRunner: Sendable {
    /// The built notebook executable.
    public var executable: String
    /// Arguments passed to it (none for a notebook; tests run scripts).
    public var arguments: [String] = []
    /// The directory it runs in (the package root).
    public var workingDirectory: String
    /// Where its images go; emptied before the run.
    public var filesDirectory: String
    /// Parameter overrides, `--set name=value`.
    public var overrides: [(name: String, value: String)] = []
    /// Whether quick-mode values apply.
    public var quick = false

    /// A runner; see each property for the meaning of its argument.
    public init(executable: String, arguments: [String] = [], workingDirectory: String, filesDirectory: String,
                overrides: [(name: String, value: String)] = [], quick: Bool = false) {
        self.executable = executable
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.filesDirectory = filesDirectory
        self.overrides = overrides
        self.quick = quick
    }

    /// The environment of the notebook process: this process's, plus the protocol settings (see
    /// ``NotebookSession``) and `SWIFT_BACKTRACE=enable=no`, so a crash prints its message, not a
    /// page of backtrace.
    public func environment(base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = base
        environment["PRUNEKIT_NOTEBOOK_PROTOCOL"] = "1"
        environment["PRUNEKIT_NOTEBOOK_FILES"] = filesDirectory
        environment["PRUNEKIT_NOTEBOOK_PARAMETERS"] = overrides.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        environment["PRUNEKIT_NOTEBOOK_QUICK"] = quick ? "1" : nil
        environment["SWIFT_BACKTRACE"] = "enable=no"
        return environment
    }

    /// Runs the notebook to the end and returns what it produced; `onEvent` sees each control event
    /// as it arrives (for progress output). A notebook that cannot be started gives a failed run.
    public func run(source: NotebookSource, onEvent: @escaping @Sendable (NotebookEvent) -> Void = { _ in }) -> NotebookRun {
        let started = Date()
        let collector = RunCollector(run: NotebookRun(source: source), onEvent: onEvent)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory, isDirectory: true)
        process.environment = environment()
        // One pipe for both streams: the kernel keeps the order of their writes, so an error message
        // lands under the cell that was running (two pipes read by two threads could reorder them).
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try? FileManager.default.removeItem(atPath: filesDirectory)
            try FileManager.default.createDirectory(atPath: filesDirectory, withIntermediateDirectories: true)
            try process.run()
        } catch {
            return collector.finish(.notStarted("\(executable): \(error.localizedDescription)"), overrides: [], seconds: 0)
        }
        // The parent's copy of the write end must close, or reading never sees the end of the output.
        try? output.fileHandleForWriting.close()
        collector.read(output.fileHandleForReading, stream: .stdout)
        process.waitUntilExit()
        let termination: NotebookRun.Termination = process.terminationReason == .uncaughtSignal
            ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
        return collector.finish(termination, overrides: overrides.map(\.name), seconds: Date().timeIntervalSince(started))
    }
}

/// Lines from the notebook's output into one ``NotebookRun``, in order.
private final class RunCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var run: NotebookRun
    private let onEvent: @Sendable (NotebookEvent) -> Void

    init(run: NotebookRun, onEvent: @escaping @Sendable (NotebookEvent) -> Void) {
        self.run = run
        self.onEvent = onEvent
    }

    /// Reads `handle` to its end, passing on every complete line (and a last unterminated one).
    func read(_ handle: FileHandle, stream: NotebookRun.Stream) {
        var pending = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                deliver(pending[pending.startIndex ..< newline], stream: stream)
                pending = Data(pending[(newline + 1)...])
            }
        }
        if !pending.isEmpty { deliver(pending[...], stream: stream) }
    }

    private func deliver(_ bytes: Data, stream: NotebookRun.Stream) {
        let line = String(decoding: bytes, as: UTF8.self)
        let event = stream == .stdout ? NotebookEvent(controlLine: line) : nil
        lock.lock()
        run.receive(line[...], from: stream)
        lock.unlock()
        if let event { onEvent(event) }
    }

    func finish(_ termination: NotebookRun.Termination, overrides: [String], seconds: Double) -> NotebookRun {
        lock.lock()
        defer { lock.unlock() }
        run.finish(termination, overrides: overrides)
        run.seconds = seconds
        return run
    }
}
