import Foundation
import WenshuCore

/// A text prepared for rule matching: the string for NSRegularExpression (UTF-16 offsets)
/// and the maps to scalar offsets, so every match is reported in scalars.
public struct RuleText: Sendable {
    public let scalars: [Unicode.Scalar]
    let string: String
    private let utf16ToScalar: [Int]

    public init(_ text: ScalarText) {
        scalars = text.scalars
        string = makeString(text.scalars[...])
        utf16ToScalar = UTF16Text(text.scalars).scalarIndex
    }

    public init(_ string: String) { self.init(ScalarText(string)) }

    public var count: Int { scalars.count }

    /// The substring of a scalar range.
    public func slice(_ r: Range<Int>) -> String {
        let lo = max(0, min(r.lowerBound, scalars.count)), hi = max(lo, min(scalars.count, r.upperBound))
        return makeString(scalars[lo..<hi])
    }

    /// A regex match with its groups as scalar ranges (nil for groups that did not take part).
    public struct Match: Sendable {
        public var range: Range<Int>
        public var groups: [Range<Int>?]
    }

    func scalarRange(_ r: NSRange) -> Range<Int>? {
        if r.location == NSNotFound { return nil }
        return utf16ToScalar[r.location]..<utf16ToScalar[r.location + r.length]
    }

    /// All matches of `regex` in the scalar range `within` (default: everything).
    public func matches(_ regex: NSRegularExpression, in within: Range<Int>? = nil) -> [Match] {
        let ns = NSRange(location: 0, length: utf16ToScalar.count - 1)
        var search = ns
        if let w = within {
            // Scalar -> UTF-16 offsets: the first unit whose scalar index reaches the bound.
            let lo = lowerUnit(w.lowerBound), hi = lowerUnit(w.upperBound)
            search = NSRange(location: lo, length: max(0, hi - lo))
        }
        return regex.matches(in: string, options: [], range: search).compactMap { m in
            guard let r = scalarRange(m.range) else { return nil }
            var groups: [Range<Int>?] = []
            if m.numberOfRanges > 1 { for g in 1..<m.numberOfRanges { groups.append(scalarRange(m.range(at: g))) } }
            return Match(range: r, groups: groups)
        }
    }

    /// Matches of `regex` near the anchor characters only: the text around each anchor
    /// (`before` scalars before it, `after` after it, widened to whole runs of digits and
    /// numerals) is matched on its own, which is much cheaper than matching a long document
    /// when the anchors are rare. Matches are those whose range lies inside a window.
    public func matches(_ regex: NSRegularExpression, near anchors: [Unicode.Scalar], before: Int, after: Int) -> [Match] {
        var windows: [Range<Int>] = []
        for (i, c) in scalars.enumerated() where anchors.contains(c) {
            var lo = max(0, i - before)
            while lo > 0, lo > i - before - 40, Self.isNumberLike(scalars[lo - 1]) { lo -= 1 }
            let hi = min(scalars.count, i + 1 + after)
            if let last = windows.last, last.upperBound >= lo { windows[windows.count - 1] = last.lowerBound..<max(hi, last.upperBound) }
            else { windows.append(lo..<hi) }
        }
        var out: [Match] = []
        for w in windows {
            let sub = RuleText(ScalarText(scalars: Array(scalars[w])))
            for m in sub.matches(regex) {
                let shift = { (r: Range<Int>) in (r.lowerBound + w.lowerBound)..<(r.upperBound + w.lowerBound) }
                out.append(Match(range: shift(m.range), groups: m.groups.map { $0.map(shift) }))
            }
        }
        return out
    }

    static func isNumberLike(_ c: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(c.value) || (0xFF10...0xFF19).contains(c.value) || c == "," || c == "." || c == "，"
            || ChineseNumeral.isNumeralCharacter(Character(c))
    }

    /// The first UTF-16 unit of scalar `s` (binary search over the map).
    private func lowerUnit(_ s: Int) -> Int {
        var lo = 0, hi = utf16ToScalar.count - 1
        let target = max(0, min(s, scalars.count))
        while lo < hi {
            let mid = (lo + hi) / 2
            if utf16ToScalar[mid] < target { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The first offset at or after `from` where any of `needles` starts, or nil: one pass
    /// over the text, the needles grouped by their first scalar.
    public func findFirst(_ needles: MarkerSet, from: Int = 0, to: Int? = nil) -> Int? {
        scalars.withUnsafeBufferPointer { s in
            var i = max(0, from)
            let end = min(to ?? s.count, s.count)
            while i < end {
                let v = s[i].value
                if v < 0x10000, needles.firstMask[Int(v)] == 0 { i += 1; continue }
                if let candidates = needles.byFirst[s[i]] {
                    for n in candidates where i + n.count <= end {
                        var k = 1
                        while k < n.count, s[i + k] == n[k] { k += 1 }
                        if k == n.count { return i }
                    }
                }
                i += 1
            }
            return nil
        }
    }

    /// The first scalar offset of `needle` at or after `from` (before `to`), or nil.
    public func find(_ needle: String, from: Int = 0, to: Int? = nil) -> Int? {
        let n = Array(needle.unicodeScalars)
        guard !n.isEmpty else { return nil }
        let end = min(to ?? scalars.count, scalars.count)
        var i = max(0, from)
        while i + n.count <= end {
            if scalars[i] == n[0] {
                var k = 1
                while k < n.count, scalars[i + k] == n[k] { k += 1 }
                if k == n.count { return i }
            }
            i += 1
        }
        return nil
    }
}

/// A String from scalars through UTF-8 (the fast path of String's initializers).
func makeString(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
    var bytes = [UInt8]()
    bytes.reserveCapacity(scalars.count * 3)
    for s in scalars { UTF8.encode(s) { bytes.append($0) } }
    return String(decoding: bytes, as: UTF8.self)
}

/// Phrases to look for together (section markers), grouped by first scalar.
public struct MarkerSet: Sendable {
    let byFirst: [Unicode.Scalar: [[Unicode.Scalar]]]
    /// 1 for BMP scalars that start a phrase: a quick rejection before the dictionary.
    let firstMask: [UInt8]
    public init(_ phrases: [String]) {
        var d: [Unicode.Scalar: [[Unicode.Scalar]]] = [:]
        var mask = [UInt8](repeating: 0, count: 0x10000)
        for p in phrases {
            let a = Array(p.unicodeScalars)
            guard let f = a.first else { continue }
            d[f, default: []].append(a)
            if f.value < 0x10000 { mask[Int(f.value)] = 1 }
        }
        byFirst = d
        firstMask = mask
    }
}

/// Compiles a rule's pattern into a pool of matchers; patterns are constants of this
/// module, so a failure is a bug caught by the tests, reported as no matches, not a crash.
func compileRule(_ pattern: String) -> RegexPool? {
    RegexPool(pattern)
}
