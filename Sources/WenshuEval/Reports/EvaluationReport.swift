import Foundation
import WenshuCore
import WenshuModel

/// The result of scoring a head on a labelled set, written by `wenshu eval --json`
/// (schema `wenshu.eval/1`). Only the sections the head's kind produces are present.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public var schema = "wenshu.eval/1"
    /// Head (task) name.
    public var head: String
    /// Head kind (single_label, multi_label, span_tagger, event_extractor).
    public var kind: String
    /// What the head writes (how it was scored); nil in reports written before it was recorded.
    public var output: HeadOutput?
    /// The bundle folder as given, and the bundle's own name and version from its manifest.
    public var bundle: String?
    public var bundleName: String?
    public var bundleVersion: String?
    /// When the evaluation ran (ISO 8601, UTC).
    public var date: String?
    public var data: String
    public var format: String
    /// `dev` (the deterministic split) or `all`.
    public var split: String
    public var examples: Int
    /// Lines of the data file that could not be read.
    public var malformedLines: Int
    /// Seconds spent predicting, and examples (characters) per second.
    public var inferenceSeconds: Double
    public var examplesPerSecond: Double
    public var charactersPerSecond: Double
    public var classification: ClassificationScores?
    public var spans: SetScores?
    public var events: EventScores?
    /// The examples with the most errors (at most 20), with gold and prediction.
    public var worstExamples: [ExampleResult]?

    public init(head: String, kind: String, output: HeadOutput? = nil, bundle: String?, data: String, format: String, split: String,
                examples: Int, malformedLines: Int = 0, inferenceSeconds: Double = 0, characters: Int = 0,
                classification: ClassificationScores? = nil, spans: SetScores? = nil, events: EventScores? = nil) {
        self.head = head; self.kind = kind; self.output = output ?? HeadKinds.builtIn.output(of: HeadKind(kind)); self.bundle = bundle; self.data = data; self.format = format
        self.split = split; self.examples = examples; self.malformedLines = malformedLines
        self.inferenceSeconds = inferenceSeconds
        examplesPerSecond = inferenceSeconds > 0 ? Double(examples) / inferenceSeconds : 0
        charactersPerSecond = inferenceSeconds > 0 ? Double(characters) / inferenceSeconds : 0
        self.classification = classification; self.spans = spans; self.events = events
        date = ISO8601DateFormatter().string(from: Date())
    }

    /// The headline score: the CAIL score for multi-label heads, micro-F1 (= accuracy) for
    /// single-label heads, event F1 for event heads, micro span F1 for taggers.
    public var headline: Double {
        let out = output ?? HeadKinds.builtIn.output(of: HeadKind(kind))
        if let c = classification { return out == .multiLabel ? c.cailScore : c.microF1 }
        if let e = events, out == .events { return e.events.micro.f1 }
        return spans?.micro.f1 ?? 0
    }

    /// Pretty JSON.
    public func jsonData() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try enc.encode(self)
    }

    /// A short plain-text summary for the terminal.
    public var summary: String {
        func p(_ x: Double) -> String { String(format: "%.4f", x) }
        var lines = ["head \(head) (\(kind)) on \(data) [\(format), split \(split)]: \(examples) examples" +
                     (malformedLines > 0 ? ", \(malformedLines) malformed lines skipped" : "")]
        if let c = classification {
            lines.append("  accuracy \(p(c.accuracy))  micro-F1 \(p(c.microF1))  macro-F1 \(p(c.macroF1))  CAIL score \(p(c.cailScore))")
        }
        if let s = spans {
            lines.append("  spans: P \(p(s.micro.precision))  R \(p(s.micro.recall))  micro-F1 \(p(s.micro.f1))  macro-F1 \(p(s.macroF1))")
        }
        if let e = events {
            lines.append("  events: P \(p(e.events.micro.precision))  R \(p(e.events.micro.recall))  F1 \(p(e.events.micro.f1))")
            lines.append("  arguments: P \(p(e.arguments.micro.precision))  R \(p(e.arguments.micro.recall))  F1 \(p(e.arguments.micro.f1))")
            if let u = e.untypedTriggers {
                lines.append("  triggers, type ignored: P \(p(u.precision))  R \(p(u.recall))  F1 \(p(u.f1))")
            }
            if let r = e.relations {
                lines.append("  relation pairs: P \(p(r.micro.precision))  R \(p(r.micro.recall))  F1 \(p(r.micro.f1))  macro-F1 \(p(r.macroF1))")
                for t in r.perType {
                    lines.append("    \(t.name): P \(p(t.score.precision))  R \(p(t.score.recall))  F1 \(p(t.score.f1))  (gold \(t.score.support), predicted \(t.score.tp + t.score.fp))")
                }
            }
        }
        lines.append(String(format: "  inference %.2f s, %.1f examples/s, %.0f chars/s", inferenceSeconds, examplesPerSecond, charactersPerSecond))
        return lines.joined(separator: "\n")
    }
}
