/// An integer array in NumPy's `.npy` format (versions 1.0, 2.0 and 3.0), converted to unsigned bytes.
///
/// The file is the magic `\x93NUMPY`, a major and minor version byte, the header length
/// (little-endian `UInt16` in version 1, `UInt32` in versions 2 and 3), a Python dict literal such as
/// `{'descr': '|u1', 'fortran_order': False, 'shape': (60000, 28, 28), }`, then the raw elements.
struct NPYArray {
    /// The size of each dimension, outermost first.
    var shape: [Int]
    /// The elements in row-major order, one byte each.
    var bytes: [UInt8]

    private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Parses a `.npy` member of an `.npz` archive.
    ///
    /// Elements may be signed or unsigned integers of 1, 2, 4 or 8 bytes in either byte order;
    /// each must lie in 0...255.
    ///
    /// - Parameters:
    ///   - data: The member's contents.
    ///   - archive: The archive's path, reported in errors.
    ///   - member: The member's name, reported in errors.
    /// - Throws: ``DataError/corruptArchive(file:detail:)`` for a bad magic, a malformed header or a
    ///   payload whose size differs from the header's; ``DataError/unsupported(file:detail:)`` for
    ///   unknown versions, non-integer element types, Fortran order or values outside 0...255.
    init(data: [UInt8], archive: String, member: String) throws(DataError) {
        func corrupt(_ detail: String) -> DataError { .corruptArchive(file: archive, detail: "member \(member): \(detail)") }
        func unsupported(_ detail: String) -> DataError { .unsupported(file: archive, detail: "member \(member): \(detail)") }

        guard data.count >= 8, data.starts(with: Self.magic) else { throw corrupt("not a .npy array (bad magic)") }
        let lengthSize: Int
        switch data[6] {
        case 1: lengthSize = 2
        case 2, 3: lengthSize = 4
        default: throw unsupported("npy format version \(data[6]).\(data[7])")
        }
        let headerStart = 8 + lengthSize
        guard data.count >= headerStart else { throw corrupt("npy header length cut short") }
        let headerLength = data[8 ..< headerStart].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard headerLength <= data.count - headerStart else {
            throw corrupt("npy header of \(headerLength) bytes runs past the end (\(data.count) bytes)")
        }
        let dataStart = headerStart + headerLength
        let headerText = String(decoding: data[headerStart ..< dataStart], as: UTF8.self)
        guard case .dictionary(let header)? = PythonLiteral(parsing: headerText) else {
            throw corrupt("npy header is not a Python dict literal")
        }
        guard case .string(let descr)? = header["descr"] else { throw corrupt("npy header lacks a 'descr' string") }
        guard case .boolean(let fortranOrder)? = header["fortran_order"] else {
            throw corrupt("npy header lacks a 'fortran_order' flag")
        }
        guard case .sequence(let dimensions)? = header["shape"] else { throw corrupt("npy header lacks a 'shape' tuple") }
        var shape: [Int] = []
        for dimension in dimensions {
            guard case .integer(let size) = dimension, size >= 0 else {
                throw corrupt("npy shape holds something other than a size")
            }
            shape.append(size)
        }
        guard let type = ElementType(descr: descr) else {
            throw unsupported("element type '\(descr)'; only integer arrays are read")
        }
        if fortranOrder { throw unsupported("Fortran-order arrays are not read") }

        var payloadSize = type.size
        for size in shape {
            let (product, overflow) = payloadSize.multipliedReportingOverflow(by: size)
            guard !overflow else { throw corrupt("npy shape \(shape) describes more bytes than can be addressed") }
            payloadSize = product
        }
        guard data.count - dataStart == payloadSize else {
            throw corrupt("payload holds \(data.count - dataStart) bytes, header announces \(payloadSize)")
        }

        self.shape = shape
        if type.size == 1 && !type.isSigned {
            bytes = Array(data[dataStart...])
            return
        }
        bytes = []
        bytes.reserveCapacity(payloadSize / type.size)
        for (index, start) in stride(from: dataStart, to: data.count, by: type.size).enumerated() {
            guard let byte = type.byte(in: data, at: start) else {
                throw unsupported("value at index \(index) is outside 0...255")
            }
            bytes.append(byte)
        }
    }

    /// An integer element type, from a NumPy type string such as `|u1` or `<i8`.
    private struct ElementType {
        var size: Int
        var isSigned: Bool
        var isBigEndian: Bool

