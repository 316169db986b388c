import Foundation
import WenshuCore

/// Reads the generic form: `{"id"?, "text", "labels"?: [..] or "label"?: "..",
/// "spans"?: [{"label","start","end"}], "events"?: [{"type","trigger"?: {"label"?,"start","end"},
/// "arguments": [{"role","start","end"}]}]}`. Offsets are Unicode scalars, end exclusive.
/// A record without an id gets `<file name>-<line>`.
public struct GenericReader: DatasetReader {
    public var format: DatasetFormat { .generic }
    public init() {}

    struct Record: Decodable {
        struct Sp: Decodable { var label: String?; var start: Int; var end: Int }
        struct Arg: Decodable { var role: String; var start: Int; var end: Int }
        struct Ev: Decodable { var type: String; var trigger: Sp?; var arguments: [Arg]? }
        var id: IntOrString?
        var text: String
        var labels: [String]?
        var label: String?
        var spans: [Sp]?
        var events: [Ev]?
    }

    public func examples(from line: [UInt8], line n: Int, path: String) throws -> [LabelledExample] {
        let r = try ReaderSupport.decode(Record.self, line, path: path, line: n)
        let count = ReaderSupport.scalarCount(r.text)
        var spans: [LabelledSpan] = []
        for (i, s) in (r.spans ?? []).enumerated() {
            guard let l = s.label else { throw ReaderSupport.malformed("spans[\(i)]: missing field \"label\"", path: path, line: n) }
            try ReaderSupport.checkSpan(s.start, s.end, count: count, what: "spans[\(i)]", path: path, line: n)
            spans.append(LabelledSpan(label: l, start: s.start, end: s.end))
        }
        var events: [LabelledEvent] = []
        for (i, e) in (r.events ?? []).enumerated() {
            var trig: LabelledSpan?
            if let t = e.trigger {
                try ReaderSupport.checkSpan(t.start, t.end, count: count, what: "events[\(i)].trigger", path: path, line: n)
                trig = LabelledSpan(label: t.label ?? e.type, start: t.start, end: t.end)
            }
            var args: [LabelledArgument] = []
            for (j, a) in (e.arguments ?? []).enumerated() {
                try ReaderSupport.checkSpan(a.start, a.end, count: count, what: "events[\(i)].arguments[\(j)]", path: path, line: n)
                args.append(LabelledArgument(role: a.role, start: a.start, end: a.end))
            }
            events.append(LabelledEvent(type: e.type, trigger: trig, arguments: args))
        }
        let labels = r.labels ?? (r.label.map { [$0] } ?? [])
        let name = (path as NSString).lastPathComponent
        return [LabelledExample(id: r.id?.value ?? "\(name)-\(n)", text: r.text, labels: labels, spans: spans,
                                events: events, origin: "\(path):\(n)")]
    }
}
