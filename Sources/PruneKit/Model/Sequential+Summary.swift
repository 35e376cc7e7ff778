import Foundation

extension Sequential {
    /// A table of layers, output shapes and parameter counts, laid out like Keras's `model.summary()`.
    public func summary(name: String = "sequential") -> String {
        let rule = String(repeating: "_", count: 72), double = String(repeating: "=", count: 72)
        func row(_ a: String, _ b: String, _ c: String) -> String {
            " " + a.padding(toLength: 34, withPad: " ", startingAt: 0)
                + b.padding(toLength: 25, withPad: " ", startingAt: 0) + c
        }
        var lines = ["Model: \"\(name)\"", rule, row("Layer (type)", "Output Shape", "Param #"), double]
        let shapes = try? activationShapes()
        for (index, layer) in layers.enumerated() {
            let shape = shapes.map { "(None, " + $0[index + 1].map(String.init).joined(separator: ", ") + ")" } ?? "(unbuilt)"
            lines.append(row("\(layerNames[index]) (\(layer.typeName))", shape, layer.parameterCount.grouped))
            if index < layers.count - 1 { lines.append("") }
        }
        let total = parameterCount
        lines += [double,
                  "Total params: \(total.grouped) (\(Self.byteSize(total * 4)))",
                  "Trainable params: \(total.grouped) (\(Self.byteSize(total * 4)))",
                  "Non-trainable params: 0 (0.00 Byte)",
                  rule]
        return lines.joined(separator: "\n")
    }

    /// Bytes in Keras's style: `"1.65 MB"`, `"879.04 KB"` (powers of 1024).
    static func byteSize(_ bytes: Int) -> String {
        let units = ["Byte", "KB", "MB", "GB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: "%.2f %@", value, units[unit])
    }
}
