import Foundation
import WenshuCore
import WenshuModel

/// The plain-text description of a bundle printed by `wenshu model inspect`.
public enum BundleSummary {
    /// One line per head that has a default decision: gate, minimum score, threshold, named labels.
    static func decisionLines(_ d: AnnotatorOptions) -> [String] {
        let heads = Set(d.gates.keys).union(d.minScores.keys).union(d.thresholds.keys).union(d.namedLabels.keys).sorted()
        return heads.map { h in
            var parts: [String] = []
            if let g = d.gates[h] { parts.append("runs when \(g.summary)") }
            if let m = d.minScores[h] { parts.append("min score \(m)") }
            if let t = d.thresholds[h] { parts.append("threshold \(t)") }
            if let n = d.namedLabels[h] { parts.append("labels named by the document (\(n)) first") }
            return "\(h): " + parts.joined(separator: "; ")
        }
    }

    /// Encoder, heads with kinds, label counts, training data and dev metrics, default
    /// decisions, and file sizes.
    public static func text(_ b: ModelBundle, path: String) -> String {
        let m = b.manifest
        var lines: [String] = []
        lines.append("bundle \(m.name) \(m.version) (\(m.format)) at \(path)")
        lines.append("encoder \(b.encoder.summary); fingerprint \(m.encoder.fingerprint)")
        lines.append("heads (\(m.heads.count)):")
        for h in m.heads {
            var s = "  \(h.name) [\(h.kind.rawValue)] \(h.labels.count) labels"
            if h.encoderFingerprint != m.encoder.fingerprint { s += " (ENCODER MISMATCH: \(h.encoderFingerprint))" }
            if let t = h.training {
                s += "; trained on \(t.trainExamples) examples, dev \(t.devExamples)"
                if let src = t.source { s += " from \(ModelCard.portablePath(src))" }
            }
            if let sc = h.scope { s += "; reads \(sc.joined(separator: ", ")) (whole text when absent)" }
            lines.append(s)
            let labels = h.labels.prefix(12).joined(separator: ", ")
            lines.append("    labels: \(labels)\(h.labels.count > 12 ? ", …" : "")")
            if !h.metrics.isEmpty {
                let parts: [String] = h.metrics.keys.sorted().map { k in "\(k) \(String(format: "%.4f", h.metrics[k]!))" }
                lines.append("    dev metrics: " + parts.joined(separator: ", "))
            }
        }
        if let d = b.decisions {
            lines.append("default decisions (pipelines, filter, watch and annotate start from them; a pipeline replaces them head by head):")
            lines += decisionLines(d).map { "  " + $0 }
        }
        let url = URL(fileURLWithPath: path)
        if let files = try? FileManager.default.contentsOfDirectory(atPath: path) {
            var total = 0
            for f in files.sorted() {
                let attrs = try? FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(f).path)
                total += (attrs?[.size] as? Int) ?? 0
            }
            lines.append(String(format: "files: %d, %.2f MB", files.count, Double(total) / 1_048_576))
        }
        return lines.joined(separator: "\n")
    }
}
