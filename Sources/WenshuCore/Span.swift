import Foundation

/// A range of text with its content: offsets count Unicode scalars, end exclusive.
public struct Span: Codable, Sendable, Hashable {
    public var text: String
    public var start: Int
    public var end: Int
    public init(text: String, start: Int, end: Int) { self.text = text; self.start = start; self.end = end }
    public var range: Range<Int> { start..<end }
}

/// Text held as an array of Unicode scalars, for O(1) offset slicing.
public struct ScalarText: Sendable, Equatable {
    public let scalars: [Unicode.Scalar]
    public init(_ string: String) { scalars = Array(string.unicodeScalars) }
    public init(scalars: [Unicode.Scalar]) { self.scalars = scalars }
    public var count: Int { scalars.count }
    /// The substring for a scalar range, clamped to the text.
    public func slice(_ range: Range<Int>) -> String {
        let lo = max(0, min(range.lowerBound, scalars.count))
        let hi = max(lo, min(range.upperBound, scalars.count))
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[lo..<hi])
        return String(s)
    }
    public func span(_ range: Range<Int>) -> Span { Span(text: slice(range), start: range.lowerBound, end: range.upperBound) }
    public var string: String { slice(0..<scalars.count) }
}
