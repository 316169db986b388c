import Foundation

/// Counts of true positives, false positives and false negatives, with precision,
/// recall and F1 derived from them (0 where the denominator is 0).
public struct PRF: Codable, Sendable, Equatable {
    public var tp: Int
    public var fp: Int
    public var fn: Int
    public init(tp: Int = 0, fp: Int = 0, fn: Int = 0) { self.tp = tp; self.fp = fp; self.fn = fn }

    public var precision: Double { tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp) }
    public var recall: Double { tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn) }
    public var f1: Double { 2 * tp + fp + fn == 0 ? 0 : 2 * Double(tp) / Double(2 * tp + fp + fn) }
    /// Number of gold items.
    public var support: Int { tp + fn }

    public static func + (a: PRF, b: PRF) -> PRF { PRF(tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn) }

    /// Multiset comparison of gold and predicted items.
    public static func compare<T: Hashable>(gold: [T], predicted: [T]) -> PRF {
        var g: [T: Int] = [:]
        for x in gold { g[x, default: 0] += 1 }
        var r = PRF()
        for x in predicted {
            if let c = g[x], c > 0 { r.tp += 1; g[x] = c - 1 } else { r.fp += 1 }
        }
        r.fn = g.values.reduce(0, +)
        return r
    }

    enum CodingKeys: String, CodingKey { case tp, fp, fn, precision, recall, f1, support }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tp = try c.decode(Int.self, forKey: .tp); fp = try c.decode(Int.self, forKey: .fp); fn = try c.decode(Int.self, forKey: .fn)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tp, forKey: .tp); try c.encode(fp, forKey: .fp); try c.encode(fn, forKey: .fn)
        try c.encode(precision, forKey: .precision); try c.encode(recall, forKey: .recall)
        try c.encode(f1, forKey: .f1); try c.encode(support, forKey: .support)
    }
}

/// Scores of one type or label.
public struct TypeScore: Codable, Sendable, Equatable {
    public var name: String
    public var score: PRF
    public init(name: String, score: PRF) { self.name = name; self.score = score }
}

/// Micro and macro scores with the per-type breakdown (types sorted by name).
public struct SetScores: Codable, Sendable, Equatable {
    /// Counts summed over all types.
    public var micro: PRF
    /// Mean of the per-type F1 over every type seen in gold or predictions.
    public var macroF1: Double
    /// Mean per-type precision and recall.
    public var macroPrecision: Double
    public var macroRecall: Double
    public var perType: [TypeScore]

    public init(perType: [String: PRF]) {
        let names = perType.keys.sorted()
        self.perType = names.map { TypeScore(name: $0, score: perType[$0]!) }
        micro = self.perType.reduce(PRF()) { $0 + $1.score }
        let n = Double(max(names.count, 1))
        macroF1 = self.perType.reduce(0) { $0 + $1.score.f1 } / n
        macroPrecision = self.perType.reduce(0) { $0 + $1.score.precision } / n
        macroRecall = self.perType.reduce(0) { $0 + $1.score.recall } / n
    }
}
