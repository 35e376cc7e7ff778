import FuzzSupport
import PruneKitReport

/// `results.json` of a log directory, read as `report render LOGDIR` reads it (`ReportLogs`).
/// The directory's `pruned/summaries.jsonl` is a valid one-record log, so a results file that
/// decodes goes on to the summaries.
private let logs: String = {
    let run = #"{"kind":"run","schemaVersion":1,"seed":0,"epochs":1,"stepsPerEpoch":1,"trainingCount":1,"validationCount":0,"startStep":0,"layers":[]}"#
    Scratch.write(Array(run.utf8) + [0x0A], to: "logs/pruned/summaries.jsonl")
    return Scratch.path("logs")
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResults(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    Scratch.write(fuzzInput(start, count), to: "logs/results.json")
    _ = try? ReportLogs(directory: logs)
    return 0
}

runFuzzer(fuzzResults)
