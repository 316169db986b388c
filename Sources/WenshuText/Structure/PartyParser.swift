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
        "原审原告", "原审被告", "原审第三人", "原公诉机关", "再审申请人", "被申请人", "申请执行人", "被执行人", "申请人",
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
            let name = text.slice(a..<b)
            // A clause, not a name: the role word began a sentence of the narrative.
            if name.contains("犯") && name.count > 6 || name.hasPrefix("的") || name.hasPrefix("于") { break }
            out.append(Party(role: role, name: name, start: a, end: b))
            guard b < limit, s[b] == "、" else { break }
            a = b + 1
        }
        return out
    }
}
