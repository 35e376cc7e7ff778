import _PruneKitNotebookShims
import Foundation

/// The running notebook's settings, read once from the environment and the command line.
///
/// Under the weaver (`swift run notebook …`) the environment carries them:
///
/// | Variable | Meaning |
/// |---|---|
/// | `PRUNEKIT_NOTEBOOK_PROTOCOL=1` | emit control lines (``NotebookEvent``) instead of terminal output |
/// | `PRUNEKIT_NOTEBOOK_FILES` | the directory images go to (the page's `<name>_files/`) |
/// | `PRUNEKIT_NOTEBOOK_PARAMETERS` | overrides, one `name=value` per line |
/// | `PRUNEKIT_NOTEBOOK_QUICK=1` | use each parameter's quick value |
///
/// Run on its own (`swift run nb03-pruning --quick --set epochs=2`), the same settings come from
/// the arguments `--quick` and `--set name=value` (or plain `name=value`), images go to a
/// temporary directory, and the output is meant for a terminal.
public final class NotebookSession: @unchecked Sendable {
    /// The session of this process.
    public static let shared = NotebookSession(environment: ProcessInfo.processInfo.environment,
                                               arguments: Array(CommandLine.arguments.dropFirst()),
                                               executableName: (CommandLine.arguments.first as NSString?)?.lastPathComponent ?? "notebook")

    /// Whether control lines are emitted for the weaver.
    public let usesProtocol: Bool
    /// Whether quick-mode values apply.
    public let isQuick: Bool
    /// Explicit overrides by parameter name.
    public let overrides: [String: String]
    /// Where images are written.
    public let filesDirectory: String
    /// Errors in the settings themselves (a malformed argument), reported at the first use.
    let settingsErrors: [String]

    private let lock = NSLock()
    private var started = false

    /// Reads the settings; `executableName` names the standalone image directory.
    init(environment: [String: String], arguments: [String], executableName: String) {
        usesProtocol = environment["PRUNEKIT_NOTEBOOK_PROTOCOL"] == "1"
        var quick = environment["PRUNEKIT_NOTEBOOK_QUICK"] == "1"
        var overrides: [String: String] = [:]
        var errors: [String] = []
        for line in (environment["PRUNEKIT_NOTEBOOK_PARAMETERS"] ?? "").split(separator: "\n") {
            if let (name, value) = ParameterAssignment.parse(line) { overrides[name] = value } else { errors.append("bad parameter '\(line)'") }
        }
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--quick" {
                quick = true
            } else if argument == "--set", index + 1 < arguments.count, let (name, value) = ParameterAssignment.parse(arguments[index + 1]) {
                overrides[name] = value
                index += 1
            } else if let (name, value) = ParameterAssignment.parse(argument), !argument.hasPrefix("-") {
                overrides[name] = value
            } else {
                errors.append("unknown argument '\(argument)' (use --quick, --set name=value)")
            }
            index += 1
        }
        isQuick = quick
        self.overrides = overrides
        settingsErrors = errors
        let name = executableName.hasPrefix("nb") ? String(executableName.dropFirst(2)) : executableName
        filesDirectory = environment["PRUNEKIT_NOTEBOOK_FILES"]
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("prunekit-notebooks/\(name)_files")
    }

    /// Line-buffers standard output (so control lines and text reach the weaver in order, as they
    /// are written) and reports malformed settings; done once, at the first use of the session.
    func start() {
        lock.lock()
        defer { lock.unlock() }
        guard !started else { return }
        started = true
        prunekit_notebook_line_buffer_stdout()
        if !settingsErrors.isEmpty {
            fail("notebook settings: " + settingsErrors.joined(separator: "; "))
        }
    }

    /// Emits `event` as a control line (under the weaver) or prints `plain` (on its own).
    func emit(_ event: NotebookEvent, plain: @autoclosure () -> String?) {
        start()
        if usesProtocol {
            print(event.controlLine)
        } else if let text = plain() {
            print(text)
        }
    }

    /// Reports a notebook error on standard error and exits with status 2.
    func fail(_ message: String) -> Never {
        prunekit_notebook_flush_stdout()
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(2)
    }
}
