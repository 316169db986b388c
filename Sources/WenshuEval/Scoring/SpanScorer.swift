import Foundation
import WenshuCore

/// Exact-match span scoring: a predicted span counts when its label, start and end all
/// equal a gold span's in the same example. Micro P/R/F1 over all spans, macro F1 as the
/// mean of per-label F1.
public struct SpanScorer: Sendable {
    private var perType: [String: PRF] = [:]
    public init() {}

    /// Adds one example's gold and predicted spans.
    public mutating func add(gold: [LabelledSpan], predicted: [LabelledSpan]) {
        let labels = Set(gold.map(\.label)).union(predicted.map(\.label))
        for l in labels {
            let g = gold.filter { $0.label == l }.map { [$0.start, $0.end] }
            let p = predicted.filter { $0.label == l }.map { [$0.start, $0.end] }
            perType[l, default: PRF()] = perType[l, default: PRF()] + PRF.compare(gold: Array(Set(g)), predicted: Array(Set(p)))
        }
    }

    /// The scores so far.
    public var scores: SetScores { SetScores(perType: perType) }
}
