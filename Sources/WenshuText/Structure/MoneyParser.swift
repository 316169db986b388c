import Foundation
import WenshuCore

/// Money amounts: 人民币3,500元, 3500.00元, 三千五百元, 十一万元, 1.2万元, 5000余元, 2万多元,
/// 叁仟伍佰元整, 100美元, 50港元. Values in the currency's unit (yuan for CNY).
public struct MoneyParser: Sendable {
    public init() {}

    static let numeral = "[0-9０-９][0-9０-９,，]*(?:\\.[0-9]+)?|[〇○零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億]+"
    static let regex = compileRule(
        "(人民币|人民幣|美元|港币|港元)?\\s*((?:" + numeral + ")(?:[十百千万亿]{0,2}))\\s*(余|多)?\\s*(万|亿)?\\s*(余|多)?\\s*(元|块|美元|港元|港币|欧元|日元)(整)?")

    /// Every amount in `text`.
    public func parseAll(_ text: RuleText, in range: Range<Int>? = nil) -> [MoneyAmount] {
        guard let re = Self.regex else { return [] }
        return text.matches(re, in: range).compactMap { m in
            guard let nr = m.groups[1], let unitR = m.groups[5] else { return nil }
            var numberText = text.slice(nr).replacingOccurrences(of: "，", with: ",")
            numberText = String(numberText.unicodeScalars.map { s -> Character in
                (0xFF10...0xFF19).contains(s.value) ? Character(Unicode.Scalar(s.value - 0xFEE0)!) : Character(s)
            })
            // "3,500" is a thousands separator; a comma not followed by three digits ends the number.
            if numberText.contains(","), !Self.validGrouping(numberText) { return nil }
            guard var value = ChineseNumeral.parse(numberText) else { return nil }
            if let big = m.groups[3] { value *= text.slice(big) == "亿" ? 1e8 : 1e4 }
            let prefix = m.groups[0].map { text.slice($0) }
            let unit = text.slice(unitR)
            let currency: String
            switch (prefix, unit) {
            case (_, "美元"), ("美元", _): currency = "USD"
            case (_, "港元"), (_, "港币"), ("港币", _), ("港元", _): currency = "HKD"
            case (_, "欧元"): currency = "EUR"
            case (_, "日元"): currency = "JPY"
            default: currency = "CNY"
            }
            return MoneyAmount(text: text.slice(m.range), value: value, currency: currency,
                               start: m.range.lowerBound, end: m.range.upperBound)
        }
    }

    /// Parses one string that should be an amount.
    public func parse(_ string: String) -> MoneyAmount? { parseAll(RuleText(string)).first }

    static func validGrouping(_ s: String) -> Bool {
        let intPart = s.split(separator: ".", maxSplits: 1).first.map(String.init) ?? s
        let groups = intPart.split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count) else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 }
    }
}
