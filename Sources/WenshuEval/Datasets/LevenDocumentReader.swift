import Foundation
import WenshuCore

/// Reads the official LEVEN (and MAVEN) document format, one JSON document per line:
/// `{"id","title","crime","case_no","content":[{"sentence","tokens":[...]}],
///   "events":[{"type","mention":[{"trigger_word","sent_id","offset":[s,e]}]}],
///   "negative_triggers":[...]}`.
///
/// Each sentence becomes one example (id `<doc id>#<sent_id>`). Mention offsets there
/// count word tokens of `content[sent_id].tokens` (end exclusive); they are converted to
/// character (scalar) offsets by locating each token in the sentence in order (whitespace
/// between tokens is skipped). Every mention becomes a span labelled with its event type
/// and an event whose trigger is that span. Negative triggers are not events. The test
/// split carries no `events`: its sentences come out with no spans.
public struct LevenDocumentReader: DatasetReader {
    public var format: DatasetFormat { .leven }
    public init() {}

    struct Record: Decodable {
        struct Sentence: Decodable { var sentence: String; var tokens: [String] }
        struct Mention: Decodable { var trigger_word: String?; var sent_id: Int; var offset: [Int] }
        struct Event: Decodable { var type: String; var mention: [Mention] }
        var id: IntOrString
        var content: [Sentence]
        var events: [Event]?
    }

    /// Scalar offset of each token's start and end in `sentence`, or nil when a token is not found in order.
    public static func tokenOffsets(sentence: String, tokens: [String]) -> [(Int, Int)]? {
        let s = Array(sentence.unicodeScalars)
        var pos = 0
        var out: [(Int, Int)] = []
        for t in tokens {
            let ts = Array(t.unicodeScalars)
            while pos < s.count && s[pos].properties.isWhitespace && !(ts.first.map { $0 == s[pos] } ?? false) { pos += 1 }
            guard pos + ts.count <= s.count, Array(s[pos..<pos + ts.count]) == ts else { return nil }
            out.append((pos, pos + ts.count))
            pos += ts.count
        }
        return out
    }

    public func examples(from line: [UInt8], line n: Int, path: String) throws -> [LabelledExample] {
        let r = try ReaderSupport.decode(Record.self, line, path: path, line: n)
        var offsets: [[(Int, Int)]] = []
        for (i, sent) in r.content.enumerated() {
            guard let o = Self.tokenOffsets(sentence: sent.sentence, tokens: sent.tokens) else {
                throw ReaderSupport.malformed("content[\(i)]: the tokens do not spell the sentence", path: path, line: n)
            }
            offsets.append(o)
        }
        var spans = [[LabelledSpan]](repeating: [], count: r.content.count)
        for (ei, ev) in (r.events ?? []).enumerated() {
            for (mi, m) in ev.mention.enumerated() {
                let what = "events[\(ei)].mention[\(mi)]"
                guard m.sent_id >= 0, m.sent_id < r.content.count else {
                    throw ReaderSupport.malformed("\(what): sent_id \(m.sent_id) is out of range", path: path, line: n)
                }
                let toks = offsets[m.sent_id]
                guard m.offset.count == 2, m.offset[0] >= 0, m.offset[1] > m.offset[0], m.offset[1] <= toks.count else {
                    throw ReaderSupport.malformed("\(what): token offset \(m.offset) is outside sentence \(m.sent_id) (\(toks.count) tokens)",
                                                  path: path, line: n)
                }
                let start = toks[m.offset[0]].0, end = toks[m.offset[1] - 1].1
                if let w = m.trigger_word {
                    let got = ReaderSupport.slice(Array(r.content[m.sent_id].sentence.unicodeScalars), start, end)
                    if got.filter({ !$0.isWhitespace }) != w.filter({ !$0.isWhitespace }) {
                        throw ReaderSupport.malformed("\(what): tokens \(m.offset) read \"\(got)\", not \"\(w)\"", path: path, line: n)
                    }
                }
                let sp = LabelledSpan(label: ev.type, start: start, end: end)
                if !spans[m.sent_id].contains(sp) { spans[m.sent_id].append(sp) }
            }
        }
        return r.content.enumerated().map { i, sent in
            let sp = spans[i].sorted { ($0.start, $0.end, $0.label) < ($1.start, $1.end, $1.label) }
            return LabelledExample(id: "\(r.id.value)#\(i)", text: sent.sentence, spans: sp,
                                   events: sp.map { LabelledEvent(type: $0.label, trigger: $0, arguments: []) },
                                   origin: "\(path):\(n)")
        }
    }
}
