import Foundation

/// The `python3` on the `PATH`, for the checks that read our files with the reference
/// implementations (TensorBoard, onnxruntime).
enum Python {
    /// Runs `python3` with `arguments`, returning its exit status and its standard output and error.
    static func run(_ arguments: [String]) throws -> (status: Int32, messages: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let messages = Pipe()
        process.standardOutput = messages
        process.standardError = messages
        try process.run()
        let text = messages.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }

    /// Whether `python3` can import `module`.
    static func canImport(_ module: String) -> Bool {
        (try? run(["-c", "import \(module)"]))?.status == 0
    }
}
