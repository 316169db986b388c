import Foundation
import WenshuCore

/// Finds the sections of a judgment from the phrases courts use to open them:
/// header (up to the case number), parties (the block of role lines), procedure (一案,
/// 提起公诉, 本院受理, 不服…提出上诉), claims (公诉机关指控, 诉称, 诉讼请求, 上诉请求),
/// facts (经审理查明), reasoning (本院认为), decision (判决如下, 裁定如下, 决定如下) and tail
/// (如不服本判决, 本判决为终审判决, 审判长 …). Each section runs to the next one's start.
public struct SectionParser: Sendable {
    public init() {}

    static let procedureMarkers = ["提起公诉", "一案", "本院受理", "向本院", "立案受理", "审理了本案", "起诉书指控", "诉至本院",
                                   "提出上诉", "不服", "本院立案", "申请再审", "申请执行", "移送本院", "人民法院审理"]
    static let claimMarkers = ["公诉机关指控", "检察院指控", "起诉指控", "诉称", "诉讼请求", "上诉请求", "抗诉称", "上诉称",
                               "抗诉机关认为", "申请称", "请求事项"]
    static let factMarkers = ["经审理查明", "经审理认定", "本院审理查明", "经审查查明", "本院查明", "二审查明", "审理查明", "经审理", "经审查",
                              "原判认定", "原审判决认定", "原审认定", "原审法院认定", "一审判决认定", "原判查明", "一审法院查明", "一审查明"]
    static let reasoningMarkers = ["本院认为"]
    static let decisionMarkers = ["判决如下", "裁定如下", "决定如下", "调解协议如下", "达成如下协议", "达成如下调解协议"]
    static let tailMarkers = ["如不服本判决", "如不服本裁定", "如不服本决定", "本判决为终审判决", "本裁定为终审裁定", "本判决书为终审",
                              "本调解协议", "审判长", "审判员", "人民陪审员", "代理审判员"]

    /// Sections of `text`, given the header's end and whether parties were found there.
    public func parse(_ text: RuleText, headerEnd: Int?, partiesFound: Bool) -> [Section] {
        var starts: [(SectionKind, Int)] = []
        let bodyStart = headerEnd ?? 0
        if let h = headerEnd, h > 0 { starts.append((.header, 0)) }
        let sentences = SentenceSegmenter(splitAtSemicolon: false).sentences(text.scalars)

        // Procedure: the first sentence after the header that carries a procedure marker.
        // When that sentence also states the claims ("原告…向本院提出诉讼请求：…"), it opens
        // the claims and there is no separate procedure sentence.
        var procedure: Range<Int>? = nil
        var claimsInProcedure: Int? = nil
        for r in sentences where r.upperBound > bodyStart {
            // The first body sentence may share its start with the header (no 。 after the number).
            let clipped = max(r.lowerBound, bodyStart)..<r.upperBound
            if text.findFirst(Self.procedureSet, from: clipped.lowerBound, to: clipped.upperBound) != nil {
                var lo = clipped.lowerBound
                while lo < clipped.upperBound, text.scalars[lo] == "：" || text.scalars[lo] == ":" || text.scalars[lo].properties.isWhitespace { lo += 1 }
                // Only civil claim phrases: "…检察院指控…一案" is a criminal procedure sentence.
                if text.findFirst(Self.civilClaimSet, from: lo, to: clipped.upperBound) != nil { claimsInProcedure = lo }
                else { procedure = lo..<r.upperBound }
                break
            }
        }
        // Claims stated before any procedure sentence ("原告…诉称：…" right after the parties,
        // and "诉至本院" inside them): the text has no procedure sentence of its own.
        if let p = procedure, claimsInProcedure == nil, let c = first(Self.civilClaimSet, in: text, from: bodyStart),
           c < p.lowerBound {
            procedure = nil
            claimsInProcedure = max(bodyStart, sentenceStart(text, c, sentences))
        }
        let blockEnd = procedure?.lowerBound ?? claimsInProcedure
        if partiesFound, blockEnd.map({ $0 > bodyStart }) ?? true { starts.append((.parties, bodyStart)) }
        if let p = procedure { starts.append((.procedure, p.lowerBound)) }

        let afterProcedure = procedure?.upperBound ?? bodyStart
        let facts = first(Self.factSet, in: text, from: afterProcedure)
        if let c = claimsInProcedure {
            starts.append((.claims, c))
        } else if let c = first(Self.claimSet, in: text, from: afterProcedure), facts.map({ c < $0 }) ?? true {
            starts.append((.claims, sentenceStart(text, c, sentences)))
        }
        if let f = facts { starts.append((.facts, sentenceStart(text, f, sentences))) }
        let reasoning = first(Self.reasoningSet, in: text, from: facts ?? afterProcedure)
        if let r = reasoning { starts.append((.reasoning, sentenceStart(text, r, sentences))) }
        let decision = first(Self.decisionSet, in: text, from: reasoning ?? facts ?? afterProcedure)
        if let d = decision { starts.append((.decision, d)) }
        if let anchor = decision ?? reasoning, let t = first(Self.tailSet, in: text, from: anchor + 4) {
            starts.append((.tail, sentenceStart(text, t, sentences)))
        }

        // Nothing but the header starts inside the header.
        starts = starts.map { $0.0 == .header ? $0 : ($0.0, max($0.1, bodyStart)) }
        // Sort by start (ties in reading order), build contiguous ranges; of sections with the
        // same start only the last in reading order is kept (the others would be empty).
        let order = SectionKind.allCases
        starts.sort { ($0.1, order.firstIndex(of: $0.0) ?? 0) < ($1.1, order.firstIndex(of: $1.0) ?? 0) }
        var sections: [Section] = []
        for (k, (kind, start)) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1].1 : text.count
            if end > start { sections.append(Section(kind: kind, start: start, end: end)) }
        }
        // The header ends where the body starts.
        if let h = headerEnd, let idx = sections.firstIndex(where: { $0.kind == .header }), sections[idx].end > h {
            sections[idx].end = h
        }
        return sections
    }

    static let procedureSet = MarkerSet(procedureMarkers)
    static let civilClaimSet = MarkerSet(["诉称", "诉讼请求", "上诉请求", "申请称", "请求事项"])
    static let claimSet = MarkerSet(claimMarkers), factSet = MarkerSet(factMarkers), reasoningSet = MarkerSet(reasoningMarkers)
    static let decisionSet = MarkerSet(decisionMarkers), tailSet = MarkerSet(tailMarkers)

    func first(_ markers: MarkerSet, in text: RuleText, from: Int) -> Int? {
        text.findFirst(markers, from: from)
    }

    /// The start of the sentence holding offset `p`; the marker itself when the sentence
    /// runs on from the previous part without a full stop ("现已审理终结原判认定：").
    func sentenceStart(_ text: RuleText, _ p: Int, _ sentences: [Range<Int>]) -> Int {
        guard let s = sentences.last(where: { $0.lowerBound <= p })?.lowerBound else { return p }
        if text.find("终结", from: s, to: p) != nil { return p }
        return s
    }
}