        init?(descr: String) {
            let characters = Array(descr)
            guard characters.count >= 3, let size = Int(String(characters[2...])), [1, 2, 4, 8].contains(size)
            else { return nil }
            switch characters[1] {
            case "u": isSigned = false
            case "i": isSigned = true
            default: return nil
            }
            switch characters[0] {
            case "<": isBigEndian = false
            case ">": isBigEndian = true
            case "|" where size == 1: isBigEndian = false
            default: return nil
            }
            self.size = size
        }

        /// The element starting at `start`, or `nil` when it is outside 0...255.
        func byte(in data: [UInt8], at start: Int) -> UInt8? {
            let elementBytes = data[start ..< start + size]
            let ordered = isBigEndian ? Array(elementBytes) : elementBytes.reversed()
            let raw = ordered.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard isSigned else { return UInt8(exactly: raw) }
            let shift = UInt64(64 - 8 * size)
            return UInt8(exactly: Int64(bitPattern: raw << shift) >> shift)
        }
    }
}

/// The Python literals `.npy` headers are written in: strings, integers, booleans, `None`,
/// tuples and lists, and dicts with string keys.
private enum PythonLiteral {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case pythonNone
    case sequence([PythonLiteral])
    case dictionary([String: PythonLiteral])

    /// Parses `text` as exactly one literal, with optional surrounding whitespace; `nil` if it is not one.
    init?(parsing text: String) {
        var parser = Parser(text: Array(text.utf8))
        guard let literal = parser.literal() else { return nil }
        parser.skipWhitespace()
        guard parser.atEnd else { return nil }
        self = literal
    }

    /// A recursive-descent parser over UTF-8 bytes.
    private struct Parser {
        let text: [UInt8]
        var position = 0

        var atEnd: Bool { position == text.count }

        mutating func skipWhitespace() {
            while !atEnd, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")]
                .contains(text[position]) {
                position += 1
            }
        }

        mutating func consume(_ character: Character) -> Bool {
            skipWhitespace()
            guard !atEnd, text[position] == character.asciiValue else { return false }
            position += 1
            return true
        }

        mutating func literal() -> PythonLiteral? {
            skipWhitespace()
            guard !atEnd else { return nil }
            switch text[position] {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return string().map(PythonLiteral.string)
            case UInt8(ascii: "("): return sequence(closedBy: ")")
            case UInt8(ascii: "["): return sequence(closedBy: "]")
            case UInt8(ascii: "{"): return dictionary()
            default: return word()
            }
        }

        /// A quoted string without escapes (NumPy never writes any).
        mutating func string() -> String? {
            let quote = text[position]
            guard let end = text[(position + 1)...].firstIndex(of: quote) else { return nil }
            let value = String(decoding: text[(position + 1) ..< end], as: UTF8.self)
            guard !value.contains("\\") else { return nil }
            position = end + 1
            return value
        }

        /// Elements separated by commas, with an optional trailing comma, after an opening bracket.
        mutating func sequence(closedBy close: Character) -> PythonLiteral? {
            position += 1
            var elements: [PythonLiteral] = []
            while !consume(close) {
                guard let element = literal() else { return nil }
                elements.append(element)
                if !consume(",") {
                    guard consume(close) else { return nil }
                    break
                }
            }
            return .sequence(elements)
        }

        mutating func dictionary() -> PythonLiteral? {
            position += 1
            var entries: [String: PythonLiteral] = [:]
            while !consume("}") {
                guard case .string(let key)? = literal(), consume(":"), let value = literal() else { return nil }
                entries[key] = value
                if !consume(",") {
                    guard consume("}") else { return nil }
                    break
                }
            }
            return .dictionary(entries)
        }

        /// `True`, `False`, `None`, or a decimal integer (NumPy may write `60000L` in old files).
        mutating func word() -> PythonLiteral? {
            let start = position
            while !atEnd, text[position] == UInt8(ascii: "-") || Character(Unicode.Scalar(text[position])).isASCIILetterOrDigit {
                position += 1
            }
            let word = String(decoding: text[start ..< position], as: UTF8.self)
            switch word {
            case "True": return .boolean(true)
            case "False": return .boolean(false)
            case "None": return .pythonNone
            default:
                return Int(word.hasSuffix("L") ? String(word.dropLast()) : word).map(PythonLiteral.integer)
            }
        }
    }
}

private extension Character {
    /// Whether the character is an ASCII letter or digit.
    var isASCIILetterOrDigit: Bool { isASCII && (isLetter || isNumber) }
}
