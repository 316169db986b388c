import Foundation
import WenshuCore

/// Runs the judgment rules (header, parties, sections, date, money) over a normalized text
/// and reports everything in extracted-text coordinates through the alignment.
public struct JudgmentStructurer: Sendable {
    public init() {}

    /// The structure in the coordinates of `text` itself (no alignment), plus the header
    /// details. Used by `structure(_:)` and by tests on plain strings.
    public func structureInPlace(_ text: RuleText) -> (DocumentStructure, JudgmentHeader) {
        let header = HeaderParser().parse(text)
        let headerEnd: Int? = (header.caseNumber != nil || header.documentName != nil) ? header.end : nil
        // Parties: between the header and the next section (the procedure, usually).
        var sections = SectionParser().parse(text, headerEnd: headerEnd, partiesFound: true)
        var parties: [Party] = []
        // A text without a header (an excerpt starting at the parties) is read from its start.
        if let block = sections.first(where: { $0.kind == .parties }) {
            let h = headerEnd ?? 0
            // Without a procedure sentence the block runs on into the body: look no further
            // than a party block's usual length.
            parties = PartyParser().parse(text, in: h..<max(h, min(block.end, h + 5000)))
        }
        if parties.isEmpty { sections.removeAll { $0.kind == .parties } }
        let tailStart = sections.first { $0.kind == .tail }?.start
        let date = DateParser().decisionDate(text, tailStart: tailStart)
        let money = MoneyParser().parseAll(text)

        var s = DocumentStructure()
        s.title = header.documentName
        s.docType = header.docType
        s.court = header.court
        s.caseNumber = header.caseNumber
        if let cat = header.caseNumber?.category {
            s.caseType = CaseNumberParser.caseType(category: cat)
            s.trialLevel = CaseNumberParser.trialLevel(category: cat)
        }
        if let name = header.documentName {
            if name.hasPrefix("刑事附带民事") { s.caseType = "刑事附带民事" }
            else if s.caseType == nil, let t = ["刑事", "民事", "行政", "执行", "国家赔偿", "司法救助"].first(where: name.hasPrefix) { s.caseType = t }
        }
        s.date = date?.iso
        s.parties = parties
        s.sections = sections
        s.money = money
        s.charges = ChargeNameParser().parse(text, sections: sections)
        return (s, header)
    }

    /// The structure of a normalized text, all offsets mapped to the extracted text.
    ///
    /// The rules are written for simplified characters. With `folding`, a text that holds
    /// traditional characters (`TraditionalFolding.mayHoldTraditional`) is matched on a
    /// private simplified copy folded from `normalized`; the copy's alignment leads back to
    /// the extracted text, so spans still point into it and the user's normalization is
    /// unchanged. The court, title, case number and parties are the extracted text's own
    /// characters (one script within one record); the document type and case category are
    /// codes, always simplified.
    public func structure(_ normalized: NormalizedText, folding: TraditionalFolding? = nil) -> DocumentStructure {
        var matched = normalized
        if let folding, TraditionalFolding.mayHoldTraditional(normalized.text.scalars),
           let folded = try? folding.fold(normalized) {
            matched = folded
        }
        let (s, header) = structureInPlace(RuleText(matched.text))
        var m = Self.mapped(s, through: matched)
        if let r = header.courtRange { m.court = Self.sourceName(r, through: matched) }
        if let r = header.documentNameRange { m.title = Self.sourceName(r, through: matched) }
        return m
    }

    /// The extracted text of a name found on the normalized text, whitespace dropped (a
    /// spaced title "民 事 判 决 书" reads 民事判决书, as the normalized text has it).
    static func sourceName(_ r: Range<Int>, through n: NormalizedText) -> String {
        String(String.UnicodeScalarView(n.sourceSpan(r).text.unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// Maps every offset of a structure found on the normalized text to the extracted text,
    /// and takes the texts from the extracted text (what a user sees in the source).
    public static func mapped(_ s: DocumentStructure, through n: NormalizedText) -> DocumentStructure {
        var m = s
        func map(_ start: Int, _ end: Int) -> Span { n.sourceSpan(start..<end) }
        if var c = s.caseNumber {
            let span = map(c.start, c.end)
            c.start = span.start; c.end = span.end; c.text = span.text
            m.caseNumber = c
        }
        m.parties = s.parties.map { p in
            let span = map(p.start, p.end)
            return Party(role: p.role, name: span.text, start: span.start, end: span.end)
        }
        m.sections = s.sections.map { sec in
            // Offsets only: slicing a whole section's text would cost a copy of the document.
            let r = n.alignment.sourceRange(sec.start..<sec.end)
            return Section(kind: sec.kind, start: r.lowerBound, end: r.upperBound)
        }
        m.money = s.money.map { a in
            let span = map(a.start, a.end)
            return MoneyAmount(text: span.text, value: a.value, currency: a.currency, start: span.start, end: span.end)
        }
        m.charges = s.charges.map { c in
            let span = map(c.start, c.end)
            return NamedCharge(name: c.name, section: c.section, start: span.start, end: span.end)
        }
        return m
    }
}
