// Speed of PruneKit's engine on this machine: training and inference throughput of the article's
// CNN, and GFLOPS of the GEMM kernel at the shapes that dominate it, next to NumPy's `@` measured in
// the same run. Run with `swift run -c release bench` (`--quick` for a short run, `--layers` for
// per-layer times, `--charts` for chart rendering times, `--gemm` for the GEMM table alone,
// `--sparse` for dense vs sparse kernels: inference at 50–95% sparsity, conv2's backward products
// over the gradient's non-zeros, and the pruning run's training speed per epoch, `--sparse --inference` for the inference table alone, `--profile
// SPARSITY BATCH dense|automatic` to predict with the stripped CNN for 10 s under a profiler,
// `--profile-training SPARSITY dense|automatic` to train the CNN pruned at constant sparsity for 10 s under a profiler,
// `--first-step` for the time from process start to the end of the first training step; `--path
// NAME` forces a SIMD path for everything).
import Dispatch
import Foundation
import PruneKit
import PruneKitCharts
import PruneKitReport
import _PruneKitKernels

let usage = """
    usage: bench [--quick] [--path avx512|avx2+fma|neon|portable]
                 [--layers | --charts | --gemm | --sparse [--inference] | --first-step
                  | --profile SPARSITY BATCH dense|automatic|sparse
                  | --profile-training SPARSITY dense|automatic|sparse]
    """
// Options and how many values follow each; anything else is refused before any work starts.
let options = ["--quick": 0, "--layers": 0, "--charts": 0, "--gemm": 0, "--sparse": 0, "--inference": 0,
               "--first-step": 0, "--path": 1, "--profile": 3, "--profile-training": 2]
if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
    print(usage)
    exit(0)
}
var argumentIndex = 1
while argumentIndex < CommandLine.arguments.count {
    let argument = CommandLine.arguments[argumentIndex]
    guard let values = options[argument] else {
        print("bench: unknown option '\(argument)'\n\(usage)")
        exit(2)
    }
    argumentIndex += 1 + values
}

// `--path avx512|avx2+fma|neon|portable` runs every kernel on that SIMD path (one the CPU runs).
if let flag = CommandLine.arguments.firstIndex(of: "--path") {
    let path = flag + 1 < CommandLine.arguments.count ? CommandLine.arguments[flag + 1] : ""
    guard pk_sgemm_select(path) == 0 else {
        print("bench: --path \(path) is not a SIMD path this CPU runs (avx512, avx2+fma, neon, portable)")
        exit(2)
    }
}

let quick = CommandLine.arguments.contains("--quick")
let perLayer = CommandLine.arguments.contains("--layers")
let charts = CommandLine.arguments.contains("--charts")
let gemmOnly = CommandLine.arguments.contains("--gemm")
let sparseOnly = CommandLine.arguments.contains("--sparse")

