import Foundation
import WenshuCore

/// Parses case numbers (案号) such as （2020）浙0702刑初662号, (2019)粤13刑终230号,
/// 〔2015〕穗中法刑二终字第674号, [2018]京0106刑初718号, 【2017】…, with full- or half-width
/// brackets, the old form with 字第, a division digit (刑二终), and a 之一 suffix.
/// The parts: year, court code (浙0702, 穗中法, may be empty), category (刑初, 民终, 执恢,
/// 刑二终) and serial. Case type and trial level come from the category.
public struct CaseNumberParser: Sendable {
    public init() {}

    /// Category letters (longest first) and the case type they stand for.
    public static let caseTypes: [(String, String)] = [
        ("刑事附带民事", "刑事附带民事"), ("司救", "司法救助"), ("财保", "财产保全"), ("诉保", "财产保全"), ("委赔", "国家赔偿"),
        ("法赔", "国家赔偿"), ("知民", "民事"), ("知行", "行政"), ("知刑", "刑事"), ("破", "破产"), ("强清", "强制清算"),
        ("刑", "刑事"), ("民", "民事"), ("商", "民事"), ("行", "行政"), ("执", "执行"), ("赔", "国家赔偿"),
    ]

    /// Trial-level letters and their meaning.
    public static let trialLevels: [(String, String)] = [
        ("初", "一审"), ("终", "二审"), ("再", "再审"), ("监", "再审"), ("抗", "再审"), ("提", "再审"), ("申", "再审审查"),
        ("复", "复核"), ("更", "刑罚变更"), ("特", "特别程序"), ("督", "督促程序"), ("催", "公示催告"), ("恢", "恢复执行"),
        ("异", "执行异议"), ("保", "保全"), ("辖", "管辖"), ("清申", "强制清算申请"),
    ]

    static let pattern: String = {
        let open = "[（(〔\\[【［﹝]", close = "[）)〕\\]】］﹞]"
        let letters = caseTypes.map { NSRegularExpression.escapedPattern(for: $0.0) }.joined(separator: "|")
        let levels = "[初终再监抗提申复更特督催恢异保辖清算审]{0,3}"
        // 1: year, 2: court code, 3: category, 4: serial, 5: suffix
        return open + "\\s*((?:19|20)\\d{2})\\s*" + close
            + "\\s*([\\p{Han}]{0,6}?\\d{0,4}?[\\p{Han}]{0,3}?)"
            + "((?:" + letters + ")[一二三四五六七八九公自少]?" + levels + ")"
            + "\\s*字?\\s*第?\\s*(\\d{1,6})\\s*号(之[一二三四五六七八九十\\d]{1,3})?"
    }()

    static let regex = compileRule(pattern)

    /// Every case number in `text`, in order, with offsets in `text`'s scalars.
    public func parseAll(_ text: RuleText, in range: Range<Int>? = nil) -> [CaseNumber] {
        guard let re = Self.regex else { return [] }
        return text.matches(re, in: range).map { m in
            let g = m.groups
            let year = g[0].flatMap { Int(text.slice($0)) }
            let code = g[1].map { text.slice($0) }
            let cat = g[2].map { text.slice($0) }
            let serial = g[3].flatMap { Int(text.slice($0)) }
            return CaseNumber(text: text.slice(m.range), year: year, courtCode: code, category: cat, serial: serial,
                              start: m.range.lowerBound, end: m.range.upperBound)
        }
    }

    /// Parses one string that should be a case number.
    public func parse(_ string: String) -> CaseNumber? { parseAll(RuleText(string)).first }

    /// The case type of a category (刑初 -> 刑事, 民终 -> 民事, 执恢 -> 执行).
    public static func caseType(category: String) -> String? {
        caseTypes.first { category.hasPrefix($0.0) }?.1
    }

    /// The trial level of a category (刑初 -> 一审, 刑二终 -> 二审, 民申 -> 再审审查).
    public static func trialLevel(category: String) -> String? {
        guard let type = caseTypes.first(where: { category.hasPrefix($0.0) }) else { return nil }
        var rest = String(category.dropFirst(type.0.count))
        if let f = rest.first, "一二三四五六七八九公自少".contains(f) { rest.removeFirst() }
        if rest.isEmpty { return type.1 == "执行" ? "首次执行" : nil }
        if type.1 == "执行", rest == "复" { return "执行复议" }
        return trialLevels.first { rest.hasPrefix($0.0) }?.1
    }
}
