import ArgumentParser
import PruneKitCharts

/// `--font PATH`: the charts' font, checked before any work.
struct FontOption: ParsableArguments {
    @Option(name: .customLong("font"), help: ArgumentHelp("A TrueType font for the charts. Default: DejaVu Sans, or a system font on macOS.",
                                                        valueName: "path"))
    var explicitPath: String?

    /// The font the charts use.
    var path: String { explicitPath ?? ChartFont.defaultPath }

    func validate() throws {
        do { try ChartFont.check(path: path) } catch { throw ValidationError(error.description) }
    }
}