/// Best-of-n wall time of `body`, after one warm-up call.
func seconds(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var best = Double.infinity
    for _ in 0 ..< repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

/// Random images and labels in MNIST's shape.
func syntheticMNIST(count: Int) throws -> Dataset {
    var generator = SplitMix64(seed: 42)
    let pixels = (0 ..< count * 784).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    let labels = (0 ..< count).map { _ in UInt8(generator.next() % 10) }
    return try Dataset(pixels: pixels, labels: labels, imageShape: [28, 28, 1])
}

// MARK: - GEMM

/// One GEMM of the article's CNN at batch 250: `op(A)[m×k] · op(B)[k×n]`, A stored transposed
/// (`k×m`) when `transA`, B stored transposed (`n×k`) when `transB`, as the layers call it.
struct Shape { let name: String, m: Int, k: Int, n: Int, transA: Bool, transB: Bool }
let shapes = [Shape(name: "conv2 forward", m: 30_250, k: 288, n: 64, transA: false, transB: false),
              Shape(name: "conv2 kernel gradient", m: 288, k: 30_250, n: 64, transA: true, transB: false),
              Shape(name: "conv2 input gradient", m: 30_250, k: 64, n: 288, transA: false, transB: true),
              Shape(name: "dense forward", m: 250, k: 1_600, n: 256, transA: false, transB: false),
              Shape(name: "dense kernel gradient", m: 1_600, k: 250, n: 256, transA: true, transB: false),
              Shape(name: "dense input gradient", m: 250, k: 256, n: 1_600, transA: false, transB: true)]

/// GEMM paths measured side by side: every SIMD path this CPU runs.
let gemmPaths: [String] = ["avx512", "avx2+fma", "neon"].filter { pk_sgemm_supports($0) == 1 }

/// GFLOPS of `shape` on the selected path, rows of C split evenly over `threads` threads.
func gemmGFLOPS(_ shape: Shape, threads: Int) -> Double {
    var generator = SplitMix64(seed: 1)
    let a = (0 ..< shape.m * shape.k).map { _ in SplitMix64.unitFloat(generator.next()) }
    let b = (0 ..< shape.k * shape.n).map { _ in SplitMix64.unitFloat(generator.next()) }
    var c = [Float](repeating: 0, count: shape.m * shape.n)
    let (lda, ldb) = (shape.transA ? shape.m : shape.k, shape.transB ? shape.k : shape.n)
    let time = a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                let rows = (shape.m + threads - 1) / threads
                nonisolated(unsafe) let (sa, sb, sc) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                // The path selected on this thread, which each thread of the loop selects for itself.
                nonisolated(unsafe) let path = pk_sgemm_selection()
                return seconds(repeats: quick ? 3 : 10) {
                    DispatchQueue.concurrentPerform(iterations: threads) { t in
                        let start = t * rows, count = min(rows, shape.m - start)
                        guard count > 0 else { return }
                        let own = pk_sgemm_selection()
                        _ = pk_sgemm_select(path)
                        defer { _ = pk_sgemm_select(own) }
                        pk_sgemm(shape.transA ? 1 : 0, shape.transB ? 1 : 0, count, shape.n, shape.k,
                                 sa + (shape.transA ? start : start * lda), lda, sb, ldb, 0, sc + start * shape.n, shape.n)
                    }
                }
            }
        }
    }
    return 2 * Double(shape.m * shape.k * shape.n) / time / 1e9
}

/// NumPy's `a @ b` GFLOPS for each shape (with `.T` views where the layers transpose), or nil when
/// Python with NumPy is not available. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed for this
/// one command so OpenBLAS picks its best kernel.
func numpyGFLOPS() -> [Double]? {
    let cases = shapes.map { "(\($0.m), \($0.k), \($0.n), \($0.transA ? "True" : "False"), \($0.transB ? "True" : "False"))" }
    let script = """
    import numpy as np, time
    for m, k, n, ta, tb in [\(cases.joined(separator: ", "))]:
        a = np.random.rand(k, m).astype(np.float32).T if ta else np.random.rand(m, k).astype(np.float32)
        b = np.random.rand(n, k).astype(np.float32).T if tb else np.random.rand(k, n).astype(np.float32)
        a @ b
        best = min((lambda t: (a @ b, time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(\(quick ? 3 : 10)))
        print(2 * m * k * n / best / 1e9)
    """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_CORETYPE"] = nil
    environment["OPENBLAS_L2_SIZE"] = nil
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return output.split(separator: "\n").compactMap { Double($0) }
}

