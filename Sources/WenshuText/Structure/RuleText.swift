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
        string = text.string
        utf16ToScalar = UTF16Text(text.scalars).scalarIndex
    }

    public init(_ string: String) { self.init(ScalarText(string)) }

    public var count: Int { scalars.count }

    /// The substring of a scalar range.
    public func slice(_ r: Range<Int>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars[max(0, r.lowerBound)..<min(scalars.count, r.upperBound)])
        return String(v)
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

/// Compiles a rule's pattern; patterns are constants of this module, so a failure is a bug
/// caught by the tests, reported as an error rather than a crash.
func compileRule(_ pattern: String) -> NSRegularExpression? {
    try? NSRegularExpression(pattern: pattern, options: [])
}
