import FuzzSupport
import PruneKit

/// `summaries.jsonl` as `SummaryLog(directory:)` reads it back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSummaries(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    Scratch.write(fuzzInput(start, count), to: "summaries/\(PruningSummaries.recordsFileName)")
    _ = try? SummaryLog(directory: Scratch.path("summaries"))
    return 0
}

runFuzzer(fuzzSummaries)