/// The GEMM table: each shape on every SIMD path, 1 and 2 threads, next to NumPy in the same run.
/// NumPy runs before and after PruneKit and keeps its better figure per shape (a slower moment of
/// the machine then counts against PruneKit only); the last column is the dispatched path's
/// 2-thread figure as a share of NumPy's.
func gemmTable() {
    let before = numpyGFLOPS()
    var rows: [(label: String, perPath: [(one: Double, two: Double)])] = []
    for shape in shapes {
        let label = "\(shape.name) \(shape.m)×\(shape.k)×\(shape.n)"
        rows.append((label, gemmPaths.map { path in
            _ = pk_sgemm_select(path)
            defer { _ = pk_sgemm_select(nil) }
            return (gemmGFLOPS(shape, threads: 1), gemmGFLOPS(shape, threads: 2))
        }))
    }
    let after = numpyGFLOPS()
    let numpy: [Double]? = switch (before, after) {
    case let (before?, after?): zip(before, after).map { max($0, $1) }
    case let (one?, nil), let (nil, one?): one
    case (nil, nil): nil
    }
    let dispatched = gemmPaths.firstIndex(of: String(cString: pk_sgemm_implementation()))
    print("GEMM at batch 250 (GFLOPS)        " + gemmPaths.map { "\($0) 1 thr / 2 thr".padding(toLength: 24, withPad: " ", startingAt: 0) }.joined()
          + "NumPy @ (best of 2 runs)  \(dispatched.map { "\(gemmPaths[$0]) 2 thr / NumPy" } ?? "")")
    for (index, row) in rows.enumerated() {
        var line = row.label.padding(toLength: 34, withPad: " ", startingAt: 0)
        for figures in row.perPath { line += String(format: "%7.1f / %7.1f         ", figures.one, figures.two) }
        if let numpy, index < numpy.count {
            line += String(format: "%7.1f", numpy[index])
            if let dispatched { line += String(format: "                   %5.0f%%", row.perPath[dispatched].two / numpy[index] * 100) }
        } else {
            line += "  (no numpy)"
        }
        print(line)
    }
}

// MARK: - Model

/// Median epoch throughput of the article's CNN on 4,000 random images (3,200 trained, batch 250),
/// optionally pruned as the article prunes (PolynomialDecay 0 → 0.875 over 20–100% of the steps) with
/// per-step summaries written, so that the cost of pruning shows as a ratio.
func trainingThroughput(pruned: Bool, epochs: Int) throws -> Double {
    let data = try syntheticMNIST(count: 4_000)
    var model = try Sequential.articleCNN()
    model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
    var callbacks: [any Callback] = []
    let logs = FileManager.default.temporaryDirectory.appendingPathComponent("prunekit-bench-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: logs) }
    if pruned {
        // The article's schedule, resolved by the experiment component for this data and run length.
        var article = ExperimentConfiguration()
        article.epochs = epochs
        let steps = article.stepsPerEpoch(trainingImages: data.count) * epochs
        model = try model.pruned(with: article.makeSchedule(totalSteps: steps))
        callbacks.append(PruningSummaries(logDirectory: logs.path, updateFrequency: .steps(1)))
    }
    let history = try model.fit(data, batchSize: 250, epochs: epochs, validationSplit: 0.2, verbose: false, callbacks: callbacks)
    let rates = history.epochs.dropFirst().map(\.samplesPerSecond).sorted()
    return rates[rates.count / 2]
}

func inferenceThroughput() throws -> Double {
    let data = try syntheticMNIST(count: 10_000)
    let model = try Sequential.articleCNN()
    let time = try seconds(repeats: quick ? 1 : 3) { _ = try model.predict(data, batchSize: 250) }
    return Double(data.count) / time
}

/// Milliseconds of each layer's forward and backward pass on a batch of 250 random images.
func layerTimes() throws {
    let model = try Sequential.articleCNN()
    var shapes = [[28, 28, 1]]
    for layer in model.layers { shapes.append(try layer.outputShape(for: shapes.last!)) }
    let batch = 250
    var generator = SplitMix64(seed: 3)
    let buffers = shapes.map { shape in
        let memory = UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * shape.reduce(1, *))
        for i in memory.indices { memory[i] = SplitMix64.unitFloat(generator.next()) }
        return memory
    }
    let gradients = shapes.map { UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * $0.reduce(1, *)) }
    print("layer                forward ms   backward ms")
    var total = (0.0, 0.0)
    for (index, layer) in model.layers.enumerated() {
        let parameterGradients = layer.parameters.map { UnsafeMutableBufferPointer<Float>.allocate(capacity: $0.count) }
        let forward = seconds(repeats: 5) {
            layer.forward(ForwardPass(batchSize: batch, inputShape: shapes[index], outputShape: shapes[index + 1],
                                      input: UnsafeBufferPointer(buffers[index]), output: buffers[index + 1],
                                      training: true, randomKey: 1, preActivation: nil))
        }
        let backward = seconds(repeats: 5) {
            layer.backward(BackwardPass(batchSize: batch, inputShape: shapes[index], outputShape: shapes[index + 1],
                                        input: UnsafeBufferPointer(buffers[index]), output: UnsafeBufferPointer(buffers[index + 1]),
                                        outputGradient: gradients[index + 1], inputGradient: index == 0 ? nil : gradients[index],
                                        parameterGradients: parameterGradients, randomKey: 1, gradientIsPreActivation: false))
        }
        total.0 += forward * 1000
        total.1 += backward * 1000
        print("\(model.layerNames[index])".padding(toLength: 20, withPad: " ", startingAt: 0)
              + String(format: "%10.2f    %10.2f", forward * 1000, backward * 1000))
    }
    print(String(format: "total               %10.2f    %10.2f   (%.0f images/s for forward + backward alone)",
                 total.0, total.1, Double(batch) / (total.0 + total.1) * 1000))
}

