import Foundation
import PruneKit

extension InferenceSpeed {
    /// What the measurement found, as the report's section 7 and notebook 6 state it (Markdown):
    /// how many times as fast the stripped model predicted on its default kernels as on dense
    /// ones — faster, slower, or within 5% (timing noise) — with the images per second, the timed
    /// passes, images and batch size, and whether the two gave the same outputs (largest absolute
    /// difference, predicted classes that differ). When no layer ran on sparse kernels, says that
    /// both runs used dense kernels instead.
    public var finding: String {
        let setting = String(format: "the best of %d timed pass%@ each over %@ test images in batches of %d, alternated after a warm-up pass of each",
                             repeats, repeats == 1 ? "" : "es", samples.grouped, batchSize)
        var text: String
        if sparseLayers.isEmpty {
            text = String(format: "No layer of this model is sparse enough for the sparse kernels (`KernelPolicy`), so its default kernels are the dense ones: both runs used dense kernels, and their ratio, %.2f×, is timing noise (%@).",
                          speedup, setting)
        } else {
            let verdict = speedup >= 1.05 ? "faster" : speedup <= 1 / 1.05 ? "slower" : "within 5%, timing noise on a shared machine"
            text = String(format: "On its default kernels (sparse for %@) the stripped pruned model predicted %.2f× as fast as on dense kernels — %@: %@ against %@ images/s, %@.",
                          ReportDocument.names(sparseLayers), speedup, verdict, Int(sparseSamplesPerSecond.rounded()).grouped,
                          Int(denseSamplesPerSecond.rounded()).grouped, setting)
        }
        if maxAbsoluteDifference == 0 {
            text += " Both gave identical outputs."
        } else {
            text += String(format: " Their outputs differ by at most %.1e, and %@.", Double(maxAbsoluteDifference),
                           argmaxDisagreements == 0 ? "every predicted class is the same" : "\(argmaxDisagreements.grouped) of \(samples.grouped) predicted classes differ")
        }
        return text
    }
}
