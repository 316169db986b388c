import Foundation
import WenshuCore

/// What the header of a judgment says: the court, the document's name and the case number,
/// plus the case title that dataset exports put before the court.
public struct JudgmentHeader: Sendable, Equatable {
    /// The document's name as written: 刑事判决书, 刑事附带民事判决书, 民事裁定书, 起诉书.
    public var documentName: String?
    /// The base document type: 判决书, 裁定书, 调解书, 决定书, 通知书, 起诉书, ...
    public var docType: String?
    /// The issuing body: …人民法院 (or …人民检察院 for prosecution documents).
    public var court: String?
    public var courtRange: Range<Int>?
    public var documentNameRange: Range<Int>?
    public var caseNumber: CaseNumber?
    /// A case title before the header ("张建、张小春敲诈勒索罪一审刑事判决书"), when present.
    public var caseTitle: String?
    /// Where the header ends (after the case number, or after the document name).
    public var end: Int
}

/// Finds the header: the court, the document name and the case number, in that order, at
/// the start of the document ("金华市婺城区人民法院刑事判决书（2020）浙0702刑初662号", or
/// on three lines after whitespace normalization of a spaced title). The document name is
/// the one right before the case number, not the one in a case title before the court.
public struct HeaderParser: Sendable {
    /// How far into the document the header may start (scalars).
    public var window: Int

    public init(window: Int = 1200) { self.window = window }

    /// Base document types, longest first so that 不起诉决定书 wins over 决定书.
    public static let docTypes = ["不起诉决定书", "起诉意见书", "执行通知书", "判决书", "裁定书", "调解书",
                                  "决定书", "通知书", "起诉书", "抗诉书", "支付令"]

    static let docNameRegex = compileRule(
        "((?:刑事附带民事|刑事|民事|行政|执行|国家赔偿|赔偿|司法救助)?(?:不起诉决定书|起诉意见书|执行通知书|判决书|裁定书|调解书|决定书|通知书|起诉书|抗诉书|支付令))")

    /// Endings of court names, for a court found without a document name after it.
    static let courtSuffixes = ["人民法院", "海事法院", "铁路运输法院", "知识产权法院", "金融法院", "互联网法院", "林区基层法院",
                                "军事法院", "人民法庭"]

    /// Issuers: courts, procuratorates, public security organs.
    static let issuerSuffixes = ["法院", "法庭", "检察院", "公安局", "分局"]

    public func parse(_ text: RuleText) -> JudgmentHeader {
        let limit = min(text.count, window)
        let numbers = CaseNumberParser().parseAll(text, in: 0..<limit)
        let names = Self.docNameRegex.map { text.matches($0, in: 0..<limit) } ?? []
        var header = JudgmentHeader(end: 0)

        // The case number that directly follows a document name (whitespace between allowed).
        var chosenName: RuleText.Match? = nil
        var chosenNumber: CaseNumber? = nil
        outer: for n in numbers {
            var k = n.start
            while k > 0, text.scalars[k - 1].properties.isWhitespace || text.scalars[k - 1] == "：" { k -= 1 }
            for m in names where m.range.upperBound == k { chosenName = m; chosenNumber = n; break outer }
        }
        if chosenNumber == nil {
            // No number right after a name: the first number, and the first name before it
            // (or in the first lines when there is no number) preceded by an issuer, else
            // the first such name at all. A name after the number is the body's
            // ("以…号起诉书指控"), not the document's.
            // A number cited in the body ("本院（2015）宜丁民初字第130号民事判决书查明") is not the
            // header's: the header's number comes before any full stop.
            chosenNumber = numbers.first.flatMap { n in text.find("。", from: 0, to: n.start) == nil ? n : nil }
            let bound = chosenNumber?.start ?? min(limit, 300)
            let early = names.filter { $0.range.upperBound <= bound }
            // Without an issuer, a name counts only as a title on a line of its own start
            // ("扣押决定书" inside a list of evidence is not the document's name).
            chosenName = early.first { issuerBefore(text, end: $0.range.lowerBound) != nil }
                ?? early.first { startsLine(text, $0.range.lowerBound) }
        }
        if let m = chosenName {
            let name = text.slice(m.range)
            header.documentName = name
            header.documentNameRange = m.range
            header.docType = Self.docTypes.first { name.hasSuffix($0) }
            if let court = issuerBefore(text, end: m.range.lowerBound) {
                header.court = text.slice(court)
                header.courtRange = court
                let before = trimmed(text, 0..<court.lowerBound)
                if before.count >= 4 { header.caseTitle = text.slice(before) }
            }
            header.end = m.range.upperBound
        }
        if let n = chosenNumber {
            header.caseNumber = n
            header.end = max(header.end, n.end)
        }
        // No issuer before a document name: a court named in the header lines (before the
        // first full stop), with a court's name ("…人民法院", "…海事法院"), not "诉至法院".
        if header.court == nil {
            let bound = min(limit, max(header.end, 300), text.find("。", from: 0, to: limit) ?? limit)
            if let p = text.find("法院", from: 0, to: bound), let court = issuerBefore(text, end: p + 2),
               Self.courtSuffixes.contains(where: text.slice(court).hasSuffix) {
                header.court = text.slice(court)
                header.courtRange = court
            }
        }
        return header
    }

    /// The issuer name ending at `end` (whitespace before `end` skipped): a run of Han
    /// characters ending in 法院/检察院/…, starting after the previous document name (a
    /// case title ends in 书) or at a line start or punctuation.
    func issuerBefore(_ text: RuleText, end: Int) -> Range<Int>? {
        var e = end
        while e > 0, text.scalars[e - 1].properties.isWhitespace { e -= 1 }
        let tail = text.slice(max(0, e - 5)..<e)
        guard Self.issuerSuffixes.contains(where: { tail.hasSuffix($0) }) else { return nil }
        var s = e
        while s > 0 {
            let c = text.scalars[s - 1]
            if !Self.isNameCharacter(c) { break }
            if c == "书" || c == "令" { break }
            s -= 1
            if e - s > 40 { break }
        }
        guard e - s >= 4 else { return nil }
        return s..<e
    }

    /// True when only whitespace stands between the previous line break (or the text's start) and `i`.
    func startsLine(_ text: RuleText, _ i: Int) -> Bool {
        var k = i
        while k > 0 {
            let c = text.scalars[k - 1]
            if c == "\n" { return true }
            if !c.properties.isWhitespace { return false }
            k -= 1
        }
        return true
    }

    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
    }

    func trimmed(_ text: RuleText, _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, text.scalars[lo].properties.isWhitespace { lo += 1 }
        while hi > lo, text.scalars[hi - 1].properties.isWhitespace { hi -= 1 }
        return lo..<hi
    }
}