// MARK: - Sparse kernels

/// The article's CNN with every kernel pruned to `sparsity` by magnitude (one training step at
/// constant sparsity on random data, then the pruning stripped).
func strippedCNN(sparsity: Double, data: Dataset) throws -> Sequential {
    var model = try Sequential.articleCNN()
    model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
    var pruned = try model.pruned(with: ConstantSparsity(targetSparsity: sparsity, beginStep: 0, frequency: 1))
    try pruned.fit(data.slice(0 ..< 250), batchSize: 250, epochs: 1, verbose: false)
    return pruned.strippingPruning()
}

/// Inference of the stripped CNN, dense vs automatic kernels (``KernelPolicy``: sparse for the
/// layers past the crossover), at batch 250 (2,500 images) and batch 1 (100 images), alternating.
func sparseInferenceTable() throws {
    let data = try syntheticMNIST(count: 2_500)
    print("inference, stripped article CNN: dense vs automatic kernels (best of \(quick ? 2 : 5), alternating)")
    print("sparsity  batch   dense ms/batch  sparse ms/batch   dense img/s  sparse img/s  speed-up  max|Δ|   argmax differs")
    for sparsity in [0.5, 0.75, 0.875, 0.95] {
        let model = try strippedCNN(sparsity: sparsity, data: data)
        for (batch, images) in [(250, 2_500), (1, 100)] {
            let speed = try model.measureInferenceSpeed(on: data.slice(0 ..< images), batchSize: batch, repeats: quick ? 2 : 5,
                                                        comparedWith: .automatic)
            print(String(format: "%6.1f%%  %5d   %14.3f  %15.3f   %11.0f  %12.0f  %7.2f×  %.1e   %d of %d",
                         sparsity * 100, batch, speed.denseBatchMilliseconds, speed.sparseBatchMilliseconds,
                         speed.denseSamplesPerSecond, speed.sparseSamplesPerSecond, speed.speedup,
                         Double(speed.maxAbsoluteDifference), speed.argmaxDisagreements, images))
        }
    }
}

