import Foundation
import PruneKit
import PruneKitCharts

/// The stages as the report's section 7 and notebook 6 show them: a table, a waterfall chart and
/// the sentences stating what each stage buys, every figure computed from the stages.
extension CompressionStages {
    /// The table's columns: both "Smaller" columns divide the first stage's raw file by the stage's bytes.
    public static let tableHeaders = ["Stage", "File", "Smaller", "gzip -9", "Smaller", "Test accuracy"]

    /// One row per stage under ``tableHeaders``.
    ///
    /// - Parameter denseIsTrained: Whether the first stage is a trained model; when it is not (the
    ///   network before pruning), its accuracy is left out as "not trained".
    public func tableRows(denseIsTrained: Bool) -> [[String]] {
        stages.enumerated().map { index, stage in
            let accuracy: String
            if index == 0, !denseIsTrained {
                accuracy = "not trained"
            } else {
                accuracy = stage.testAccuracy.map { String(format: "%.4f", $0) } ?? (index == 0 ? "not measured" : "unchanged")
            }
            return [stage.name, stage.fileBytes.byteCount, String(format: "%.1f×", reduction(of: stage)), stage.gzipBytes.byteCount,
                    String(format: "%.1f×", reduction(of: stage, compressed: true)), accuracy]
        }
    }

    /// The file's raw and gzip-compressed bytes at every stage, on a logarithmic axis.
    public var waterfallChart: WaterfallChart {
        var chart = WaterfallChart(title: "Model file by compression stage", yLabel: "Bytes", series: ["file", "gzip -9"])
        chart.yAxis = .logarithmic()
        for stage in stages {
            chart.add(stage: stage.name, bars: [.init(Double(stage.fileBytes), label: stage.fileBytes.byteCount),
                                                .init(Double(stage.gzipBytes), label: stage.gzipBytes.byteCount)])
        }
        return chart
    }

    /// What each stage buys, one Markdown sentence per fact: the pruned file stored value by value
    /// against the dense one, the sparse file's and the int8 file's reductions raw and gzip-compressed,
    /// int8's change in test accuracy against the float32 stripped model (when both were measured),
    /// and, when the dense stage is not a trained model, what that means for its row.
    ///
    /// - Parameter denseIsTrained: Whether the first stage is a trained model.
    /// - Returns: No sentence unless the stages are the four `CompressionStages(model:dense:testData:)` measures.
    public func findings(denseIsTrained: Bool) -> [String] {
        guard stages.count == 4 else { return [] }
        let (dense, pruned, sparse, int8) = (stages[0], stages[1], stages[2], stages[3])
        var sentences: [String] = []
        let sameSize = pruned.fileBytes == dense.fileBytes
        var stored = sameSize
            ? "Stored value by value, the pruned file is the same size as the dense float32 one (\(dense.fileBytes.byteCount)): a zero takes 4 bytes like any other weight"
            : "Stored value by value, the pruned file takes \(pruned.fileBytes.byteCount) against the dense float32 one's \(dense.fileBytes.byteCount)"
        stored += pruned.gzipBytes < dense.gzipBytes
            ? "; \(sameSize ? "only " : "")gzip -9 squeezes its zeros, to \(pruned.gzipBytes.byteCount) against the dense file's \(dense.gzipBytes.byteCount)."
            : "; gzip -9 takes it to \(pruned.gzipBytes.byteCount), no smaller than the dense file's \(dense.gzipBytes.byteCount)."
        sentences.append(stored)
        sentences.append("The sparse file — a bitmap of the kept weights plus their float32 values, lossless — is \(Self.relation(reduction(of: sparse))) the dense float32 file before any compression, and \(Self.relation(reduction(of: sparse, compressed: true))) it gzip-compressed.")
        sentences.append("With int8 kernels (one scale per output channel, as TFLite's post-training weight quantization) the file is \(Self.relation(reduction(of: int8))) the dense float32 file raw, and \(Self.relation(reduction(of: int8, compressed: true))) it gzip-compressed.")
        if let float = pruned.testAccuracy, let quantized = int8.testAccuracy {
            let points = (quantized - float) * 100
            if quantized < float {
                sentences.append(String(format: "int8 kernels cost %.2f points of test accuracy against the float32 stripped model (%.4f → %.4f).", -points, float, quantized))
            } else if quantized > float {
                sentences.append(String(format: "int8 kernels gain %.2f points of test accuracy against the float32 stripped model (%.4f → %.4f).", points, float, quantized))
            } else {
                sentences.append(String(format: "int8 kernels leave test accuracy unchanged against the float32 stripped model (%.4f).", float))
            }
        }
        if !denseIsTrained {
            sentences.append("The dense float32 stage is the network before pruning, untrained (no trained baseline): its raw file is the size a trained dense model's is, but its gzip size is that of its initial weights, and its accuracy is left out.")
        }
        return sentences
    }

    /// "6.3× smaller than", "1.2× larger than", or "about the same size as (1.02×)" for a
    /// reduction: within 5% either way counts as the same size.
    static func relation(_ reduction: Double) -> String {
        if reduction >= 1.05 { return String(format: "%.1f× smaller than", reduction) }
        if reduction > 0, reduction <= 1 / 1.05 { return String(format: "%.1f× larger than", 1 / reduction) }
        return String(format: "about the same size as (%.2f×)", reduction)
    }
}
