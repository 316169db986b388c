import Foundation
import WenshuCore

/// The generated part of a bundle's `MODEL_CARD.md`, and data paths as a bundle may show them.
///
/// `wenshu train`, `model add-head` and `model remove-head` call `update(bundleAt:)` after
/// saving: the text between `begin` and `end` is replaced by a "Heads" section made from
/// manifest.json (name, version, encoder, one row per head with its kind, labels, training
/// data and dev metrics); everything outside the markers is the author's and stays as it
/// is. A card without the markers gets the section appended; a bundle without a card gets
/// a card holding only the section.
public enum ModelCard {
    public static let fileName = "MODEL_CARD.md"
    public static let begin = "<!-- wenshu:heads:begin (generated from manifest.json by wenshu train / model add-head / model remove-head; edits between these markers are replaced) -->"
    public static let end = "<!-- wenshu:heads:end -->"

    /// Rewrites the generated section of the card in the bundle folder `url` from its manifest.json.
    public static func update(bundleAt url: URL) throws {
        let manifestURL = url.appendingPathComponent("manifest.json")
        let manifest: BundleManifest
        do { manifest = try JSONDecoder().decode(BundleManifest.self, from: Data(contentsOf: manifestURL)) }
        catch { throw WenshuError(.bundle.card, "cannot read manifest.json to update the model card: \(error.localizedDescription)",
                                  stage: .model, path: manifestURL.path) }
        let cardURL = url.appendingPathComponent(fileName)
        let old = (try? String(contentsOf: cardURL, encoding: .utf8)) ?? "# Model card: \(manifest.name)\n"
        let new = updated(old, with: manifest)
        guard new != old else { return }
        do { try new.write(to: cardURL, atomically: true, encoding: .utf8) }
        catch { throw WenshuError(.bundle.card, "cannot write the model card: \(error.localizedDescription)", stage: .model, path: cardURL.path) }
    }

    /// `card` with its generated section replaced (or appended).
    public static func updated(_ card: String, with manifest: BundleManifest) -> String {
        let section = begin + "\n" + headsSection(manifest) + end
        if let a = card.range(of: begin), let b = card.range(of: end, range: a.upperBound..<card.endIndex) {
            return card.replacingCharacters(in: a.lowerBound..<b.upperBound, with: section)
        }
        return card + (card.hasSuffix("\n") ? "\n" : "\n\n") + section + "\n"
    }

    /// The "Heads" section: what the bundle holds now.
    public static func headsSection(_ m: BundleManifest) -> String {
        var s = "## Heads\n\n"
        s += "Bundle `\(m.name)` version `\(m.version)`; encoder `\(m.encoder.type)`, fingerprint `\(m.encoder.fingerprint.prefix(16))`.\n\n"
        s += "| head | kind | labels | train / dev examples | data | dev metrics |\n|---|---|---|---|---|---|\n"
        for h in m.heads {
            let t = h.training
            let counts = t.map { "\($0.trainExamples) / \($0.devExamples)" } ?? "-"
            let data = t?.source.map { portablePath($0) } ?? "-"
            let metrics = h.metrics.keys.sorted().prefix(4).map { "\($0) \(String(format: "%.4f", h.metrics[$0]!))" }.joined(separator: ", ")
            let cells = [h.name, h.kind.rawValue, "\(h.labels.count)", counts, data, metrics.isEmpty ? "-" : metrics]
            s += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return s
    }

    /// A data path without the machine it was trained on: every absolute path in `text` is
    /// cut to the part after `shared/data/` (`/work/shared/data/cail2018-charges/train.jsonl`
    /// -> `cail2018-charges/train.jsonl`), else to its last two components. Relative paths
    /// and other words are kept.
    public static func portablePath(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard word.hasPrefix("/") else { return String(word) }
            if let r = word.range(of: "shared/data/") { return String(word[r.upperBound...]) }
            let parts = word.split(separator: "/")
            return parts.suffix(2).joined(separator: "/")
        }.joined(separator: " ")
    }

    /// The manifest as `model inspect --json` shows it: training sources made portable.
    public static func portable(_ m: BundleManifest) -> BundleManifest {
        var out = m
        for i in out.heads.indices {
            if let src = out.heads[i].training?.source { out.heads[i].training?.source = portablePath(src) }
        }
        return out
    }
}
