import ArgumentParser
import PruneKitReport

/// Which data, on the command line (`report` and `report sweep`).
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A directory with the four MNIST IDX files (raw or .gz), or Keras's mnist.npz. Default: the bundled sample.", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Keep only the first n training images (before the validation split). Default: all.", valueName: "n"))
    var subset: Int?
}

/// The experiment's parameters on the command line.
struct ExperimentOptions: ParsableArguments {
    @OptionGroup var source: DataOptions

    @Option(help: "Passes over the training data.")
    var epochs = 30

    @Option(name: .customLong("batch-size"), help: "Images per gradient step.")
    var batchSize = 250

    @Option(help: "The pruning schedule: polynomial (PolynomialDecay) or constant (ConstantSparsity).")
    var schedule: ExperimentConfiguration.ScheduleKind = .polynomial

    @Option(name: .customLong("initial-sparsity"), help: "PolynomialDecay's starting sparsity, in [0, 1).")
    var initialSparsity = 0.0

    @Option(name: .customLong("final-sparsity"), help: "The sparsity pruning ends at (ConstantSparsity's target), in [0, 1).")
    var finalSparsity = 0.875

    @Option(help: ArgumentHelp("First pruning step: a fraction of all training steps written with a decimal point (0.2), or a step number (78).", valueName: "fraction|step"))
    var begin = StepPosition.fraction(0.2)

    @Option(help: ArgumentHelp("Last pruning step, as --begin.", valueName: "fraction|step"))
    var end = StepPosition.fraction(1.0)

    @Option(help: "Masks are updated every this many steps.")
    var frequency = 100

    @Option(help: "Seed of weight initialisation, shuffling and dropout.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("no-baseline"), help: "Do not train the unpruned model for comparison.")
    var noBaseline = false

    func validate() throws {
        do { try configuration().validate() } catch { throw ValidationError(error.description) }
    }

    func configuration() -> ExperimentConfiguration {
        var configuration = ExperimentConfiguration()
        configuration.dataPath = source.data
        configuration.trainingSubset = source.subset
        configuration.epochs = epochs
        configuration.batchSize = batchSize
        configuration.schedule = schedule
        configuration.initialSparsity = initialSparsity
        configuration.finalSparsity = finalSparsity
        configuration.begin = begin
        configuration.end = end
        configuration.frequency = frequency
        configuration.seed = seed
        configuration.baseline = !noBaseline
        return configuration
    }
}

extension StepPosition: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension ExperimentConfiguration.ScheduleKind: ExpressibleByArgument {}
