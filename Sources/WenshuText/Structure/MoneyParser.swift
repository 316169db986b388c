import Foundation
import WenshuCore

/// Money amounts: 人民币3,500元, 3500.00元, 三千五百元, 十一万元, 1.2万元, 5000余元, 2万多元,
/// 叁仟伍佰元整, 100美元, 50港元. Values in the currency's unit (yuan for CNY).
///
/// An amount needs a unit or a currency in money context (issue 13):
/// 1. A currency before the number (人民币, 美元, 港币) makes it money whatever follows.
/// 2. 元 after a number is money unless the number word is part of a name: a short Chinese
///    numeral right after a common surname (被告人王四元, 张三元), not after 每 or a count.
///    元旦, 元月, 元素, 元宵 are not amounts.
/// 3. 块 is a measure word as often as money (一块荒地, 两块手机, 一块在海边盖了): it counts
///    only with money context, 块钱 or one of `moneyContext` earlier in the same clause.
public struct MoneyParser: Sendable {
    public init() {}

    static let numeral = "[0-9０-９][0-9０-９,，]*(?:\\.[0-9]+)?|[〇○零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億]+"
    static let regex = compileRule(
        "(人民币|人民幣|美元|港币|港元)?\\s*((?:" + numeral + ")(?:[十百千万亿]{0,2}))\\s*(余|多)?\\s*(万|亿)?\\s*(余|多)?\\s*(元(?![旦月素宵帅老首件朝代])|块|美元|港元|港币|欧元|日元)(整)?")

    /// Words that make a 块 amount money when they come earlier in the same clause.
    static let moneyContext = ["钱", "人民币", "现金", "价", "款", "费", "工资", "收入", "利润"]

    /// Totals (共计, 合计, 总计) count pieces as often as money ("玻璃损毁，共计32块"): they make
    /// a 块 amount money only when the sentence also speaks of money (元, 钱, 价, 款).
    static let totals = ["共计", "合计", "总计"]

    /// Common surnames: a short numeral right after one of them, then 元, is a given name
    /// (王四元). Measure words that are also surnames (张, 包, 位, 方, 项) count as names
    /// only when no 每 or number stands before them.
    static let surnames: Set<Unicode.Scalar> = Set(("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡贾丁魏薛叶阎"
        + "苏吕卢杜程姜崔谭范汪陆邱廖戴夏钟邹熊孟秦尹汤黎易武乔贺赖龚庞樊兰殷施陶洪翟颜倪严牛温芦季俞章鲁葛伍韦申尤毕"
        + "聂丛焦柳邢岳齐梅莫庄辛祝左涂谷祁舒耿牟卜詹苗凌费纪靳童欧甄裴卫屈鲍覃霍翁隋甘柏阮桂闵柴冉邵雷付傅史姚侯贾"
        + "骆孔毛郝邬蒙阎龙段万雷汪丘").unicodeScalars).subtracting(Set("万".unicodeScalars))

    /// The last characters of an amount: 元 and 块 (美元, 港元, 欧元 end in 元 too).
    static let anchors: [Unicode.Scalar] = ["元", "块", "币"]

    /// Every amount in `text`.
    public func parseAll(_ text: RuleText, in range: Range<Int>? = nil) -> [MoneyAmount] {
        guard let re = Self.regex else { return [] }
        let found = range == nil ? text.matches(re, near: Self.anchors, before: 40, after: 3) : text.matches(re, in: range)
        return found.compactMap { m in
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
            if prefix == nil {
                if unit == "块", !Self.hasMoneyContext(text, start: m.range.lowerBound, unitEnd: unitR.upperBound) { return nil }
                if unit == "元", Self.isGivenName(text, number: nr) { return nil }
            }
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

    /// 块钱, or a money word earlier in the clause (back to 。；， or a line break, at most 16 scalars).
    static func hasMoneyContext(_ text: RuleText, start: Int, unitEnd: Int) -> Bool {
        let s = text.scalars
        if unitEnd < s.count, s[unitEnd] == "钱" { return true }
        var lo = start
        while lo > 0, start - lo < 16, !["。", "；", ";", "\n", "，", ","].contains(s[lo - 1]) { lo -= 1 }
        let before = text.slice(lo..<start)
        if moneyContext.contains(where: { before.contains($0) }) { return true }
        guard totals.contains(where: { before.contains($0) }) else { return false }
        var so = start
        while so > 0, start - so < 80, s[so - 1] != "。", s[so - 1] != "\n" { so -= 1 }
        let sentence = text.slice(so..<start)
        return ["元", "钱", "价", "款"].contains { sentence.contains($0) }
    }

    /// True when the number before 元 is a name's last characters: one or two Chinese
    /// numeral characters right after a surname, which itself does not follow 每 or a numeral.
    static func isGivenName(_ text: RuleText, number: Range<Int>) -> Bool {
        let s = text.scalars
        guard number.count <= 2, number.lowerBound >= 1 else { return false }
        guard s[number].allSatisfy({ $0.value > 0x2E80 }) else { return false }
        let before = s[number.lowerBound - 1]
        guard surnames.contains(before) else { return false }
        if number.lowerBound >= 2 {
            let c = s[number.lowerBound - 2]
            if c == "每" || ChineseNumeral.isNumeralCharacter(Character(c)) || (0x30...0x39).contains(c.value) { return false }
        }
        return true
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
