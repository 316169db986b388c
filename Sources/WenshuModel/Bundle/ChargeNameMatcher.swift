import WenshuCore

/// Maps a charge as a judgment names it (盗窃, 贩卖毒品, 非法持有枪支) to a classifier's label.
///
/// An exact label wins. Otherwise the name may be one choice out of a selective charge, whose
/// statutory name lists its alternatives with 、 (走私、贩卖、运输、制造毒品; 非法持有、私藏枪支、
/// 弹药; 窝藏、包庇): every 、-part of the name must be a whole part of the label, or the start
/// of a part (two characters or more) followed by the tail of a later part (贩卖 + 毒品 of 制造毒品;
/// 非法持有 + 枪支 of 私藏枪支; 储存 of 储存枪支 + 爆炸物), or such a tail alone, the parts in the
/// label's order. The shortest such label wins. Names that
/// fit no label give nil (the head's own prediction stands).
public struct ChargeNameMatcher: Sendable {
    /// The labels it was made for.
    public let labels: [String]
    let exact: Set<String>
    /// Selective labels (with 、) split into parts, shortest label first.
    let selective: [(label: String, parts: [[Unicode.Scalar]])]

    /// A matcher for a head's labels.
    public init(labels: [String]) {
        self.labels = labels
        exact = Set(labels)
        selective = labels.filter { $0.contains("、") }
            .sorted { ($0.unicodeScalars.count, $0) < ($1.unicodeScalars.count, $1) }
            .map { ($0, $0.split(separator: "、").map { Array($0.unicodeScalars) }) }
    }

    /// The label for `name`, or nil.
    public func label(for name: String) -> String? {
        if exact.contains(name) { return name }
        let wanted = name.split(separator: "、").map { Array($0.unicodeScalars) }
        guard !wanted.isEmpty else { return nil }
        return selective.first { Self.fits(wanted, $0.parts) }?.label
    }

    /// Whether the name's parts `n` fit the label's parts `l` in order (see the type's comment).
    static func fits(_ n: [[Unicode.Scalar]], _ l: [[Unicode.Scalar]]) -> Bool {
        // next: the first label part the next name part may use.
        func place(_ i: Int, from next: Int) -> Bool {
            if i == n.count { return true }
            let part = n[i]
            for a in next..<l.count {
                // A whole part.
                if part == l[a], place(i + 1, from: a + 1) { return true }
                // A part (or its first two or more characters, a verb: 储存 of 储存枪支) and the
                // tail of a later part (毒品 of 制造毒品, or all of 爆炸物).
                for cut in stride(from: min(l[a].count, part.count - 1), through: 2, by: -1) where Array(part.prefix(cut)) == Array(l[a].prefix(cut)) {
                    let tail = Array(part.dropFirst(cut))
                    for b in (a + 1)..<max(a + 1, l.count) where l[b].count >= tail.count && Array(l[b].suffix(tail.count)) == tail {
                        if place(i + 1, from: b + 1) { return true }
                    }
                }
                // The tail of a part (a later object: 有害食品 after 生产有毒).
                if i > 0, part.count >= 2, l[a].count > part.count, Array(l[a].suffix(part.count)) == part, place(i + 1, from: a + 1) {
                    return true
                }
            }
            return false
        }
        return place(0, from: 0)
    }
}
