import Foundation
import WenshuCore

/// A date found in the text.
public struct FoundDate: Sendable, Equatable {
    /// ISO yyyy-mm-dd.
    public var iso: String
    public var range: Range<Int>
    /// Written in Chinese numerals (二〇一九年五月十日), as judgments sign their tails.
    public var chineseNumerals: Bool
}

/// Dates written 2019年5月10日 or 二〇一九年五月十日 (〇, ○, 零 or O for zero), checked
/// for a valid month and day.
public struct DateParser: Sendable {
    public init() {}

    static let regex = compileRule(
        "((?:19|20)\\d{2}|[〇○零O一二三四五六七八九]{4})\\s*年\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*月\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*日")

    /// Every valid date in `text`.
    public func parseAll(_ text: RuleText, in range: Range<Int>? = nil) -> [FoundDate] {
        guard let re = Self.regex else { return [] }
        return text.matches(re, in: range).compactMap { m in
            guard let yr = m.groups[0], let mr = m.groups[1], let dr = m.groups[2] else { return nil }
            let ys = text.slice(yr)
            guard let y = Int(ys) ?? ChineseNumeral.parseInt(ys),
                  let mo = ChineseNumeral.parseInt(text.slice(mr)), let d = ChineseNumeral.parseInt(text.slice(dr)),
                  (1900...2100).contains(y), (1...12).contains(mo), (1...Self.daysIn(month: mo, year: y)).contains(d)
            else { return nil }
            let chinese = Int(ys) == nil
            return FoundDate(iso: String(format: "%04d-%02d-%02d", y, mo, d), range: m.range, chineseNumerals: chinese)
        }
    }

    /// Parses one string that should be a date, to ISO.
    public func parse(_ string: String) -> String? { parseAll(RuleText(string)).first?.iso }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The decision date: the last Chinese-numeral date after `tailStart` (the signature
    /// block), else the last Chinese-numeral date in the text's last quarter, else nil.
    /// Arabic dates in the body are events of the case, not the decision date, so they are
    /// used only when they stand alone on the tail's line.
    public func decisionDate(_ text: RuleText, tailStart: Int?) -> FoundDate? {
        let all = parseAll(text)
        if let t = tailStart, let d = all.last(where: { $0.range.lowerBound >= t && $0.chineseNumerals }) { return d }
        let quarter = text.count * 3 / 4
        if let d = all.last(where: { $0.range.lowerBound >= quarter && $0.chineseNumerals }) { return d }
        if let t = tailStart, let d = all.last(where: { $0.range.lowerBound >= t && Self.standsAlone($0.range, in: text) }) { return d }
        return nil
    }

    static func standsAlone(_ r: Range<Int>, in text: RuleText) -> Bool {
        let before = r.lowerBound == 0 || text.scalars[r.lowerBound - 1] == "\n"
        let after = r.upperBound == text.count || text.scalars[r.upperBound] == "\n"
        return before && after
    }
}
