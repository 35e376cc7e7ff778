import ArgumentParser
import Foundation
import PruneKit

/// The experiment's parameters, shared by the commands that train.
struct ExperimentOptions: ParsableArguments {
    /// Keras's `validation_split` in the article.
    static let validationSplit = 0.2

    enum ScheduleKind: String, ExpressibleByArgument, CaseIterable {
        case polynomial, constant
    }

    @Option(help: ArgumentHelp("A directory with the four MNIST IDX files (raw or .gz), or Keras's mnist.npz. Default: the bundled sample.", valueName: "dir"))
    var data: String?

    @Option(help: "Passes over the training data.")
    var epochs = 30

    @Option(name: .customLong("batch-size"), help: "Images per gradient step.")
    var batchSize = 250

    @Option(help: "The pruning schedule: polynomial (PolynomialDecay) or constant (ConstantSparsity).")
    var schedule: ScheduleKind = .polynomial

    @Option(name: .customLong("initial-sparsity"), help: "PolynomialDecay's starting sparsity, in [0, 1).")
    var initialSparsity = 0.0

    @Option(name: .customLong("final-sparsity"), help: "The sparsity pruning ends at (ConstantSparsity's target), in [0, 1).")
    var finalSparsity = 0.875

    @Option(help: ArgumentHelp("First pruning step: a fraction of all training steps (with a decimal point, e.g. 0.2) or a step number.", valueName: "fraction|step"))
    var begin = StepPosition.fraction(0.2)

    @Option(help: ArgumentHelp("Last pruning step, as --begin.", valueName: "fraction|step"))
    var end = StepPosition.fraction(1.0)

    @Option(help: "Masks are updated every this many steps.")
    var frequency = 100

    @Option(help: "Seed of weight initialisation, shuffling and dropout.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Where the training logs (JSON Lines and TensorBoard) go.", valueName: "dir"))
    var logdir: String?

    /// The log directory: `--logdir`, or `Reports/logs` under the current directory.
    var logDirectory: String { logdir ?? "Reports/logs" }

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard frequency >= 1 else { throw ValidationError("--frequency must be at least 1, got \(frequency)") }
        for (name, value) in [("--initial-sparsity", initialSparsity), ("--final-sparsity", finalSparsity)] {
            guard value >= 0, value < 1 else { throw ValidationError("\(name) must be in [0, 1), got \(value)") }
        }
    }

    func loadData() throws -> MNIST {
        try data.map { try MNIST.load(from: $0) } ?? MNIST.load()
    }

    /// The schedule for a run over `trainingCount` images, with `--begin`/`--end` resolved to steps.
    func schedule(trainingCount: Int) throws -> any PruningSchedule {
        let totalSteps = (trainingCount + batchSize - 1) / batchSize * epochs
        let beginStep = begin.resolve(totalSteps: totalSteps), endStep = end.resolve(totalSteps: totalSteps)
        do {
            switch schedule {
            case .polynomial:
                return try PolynomialDecay(initialSparsity: initialSparsity, finalSparsity: finalSparsity,
                                           beginStep: beginStep, endStep: endStep, frequency: frequency)
            case .constant:
                return try ConstantSparsity(targetSparsity: finalSparsity, beginStep: beginStep, endStep: endStep,
                                            frequency: frequency)
            }
        } catch {
            throw ValidationError("pruning schedule (--begin \(begin) → step \(beginStep), --end \(end) → step \(endStep) of \(totalSteps)): \(error)")
        }
    }

    /// One line describing a schedule and the steps it resolved to.
    static func describe(_ schedule: any PruningSchedule) -> String {
        if let polynomial = schedule as? PolynomialDecay {
            return "PolynomialDecay(\(polynomial.initialSparsity) → \(polynomial.finalSparsity), steps \(polynomial.beginStep)–\(polynomial.endStep), power \(polynomial.power), every \(polynomial.frequency) steps)"
        }
        return "\(type(of: schedule))(\(schedule.finalTargetSparsity), steps \(schedule.beginStep)–\(schedule.endStep), every \(schedule.frequency) steps)"
    }
}
