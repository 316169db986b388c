import WenshuCore

/// Finds the charges a judgment names in its own words: 构成盗窃罪, 犯盗窃罪 (犯有…), 以盗窃罪
/// (追究, 判处, 提起公诉), 涉嫌盗窃罪, and lists such as 犯盗窃罪、诈骗罪.
///
/// Only the body is read: the procedure, claims, facts, reasoning and decision sections. The
/// header (whose title often names the charge) and the party block (whose prior convictions,
/// 曾因犯盗窃罪…, are not this case's charge) are skipped, and so is 犯 after 因, 曾, 系 or 前
/// (a prior conviction anywhere) or after 初, 再, 累, 主, 共… (初犯, 累犯: words), 不构成 (a charge
/// the court or the defence rejects), and runs that are no name (…的犯罪事实, …刑罚之罪).
/// A charge name may itself hold 罪 (掩饰、隐瞒犯罪所得、犯罪所得收益罪): 罪 followed by 所得 is
/// part of the name. Each name is reported once, from the weightiest section that names it:
/// the decision, the reasoning, the accusation (claims, procedure), then the facts (where
/// other cases and the defence's view are often cited).
public struct ChargeNameParser: Sendable {
    public init() {}

    /// Sections read, latest (most authoritative) first.
    static let sectionOrder: [SectionKind] = [.decision, .reasoning, .claims, .procedure, .facts]
    /// The longest name looked at (the longest statutory charge name has 35 characters).
    static let maxName = 40

    /// The named charges of `text` inside `sections` (offsets in `text`'s coordinates).
    public func parse(_ text: RuleText, sections: [Section]) -> [NamedCharge] {
        var out: [NamedCharge] = []
        var seen = Set<String>()
        for kind in Self.sectionOrder {
            for s in sections where s.kind == kind {
                for (name, range) in names(text.scalars, in: s.start..<min(s.end, text.count)) where seen.insert(name).inserted {
                    out.append(NamedCharge(name: name, section: kind.rawValue, start: range.lowerBound, end: range.upperBound))
                }
            }
        }
        return out.sorted { $0.start < $1.start }
    }

    /// Every (name, range) in `range`, in text order.
    func names(_ s: [Unicode.Scalar], in range: Range<Int>) -> [(String, Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var p = range.lowerBound
        while p < range.upperBound {
            defer { p += 1 }
            guard s[p] == "罪", !Self.isInnerZui(s, p) else { continue }
            // The run of name characters before 罪 (罪 inside it only as 罪所得).
            var q = p
            while q > range.lowerBound, p - q < Self.maxName + 4, Self.isNameScalar(s, q - 1) { q -= 1 }
            guard let nameStart = Self.nameStart(s, run: q..<p) else { continue }
            // A list continues the name before it: 犯盗窃罪、诈骗罪 (the second has no trigger).
            if let n = Self.clean(s, nameStart..<p) { out.append(n) }
            var r = p + 1
            while r + 1 < range.upperBound, s[r] == "、" {
                var e = r + 1
                while e < range.upperBound, e - r <= Self.maxName, Self.isNameScalar(s, e), !(s[e] == "罪" && !Self.isInnerZui(s, e)) { e += 1 }
                // A continuation holds no trigger of its own (…罪、被告人李四犯诈骗罪 is a new name).
                guard e < range.upperBound, s[e] == "罪", e - (r + 1) >= 2, Self.nameStart(s, run: (r + 1)..<e) == nil,
                      let n = Self.clean(s, (r + 1)..<e) else { break }
                out.append(n)
                p = e
                r = e + 1
            }
        }
        return out
    }

    /// 罪 that belongs to a longer name (犯罪所得).
    static func isInnerZui(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        i + 2 < s.count && s[i + 1] == "所" && s[i + 2] == "得"
    }

    /// Han characters (罪 only inside a name), the list mark 、 and brackets.
    static func isNameScalar(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        let c = s[i]
        if c == "罪" { return isInnerZui(s, i) }
        if c == "、" || c == "（" || c == "）" || c == "(" || c == ")" || c == "[" || c == "]" || c == "【" || c == "】" { return true }
        return c.properties.isIdeographic
    }

    /// Where the name starts in `run` (the name characters before 罪): after the last 构成
    /// when there is one (a name may hold 以 or 犯: 构成以危险方法危害公共安全罪), else after
    /// the last 犯 / 犯有 that is not part of 犯罪 and not a prior conviction, else after the
    /// last 涉嫌, else after the last 以. Nil when no trigger opens a name.
    static func nameStart(_ s: [Unicode.Scalar], run: Range<Int>) -> Int? {
        func last(_ word: [Unicode.Scalar], where ok: (Int) -> Bool = { _ in true }) -> Int? {
            var i = run.upperBound - word.count
            while i >= run.lowerBound {
                if Array(s[i..<(i + word.count)]) == word, ok(i) { return i + word.count }
                i -= 1
            }
            return nil
        }
        // 因犯, 曾犯, 前犯: a prior conviction; 初犯, 再犯, 累犯, 主犯, 共犯, 罪犯…: a word.
        let priorMarks: Set<Unicode.Scalar> = ["因", "曾", "系", "前", "初", "偶", "再", "累", "主", "从", "共", "罪", "正", "胁", "同"]
        if let e = last(["构", "成"]) {
            if e - 3 >= 0, s[e - 3] == "不" { return nil }
            return e
        }
        if let e = last(["犯"], where: { i in
            // 犯罪 is a word, not a trigger; 因犯, 曾犯 are prior convictions.
            !(i + 1 < s.count && s[i + 1] == "罪") && !(i > 0 && priorMarks.contains(s[i - 1]))
        }) {
            return e < run.upperBound && s[e] == "有" ? e + 1 : e
        }
        if let e = last(["涉", "嫌"]) { return e }
        // 以前, 以上, 以及…: words, not 以…罪.
        let notAfterYi: Set<Unicode.Scalar> = ["前", "后", "上", "下", "内", "外", "及", "来", "便", "致", "免", "为"]
        return last(["以"], where: { i in !(i + 1 < s.count && notAfterYi.contains(s[i + 1])) })
    }

    /// The name in `r` without brackets and list marks at its ends; nil when it is shorter
    /// than two characters or is no name (犯罪).
    static func clean(_ s: [Unicode.Scalar], _ r: Range<Int>) -> (String, Range<Int>)? {
        var lo = r.lowerBound, hi = r.upperBound
        let trim: Set<Unicode.Scalar> = ["、", "（", "）", "(", ")", "[", "]", "【", "】"]
        while lo < hi, trim.contains(s[lo]) { lo += 1 }
        while hi > lo, trim.contains(s[hi - 1]) { hi -= 1 }
        guard hi - lo >= 2, hi - lo <= maxName else { return nil }
        // Not names: …的犯(罪事实), …刑罚之(罪), …定(罪), words of sentencing.
        if ["犯", "之", "定"].contains(s[hi - 1]) { return nil }
        let words = String(String.UnicodeScalarView(s[lo..<hi]))
        if ["刑罚", "徒刑", "判处", "被告"].contains(where: words.contains) { return nil }
        let kept = s[lo..<hi].filter { $0 != "[" && $0 != "]" && $0 != "【" && $0 != "】" }
        let name = String(String.UnicodeScalarView(kept))
        return (name, lo..<hi)
    }
}
