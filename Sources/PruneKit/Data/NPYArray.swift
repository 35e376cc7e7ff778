/// An integer array in NumPy's `.npy` format (versions 1.0, 2.0 and 3.0), converted to unsigned bytes.
/// ``Reader`` parses it.
///
/// The file is the magic `\x93NUMPY`, a major and minor version byte, the header length
/// (little-endian `UInt16` in version 1, `UInt32` in versions 2 and 3), a Python dict literal such as
/// `{'descr': '|u1', 'fortran_order': False, 'shape': (60000, 28, 28), }`, then the raw elements.
struct NPYArray {
    /// The size of each dimension, outermost first.
    var shape: [Int]
    /// The elements in row-major order, one byte each.
    var bytes: [UInt8]

    /// Creates an array from its shape and its elements as bytes.
    init(shape: [Int], bytes: [UInt8]) {
        self.shape = shape
        self.bytes = bytes
    }

    /// Builds an ``NPYArray`` from a `.npy` member's bytes as they are extracted from the archive,
    /// holding no more than the payload its header announces.
    ///
    /// Elements may be signed or unsigned integers of 1, 2, 4 or 8 bytes in either byte order;
    /// each must lie in 0...255. Errors name the archive and the member; a payload that goes on
    /// past the announced size is refused at the first chunk that crosses it.
    struct Reader {
        private let archive: String
        private let member: String
        private let maximumBytes: Int
        private let compressedBytes: Int?
        /// The bytes received before the header is complete.
        private var prefix: [UInt8] = []
        /// The element type and payload size, once the header has been parsed.
        private var layout: (shape: [Int], type: ElementType, payloadSize: Int)?
        private var payload: [UInt8] = []

        /// The longest header read; NumPy itself refuses headers over 10,000 bytes by default.
        static let maximumHeaderLength = 65_536
        private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

        /// Starts reading a member.
        ///
        /// - Parameters:
        ///   - archive: The archive's path, reported in errors.
        ///   - member: The member's name, reported in errors.
        ///   - maximumBytes: The most bytes the member's stored data can produce.
        ///   - compressedBytes: The member's compressed size, or `nil` when it is stored.
        init(archive: String, member: String, maximumBytes: Int, compressedBytes: Int?) {
            self.archive = archive
            self.member = member
            self.maximumBytes = maximumBytes
            self.compressedBytes = compressedBytes
        }

        private func corrupt(_ detail: String) -> DataError {
            .corruptArchive(file: archive, detail: "member \(member): \(detail)")
        }

        private func unsupported(_ detail: String) -> DataError {
            .unsupported(file: archive, detail: "member \(member): \(detail)")
        }

        /// Takes the next extracted bytes of the member.
        ///
        /// - Throws: ``DataError/corruptArchive(file:detail:)`` for a bad magic, a malformed header or a
        ///   payload longer than the header's; ``DataError/unsupported(file:detail:)`` for unknown
        ///   versions, non-integer element types, Fortran order or an over-long header;
        ///   ``DataError/implausibleSize(file:announcedBytes:detail:)`` for a size the member cannot
        ///   hold or memory cannot take.
        mutating func consume(_ chunk: some Collection<UInt8>) throws(DataError) {
            if let layout {
                guard chunk.count <= layout.payloadSize - payload.count else {
                    throw corrupt("payload holds more than the \(layout.payloadSize) bytes its header announces "
                                  + "(extraction stopped there)")
                }
                payload.append(contentsOf: chunk)
                return
            }
            prefix.append(contentsOf: chunk)
            guard let dataStart = try headerEnd() else { return }
            let layout = try parseHeader(prefix[Self.headerStart(version: prefix[6]) ..< dataStart])
            try AnnouncedSize.check(dataStart + layout.payloadSize, maximumBytes: maximumBytes,
                                    compressedBytes: compressedBytes, file: "\(archive) (\(member))")
            self.layout = layout
            payload.reserveCapacity(layout.payloadSize)
            let rest = prefix[dataStart...]
            prefix = []
            try consume(rest)
        }

        /// The array, once every byte of the member has been consumed.
        ///
        /// - Throws: ``DataError/corruptArchive(file:detail:)`` when the member ends before its header or
        ///   payload is complete; ``DataError/unsupported(file:detail:)`` for values outside 0...255.
        func finish() throws(DataError) -> NPYArray {
            guard let layout else {
                guard prefix.count >= 8, prefix.starts(with: Self.magic) else { throw corrupt("not a .npy array (bad magic)") }
                let headerStart = Self.headerStart(version: prefix[6])
                guard prefix.count >= headerStart else { throw corrupt("npy header length cut short") }
                throw corrupt("npy header of \(Self.headerLength(prefix)) bytes runs past the end (\(prefix.count) bytes)")
            }
            guard payload.count == layout.payloadSize else {
                throw corrupt("payload holds \(payload.count) bytes, header announces \(layout.payloadSize)")
            }
            let type = layout.type
            if type.size == 1 && !type.isSigned { return NPYArray(shape: layout.shape, bytes: payload) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(payload.count / type.size)
            for (index, start) in stride(from: 0, to: payload.count, by: type.size).enumerated() {
                guard let byte = type.byte(in: payload, at: start) else {
                    throw unsupported("value at index \(index) is outside 0...255")
                }
                bytes.append(byte)
            }
            return NPYArray(shape: layout.shape, bytes: bytes)
        }

        /// Where the payload starts, once `prefix` holds the whole header; `nil` while it does not yet.
        private func headerEnd() throws(DataError) -> Int? {
            guard prefix.count >= 8 else { return nil }
            guard prefix.starts(with: Self.magic) else { throw corrupt("not a .npy array (bad magic)") }
            guard [1, 2, 3].contains(prefix[6]) else { throw unsupported("npy format version \(prefix[6]).\(prefix[7])") }
            let headerStart = Self.headerStart(version: prefix[6])
            guard prefix.count >= headerStart else { return nil }
            let headerLength = Self.headerLength(prefix)
            guard headerLength <= Self.maximumHeaderLength else {
                throw unsupported("npy header of \(headerLength) bytes is longer than the \(Self.maximumHeaderLength) read")
            }
            return prefix.count >= headerStart + headerLength ? headerStart + headerLength : nil
        }

        /// The size of the magic, version and header length fields of a file of format `version`.
        private static func headerStart(version: UInt8) -> Int { version == 1 ? 10 : 12 }

        /// The header length field of `prefix`, little-endian after the magic and version.
        private static func headerLength(_ prefix: [UInt8]) -> Int {
            prefix[8 ..< headerStart(version: prefix[6])].reversed().reduce(0) { $0 << 8 | Int($1) }
        }

        private func parseHeader(_ bytes: ArraySlice<UInt8>) throws(DataError) -> (shape: [Int], type: ElementType, payloadSize: Int) {
            let headerText = String(decoding: bytes, as: UTF8.self)
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
                guard !overflow, product <= Int.max - Self.maximumHeaderLength - 12 else {
                    throw corrupt("npy shape \(shape) describes more bytes than can be addressed")
                }
                payloadSize = product
            }
            return (shape, type, payloadSize)
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

    /// The deepest nesting of tuples, lists and dicts parsed; NumPy writes two levels.
    static let maximumDepth = 16

    /// Parses `text` as exactly one literal, with optional surrounding whitespace; `nil` if it is not
    /// one or if it nests deeper than ``maximumDepth``.
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
        var depth = 0

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
            guard !atEnd, depth < PythonLiteral.maximumDepth else { return nil }
            depth += 1
            defer { depth -= 1 }
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
