import Foundation
import WenshuCore

/// Reads CAIL2021 theft sentences: `{"id","context","entities":[{"label","span":["s;e",...]}]}`.
///
/// Each labelled span becomes a `LabelledSpan` (label = role code such as NHCS), and a
/// sentence with at least one span carries one event of type `theft` whose arguments are
/// all its role spans (role = the same code). Offsets are Unicode scalars, end exclusive.
public struct CAIL2021TheftReader: DatasetReader {
    /// The event type given to every theft sentence.
    public static let eventType = "theft"
    public var format: DatasetFormat { .cail2021Theft }
    public init() {}

    struct Record: Decodable {
        struct Entity: Decodable { var label: String; var span: [String] }
        var id: String
        var context: String
        var entities: [Entity]
    }

    public func examples(from line: [UInt8], line n: Int, path: String) throws -> [LabelledExample] {
        let r = try ReaderSupport.decode(Record.self, line, path: path, line: n)
        let count = ReaderSupport.scalarCount(r.context)
        var spans: [LabelledSpan] = []
        for e in r.entities {
            for s in e.span {
                let parts = s.split(separator: ";")
                guard parts.count == 2, let a = Int(parts[0].trimmingCharacters(in: .whitespaces)),
                      let b = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
                    throw ReaderSupport.malformed("entity \(e.label): span \"\(s)\" is not \"start;end\"", path: path, line: n)
                }
                try ReaderSupport.checkSpan(a, b, count: count, what: "entity \(e.label)", path: path, line: n)
                spans.append(LabelledSpan(label: e.label, start: a, end: b))
            }
        }
        spans.sort { ($0.start, $0.end, $0.label) < ($1.start, $1.end, $1.label) }
        let events = spans.isEmpty ? [] : [LabelledEvent(type: Self.eventType, arguments: spans.map {
            LabelledArgument(role: $0.label, start: $0.start, end: $0.end) })]
        return [LabelledExample(id: r.id, text: r.context, spans: spans, events: events, origin: "\(path):\(n)")]
    }
}
