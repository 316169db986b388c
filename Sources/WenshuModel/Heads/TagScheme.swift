import Foundation

/// Span encoding for the CRF tagger. BIO: O, B-x, I-x. BIOES adds E-x (end) and S-x (single).
public enum TagScheme: String, Codable, Sendable {
    case bio, bioes

    /// Tags per label.
    var perLabel: Int { self == .bio ? 2 : 4 }
    /// Number of tags for `labels` labels (O included).
    public func tagCount(labels: Int) -> Int { 1 + perLabel * labels }

    /// Tag names ("O", "B-NHCS", ...).
    public func tagNames(_ labels: [String]) -> [String] {
        var n = ["O"]
        for l in labels { n += (self == .bio ? ["B-", "I-"] : ["B-", "I-", "E-", "S-"]).map { $0 + l } }
        return n
    }

    /// (label, position) of a tag: position 0 B, 1 I, 2 E, 3 S; nil for O.
    @inline(__always) func split(_ tag: Int) -> (label: Int, pos: Int)? {
        tag == 0 ? nil : ((tag - 1) / perLabel, (tag - 1) % perLabel)
    }

    /// Tags for spans (label index, start, end) over `length` characters. Overlapping or
    /// out-of-range spans are dropped (earlier, then longer spans win).
    public func encode(_ spans: [(label: Int, start: Int, end: Int)], length: Int) -> [Int] {
        var tags = [Int](repeating: 0, count: length)
        var used = [Bool](repeating: false, count: length)
        let sorted = spans.sorted { ($0.start, -$0.end) < ($1.start, -$1.end) }
        for s in sorted where s.start >= 0 && s.end <= length && s.start < s.end {
            if (s.start..<s.end).contains(where: { used[$0] }) { continue }
            let base = 1 + perLabel * s.label
            for i in s.start..<s.end {
                used[i] = true
                if self == .bio { tags[i] = i == s.start ? base : base + 1 }
                else if s.end - s.start == 1 { tags[i] = base + 3 }
                else { tags[i] = i == s.start ? base : (i == s.end - 1 ? base + 2 : base + 1) }
            }
        }
        return tags
    }

    /// Spans from a tag sequence (tolerant: an I without B starts a span).
    public func decode(_ tags: [Int]) -> [(label: Int, start: Int, end: Int)] {
        var out: [(label: Int, start: Int, end: Int)] = []
        var cur: (label: Int, start: Int)? = nil
        func close(_ end: Int) { if let c = cur { out.append((c.label, c.start, end)); cur = nil } }
        for (i, t) in tags.enumerated() {
            guard let (l, p) = split(t) else { close(i); continue }
            switch p {
            case 0: close(i); cur = (l, i)
            case 1: if cur?.label != l { close(i); cur = (l, i) }
            case 2: if cur?.label != l { close(i); cur = (l, i) }; close(i + 1)
            default: close(i); out.append((l, i, i + 1))
            }
        }
        close(tags.count)
        return out
    }

    /// Whether tag `b` may follow tag `a`.
    public func allowed(_ a: Int, _ b: Int) -> Bool {
        let sa = split(a), sb = split(b)
        switch self {
        case .bio:
            guard let tb = sb, tb.pos == 1 else { return true }
            guard let ta = sa else { return false }
            return ta.label == tb.label
        case .bioes:
            let aOpen = sa.map { $0.pos == 0 || $0.pos == 1 } ?? false
            let bCont = sb.map { $0.pos == 1 || $0.pos == 2 } ?? false
            if aOpen { return bCont && sa!.label == sb!.label }
            return !bCont
        }
    }

    /// Whether a sequence may start with `t`.
    public func allowedStart(_ t: Int) -> Bool { split(t).map { $0.pos == 0 || $0.pos == 3 } ?? true }
    /// Whether a sequence may end with `t`.
    public func allowedEnd(_ t: Int) -> Bool { self == .bio ? true : (split(t).map { $0.pos == 2 || $0.pos == 3 } ?? true) }
}
