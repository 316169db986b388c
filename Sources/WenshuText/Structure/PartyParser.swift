import Foundation
import WenshuCore

/// Finds the parties and their roles in the party block of a judgment: each sentence or line
/// that starts with a role (被告人, 上诉人（原审被告人）, 委托诉讼代理人：, ...) names one
/// party, or several separated by 、 (辩护人郭涛、周小琴，…). The role kept is the first one
/// written (上诉人 for 上诉人（原审被告人）).
public struct PartyParser: Sendable {
    public init() {}

    /// Roles, longest first.
    public static let roles: [String] = [
        "附带民事诉讼原告人", "附带民事诉讼被告人", "原审附带民事诉讼原告人", "附带民事诉讼代理人", "委托诉讼代理人", "原审被告人",
        "原审原告", "原审被告", "原审第三人", "被告单位", "原公诉机关", "再审申请人", "被申请人", "申请执行人", "被执行人", "申请人",
        "被上诉人", "上诉人", "公诉机关", "抗诉机关", "被告人", "原告人", "原告", "被告", "第三人", "辩护人", "委托代理人",
        "诉讼代理人", "法定代理人", "法定代表人", "指定代理人", "诉讼代表人", "自诉人", "被害人", "罪犯", "异议人", "案外人",
        "负责人", "公诉人",
    ].sorted { $0.count > $1.count }

    /// The roles with their scalars, built once: `roleAt` runs at every position of the party block.
    static let roleScalars: [(String, [Unicode.Scalar])] = roles.map { ($0, Array($0.unicodeScalars)) }

    static let nameStops: Set<Unicode.Scalar> = ["，", ",", "。", "；", ";", "（", "(", "：", ":", "\n", "、", " ", "“", "《"]

    /// Parties in `range` of `text`; offsets are `text`'s scalars.
    public func parse(_ text: RuleText, in range: Range<Int>) -> [Party] {
        var parties: [Party] = []
        let s = text.scalars
        var i = range.lowerBound
        while i < range.upperBound {
            // Sentence starts: the range start, after 。 or a newline.
            let atStart = i == range.lowerBound || s[i - 1] == "。" || s[i - 1] == "\n" || s[i - 1] == "；"
                || (i - 1 == range.lowerBound && (s[i - 1] == "：" || s[i - 1] == ":"))
                || parties.last?.end == i  // a name cut short by the next role
            if atStart, let (role, after) = roleAt(text, i, limit: range.upperBound) {
                parties += names(text, from: after, limit: range.upperBound, role: role)
            } else if i > range.lowerBound, s[i - 1] == "，" || s[i - 1] == ",",
                      let (role, after) = roleAt(text, i, limit: range.upperBound),
                      introducesParty(text, roleEnd: i + role.unicodeScalars.count, nameStart: after, limit: range.upperBound) {
                // "原告：曾某1，男，…，被告：黄某1，女，…": a party after a comma, when the role
                // has a colon or the name is followed by a description (，男 ，女 ，住 ，汉族).
                parties += names(text, from: after, limit: range.upperBound, role: role)
            }
            i += 1
        }
        return parties
    }

    /// The role starting at `i` and where its name begins (after a bracketed former role and a colon).
    func roleAt(_ text: RuleText, _ i: Int, limit: Int) -> (String, Int)? {
        let s = text.scalars
        for (role, r) in Self.roleScalars {
            guard i + r.count <= limit, s[i..<(i + r.count)].elementsEqual(r) else { continue }
            var k = i + r.count
            if k < limit, s[k] == "（" || s[k] == "(" {
                var j = k + 1
                while j < limit, j - k < 30, s[j] != "）" && s[j] != ")" { j += 1 }
                if j < limit, j - k < 30 { k = j + 1 }
            }
            if k < limit, s[k] == "：" || s[k] == ":" { k += 1 }
            return (role, k)
        }
        return nil
    }

