import ArgumentParser
import Foundation
import PruneKit
import PruneKitCharts
import PruneKitReport

/// `swift run report`: the article's experiment as a Markdown report with PNG charts.
@main
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Train the article's CNN with gradual magnitude pruning and write a report of what pruning did.",
        discussion: """
        With no arguments, trains on the MNIST sample bundled with PruneKit (4,000 training images, 20% \
        of them held out for validation; 1,000 test images) for 30 epochs with batch size 250, pruned \
        with PolynomialDecay from 0 to 87.5% sparsity between 20% and 100% of the training steps, masks \
        updated every 100 steps, as the article does; trains the same model unpruned as the baseline; \
        and writes Reports/<run>/report.md with its charts. `report sweep` runs a grid of final sparsities, \
        seeds and schedule variants and writes what sparsity the CNN can afford.
        """,
        subcommands: [Run.self, Render.self, Sweep.self],
        defaultSubcommand: Run.self)
}

extension Report {
    /// Trains and writes the report.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the experiment and write its report (the default).")

        @OptionGroup var options: ExperimentOptions

        @Option(help: ArgumentHelp("The report directory. Default: Reports/<run>, <run> named after the data.", valueName: "dir"))
        var out: String?

        @Option(help: ArgumentHelp("Where the training logs go (JSON Lines and TensorBoard). Default: <out>/logs.", valueName: "dir"))
        var logdir: String?

        @Option(help: ArgumentHelp("Continue the run whose logs are in <logdir> (killed or interrupted): trained models are kept, an interrupted one continues from its last epoch's checkpoint. Options left out are taken from the stored run; those given must match it.", valueName: "logdir"))
        var resume: String?

        @OptionGroup var font: FontOption

        func run() throws {
            var configuration = options.configuration()
            var logdir = self.logdir
            if let resume {
                if let logdir, (logdir as NSString).standardizingPath != (resume as NSString).standardizingPath {
                    throw ValidationError("--logdir \(logdir) and --resume \(resume) name different log directories")
                }
                configuration = try configuration.resuming(ArticleExperiment.storedConfiguration(logDirectory: resume), from: resume)
                logdir = resume
            }
            let out = self.out ?? "Reports/\(Self.runName(dataPath: configuration.dataPath))"
            let results = try ArticleExperiment(configuration: configuration)
                .writeReport(into: out, logDirectory: logdir, fontPath: font.path, resuming: resume != nil)
            print("\nReport: \((out as NSString).appendingPathComponent("report.md"))")
            print(String(format: "Pruned CNN - Test loss: %.4f / Test accuracy: %.4f", results.pruned.test.loss, results.pruned.test.accuracy))
        }

        /// `mnist-sample` for the bundled sample, else the data directory's (or npz file's) name.
        static func runName(dataPath: String?) -> String {
            guard let dataPath else { return "mnist-sample" }
            let name = ((dataPath as NSString).standardizingPath as NSString).lastPathComponent
            return (name as NSString).deletingPathExtension.isEmpty ? "run" : (name as NSString).deletingPathExtension
        }
    }

    /// Rebuilds a report from existing logs, without training.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild a report from an existing log directory, without training.")

        @Argument(help: ArgumentHelp("A log directory written by `report` (it holds results.json, pruned/ and baseline/).", valueName: "logdir"))
        var logdir: String

        @Option(help: ArgumentHelp("The report directory. Default: the directory holding <logdir>.", valueName: "dir"))
        var out: String?

        @OptionGroup var font: FontOption

        func run() throws {
            let logs = try ReportLogs(directory: logdir)
            let standardized = (logdir as NSString).standardizingPath
            let out = self.out ?? (standardized as NSString).deletingLastPathComponent
            let outStandardized = (out as NSString).standardizingPath
            // Logs kept inside the report directory move into the new one.
            let inside = (standardized as NSString).deletingLastPathComponent == outStandardized
            try ReportFiles.replace(directory: out, keeping: inside ? [(standardized as NSString).lastPathComponent] : []) { (staging) throws in
                var writer = ReportWriter(logs: logs, logDirectory: logdir, fontPath: font.path)
                writer.sweepLink = ReportWriter.sweepLink(besideReport: out)
                try writer.write(into: staging)
            }
            print("Report: \((out as NSString).appendingPathComponent("report.md"))")
            print(String(format: "Pruned CNN - Test loss: %.4f / Test accuracy: %.4f", logs.results.pruned.test.loss, logs.results.pruned.test.accuracy))
        }
    }
}
