import Foundation
import WenshuCore

/// One scored example as the report shows it: its text, what the gold says and what the
/// head predicted, each item written "LABEL" (classification) or "ROLE 文本 [start,end)"
/// (spans and arguments), and the number of items on one side only.
public struct ExampleResult: Codable, Sendable, Equatable {
    public var id: String
    /// The example's text, cut to `WorstExamples.maxText` scalars.
    public var text: String
    public var gold: [String]
    public var predicted: [String]
    /// Items in gold or prediction but not both.
    public var errors: Int

    public init(id: String, text: String, gold: [String], predicted: [String], errors: Int) {
        self.id = id; self.text = text; self.gold = gold; self.predicted = predicted; self.errors = errors
    }
}

/// Keeps the examples with the most errors (ties: the first seen), at most `limit`.
public struct WorstExamples: Sendable {
    public let limit: Int
    public private(set) var kept: [ExampleResult] = []
    /// Longest text kept per example.
    public static let maxText = 300

    public init(limit: Int = 20) { self.limit = limit }

    /// Adds a classification example (labels compared as sets).
    public mutating func add(_ e: LabelledExample, goldLabels: [String], predictedLabels: [String]) {
        let g = Set(goldLabels), p = Set(predictedLabels)
        add(e, gold: goldLabels.sorted(), predicted: predictedLabels.sorted(), errors: g.symmetricDifference(p).count)
    }

    /// Adds a span example (spans compared by label, start and end).
    public mutating func add(_ e: LabelledExample, goldSpans: [LabelledSpan], predictedSpans: [LabelledSpan]) {
        let scalars = Array(e.text.unicodeScalars)
        func show(_ s: LabelledSpan) -> String {
            let lo = max(0, min(s.start, scalars.count)), hi = max(lo, min(s.end, scalars.count))
            return "\(s.label) \(String(String.UnicodeScalarView(scalars[lo..<hi]))) [\(s.start),\(s.end))"
        }
        let order = { (a: LabelledSpan, b: LabelledSpan) in (a.start, a.end, a.label) < (b.start, b.end, b.label) }
        let g = Set(goldSpans), p = Set(predictedSpans)
        add(e, gold: g.sorted(by: order).map(show), predicted: p.sorted(by: order).map(show),
            errors: g.symmetricDifference(p).count)
    }

    mutating func add(_ e: LabelledExample, gold: [String], predicted: [String], errors: Int) {
        guard errors > 0 else { return }
        if kept.count >= limit, let last = kept.last, last.errors >= errors { return }
        let text = String(String.UnicodeScalarView(e.text.unicodeScalars.prefix(Self.maxText)))
        let r = ExampleResult(id: e.id, text: text, gold: gold, predicted: predicted, errors: errors)
        // Stable: after every kept example with as many errors or more.
        let at = kept.firstIndex { $0.errors < errors } ?? kept.count
        kept.insert(r, at: at)
        if kept.count > limit { kept.removeLast() }
    }
}
