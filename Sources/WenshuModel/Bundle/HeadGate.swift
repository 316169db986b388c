import Foundation
import WenshuCore

/// When a head runs: every condition given must hold (a gate with none, `{}`, is always open:
/// it switches a bundle's default gate off). A head that is gated out writes no
/// annotations for the document, and the record says why (`ModelInfo.skipped`).
///
/// - `head` + `labels` (+ `minScore`): another head (a classifier that runs before it) gave
///   one of `labels` with a score of at least `minScore` (default 0), e.g. the theft head
///   only when the charge head says 盗窃. With `structuredOnly`, the condition is tested only
///   on whole documents (the structure found a document type in a header: 判决书, 裁定书, ...);
///   on a bare text (a sentence, a fact paragraph) it holds: a judgment about 故意伤害 gets no
///   theft event, and a bare sentence is read by the theft head whatever the charge head
///   guesses about so short a text.
/// - `caseType`: the document's case type is one of these (from the judgment structure; when
///   the structure found none, from a classifier head named `case_type` if the bundle has
///   one; when neither knows, the condition holds).
public struct HeadGate: Codable, Sendable, Equatable {
    /// The classifier head whose labels open the gate.
    public var head: String?
    /// Labels of `head` that open the gate.
    public var labels: [String]?
    /// Minimum score of such a label.
    public var minScore: Double?
    /// Case types (刑事, 民事, 行政, ...) for which the head runs.
    public var caseType: [String]?
    /// Test `head` + `labels` only on whole documents, with a document type (nil: false).
    public var structuredOnly: Bool?

    /// A gate with the given conditions.
    public init(head: String? = nil, labels: [String]? = nil, minScore: Double? = nil, caseType: [String]? = nil, structuredOnly: Bool? = nil) {
        self.head = head; self.labels = labels; self.minScore = minScore; self.caseType = caseType; self.structuredOnly = structuredOnly
    }

    enum CodingKeys: String, CodingKey { case head, labels, minScore = "min_score", caseType = "case_type", structuredOnly = "structured_only" }

    /// The conditions as one line, for records and messages.
    public var summary: String {
        var parts: [String] = []
        if let h = head {
            parts.append("\(h) in [\((labels ?? []).joined(separator: ", "))]" + (minScore.map { " >= \($0)" } ?? "")
                         + (structuredOnly == true ? " on judgments" : ""))
        }
        if let c = caseType { parts.append("case_type in [\(c.joined(separator: ", "))]") }
        return parts.joined(separator: "; ")
    }

    /// nil when the gate is open for a document with `attributes` and the classifications
    /// found so far; otherwise the reason it is closed. A whole document (for `structuredOnly`)
    /// is one whose structure found a document type (`attributes["doc_type"]`).
    func closedReason(attributes: [String: String], classifications: [Classification]) -> String? {
        if let h = head {
            let wanted = Set(labels ?? [])
            let floor = minScore ?? 0
            let labelsOfHead = classifications.filter { $0.task == h }.flatMap(\.labels)
            let tested = structuredOnly != true || attributes["doc_type"] != nil
            let hit = labelsOfHead.contains { wanted.contains($0.label) && $0.score >= floor }
            if tested && !hit {
                let best = labelsOfHead.max { $0.score < $1.score }
                return "gate \(summary): \(h) gave " + (best.map { "\($0.label) \(String(format: "%.3f", $0.score))" } ?? "no label")
            }
        }
        if let c = caseType {
            var known = attributes["case_type"]
            if known == nil, let top = classifications.first(where: { $0.task == "case_type" })?.labels.max(by: { $0.score < $1.score }) {
                known = top.label
            }
            if let k = known, !c.contains(k) { return "gate \(summary): case_type is \(k)" }
        }
        return nil
    }

    /// Problems of this gate for head `name` in a bundle with `heads` (empty: fine).
    func problems(for name: String, heads: [HeadDescription], kinds: HeadKinds = .builtIn) -> [String] {
        var out: [String] = []
        // No condition at all (`{}`): always open, which switches a bundle's default gate off.
        if head == nil && (labels != nil || minScore != nil || structuredOnly != nil) {
            out.append("gate for '\(name)' has labels, min_score or structured_only but no head to read them from")
        }
        if let h = head {
            if h == name { out.append("gate for '\(name)' depends on itself") }
            if let d = heads.first(where: { $0.name == h }) {
                if !(kinds.output(of: d.kind)?.isClassification ?? false) {
                    out.append("gate for '\(name)' reads head '\(h)', which is a \(d.kind.rawValue), not a classifier")
                } else if let ls = labels {
                    let unknown = ls.filter { !d.labels.contains($0) }
                    if !unknown.isEmpty { out.append("gate for '\(name)': head '\(h)' has no label(s) \(unknown.joined(separator: ", "))") }
                }
            } else {
                out.append("gate for '\(name)' reads head '\(h)', which the bundle does not have")
            }
            if labels?.isEmpty ?? true { out.append("gate for '\(name)' on head '\(h)' lists no labels") }
        }
        if let s = minScore, !(0...1).contains(s) { out.append("gate for '\(name)': min_score \(s) is outside [0, 1]") }
        return out
    }
}