/// The article's second convolution's two backward products for one chunk of its batch (7 images:
/// 847 im2col rows of 288, 64 filters), one thread: dense GEMM against the products over the
/// output gradient's non-zeros (``pk_nonzero_entries``, then ``pk_spmm_rows`` and ``pk_spmm``,
/// as `GradientEntries` runs them), by the fraction of the gradient that is non-zero. Behind 2 × 2
/// max pooling at most a quarter is; where the two times cross is where `GradientEntries` hands
/// the products back to GEMM.
func gradientSparseTable() {
    let rows = 7 * 121, width = 288, filters = 64, block = pk_sgemm_k_block()
    var generator = SplitMix64(seed: 9)
    let patches = (0 ..< rows * width).map { _ in SplitMix64.unitFloat(generator.next()) - 0.5 }
    let kernel = (0 ..< width * filters).map { _ in SplitMix64.unitFloat(generator.next()) - 0.5 }
    var kernelT = [Float](repeating: 0, count: width * filters)
    pk_transpose(width, filters, kernel, filters, &kernelT, width)
    var kernelGradient = [Float](repeating: 0, count: width * filters), transposed = kernelGradient
    var products = [Float](repeating: 0, count: rows * width)
    let (rowBlocks, columnBlocks) = ((rows + block - 1) / block, (filters + block - 1) / block)
    print("conv2's backward products on one chunk (847 rows × 288, 64 filters), one thread: dense GEMM vs over the gradient's non-zeros (best of \(quick ? 3 : 10))")
    print("non-zero   GEMM µs   non-zeros µs   ratio")
    for density in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] {
        let gradient = (0 ..< rows * filters).map { _ in
            Double(SplitMix64.unitFloat(generator.next())) < density ? SplitMix64.unitFloat(generator.next()) - 0.5 : 0
        }
        let gemm = seconds(repeats: quick ? 3 : 10) {
            pk_sgemm(1, 0, width, filters, rows, patches, width, gradient, filters, 0, &kernelGradient, filters)
            pk_sgemm(0, 1, rows, width, filters, gradient, filters, kernel, filters, 0, &products, width)
        }
        let count = gradient.filter { $0 != 0 }.count
        var starts = [Int32](repeating: 0, count: rows * columnBlocks + 1), columns = [Int32](repeating: 0, count: count)
        var values = [Float](repeating: 0, count: count), scratch = kernelGradient
        let sparse = seconds(repeats: quick ? 3 : 10) {
            pk_nonzero_entries(gradient, rows, filters, columnBlocks, count, &starts, &columns, &values)
            pk_spmm_rows(rows, rowBlocks, starts, columnBlocks, columns, values, patches, width, filters, width, &scratch,
                         &transposed, width)
            pk_transpose(filters, width, transposed, width, &kernelGradient, filters)
            pk_spmm(rows, columnBlocks, starts, columns, width, values, kernelT, 0, &products, width, 0, 1, width)
        }
        print(String(format: "%7.0f%%   %7.0f   %12.0f   %5.2f×", density * 100, gemm * 1e6, sparse * 1e6, gemm / sparse))
    }
}

/// Records each epoch's kernel sparsity (weights zero across all pruned kernels) at its end.
final class SparsityRecorder: Callback {
    var sparsity: [Double] = []
    func epochEnd(_ state: inout TrainingState) throws {
        let rows = state.model.sparsityTable().rows
        sparsity.append(1 - Double(rows.map(\.nonZeros).reduce(0, +)) / Double(rows.map(\.weights).reduce(0, +)))
    }
}