    func introducesParty(_ text: RuleText, roleEnd: Int, nameStart: Int, limit: Int) -> Bool {
        let s = text.scalars
        if nameStart > roleEnd, s[nameStart - 1] == "：" || s[nameStart - 1] == ":" { return true }
        var b = nameStart
        while b < limit, !Self.nameStops.contains(s[b]), b - nameStart <= 20 { b += 1 }
        guard b > nameStart, b + 2 < limit, s[b] == "，" || s[b] == "," else { return false }
        let next = text.slice((b + 1)..<min(limit, b + 3))
        return next.hasPrefix("男") || next.hasPrefix("女") || next.hasPrefix("住") || next == "汉族"
    }

    /// Words that start the clause after a name ("曹雨阳以被告人…", "张三盗窃…", "楼某1辩称"):
    /// two or more characters, cut wherever they stand after the name's first two characters.
    static let clauseWords: [[Unicode.Scalar]] = [
        "辩称", "诉称", "述称", "陈述", "基于", "盗窃", "抢劫", "抢夺", "诈骗", "涉嫌", "伙同", "拒不", "不服", "认为", "提出", "明知",
        "因犯", "供述", "如实", "自愿", "到案", "归案", "具有", "不具", "主动", "当庭", "驾驶", "采用", "利用", "窃取", "未经",
        "没有", "并未", "已经", "曾因", "对其", "将其", "与其", "向本", "向法", "向原", "向被", "于20", "于19", "于一", "于二",
        "在其", "在家", "称其", "系其", "为其", "的行为", "犯罪", "故意", "非法", "持刀", "购买", "贩卖", "运输", "容留", "借款",
        "向其", "认罪", "归还", "偿还", "出具", "签订", "起诉", "诉至", "上诉", "提起", "申请", "请求", "要求", "同意", "承认",
    ].map { Array($0.unicodeScalars) }

    /// Single characters that start a clause: cut only when the text before the stop runs
    /// past a name's usual four characters (a 3-character name may end in 为 or 经).
    static let clauseCharacters: Set<Unicode.Scalar> = Set("以犯虽因于在对向系是将与的等为称经已曾持趁被把从和及同均也还又就仍并未所到即则却但亦遂便应欠借给收".unicodeScalars)

    /// Endings of organisations' names, which may run long and hold any character.
    static let organisationEndings = ["公司", "院", "局", "厂", "店", "社", "所", "中心", "银行", "支行", "分行", "委员会", "部", "队",
                                      "处", "场", "会", "校", "学", "馆", "站", "团", "组", "村", "室", "厅", "署", "办", "行",
                                      "集团", "合作社", "政府", "机关", "协会", "基金", "企业", "工作室", "医院", "大学"]

    /// Organisation names that a clause follows ("汇聚公司通过…", "…人民检察院指控"): the name
    /// is cut after the first of these.
    static let organisationCuts = ["有限公司", "公司", "人民检察院", "检察院", "人民法院", "银行", "委员会", "集团"]

    /// Roles held only by an organisation: their name must name a procuratorate.
    static let procuratorRoles: Set<String> = ["公诉机关", "原公诉机关", "抗诉机关"]

    /// What starts a clause rather than a name: "公诉机关为证实其指控…", "辩护人对…", "还向法庭…".
    static let clauseStarts: Set<Unicode.Scalar> = Set("为对就以还在将由从把被与和及系是的等均也又并已所即则却但亦遂便".unicodeScalars)
    static let clauseStartWords = ["提供", "提交", "指派", "当庭", "认定", "指控", "出示", "证人", "现场", "勘验", "单位", "精神", "被扶养",
                                   "向法庭", "向本院", "列举", "宣读", "上述", "以上", "通过", "根据", "依照", "认为", "辩称", "诉称",
                                   "归案", "供述", "家属", "如实", "到案", "自愿", "请求", "辩解", "犯罪", "作案"]

