import Foundation

/// Options for applying a bundle: which heads run, and their thresholds.
public struct AnnotatorOptions: Codable, Sendable, Equatable {
    /// Heads to run by name; nil runs all.
    public var heads: [String]?
    /// Per-head threshold overrides (multi-label classifiers, span scores).
    public var thresholds: [String: Double]
    public init(heads: [String]? = nil, thresholds: [String: Double] = [:]) { self.heads = heads; self.thresholds = thresholds }
}
