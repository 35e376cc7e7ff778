import Foundation
import SwiftProtobuf
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes scalars and histograms to a TensorBoard event file, for `tensorboard --logdir`.
///
/// The file is `events.out.tfevents.<unix seconds>.<hostname>.<pid>.<counter>` inside the log
/// directory, where `<counter>` is the smallest number that makes the name new, so writers started
/// in the same second never share a file. It holds TFRecord-framed `Event` messages (see
/// `TFRecord`), starting with one that carries the wall time and the file version `brain.Event:2`.
///
/// Each record goes to the operating system with one `write(2)` as it is added, without buffering
/// in the process, so a run that is killed leaves a file that TensorBoard reads up to the last
/// record. A writer is not safe to use from several threads at once.
///
///     let writer = try EventFileWriter(directory: "logs/run-1")
///     try writer.addScalar(tag: "loss", value: 0.28, step: 100)
///     try writer.addHistogram(tag: "dense/kernel", values: kernel, step: 100)
///     try writer.close()
public final class EventFileWriter {
    /// The path of the event file.
    public var path: String { file.path }

    private let file: AppendOnlyFile

    /// Creates `directory` (with any missing parents) and a new event file in it, and writes the
    /// file-version record.
    ///
    /// - Parameter directory: The log directory, usually one per run.
    /// - Throws: ``SummaryError/cannotCreateDirectory(path:detail:)`` when `directory` cannot be
    ///   created or is not a directory; ``SummaryError/cannotCreateFile(path:detail:)`` or
    ///   ``SummaryError/writeFailed(path:detail:)`` when the file cannot be created or written.
    public init(directory: String) throws(SummaryError) {
        let wallTime = Date().timeIntervalSince1970
        file = try AppendOnlyFile(uniqueIn: directory, stem: "events.out.tfevents.\(Int(wallTime)).\(Self.hostname()).\(getpid())")
        try append(EventMessage.header(wallTime: wallTime))
    }

    /// Records `value` under `tag` at `step`, stored as a 32-bit float (`simple_value`).
    ///
    /// - Parameters:
    ///   - tag: The series name, for example `"loss"` or `"val/accuracy"`.
    ///   - value: The value; TensorBoard keeps it to `Float` precision.
    ///   - step: The x coordinate, usually the global training step or the epoch.
    ///   - wallTime: Seconds since 1970 when the value was measured.
    /// - Throws: ``SummaryError/writeFailed(path:detail:)``, ``SummaryError/writerClosed(path:)``.
    public func addScalar(tag: String, value: Double, step: Int,
                          wallTime: Double = Date().timeIntervalSince1970) throws(SummaryError) {
        try append(EventMessage.scalar(tag: tag, value: value, step: step, wallTime: wallTime))
    }

    /// Records the distribution of `values` under `tag` at `step`, bucketed as TensorFlow's
    /// histogram summary does (see `HistogramSummary`).
    ///
    /// - Parameters:
    ///   - tag: The series name, for example `"conv1/kernel"`.
    ///   - values: The values, for example a layer's weights; all must be finite.
    ///   - step: The x coordinate, usually the global training step or the epoch.
    ///   - wallTime: Seconds since 1970 when the values were measured.
    /// - Throws: ``SummaryError/nonFiniteValue(path:tag:)`` when a value is NaN or infinite (nothing
    ///   is written); ``SummaryError/writeFailed(path:detail:)``, ``SummaryError/writerClosed(path:)``.
    public func addHistogram(tag: String, values: some Collection<Float>, step: Int,
                             wallTime: Double = Date().timeIntervalSince1970) throws(SummaryError) {
        guard values.allSatisfy(\.isFinite) else { throw .nonFiniteValue(path: path, tag: tag) }
        let histogram = HistogramSummary(values)
        try append(EventMessage.histogram(tag: tag, histogram: histogram, step: step, wallTime: wallTime))
    }

    /// Asks the operating system to commit the written records to storage (`fsync`).
    ///
    /// Records reach the operating system as they are added, so other processes (TensorBoard) see
    /// them without this; it only matters for surviving a machine crash.
    ///
    /// - Throws: ``SummaryError/writeFailed(path:detail:)``, ``SummaryError/writerClosed(path:)``.
    public func flush() throws(SummaryError) {
        try file.sync()
    }

    /// Closes the file. Closing again does nothing; adding after closing throws.
    ///
    /// - Throws: ``SummaryError/writeFailed(path:detail:)`` when the system reports an error on close.
    public func close() throws(SummaryError) {
        try file.close()
    }

    /// Writes `event` as one TFRecord with a single append.
    private func append(_ event: Tensorboard_Event) throws(SummaryError) {
        let bytes: [UInt8]
        do { bytes = try event.serializedBytes() } catch {
            throw .writeFailed(path: path, detail: "the event cannot be serialized: \(error)")
        }
        try file.append(TFRecord.frame(bytes))
    }

    /// This machine's host name, or `localhost` when the system does not say.
    private static func hostname() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0, name[0] != 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
    }
}
