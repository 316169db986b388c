import Foundation
import WenshuCore
import WenshuModel

/// The plain-text description of a bundle printed by `wenshu model inspect`.
public enum BundleSummary {
    /// Encoder, heads with kinds, label counts, training data and dev metrics, and file sizes.
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
