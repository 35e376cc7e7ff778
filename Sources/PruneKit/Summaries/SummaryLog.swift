import Foundation

/// The records of a log directory written by ``PruningSummaries``, read back.
public struct SummaryLog: Sendable, Equatable {
    /// The run's description (the last one, when a run was resumed).
    public var run: RunRecord
    /// The step records, in order.
    public var steps: [StepRecord] = []
    /// The epoch records, in order.
    public var epochs: [EpochRecord] = []
    /// The weight snapshots, in order.
    public var weights: [WeightsRecord] = []

    /// Reads `summaries.jsonl` in `directory`.
    ///
    /// - Throws: ``SummaryError/unreadableLog(path:detail:)`` naming the file, and the line for a
    ///   record that is not valid; a log without a `run` record is unreadable too.
    public init(directory: String) throws(SummaryError) {
        let path = (directory as NSString).appendingPathComponent(PruningSummaries.recordsFileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableLog(path: path, detail: "no such file or not readable")
        }
        var run: RunRecord?
        let decoder = JSONDecoder()
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            let record: SummaryRecord
            do { record = try decoder.decode(SummaryRecord.self, from: Data(line)) } catch {
                throw .unreadableLog(path: path, detail: "line \(index + 1) is not a summary record (\(error))")
            }
            switch record {
            case .run(let record): run = record
            case .step(let record): steps.append(record)
            case .epoch(let record): epochs.append(record)
            case .weights(let record): weights.append(record)
            }
        }
        guard let run else { throw .unreadableLog(path: path, detail: "no run record") }
        self.run = run
    }
}
