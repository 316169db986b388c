import Foundation
import WenshuCore

/// Reads CAIL2022 drug-crime passages: entity mentions plus relation mentions.
///
/// - Spans: every entity mention (Nh person, Ns place, NT time, NDR drug, NW weight).
/// - Events: one per relation mention whose label is not `NA`; the type is the relation
///   (traffic_in, sell_drugs_to, posess, provide_shelter_for). Its arguments are:
///   the two related entities, with roles from `roles` (e.g. traffic_in: seller, drug), and
///   every time (NT → `time`), place (Ns → `place`) and weight (NW → `weight`) mention that
///   *belongs* to it. The rule for belonging: the mention lies in the same sentence as the
///   relation's first entity (its anchor), sentences being cut after 。！？；; when that
///   sentence holds no mention of the kind, the nearest mention of the kind in the sentence
///   of the second entity is taken instead. Relation mentions point at entities by their
///   start offsets (`e1start`, `e21start`); a pointer that matches no entity mention is an error.
public struct CAIL2022DrugsReader: DatasetReader {
    /// Role names of the two related entities, per relation.
    public static let roles: [String: (String, String)] = [
        "traffic_in": ("seller", "drug"),
        "sell_drugs_to": ("seller", "buyer"),
        "posess": ("possessor", "drug"),
        "provide_shelter_for": ("provider", "user"),
    ]
    /// `roles` as the relation-pair metric takes them: [first role, second role] per relation.
    public static var pairRoles: [String: [String]] { roles.mapValues { [$0.0, $0.1] } }
    /// Entity labels that attach to events as context arguments, with their role.
    public static let contextRoles: [String: String] = ["NT": "time", "Ns": "place", "NW": "weight"]

    public var format: DatasetFormat { .cail2022Drugs }
    public init() {}

    struct Record: Decodable {
        struct Mention: Decodable { var start: Int; var end: Int; var text: String?; var label: String }
        struct Relation: Decodable {
            var e1start: Int; var e21start: Int; var label: String
            var em1Text: String?; var em2Text: String?
        }
        var articleId: IntOrString
        var sentId: IntOrString
        var sentText: String
        var entityMentions: [Mention]
        var relationMentions: [Relation]?
    }

    public func examples(from line: [UInt8], line n: Int, path: String) throws -> [LabelledExample] {
        let r = try ReaderSupport.decode(Record.self, line, path: path, line: n)
        let scalars = Array(r.sentText.unicodeScalars)
        var spans: [LabelledSpan] = []
        for m in r.entityMentions {
            try ReaderSupport.checkSpan(m.start, m.end, count: scalars.count, what: "entity \(m.label)", path: path, line: n)
            if let t = m.text, ReaderSupport.slice(scalars, m.start, m.end) != t {
                throw ReaderSupport.malformed("entity \(m.label) [\(m.start), \(m.end)) reads \"\(ReaderSupport.slice(scalars, m.start, m.end))\", not \"\(t)\"", path: path, line: n)
            }
            spans.append(LabelledSpan(label: m.label, start: m.start, end: m.end))
        }
        // Sentence index of every scalar.
        var sentenceOf = [Int](repeating: 0, count: scalars.count)
        var sid = 0
        for (i, c) in scalars.enumerated() {
            sentenceOf[i] = sid
            if "。！？；".unicodeScalars.contains(c) { sid += 1 }
        }
        func entity(at start: Int, text: String?) -> LabelledSpan? {
            let cands = spans.filter { $0.start == start }
            if let t = text, let m = cands.first(where: { ReaderSupport.slice(scalars, $0.start, $0.end) == t }) { return m }
            return cands.first
        }
        var events: [LabelledEvent] = []
        for rel in r.relationMentions ?? [] where rel.label != "NA" {
            guard let a = entity(at: rel.e1start, text: rel.em1Text) else {
                throw ReaderSupport.malformed("relation \(rel.label): no entity starts at e1start \(rel.e1start)", path: path, line: n)
            }
            guard let b = entity(at: rel.e21start, text: rel.em2Text) else {
                throw ReaderSupport.malformed("relation \(rel.label): no entity starts at e21start \(rel.e21start)", path: path, line: n)
            }
            let (ra, rb) = Self.roles[rel.label] ?? ("arg1", "arg2")
            var args = [LabelledArgument(role: ra, start: a.start, end: a.end),
                        LabelledArgument(role: rb, start: b.start, end: b.end)]
            for (label, role) in Self.contextRoles.sorted(by: { $0.key < $1.key }) {
                let kind = spans.filter { $0.label == label }
                let inA = kind.filter { sentenceOf[$0.start] == sentenceOf[a.start] }
                if !inA.isEmpty {
                    args += inA.map { LabelledArgument(role: role, start: $0.start, end: $0.end) }
                } else {
                    let inB = kind.filter { sentenceOf[$0.start] == sentenceOf[b.start] }
                    if let near = inB.min(by: { abs($0.start - b.start) < abs($1.start - b.start) }) {
                        args.append(LabelledArgument(role: role, start: near.start, end: near.end))
                    }
                }
            }
            args.sort { ($0.start, $0.end, $0.role) < ($1.start, $1.end, $1.role) }
            var seen = Set<LabelledArgument>()
            args = args.filter { seen.insert($0).inserted }
            let ev = LabelledEvent(type: rel.label, arguments: args)
            if !events.contains(ev) { events.append(ev) }
        }
        return [LabelledExample(id: "\(r.articleId.value)-\(r.sentId.value)", text: r.sentText,
                                spans: spans, events: events, origin: "\(path):\(n)")]
    }
}

/// A JSON value that may be written as a number or a string (ids).
struct IntOrString: Decodable {
    var value: String
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) { value = String(i) } else { value = try c.decode(String.self) }
    }
}
