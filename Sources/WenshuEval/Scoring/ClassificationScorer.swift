import Foundation
import WenshuCore

/// A confusion matrix for single-label tasks: `counts[i][j]` is the number of examples of
/// gold label `labels[i]` predicted as `labels[j]`.
public struct ConfusionMatrix: Codable, Sendable, Equatable {
    public var labels: [String]
    public var counts: [[Int]]
}

/// Scores for document classification.
public struct ClassificationScores: Codable, Sendable, Equatable {
    /// Examples scored.
    public var examples: Int
    /// Exact match: the predicted label set equals the gold set (single-label: the label is right).
    public var accuracy: Double
    /// F1 over (example, label) decisions summed over labels.
    public var microF1: Double
    /// Mean of the per-label F1 over labels seen in gold or predictions.
    public var macroF1: Double
    /// The CAIL2018 score (micro-F1 + macro-F1) / 2.
    public var cailScore: Double
    public var perLabel: [TypeScore]
    /// Present for single-label tasks with at most `ClassificationScorer.maxConfusionLabels` labels.
    public var confusion: ConfusionMatrix?
}

/// Document classification scoring for single- and multi-label tasks.
public struct ClassificationScorer: Sendable {
    /// Largest label set for which a confusion matrix is kept.
    public static let maxConfusionLabels = 20
    private var perLabel: [String: PRF] = [:]
    private var exact = 0
    private var n = 0
    private var singleLabel = true
    private var pairs: [String: [String: Int]] = [:]
    public init() {}

    /// Adds one example's gold and predicted labels (order does not matter).
    public mutating func add(gold: [String], predicted: [String]) {
        let g = Set(gold), p = Set(predicted)
        n += 1
        if g == p { exact += 1 }
        if g.count != 1 || p.count > 1 { singleLabel = false }
        if singleLabel, let gl = g.first {
            pairs[gl, default: [:]][p.first ?? "", default: 0] += 1
        }
        for l in g.union(p) {
            var s = perLabel[l, default: PRF()]
            if g.contains(l) && p.contains(l) { s.tp += 1 } else if p.contains(l) { s.fp += 1 } else { s.fn += 1 }
            perLabel[l] = s
        }
    }

    public var scores: ClassificationScores {
        let set = SetScores(perType: perLabel)
        var confusion: ConfusionMatrix?
        if singleLabel && perLabel.count <= Self.maxConfusionLabels && n > 0 {
            var labels = perLabel.keys.sorted()
            if pairs.values.contains(where: { $0[""] != nil }) { labels.append("") }
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
            var m = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
            for (g, row) in pairs { for (p, c) in row { m[index[g]!][index[p]!] += c } }
            confusion = ConfusionMatrix(labels: labels, counts: m)
        }
        return ClassificationScores(examples: n, accuracy: n == 0 ? 0 : Double(exact) / Double(n),
                                    microF1: set.micro.f1, macroF1: set.macroF1,
                                    cailScore: (set.micro.f1 + set.macroF1) / 2,
                                    perLabel: set.perType, confusion: confusion)
    }
}
