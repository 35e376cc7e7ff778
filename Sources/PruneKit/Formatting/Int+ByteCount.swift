import Foundation

extension Int {
    /// A byte count in decimal units, as file sizes are quoted: megabytes with two decimals from
    /// 1,000,000 bytes on, kilobytes with one below: `1726556` → `"1.73 MB"`, `272500` → `"272.5 kB"`.
    public var byteCount: String {
        self >= 1_000_000 ? String(format: "%.2f MB", Double(self) / 1e6) : String(format: "%.1f kB", Double(self) / 1e3)
    }
}
