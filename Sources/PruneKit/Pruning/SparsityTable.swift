import Foundation

/// How sparse each kernel of a model is: Distiller's sparsity table, for PruneKit's models.
public struct SparsityTable: Sendable, Codable, Equatable, CustomStringConvertible {
    /// One kernel.
    public struct Row: Sendable, Codable, Equatable {
        /// The layer's name.
        public var layer: String
        /// The layer's type (`Conv2D`, `Dense`).
        public var type: String
        /// The kernel's shape.
        public var shape: [Int]
        /// The number of weights in the kernel.
        public var weights: Int
        /// The number of weights that are not zero.
        public var nonZeros: Int
        /// Whether the layer is pruned.
        public var pruned: Bool

        /// The fraction of the kernel that is zero.
        public var sparsity: Double { weights == 0 ? 0 : 1 - Double(nonZeros) / Double(weights) }
    }

    /// Every layer with a kernel, in model order.
    public var rows: [Row]

    /// The number of kernel weights in the model.
    public var totalWeights: Int { rows.reduce(0) { $0 + $1.weights } }
    /// The number of non-zero kernel weights in the model.
    public var totalNonZeros: Int { rows.reduce(0) { $0 + $1.nonZeros } }
    /// The fraction of all kernel weights that are zero.
    public var totalSparsity: Double { totalWeights == 0 ? 0 : 1 - Double(totalNonZeros) / Double(totalWeights) }

    /// A plain-text table with a total row.
    public var description: String {
        let header = ["Layer", "Type", "Shape", "Weights", "Non-zeros", "Sparsity"]
        var body = rows.map { row in
            [row.layer + (row.pruned ? "" : " (not pruned)"), row.type, row.shape.map(String.init).joined(separator: "×"),
             row.weights.grouped, row.nonZeros.grouped, Self.percent(row.sparsity)]
        }
        body.append(["Total", "", "", totalWeights.grouped, totalNonZeros.grouped, Self.percent(totalSparsity)])
        let widths = header.indices.map { column in (body + [header]).map { $0[column].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column < 3 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        return ([line(header), rule] + body.dropLast().map(line) + [rule, line(body.last!)]).joined(separator: "\n")
    }

    /// `0.87495` → `"87.50%"`.
    static func percent(_ fraction: Double) -> String {
        let hundredths = Int((fraction * 10_000).rounded())
        return "\(hundredths / 100).\(String(format: "%02d", hundredths % 100))%"
    }
}
