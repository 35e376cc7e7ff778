/// The TensorFlow `Event` messages an event file holds, built from the swift-protobuf messages
/// generated from TensorBoard's `event.proto` and `summary.proto`
/// (`Scripts/generate-protobuf.sh`):
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
    static func header(wallTime: Double) -> Tensorboard_Event {
        Tensorboard_Event.with {
            $0.wallTime = wallTime
            $0.fileVersion = fileVersion
        }
    }

    /// An event holding a summary with one value, tagged `tag`, whose payload `setValue` sets.
    static func summary(tag: String, step: Int, wallTime: Double,
                        setValue: (inout Tensorboard_Summary.Value) -> Void) -> Tensorboard_Event {
        Tensorboard_Event.with { event in
            event.wallTime = wallTime
            event.step = Int64(step)
            event.summary = Tensorboard_Summary.with { summary in
                summary.value = [Tensorboard_Summary.Value.with { value in
                    value.tag = tag
                    setValue(&value)
                }]
            }
        }
    }

    /// An event holding the scalar `value` as `simple_value`, rounded to `Float`.
    static func scalar(tag: String, value: Double, step: Int, wallTime: Double) -> Tensorboard_Event {
        summary(tag: tag, step: step, wallTime: wallTime) { $0.simpleValue = Float(value) }
    }

    /// An event holding `histogram` as `histo`.
    static func histogram(tag: String, histogram: HistogramSummary, step: Int, wallTime: Double) -> Tensorboard_Event {
        summary(tag: tag, step: step, wallTime: wallTime) { $0.histo = histogram.message }
    }
}
