import Foundation

/// Maps offsets of a normalized text back to the text it came from (the extracted text).
///
/// For each scalar `i` of the normalized text it keeps the source range it came from,
/// `sourceStart[i] ..< sourceEnd[i]`. A normalized range maps to the union of its
/// scalars' source ranges; characters the normalizer deleted are absorbed by their
/// neighbours. In the spirit of the `NormalizedString` of Hugging Face tokenizers.
public struct Alignment: Sendable, Equatable {
    public private(set) var sourceStart: [Int]
    public private(set) var sourceEnd: [Int]
    /// The length of the source text, in scalars.
    public let sourceLength: Int

    /// The identity alignment of a text of `length` scalars.
    public static func identity(length: Int) -> Alignment {
        Alignment(sourceStart: Array(0..<length), sourceEnd: Array(1..<(length + 1)), sourceLength: length)
    }

    public init(sourceStart: [Int], sourceEnd: [Int], sourceLength: Int) {
        self.sourceStart = sourceStart; self.sourceEnd = sourceEnd; self.sourceLength = sourceLength
    }

    /// Number of normalized scalars.
    public var count: Int { sourceStart.count }

    /// The source range for a normalized range (clamped). An empty range maps to an
    /// empty range at the corresponding source position.
    public func sourceRange(_ range: Range<Int>) -> Range<Int> {
        let n = count
        let lo = max(0, min(range.lowerBound, n))
        let hi = max(lo, min(range.upperBound, n))
        if lo == hi {
            let p = lo < n ? sourceStart[lo] : sourceLength
            return p..<p
        }
        var s = sourceStart[lo], e = sourceEnd[hi - 1]
        // Non-monotonic maps (reordering) are possible in theory; take the hull.
        if e < s { swap(&s, &e) }
        return s..<e
    }

    /// Composes two alignments: `self` maps B -> A, `next` maps C -> B; the result maps C -> A.
    public func composed(with next: Alignment) -> Alignment {
        var starts = [Int](), ends = [Int]()
        starts.reserveCapacity(next.count); ends.reserveCapacity(next.count)
        for i in 0..<next.count {
            let r = sourceRange(next.sourceStart[i]..<next.sourceEnd[i])
            starts.append(r.lowerBound); ends.append(r.upperBound)
        }
        return Alignment(sourceStart: starts, sourceEnd: ends, sourceLength: sourceLength)
    }
}

/// A normalized text and its alignment back to the extracted text.
public struct NormalizedText: Sendable, Equatable {
    public let text: ScalarText
    public let alignment: Alignment
    /// The text it was normalized from (the extracted text).
    public let source: ScalarText

    public init(text: ScalarText, alignment: Alignment, source: ScalarText) {
        self.text = text; self.alignment = alignment; self.source = source
    }

    /// Unchanged text with the identity alignment.
    public init(unchanged string: String) {
        let t = ScalarText(string)
        self.init(text: t, alignment: .identity(length: t.count), source: t)
    }

    public var string: String { text.string }

    /// A span of the extracted text for a normalized range: offsets and text from the source.
    public func sourceSpan(_ normalizedRange: Range<Int>) -> Span {
        source.span(alignment.sourceRange(normalizedRange))
    }
}
