import Foundation
import WenshuCore

/// Options for applying a bundle: which heads run, their thresholds and minimum scores,
/// and the gates that decide per document whether a head runs.
public struct AnnotatorOptions: Codable, Sendable, Equatable {
    /// Heads to run by name; nil runs all.
    public var heads: [String]?
    /// Per-head threshold overrides (multi-label classifiers, span scores).
    public var thresholds: [String: Double]
    /// Per-head minimum scores: a classifier drops labels below it (and may then give no
    /// label); an event head drops events scored below it.
    public var minScores: [String: Double]
    /// Per-head gates.
    public var gates: [String: HeadGate]
    /// Per classifier head, where labels the document names in its own words come from
    /// (`namedLabelSources`: "charges", the judgment's named charges). Where the document
    /// names some of the head's labels, those are its output, with score 1 and their
    /// `evidence`, instead of its predictions; elsewhere the head predicts as usual.
    public var namedLabels: [String: String]

    /// The sources `namedLabels` may name ("none" turns a bundle's default off).
    public static let namedLabelSources = ["charges", "none"]

    public init(heads: [String]? = nil, thresholds: [String: Double] = [:], minScores: [String: Double] = [:],
                gates: [String: HeadGate] = [:], namedLabels: [String: String] = [:]) {
        self.heads = heads; self.thresholds = thresholds; self.minScores = minScores; self.gates = gates
        self.namedLabels = namedLabels
    }

    enum CodingKeys: String, CodingKey { case heads, thresholds, minScores = "min_scores", gates, namedLabels = "named_labels" }

    /// Reads options; every key may be absent (a bundle's `decisions` in manifest.json).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        heads = try c.decodeIfPresent([String].self, forKey: .heads)
        thresholds = try c.decodeIfPresent([String: Double].self, forKey: .thresholds) ?? [:]
        minScores = try c.decodeIfPresent([String: Double].self, forKey: .minScores) ?? [:]
        gates = try c.decodeIfPresent([String: HeadGate].self, forKey: .gates) ?? [:]
        namedLabels = try c.decodeIfPresent([String: String].self, forKey: .namedLabels) ?? [:]
    }

    /// These options over a bundle's defaults: each threshold, minimum score, gate and named-label
    /// source given here replaces the default of its head; defaults for other heads stay. A gate
    /// with no condition (`{}`) and the source "none" switch a default off. Default gates that
    /// read a head that does not run here are dropped (`--heads theft` alone runs ungated).
    public func merged(over defaults: AnnotatorOptions?) -> AnnotatorOptions {
        var out = self
        if let d = defaults {
            out.thresholds = d.thresholds.merging(thresholds) { _, mine in mine }
            out.minScores = d.minScores.merging(minScores) { _, mine in mine }
            let running = heads.map(Set.init)
            var gates = d.gates.filter { h, g in
                guard let running else { return true }
                return running.contains(h) && (g.head.map { running.contains($0) } ?? true)
            }
            gates.merge(self.gates) { _, mine in mine }
            out.gates = gates
            out.namedLabels = d.namedLabels.merging(namedLabels) { _, mine in mine }
        }
        out.gates = out.gates.filter { $0.value.head != nil || $0.value.caseType != nil }
        out.namedLabels = out.namedLabels.filter { $0.value != "none" }
        return out
    }

    /// These options without the settings that name a head outside `names` (a bundle's default
    /// decisions after a head was removed), gates reading such a head included.
    public func restricted(to names: Set<String>) -> AnnotatorOptions {
        var kept = self
        kept.thresholds = thresholds.filter { names.contains($0.key) }
        kept.minScores = minScores.filter { names.contains($0.key) }
        kept.gates = gates.filter { names.contains($0.key) && ($0.value.head.map(names.contains) ?? true) }
        kept.namedLabels = namedLabels.filter { names.contains($0.key) }
        return kept
    }

    /// The settings as recorded with each result line (nil when nothing is set).
    public var decisions: DecisionSettings? {
        if thresholds.isEmpty && minScores.isEmpty && gates.isEmpty && namedLabels.isEmpty { return nil }
        return DecisionSettings(thresholds: thresholds.isEmpty ? nil : thresholds, minScores: minScores.isEmpty ? nil : minScores,
                                gates: gates.isEmpty ? nil : gates.mapValues(\.summary),
                                namedLabels: namedLabels.isEmpty ? nil : namedLabels)
    }

    /// Everything wrong with these options for a bundle named `bundle` with `heads`: heads,
    /// thresholds, minimum scores or gates that name a head the bundle does not have, values
    /// outside [0, 1], gate problems, gate cycles, and gates that read a head that does not
    /// run. Empty when the options are fine. Reads only head descriptions, so a pipeline
    /// check can run it on manifest.json without loading weights.
    /// `kinds` says which heads are classifiers (a gate may read only those).
    public func problems(bundle: String, heads descriptions: [HeadDescription], kinds: HeadKinds = .builtIn) -> [String] {
        let names = Set(descriptions.map(\.name))
        let list = descriptions.map(\.name).joined(separator: ", ")
        func unknown(_ key: String, _ h: String) -> String { "\(key): no head named '\(h)' in bundle '\(bundle)' (heads: \(list))" }
        var out: [String] = []
        for h in heads ?? [] where !names.contains(h) { out.append(unknown("heads", h)) }
        for (h, v) in thresholds.sorted(by: { $0.key < $1.key }) {
            if !names.contains(h) { out.append(unknown("thresholds", h)) }
            if !(0...1).contains(v) { out.append("thresholds: '\(h)' is \(v), outside [0, 1]") }
        }
        for (h, v) in minScores.sorted(by: { $0.key < $1.key }) {
            if !names.contains(h) { out.append(unknown("min_scores", h)) }
            if !(0...1).contains(v) { out.append("min_scores: '\(h)' is \(v), outside [0, 1]") }
        }
        for (h, source) in namedLabels.sorted(by: { $0.key < $1.key }) {
            guard let d = descriptions.first(where: { $0.name == h }) else { out.append(unknown("named_labels", h)); continue }
            if !(kinds.output(of: d.kind)?.isClassification ?? false) {
                out.append("named_labels: '\(h)' (\(d.kind)) is not a classifier; only classifier heads take labels from the text")
            }
            if !Self.namedLabelSources.contains(source) {
                out.append("named_labels: '\(h)' reads '\(source)'; known sources: \(Self.namedLabelSources.joined(separator: ", "))")
            }
        }
        let running = Set(heads ?? descriptions.map(\.name))
        for (h, g) in gates.sorted(by: { $0.key < $1.key }) {
            if !names.contains(h) { out.append(unknown("gates", h)); continue }
            out += g.problems(for: h, heads: descriptions, kinds: kinds)
            if let src = g.head, names.contains(src), running.contains(h), !running.contains(src) {
                out.append("gate for '\(h)' reads head '\(src)', which is not among the heads that run")
            }
        }
        // Cycles: follow each gate's source chain.
        for start in gates.keys.sorted() {
            var seen: Set<String> = [start], cur = start
            while let next = gates[cur]?.head, next != cur {
                if seen.contains(next) { out.append("gates form a cycle through '\(start)'"); break }
                seen.insert(next); cur = next
            }
        }
        return out
    }
}