/// Training throughput of the article's pruning run (PolynomialDecay 0 → 87.5% over 20–100% of
/// the steps, 3,200 images trained, 800 validated, batch 250) per epoch, on automatic kernels and
/// forced dense. The two runs alternate epoch by epoch (each `fit` resumes with `initialEpoch`,
/// which continues a run exactly), so that drift in the machine's speed affects both alike.
func sparseTrainingTable(epochs: Int) throws {
    let data = try syntheticMNIST(count: 4_000)
    let steps = 13 * epochs
    var base = try Sequential.articleCNN()
    base.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
    base = try base.pruned(with: PolynomialDecay(initialSparsity: 0, finalSparsity: 0.875, beginStep: steps / 5, endStep: steps,
                                                 frequency: 13))
    let policies = [KernelPolicy.dense, .automatic]
    var models = [base, base]
    var results: [KernelPolicy: (rates: [Double], sparsity: [Double])] = [.dense: ([], []), .automatic: ([], [])]
    for epoch in 0 ..< epochs {
        for (index, policy) in policies.enumerated() {
            let recorder = SparsityRecorder()
            let history = try models[index].fit(data, batchSize: 250, epochs: epoch + 1, validationSplit: 0.2, verbose: false,
                                                callbacks: [recorder], initialEpoch: epoch, kernels: policy)
            results[policy]!.rates += history.epochs.map(\.samplesPerSecond)
            results[policy]!.sparsity += recorder.sparsity
        }
    }
    print("training, article pruning run (mask update every 13 steps = every epoch), images/s per epoch")
    print("epoch  sparsity at end   dense kernels   automatic kernels   ratio")
    let (dense, automatic) = (results[.dense]!, results[.automatic]!)
    for epoch in 0 ..< epochs {
        print(String(format: "%5d  %14.1f%%   %13.0f   %17.0f   %5.2f×", epoch + 1, automatic.sparsity[epoch] * 100,
                     dense.rates[epoch], automatic.rates[epoch], automatic.rates[epoch] / dense.rates[epoch]))
    }
    func phase(_ name: String, _ epochs: [Int]) {
        guard !epochs.isEmpty else { return }
        let d = epochs.map { dense.rates[$0] }.sorted()[epochs.count / 2], a = epochs.map { automatic.rates[$0] }.sorted()[epochs.count / 2]
        print(String(format: "  %@: median %.0f vs %.0f images/s, %.2f×", name, d, a, a / d))
    }
    let all = Array(1 ..< epochs)  // the first epoch includes warm-up
    phase("epochs below 50% sparsity", all.filter { automatic.sparsity[max($0 - 1, 0)] < 0.5 })
    phase("epochs at ≥ 83% sparsity ", all.filter { automatic.sparsity[$0 - 1] >= 0.83 })
    phase("whole run (epochs 2–\(epochs))   ", all)
}

// MARK: - Charts

/// Best-of-10 milliseconds to render report-sized charts (1000×600): four 400-point series plus a
/// dashed schedule staircase and a reference line; three overlaid 60-bin histograms on a log axis;
/// and to encode and write the line chart's PNG.
func chartTimes() throws {
    var generator = SplitMix64(seed: 5)
    var line = LineChart(title: "Sparsity per layer", xLabel: "Training step", yLabel: "Sparsity")
    line.yAxis = .percent(0...1)
    for name in ["conv2d", "conv2d_1", "dense", "dense_1"] {
        line.add(Series(name: name, points: (0 ..< 400).map { step in
            (Double(step * 10), min(1, Double(step) / 400 + 0.02 * Double(SplitMix64.unitFloat(generator.next()))))
        }))
    }
    line.add(Series(name: "Schedule target", points: stride(from: 0.0, through: 3900, by: 300).map { ($0, $0 / 4000) },
                    style: .steps, dashed: true, color: .gray))
    line.verticalLine(x: 780, label: "begin")
    var histogram = HistogramChart(title: "Weight magnitudes", xLabel: "|weight|")
    histogram.yAxis = .logarithmic()
    for (name, cut) in [("before", 0.0), ("mid-way", 0.3), ("after", 0.6)] {
        let values = (0 ..< 20_000).map { _ in Double(SplitMix64.unitFloat(generator.next())) }.filter { $0 >= cut }
        histogram.add(Histogram(name: name, values: values, binCount: 60, range: 0...1))
    }
    histogram.verticalLine(x: 0.6, label: "threshold")
    var image = try line.render(width: 1000, height: 600)
    let lineTime = seconds(repeats: 10) { image = try! line.render(width: 1000, height: 600) }
    let histogramTime = seconds(repeats: 10) { _ = try! histogram.render(width: 1000, height: 600) }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-chart-\(getpid()).png").path
    let writeTime = seconds(repeats: 10) { try! image.writePNG(to: path) }
    try? FileManager.default.removeItem(atPath: path)
    print(String(format: "line chart render %.1f ms, histogram render %.1f ms, PNG encode + write %.1f ms",
                 lineTime * 1000, histogramTime * 1000, writeTime * 1000))
}