    /// Compound surnames, for anonymised names such as 欧阳某某.
    static let compoundSurnames: Set<String> = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯",
                                                "端木", "长孙", "宇文", "司徒", "申屠", "轩辕", "澹台", "呼延"]

    /// Where the name starting at `a` ends within `a..<b` (the text up to the next stop), and
    /// whether it was cut short of `b` by a clause.
    func nameEnd(_ text: RuleText, _ a: Int, _ b: Int) -> (end: Int, cut: Bool) {
        let s = text.scalars
        // Anonymised: surname + 某 (某某, 某1, 某甲; CAIL2018's 陈1某) ends the name.
        var k: Int? = nil
        if b - a >= 2, s[a + 1] == "某" { k = a + 1 }
        else if b - a >= 3, (0x30...0x39).contains(s[a + 1].value), s[a + 2] == "某" { k = a + 2 }
        else if b - a >= 3, s[a + 2] == "某", Self.compoundSurnames.contains(text.slice(a..<(a + 2))) { k = a + 2 }
        if var e = k {
            while e < b, s[e] == "某" || "甲乙丙丁戊己庚辛×xX".unicodeScalars.contains(s[e]) || (0x30...0x39).contains(s[e].value) { e += 1 }
            return (e, e < b)
        }
        // A clause word right after a 2-4 character name ("李会民辩称", "石小改当庭").
        var i = a + 2
        while i < b, i <= a + 4 {
            for w in Self.clauseWords where i + w.count <= b && s[i..<(i + w.count)].elementsEqual(w) { return (i, true) }
            i += 1
        }
        let whole = text.slice(a..<b)
        if Self.organisationEndings.contains(where: whole.hasSuffix) && b - a > 3 { return (b, false) }
        if b - a > 6 {
            // "汇聚公司通过向一舟公司提供…": an organisation followed by its clause.
            var best: Int? = nil
            for cut in Self.organisationCuts {
                if let r = whole.range(of: cut) {
                    let e = a + whole.unicodeScalars.distance(from: whole.unicodeScalars.startIndex, to: r.upperBound)
                    if e - a >= 4, e < b, best.map({ e < $0 }) ?? true { best = e }
                }
            }
            if let e = best { return (e, true) }
        }
        // A clause character after the name, when the text runs past a name's length.
        i = a + 2
        while i < b, i <= a + 4 {
            if b - a > 4, Self.clauseCharacters.contains(s[i]) { return (i, true) }
            i += 1
        }
        return (b, false)
    }

    /// 于 followed by a digit, a numeral or 本/同/案/当 starts a time phrase, not a name.
    static func startsWithDate(_ name: String) -> Bool {
        let u = Array(name.unicodeScalars)
        guard u.first == "于" else { return false }
        guard u.count > 1 else { return true }
        return (0x30...0x39).contains(u[1].value) || ChineseNumeral.isNumeralCharacter(Character(u[1])) || "本同案当次".unicodeScalars.contains(u[1])
    }

    func names(_ text: RuleText, from start: Int, limit: Int, role: String) -> [Party] {
        let s = text.scalars
        var out: [Party] = []
        var a = start
        // "被告人自报任德军": the name as the defendant gave it.
        if a + 2 < limit, (s[a] == "自" && (s[a + 1] == "报" || s[a + 1] == "称")) { a += 2 }
        while a < limit {
            var b = a
            while b < limit, !Self.nameStops.contains(s[b]), b - a <= 40 {
                // "原告：胡创国被告：杜栋杰": the next role with its colon ends the name.
                if b > a, let (_, after) = roleAt(text, b, limit: limit), after > b, s[after - 1] == "：" || s[after - 1] == ":" { break }
                b += 1
            }
            if b - a > 40 || b == a { break }
            let (end, cut) = nameEnd(text, a, b)
            let name = text.slice(a..<end)
            // A clause, not a name: the role word began a sentence of the narrative.
            // "被告人于2018年…" is a date, "被告人于红杰" a name.
            if name.contains("犯") && name.count > 6 || name.hasPrefix("的") || Self.startsWithDate(name) { break }
            // A role word is not a name (a table header "原告 被告" read as role and name).
            if Self.roles.contains(where: name.hasPrefix) { break }
            // The role began a sentence of the narrative: "公诉机关为证实其指控…".
            if let f = name.unicodeScalars.first, Self.clauseStarts.contains(f) || Self.clauseStartWords.contains(where: name.hasPrefix) { break }
            if Self.procuratorRoles.contains(role), !name.hasSuffix("检察院") { break }
            out.append(Party(role: role, name: name, start: a, end: end))
            guard !cut, b < limit, s[b] == "、" else { break }
            a = b + 1
        }
        return out
    }
}
