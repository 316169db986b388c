import Foundation
import WenshuCore

/// Reads the fixtures (real excerpts of ../shared/data, see Fixtures/FIXTURES.md) into
/// LabelledExamples the way the dataset readers do.
enum FixtureData {
    static func lines(_ name: String) throws -> [[String: Any]] {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "jsonl")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name).jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// CAIL2018: fact -> accusation labels (brackets stripped).
    static func charges() throws -> [LabelledExample] {
        try lines("charges").enumerated().map { i, d in
            let acc = ((d["meta"] as! [String: Any])["accusation"] as! [String])
                .map { $0.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "") }
            return LabelledExample(id: "charges-\(i)", text: d["fact"] as! String, labels: acc)
        }
    }

    /// CAIL2021: context -> role spans and one theft event with every span as an argument.
    static func theft(_ file: String = "theft") throws -> [LabelledExample] {
        try lines(file).map { d in
            var spans: [LabelledSpan] = []
            for e in d["entities"] as! [[String: Any]] {
                for s in e["span"] as! [String] {
                    let p = s.split(separator: ";").map { Int($0)! }
                    spans.append(LabelledSpan(label: e["label"] as! String, start: p[0], end: p[1]))
                }
            }
            spans.sort { ($0.start, $0.end) < ($1.start, $1.end) }
            let args = spans.map { LabelledArgument(role: $0.label, start: $0.start, end: $0.end) }
            return LabelledExample(id: d["id"] as! String, text: d["context"] as! String, spans: spans,
                                   events: [LabelledEvent(type: "盗窃", arguments: args)])
        }
    }

    /// CAIL2022: entity mentions as spans; each non-NA relation as an event whose arguments
    /// are the related pair (roles per relation) and the time, place and weight mentions of
    /// the first entity's sentence, sorted by position (the convention of WenshuEval's reader).
    static func drugs() throws -> [LabelledExample] {
        let roles = ["traffic_in": ("seller", "drug"), "sell_drugs_to": ("seller", "buyer"),
                     "posess": ("possessor", "drug"), "provide_shelter_for": ("provider", "user")]
        let context = ["NT": "time", "Ns": "place", "NW": "weight"]
        return try lines("drugs").map { d in
            let text = d["sentText"] as! String
            let scalars = Array(text.unicodeScalars)
            var sentence = [Int](repeating: 0, count: scalars.count), sid = 0
            for (i, c) in scalars.enumerated() { sentence[i] = sid; if "。！？；".unicodeScalars.contains(c) { sid += 1 } }
            let ents = (d["entityMentions"] as! [[String: Any]]).map {
                LabelledSpan(label: $0["label"] as! String, start: $0["start"] as! Int, end: $0["end"] as! Int)
            }
            var events: [LabelledEvent] = []
            for r in d["relationMentions"] as! [[String: Any]] where (r["label"] as! String) != "NA" {
                let type = r["label"] as! String
                let s1 = r["e1start"] as! Int, s2 = r["e21start"] as! Int
                let (r1, r2) = roles[type] ?? ("arg1", "arg2")
                var args = [LabelledArgument(role: r1, start: s1, end: s1 + (r["em1Text"] as! String).unicodeScalars.count),
                            LabelledArgument(role: r2, start: s2, end: s2 + (r["em2Text"] as! String).unicodeScalars.count)]
                for e in ents where context[e.label] != nil && sentence[e.start] == sentence[s1] {
                    args.append(LabelledArgument(role: context[e.label]!, start: e.start, end: e.end))
                }
                args.sort { ($0.start, $0.end, $0.role) < ($1.start, $1.end, $1.role) }
                let ev = LabelledEvent(type: type, arguments: args)
                if !events.contains(ev) { events.append(ev) }
            }
            return LabelledExample(id: "\(d["articleId"]!)-\(d["sentId"]!)", text: text, spans: ents, events: events)
        }
    }

    /// LEVEN (LawBench form): each trigger with its type becomes an event anchored on it.
    static func levenTriggers() throws -> [LabelledExample] {
        try lines("leven-triggers").map { d in
            let offs = d["trigger_char_offsets"] as! [[Int]], types = d["trigger_types"] as! [String]
            let events = zip(offs, types).map { o, t in LabelledEvent(type: t, trigger: LabelledSpan(label: t, start: o[0], end: o[1]), arguments: []) }
            return LabelledExample(id: d["id"] as! String, text: d["sentence"] as! String,
                                   spans: zip(offs, types).map { LabelledSpan(label: $1, start: $0[0], end: $0[1]) }, events: events)
        }
    }
}
