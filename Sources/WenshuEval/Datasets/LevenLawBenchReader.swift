import Foundation
import WenshuCore

/// Reads LEVEN triggers in the LawBench-derived form:
/// `{"id","sentence","event_types","triggers","trigger_char_offsets","trigger_types"?}`.
/// Trigger i has type `trigger_types[i]`, or `event_types[i]` when `trigger_types` is absent
/// (the two lists are parallel in that file). Each trigger becomes a span labelled with its
/// type and an event with that trigger and no arguments. The offsets are checked against
/// the trigger words.
public struct LevenLawBenchReader: DatasetReader {
    public var format: DatasetFormat { .levenLawBench }
    public init() {}

    struct Record: Decodable {
        var id: IntOrString
        var sentence: String
        var event_types: [String]?
        var triggers: [String]
        var trigger_char_offsets: [[Int]]
        var trigger_types: [String]?
    }

    public func examples(from line: [UInt8], line n: Int, path: String) throws -> [LabelledExample] {
        let r = try ReaderSupport.decode(Record.self, line, path: path, line: n)
        guard let types = r.trigger_types ?? r.event_types, types.count == r.triggers.count,
              r.trigger_char_offsets.count == r.triggers.count else {
            throw ReaderSupport.malformed("triggers, trigger_char_offsets and trigger_types (or event_types) differ in length",
                                          path: path, line: n)
        }
        let scalars = Array(r.sentence.unicodeScalars)
        var spans: [LabelledSpan] = []
        for (i, off) in r.trigger_char_offsets.enumerated() {
            guard off.count == 2 else {
                throw ReaderSupport.malformed("trigger_char_offsets[\(i)] is not [start, end]", path: path, line: n)
            }
            try ReaderSupport.checkSpan(off[0], off[1], count: scalars.count, what: "trigger \(i)", path: path, line: n)
            let text = ReaderSupport.slice(scalars, off[0], off[1])
            if text != r.triggers[i] {
                throw ReaderSupport.malformed("trigger \(i) [\(off[0]), \(off[1])) reads \"\(text)\", not \"\(r.triggers[i])\"",
                                              path: path, line: n)
            }
            let s = LabelledSpan(label: types[i], start: off[0], end: off[1])
            if !spans.contains(s) { spans.append(s) }
        }
        let events = spans.map { LabelledEvent(type: $0.label, trigger: $0, arguments: []) }
        return [LabelledExample(id: r.id.value, text: r.sentence, spans: spans, events: events, origin: "\(path):\(n)")]
    }
}
