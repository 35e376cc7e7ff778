/// Encodings of the TensorFlow `Event` messages an event file holds.
///
///     message Event {
///       double wall_time = 1; int64 step = 2;
///       oneof what { string file_version = 3; Summary summary = 5; ... }
///     }
///     message Summary { repeated Value value = 1; }
///     message Summary.Value {
///       string tag = 1;
///       oneof value { float simple_value = 2; HistogramProto histo = 5; ... }
///     }
enum EventMessage {
    /// The version string of the first event in every file; TensorBoard reads files that start with it.
    static let fileVersion = "brain.Event:2"

    /// The first event of a file: its wall time and ``fileVersion``.
    static func header(wallTime: Double) -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.string(3, fileVersion)
        return event.encoded
    }

    /// An event holding a summary with one value, whose payload `encodeValue` writes after the tag.
    static func summary(tag: String, step: Int, wallTime: Double,
                        encodeValue: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.int64(2, Int64(step))
        event.message(5) { summary in
            summary.message(1) { value in
                value.string(1, tag)
                encodeValue(&value)
            }
        }
        return event.encoded
    }

    /// An event holding the scalar `value` as `simple_value`, rounded to `Float`.
    static func scalar(tag: String, value: Double, step: Int, wallTime: Double) -> [UInt8] {
        summary(tag: tag, step: step, wallTime: wallTime) { $0.float(2, Float(value)) }
    }

    /// An event holding `histogram` as `histo`.
    static func histogram(tag: String, histogram: HistogramSummary, step: Int, wallTime: Double) -> [UInt8] {
        summary(tag: tag, step: step, wallTime: wallTime) { value in
            value.message(5) { histogram.encode(into: &$0) }
        }
    }
}
