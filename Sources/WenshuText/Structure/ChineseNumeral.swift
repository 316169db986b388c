/// Parses numbers written with Chinese numerals, in everyday (一二三 十百千万亿, 两, 〇/零)
/// and financial (壹贰叁 拾佰仟) forms, mixed with Arabic digits as in "1.2万" or "3千".
/// Also reads digit-by-digit years: 二〇一九 -> 2019.
public enum ChineseNumeral {
    static let digits: [Character: Int] = [
        "〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0, "０": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
        "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6,
        "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
    ]
    static let smallUnits: [Character: Int] = ["十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000]
    static let bigUnits: [Character: Double] = ["万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8]

    /// Characters that can appear in a Chinese numeral.
    public static func isNumeralCharacter(_ c: Character) -> Bool {
        digits[c] != nil || smallUnits[c] != nil || bigUnits[c] != nil
    }

    /// The value of `text`, or nil when it is not a number. Accepts "三千五百", "十一万",
    /// "一万二千", "两千零五", "二〇一九" (digit by digit), "1.2万", "3,500", "5千".
    public static func parse(_ text: String) -> Double? {
        let chars = Array(text.filter { $0 != "," && $0 != "，" && $0 != " " })
        if chars.isEmpty { return nil }
        // Digit-by-digit form: only digits, no units (二〇一九, 一九).
        if chars.allSatisfy({ digits[$0] != nil }) {
            var v = 0.0
            for c in chars { v = v * 10 + Double(digits[c]!) }
            return v
        }
        var total = 0.0      // finished big-unit groups
        var section = 0.0    // the current group below 万
        var number = 0.0     // the digit (or Arabic number) waiting for a unit
        var hasNumber = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isASCII, c.isNumber || c == "." {
                var j = i
                while j < chars.count, chars[j].isASCII, chars[j].isNumber || chars[j] == "." { j += 1 }
                guard let v = Double(String(chars[i..<j])) else { return nil }
                number = v; hasNumber = true; i = j; continue
            }
            if let d = digits[c] {
                number = Double(d); hasNumber = true
            } else if let u = smallUnits[c] {
                section += (hasNumber ? number : 1) * Double(u)
                number = 0; hasNumber = false
            } else if let u = bigUnits[c] {
                section += number
                if section == 0 && total == 0 { return nil }
                // 一万亿: a bigger unit multiplies what came before it too.
                if u > 1e4, total > 0, total < u { total = (total + section) * u } else { total += section * u }
                section = 0; number = 0; hasNumber = false
            } else {
                return nil
            }
            i += 1
        }
        // "一万五" (= 15000) and "三千五" (= 3500): a trailing digit after a unit is one unit lower.
        if hasNumber, number < 10, i >= 2, number == number.rounded() {
            let prev = chars[chars.count - 2]
            if let u = smallUnits[prev], u >= 100 { return total + section + number * Double(u / 10) }
            if let u = bigUnits[prev], u == 1e4 { return total + section + number * 1000 }
        }
        return total + section + number
    }

    /// An integer value, when the text is a whole number.
    public static func parseInt(_ text: String) -> Int? {
        guard let v = parse(text), v == v.rounded(), v < 9e15 else { return nil }
        return Int(v)
    }
}