/// Predicts 2,500 images with the stripped CNN at `sparsity` for about ten seconds, for `perf record`:
/// the inference table's work per `predict` call, so that per-call costs weigh as they do there.
func profileLoop(sparsity: Double, batch: Int, policy: KernelPolicy) throws {
    let data = try syntheticMNIST(count: 2_500)
    let model = try strippedCNN(sparsity: sparsity, data: data)
    let start = DispatchTime.now().uptimeNanoseconds
    var passes = 0
    while DispatchTime.now().uptimeNanoseconds - start < 10_000_000_000 {
        _ = try model.predict(data, batchSize: batch, kernels: policy)
        passes += 1
    }
    print("\(passes) passes of \(data.count) images at batch \(batch), \(policy)")
}

/// Trains the article's CNN pruned at constant `sparsity` (masks set at the first step, updated
/// every epoch) on 4,000 random images for about ten seconds, for `perf record`: the training
/// table's work per epoch, at one sparsity and without its dense run.
func trainingProfileLoop(sparsity: Double, policy: KernelPolicy) throws {
    let data = try syntheticMNIST(count: 4_000)
    var model = try Sequential.articleCNN()
    model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
    model = try model.pruned(with: ConstantSparsity(targetSparsity: sparsity, beginStep: 0, frequency: 13))
    let start = DispatchTime.now().uptimeNanoseconds
    var rates: [Double] = []
    while DispatchTime.now().uptimeNanoseconds - start < 10_000_000_000 {
        let history = try model.fit(data, batchSize: 250, epochs: rates.count + 1, validationSplit: 0.2, verbose: false,
                                    initialEpoch: rates.count, kernels: policy)
        rates += history.epochs.map(\.samplesPerSecond)
    }
    let steady = rates.dropFirst().sorted()
    print(String(format: "%d epochs at %.1f%% sparsity, \(policy): median %.0f images/s (epochs 2–%d)", rates.count,
                 sparsity * 100, steady.isEmpty ? rates[0] : steady[steady.count / 2], rates.count))
}

// MARK: - Start-up

/// Seconds since this process started: from the kernel's start time on Linux (10 ms ticks), from
/// the first use of this constant elsewhere.
let processStart: Double = {
    #if os(Linux)
    if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
       let close = stat.lastIndex(of: ")") {
        // Fields after the command name start at field 3; starttime is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        var now = timespec()
        clock_gettime(CLOCK_BOOTTIME, &now)
        if fields.count > 19, let ticks = Double(fields[19]) {
            let boot = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
            return Double(DispatchTime.now().uptimeNanoseconds) / 1e9 - (boot - ticks / Double(sysconf(Int32(_SC_CLK_TCK))))
        }
    }
    #endif
    return Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}()

/// Seconds from process start to now.
func sinceStart() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 - processStart }

/// Stops training after its first batch, noting when that batch ended.
final class FirstStep: Callback {
    var ended: Double?
    func batchEnd(_ state: inout TrainingState) throws {
        ended = sinceStart()
        state.stopTraining = true
    }
}

