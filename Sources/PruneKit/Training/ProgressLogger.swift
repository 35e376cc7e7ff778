import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keras-style progress: `Epoch 3/30`, then a live bar while the epoch runs when standard output
/// is a terminal, and one summary line per epoch:
///
///     13/13 - 0.62s - loss: 0.2841 - accuracy: 0.9137 - val_loss: 0.1760 - val_accuracy: 0.9463 - 48ms/step
///
/// `fit(verbose: true)` adds it after the caller's callbacks.
public final class ProgressLogger: Callback {
    private let interactive: Bool
    private var lastDraw = Date.distantPast

    /// Creates a logger; `interactive` (default: whether stdout is a terminal) enables the live bar.
    public init(interactive: Bool = isatty(STDOUT_FILENO) != 0) {
        self.interactive = interactive
    }

    public func trainBegin(_ state: inout TrainingState) {
        var line = "Train on \(state.trainingCount) samples"
        if state.validationCount > 0 { line += ", validate on \(state.validationCount) samples" }
        emit(line)
    }

    public func epochBegin(_ state: inout TrainingState) {
        emit("Epoch \(state.epoch + 1)/\(state.epochs)")
    }

    public func batchEnd(_ state: inout TrainingState) {
        guard interactive, let logs = state.batchLogs else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || state.batch + 1 == state.stepsPerEpoch else { return }
        lastDraw = now
        let done = state.batch + 1, width = 30
        let filled = width * done / state.stepsPerEpoch
        let bar = String(repeating: "=", count: max(filled - 1, 0)) + (filled < width ? ">" : "=")
            + String(repeating: ".", count: width - filled)
        let text = "\r\(Self.counter(done, state.stepsPerEpoch)) [\(bar)] - loss: \(Self.format(logs.loss)) - accuracy: \(Self.format(logs.accuracy))"
        print(text, terminator: "")
        fflush(nil)
    }

    public func epochEnd(_ state: inout TrainingState) {
        guard let logs = state.epochLogs else { return }
        var line = "\(Self.counter(state.batch + 1, state.stepsPerEpoch)) - \(String(format: "%.2fs", logs.seconds))"
        line += " - loss: \(Self.format(logs.loss)) - accuracy: \(Self.format(logs.accuracy))"
        if let loss = logs.validationLoss, let accuracy = logs.validationAccuracy {
            line += " - val_loss: \(Self.format(loss)) - val_accuracy: \(Self.format(accuracy))"
        }
        line += " - \(Int((logs.seconds / Double(state.batch + 1) * 1000).rounded()))ms/step"
        emit((interactive ? "\r" : "") + line)
    }

    /// Prints through the same buffered stream as `print`, flushed, so lines keep their order.
    private func emit(_ line: String) {
        print(line)
        fflush(nil)
    }

    private static func format(_ value: Double) -> String { String(format: "%.4f", value) }

    private static func counter(_ done: Int, _ total: Int) -> String {
        let width = String(total).count
        return String(repeating: " ", count: width - String(done).count) + "\(done)/\(total)"
    }
}
