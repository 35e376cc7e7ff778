import Foundation

/// A directory of this process's own under the temporary directory, for the files fuzz inputs
/// are written to (the parsers under test read paths). Removed when the fuzzer exits normally.
public enum Scratch {
    /// The directory, created on first use.
    public static let directory: String = {
        let path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("prunekit-fuzz-\(ProcessInfo.processInfo.processIdentifier)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Scratch.directory) }
        return path
    }()

    /// The path of `name` inside ``directory``, its parent directories created.
    public static func path(_ name: String) -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        return path
    }

    /// Writes `bytes` to `name` in ``directory`` and returns its path.
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, to name: String) -> String {
        let path = path(name)
        try! Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes `bytes` to `name` in ``directory`` and returns its path.
    @discardableResult
    public static func write(_ bytes: [UInt8], to name: String) -> String {
        bytes.withUnsafeBytes { write($0, to: name) }
    }
}

/// The input libFuzzer hands `LLVMFuzzerTestOneInput`, as a buffer.
public func fuzzInput(_ start: UnsafeRawPointer?, _ count: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count)
}

/// libFuzzer's entry point for programs that keep their own `main` (SwiftPM executables must).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the command line's options, calling `testOneInput` for every input; the
/// whole `main` of a fuzz target.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