/// Time from process start to the end of the first training step of the article's pruning run
/// on the bundled sample (batch 250), with the milestones on the way.
func firstStep() throws {
    _ = processStart
    let main = sinceStart()
    let data = try MNIST.load()
    let loaded = sinceStart()
    var model = try Sequential.articleCNN()
    model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
    let article = ExperimentConfiguration()
    let steps = article.stepsPerEpoch(trainingImages: data.train.count) * article.epochs
    model = try model.pruned(with: article.makeSchedule(totalSteps: steps))
    let built = sinceStart()
    let step = FirstStep()
    try model.fit(data.train, batchSize: 250, epochs: 1, validationSplit: 0.2, verbose: false, callbacks: [step])
    print(String(format: "first training step (release, bundled sample, batch 250, pruned article CNN): main %.3f s, "
                 + "data loaded %.3f s, model built %.3f s, first step done %.3f s after process start",
                 main, loaded, built, step.ended ?? .nan))
}

if CommandLine.arguments.contains("--first-step") {
    try firstStep()
    exit(0)
}
if let flag = CommandLine.arguments.firstIndex(of: "--profile") {
    let arguments = CommandLine.arguments.dropFirst(flag + 1)
    guard arguments.count >= 3, let sparsity = Double(arguments[flag + 1]), let batch = Int(arguments[flag + 2]),
          let policy = KernelPolicy(rawValue: arguments[flag + 3]) else {
        print("usage: bench --profile SPARSITY BATCH dense|automatic|sparse")
        exit(2)
    }
    try profileLoop(sparsity: sparsity, batch: batch, policy: policy)
    exit(0)
}
if let flag = CommandLine.arguments.firstIndex(of: "--profile-training") {
    let arguments = CommandLine.arguments
    guard let sparsity = Double(arguments[flag + 1]), (0 ..< 1).contains(sparsity),
          let policy = KernelPolicy(rawValue: arguments[flag + 2]) else {
        print("usage: bench --profile-training SPARSITY dense|automatic|sparse (SPARSITY in [0, 1))")
        exit(2)
    }
    try trainingProfileLoop(sparsity: sparsity, policy: policy)
    exit(0)
}
if perLayer {
    try layerTimes()
    exit(0)
}
if charts {
    try chartTimes()
    exit(0)
}
if sparseOnly {
    print("GEMM path: \(String(cString: pk_sgemm_implementation()))")
    try sparseInferenceTable()
    if !CommandLine.arguments.contains("--inference") {
        print("")
        gradientSparseTable()
        print("")
        try sparseTrainingTable(epochs: quick ? 6 : 15)
    }
    exit(0)
}
if gemmOnly {
    print("GEMM paths this CPU runs: \(gemmPaths.joined(separator: ", ")); dispatch picks \(String(cString: pk_sgemm_implementation()))")
    gemmTable()
    exit(0)
}

print("PruneKit benchmark (\(ProcessInfo.processInfo.activeProcessorCount) cores, GEMM path: \(String(cString: pk_sgemm_implementation())))")
// Dense and pruned runs alternate, so that drift in the machine's speed affects both alike.
var dense: [Double] = [], pruned: [Double] = []
for _ in 0 ..< (quick ? 1 : 2) {
    dense.append(try trainingThroughput(pruned: false, epochs: quick ? 3 : 6))
    pruned.append(try trainingThroughput(pruned: true, epochs: quick ? 3 : 6))
}
let (denseRate, prunedRate) = (dense.max()!, pruned.max()!)
print(String(format: "training, article CNN, batch 250 (forward + backward + Adam): %8.0f images/s (median epoch, best run)", denseRate))
// Which way the difference goes is read from the figures: pruned epochs run sparse kernels late in the run.
print(String(format: "  the same, pruned (PolynomialDecay, masks + per-step summaries): %6.0f images/s (%.1f%% ",
             prunedRate, abs(1 - prunedRate / denseRate) * 100) + (prunedRate > denseRate ? "faster)" : "slower)"))
print(String(format: "inference, article CNN, 10,000 images, batch 250:          %8.0f images/s", try inferenceThroughput()))
print("")
gemmTable()
