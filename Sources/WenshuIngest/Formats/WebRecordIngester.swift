import Foundation
import WenshuCore

/// Records of the national judgments website (文书网) as crawled: a JSON object whose `source`
/// is a JSON string to decode again. Two shapes occur:
/// - `{"Title", "PubDate", "Html"}`: the HTML carries section anchors `<a name="WBSB">` (header),
///   DSRXX (parties), SSJL (procedure), AJJBQK (facts), CPYZ (reasoning), PJJG (result), WBWB (tail).
/// - keys `s1`...`s51`: s1 title, s2 court, s6 document type code, s7 case number, s8 case type,
///   s9 procedure, s11 cause(s), s17 parties, s22...s28 the sections as text, s31 decision date,
///   s41 publication date, `qwContent` the full text as HTML.
///
/// The text is the visible text of the HTML (or the s22...s28 sections joined by newlines when
/// there is no HTML). Spaced titles ("民 事 判 决 书") are kept as they are. Metadata: `title`,
/// `court`, `doc_type`, `case_number`, `case_type`, `procedure`, `cause`, `date`, `pub_date`,
/// `parties`, `doc_id`, `sections` (the anchor names found, comma-separated, in order) and
/// `section.<NAME>` = "start-end" (Unicode scalar offsets into the text, end exclusive).
public struct WebRecordIngester: Ingester {
    public var format: DocumentFormat { .webRecord }
    public init() {}

    /// Anchor names of the website's section markup, in document order.
    public static let sectionAnchors = ["WBSB", "DSRXX", "SSJL", "AJJBQK", "CPYZ", "PJJG", "WBWB"]
    /// The s-keys holding section texts, with the anchor each corresponds to.
    static let sectionKeys: [(key: String, anchor: String)] = [("s22", "WBSB"), ("s23", "SSJL"), ("s24", "DSRXX"),
                                                               ("s25", "AJJBQK"), ("s26", "CPYZ"), ("s27", "PJJG"),
                                                               ("s28", "WBWB")]
    static let fieldKeys: [(key: String, name: String)] = [("s2", "court"), ("s6", "doc_type"), ("s7", "case_number"),
                                                           ("s8", "case_type"), ("s9", "procedure"), ("s11", "cause"),
                                                           ("s31", "date"), ("s41", "pub_date"), ("s17", "parties")]

    public func ingest(_ input: IngestInput, options: IngestOptions,
                       emit: (Result<Document, WenshuError>) throws -> Void) rethrows {
        // A web-record file is JSON (one record or an array) or JSONL of such records.
        try JSONRecordIngester(lines: false).ingest(input, options: options) { r in
            switch r {
            case .success(var d):
                d.source.format = .webRecord
                try emit(.success(d))
            case .failure(let e): try emit(.failure(e))
            }
        }
    }

    /// The decoded inner `source` object when `dict` is a website record, else nil.
    static func innerSource(of dict: [String: Any]) -> [String: Any]? {
        var inner: [String: Any]?
        if let s = dict["source"] as? String, s.hasPrefix("{"),
           let v = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any] {
            inner = v
        } else if let v = dict["source"] as? [String: Any] {
            inner = v
        }
        guard let inner, inner["Html"] != nil || inner["qwContent"] != nil || inner["s1"] != nil || inner["s22"] != nil
        else { return nil }
        return inner
    }

    /// Builds the document of one website record.
    static func document(outer: [String: Any], inner: [String: Any], source: SourceInfo,
                         fallbackID: String) -> Result<Document, WenshuError> {
        var src = source
        src.format = .webRecord
        var meta: [String: String] = [:]
        var text = ""
        var sections: [(name: String, start: Int, end: Int)] = []
        if let html = (inner["Html"] as? String) ?? (inner["qwContent"] as? String), !html.isEmpty {
            switch HTMLIngester.extract(html: html, path: source.path) {
            case .failure(let e): return .failure(e)
            case .success(let x):
                text = x.text
                sections = x.sections.filter { sectionAnchors.contains($0.name) }
            }
        }
        let sectionTexts = sectionKeys.compactMap { k -> (String, String)? in
            guard let s = inner[k.key] as? String, !s.isEmpty else { return nil }
            return (k.anchor, s.replacingOccurrences(of: "\r\n", with: "\n"))
        }
        if text.isEmpty {
            // No HTML: the section texts in order.
            var b = TextBuilder()
            for (anchor, s) in sectionTexts {
                b.anchor(anchor)
                b.append(s)
                b.lineBreak()
            }
            text = b.finish()
            sections = b.sections()
        } else if sections.isEmpty && !sectionTexts.isEmpty {
            sections = locate(sectionTexts, in: text)
        }
        if text.isEmpty {
            return .failure(.ingest(.web.noText, "the website record has neither HTML nor section texts",
                                    path: source.path))
        }
        for (key, name) in fieldKeys {
            if let v = inner[key], let s = JSONRecordIngester.metadataString(v), !s.isEmpty { meta[name] = s }
        }
        if meta["pub_date"] == nil, let p = inner["PubDate"] as? String { meta["pub_date"] = p }
        let title = (inner["s1"] as? String) ?? (inner["Title"] as? String)
        if let t = title { meta["title"] = t }
        let docID = (outer["doc_id"] as? String) ?? (inner["s5"] as? String)
        if let d = docID { meta["doc_id"] = d }
        if !sections.isEmpty {
            meta["sections"] = sections.map(\.name).joined(separator: ",")
            for s in sections { meta["section.\(s.name)"] = "\(s.start)-\(s.end)" }
        }
        let id = docID ?? (outer["id"].flatMap { JSONRecordIngester.scalarString($0) }) ?? fallbackID
        return .success(Document(id: id, source: src, text: text, title: title, metadata: meta))
    }

    /// Finds where each section text starts in `text` (by its first line), in order.
    static func locate(_ sectionTexts: [(String, String)], in text: String) -> [(name: String, start: Int, end: Int)] {
        let scalars = Array(text.unicodeScalars)
        var found: [(String, Int)] = []
        var from = 0
        for (name, s) in sectionTexts {
            let firstLine = s.split(separator: "\n").first.map { String($0).trimmingASCIIWhitespace() } ?? ""
            let probe = Array(firstLine.unicodeScalars.prefix(16))
            guard probe.count >= 4, let at = find(probe, in: scalars, from: from) else { continue }
            found.append((name, at))
            from = at + probe.count
        }
        var out: [(name: String, start: Int, end: Int)] = []
        for (i, f) in found.enumerated() {
            var end = i + 1 < found.count ? found[i + 1].1 : scalars.count
            while end > f.1 && (scalars[end - 1] == "\n" || scalars[end - 1] == " ") { end -= 1 }
            out.append((f.0, f.1, end))
        }
        return out
    }

    private static func find(_ needle: [Unicode.Scalar], in hay: [Unicode.Scalar], from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
