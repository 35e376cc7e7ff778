import Foundation
@testable import PruneKit

/// `Resources/tfmot_golden.json`: values computed by tfmot 0.8.1 itself (see Resources/README.md).
/// Unchecked `Sendable`: the parsed JSON is never mutated after loading.
struct TfmotGolden: @unchecked Sendable {
    /// A float32 as stored: its value and its exact IEEE-754 bits.
    struct Float32Value {
        let value: Double
        let bits: UInt32
        var float: Float { Float(bitPattern: bits) }
    }

    /// One row of a schedule table.
    struct ScheduleRow {
        let step: Int
        let shouldPrune: Bool
        let sparsity: Float32Value
    }

    /// One schedule: its tfmot parameters and table.
    struct Schedule {
        let params: [String: Any]
        let table: [ScheduleRow]
        func int(_ key: String) -> Int { Int((params[key] as! NSNumber).doubleValue) }
        func double(_ key: String) -> Double { (params[key] as! NSNumber).doubleValue }
    }

    /// One `masks` entry (a single conditional mask update).
    struct MaskEntry {
        let step: Int
        let scheduleShouldPrune: Bool
        let scheduleSparsity: Float32Value
        let blockSize: [Int]
        let blockPooling: String
        let mByN: [Int]?
        let threshold: Float32Value
        let mask: Tensor
        let maskOnes: Int
        let maskSize: Int
        let achievedSparsity: Double
    }

    let root: [String: Any]

    static let shared: TfmotGolden = {
        let url = Bundle.module.url(forResource: "tfmot_golden", withExtension: "json", subdirectory: "Resources")!
        let data = try! Data(contentsOf: url)
        return TfmotGolden(root: try! JSONSerialization.jsonObject(with: data) as! [String: Any])
    }()

    var scheduleNames: [String] { (root["schedules"] as! [String: Any]).keys.sorted() }
    var maskNames: [String] { (root["masks"] as! [String: Any]).keys.sorted() }

    func schedule(_ name: String) -> Schedule {
        let entry = (root["schedules"] as! [String: Any])[name] as! [String: Any]
        let rows = (entry["table"] as! [[String: Any]]).map {
            ScheduleRow(step: ($0["step"] as! NSNumber).intValue, shouldPrune: $0["should_prune"] as! Bool,
                        sparsity: Self.float32($0["sparsity"]!))
        }
        return Schedule(params: entry["params"] as! [String: Any], table: rows)
    }

    func kernel(_ name: String) -> Tensor { Self.tensor((root["kernels"] as! [String: Any])[name]!) }

    /// A raw `masks` value (the wrapper entries are plain values, not mask records).
    func maskValue(_ name: String) -> Any { (root["masks"] as! [String: Any])[name]! }

    func mask(_ name: String) -> MaskEntry {
        let entry = maskValue(name) as! [String: Any]
        return MaskEntry(step: (entry["step"] as! NSNumber).intValue,
                         scheduleShouldPrune: entry["schedule_should_prune"] as! Bool,
                         scheduleSparsity: Self.float32(entry["schedule_sparsity"]!),
                         blockSize: (entry["block_size"] as! [NSNumber]).map(\.intValue),
                         blockPooling: entry["block_pooling_type"] as! String,
                         mByN: (entry["sparsity_m_by_n"] as? [NSNumber])?.map(\.intValue),
                         threshold: Self.float32(entry["threshold"]!),
                         mask: Self.tensor(entry["mask"]!),
                         maskOnes: (entry["mask_ones"] as! NSNumber).intValue,
                         maskSize: (entry["mask_size"] as! NSNumber).intValue,
                         achievedSparsity: (entry["achieved_sparsity"] as! NSNumber).doubleValue)
    }

    static func float32(_ any: Any) -> Float32Value {
        let object = any as! [String: Any]
        let hex = (object["bits"] as! String).dropFirst(2)
        return Float32Value(value: (object["value"] as! NSNumber).doubleValue, bits: UInt32(hex, radix: 16)!)
    }

    /// A nested list of numbers as a row-major tensor.
    static func tensor(_ any: Any) -> Tensor {
        var shape: [Int] = []
        var level = any
        while let list = level as? [Any] {
            shape.append(list.count)
            level = list.first as Any
        }
        func flatten(_ value: Any) -> [Float] {
            if let list = value as? [Any] { return list.flatMap(flatten) }
            return [(value as! NSNumber).floatValue]
        }
        return Tensor(shape: shape, scalars: flatten(any))
    }
}
