import Foundation
import WenshuCore
import WenshuModel

/// One line of `wenshu eval --predictions FILE` (schema `wenshu.prediction/1`): an example's
/// gold and the head's predictions, side by side, for a person to read or a script to rescore.
/// Only the parts the head's kind produces are present: labels (classifiers), spans (taggers
/// and event heads), events (event heads). Offsets are Unicode scalars of the example's text.
public struct PredictionRecord: Codable, Sendable, Equatable {
    public var schema = "wenshu.prediction/1"
    /// The example's id and where it came from ("file.jsonl:12").
    public var id: String
    public var origin: String?
    public var head: String
    /// Whether the prediction equals the gold exactly (label set, span set or event set).
    public var correct: Bool
    public var goldLabels: [String]?
    /// Predicted labels with their scores, best first (single-label: only the top one is scored).
    public var predictedLabels: [LabelScore]?
    public var goldSpans: [SpanText]?
    public var predictedSpans: [SpanText]?
    public var goldEvents: [LabelledEvent]?
    public var predictedEvents: [LabelledEvent]?
    /// Scores of the predicted events, in their order (nil where the head gave none).
    public var predictedEventScores: [Double?]?

    /// A labelled span with its text.
    public struct SpanText: Codable, Sendable, Hashable {
        public var label: String
        public var start: Int
        public var end: Int
        public var text: String
    }

    /// The record for one example; `output` is what the head writes.
    public init(example: LabelledExample, predicted a: ModelAnnotations, head: String, output: HeadOutput) {
        id = example.id; origin = example.origin; self.head = head
        let text = ScalarText(example.text)
        func st(_ s: LabelledSpan) -> SpanText { SpanText(label: s.label, start: s.start, end: s.end, text: text.slice(s.start..<s.end)) }
        switch output {
        case .singleLabel, .multiLabel:
            goldLabels = example.labels
            var ls = a.classifications.first { $0.task == head }?.labels ?? []
            ls.sort { $0.score > $1.score }
            if output == .singleLabel { ls = Array(ls.prefix(1)) }
            predictedLabels = ls
            correct = Set(ls.map(\.label)) == Set(example.labels)
        case .spans:
            let p = PredictionScorer.spans(of: a, head: head)
            goldSpans = example.spans.sorted(by: Self.order).map(st)
            predictedSpans = p.sorted(by: Self.order).map(st)
            correct = Set(p) == Set(example.spans)
        case .events:
            let evs = a.events.filter { $0.task == head }
            let p = PredictionScorer.events(of: a, head: head)
            goldEvents = example.events
            predictedEvents = p
            predictedEventScores = evs.map(\.score)
            let ps = PredictionScorer.spans(of: a, head: head)
            goldSpans = example.spans.sorted(by: Self.order).map(st)
            predictedSpans = ps.sorted(by: Self.order).map(st)
            correct = Set(p.map { EventScorer.key($0, withTrigger: true) }) == Set(example.events.map { EventScorer.key($0, withTrigger: true) })
        }
    }

    static func order(_ a: LabelledSpan, _ b: LabelledSpan) -> Bool { (a.start, a.end, a.label) < (b.start, b.end, b.label) }

    /// The predictions as annotations again (what the scorer reads), for rescoring a file.
    public var annotations: ModelAnnotations {
        var a = ModelAnnotations()
        if let ls = predictedLabels { a.classifications = [Classification(task: head, labels: ls)] }
        if let ss = predictedSpans {
            a.entities = ss.map { EntityMention(task: head, label: $0.label, text: $0.text, start: $0.start, end: $0.end) }
        }
        if let es = predictedEvents {
            a.events = es.enumerated().map { i, e in
                Event(task: head, type: e.type, trigger: e.trigger.map { Span(text: "", start: $0.start, end: $0.end) },
                      arguments: e.arguments.map { EventArgument(role: $0.role, text: "", start: $0.start, end: $0.end) },
                      score: predictedEventScores.flatMap { i < $0.count ? $0[i] : nil })
            }
        }
        return a
    }

    /// The gold of the record as a labelled example (no text: offsets only).
    public var goldExample: LabelledExample {
        LabelledExample(id: id, text: "", labels: goldLabels ?? [],
                        spans: (goldSpans ?? []).map { LabelledSpan(label: $0.label, start: $0.start, end: $0.end) },
                        events: goldEvents ?? [], origin: origin)
    }

    /// Reads a predictions file (one record per line); a bad line is an error naming it.
    public static func read(path: String) throws -> [PredictionRecord] {
        let lines = try LineReader(path: path)
        var out: [PredictionRecord] = []
        while let l = try lines.nextLine() {
            if l.isEmpty { continue }
            do { out.append(try JSONDecoder().decode(PredictionRecord.self, from: Data(l))) }
            catch {
                throw WenshuError(.eval.predictions, "not a prediction record: \(error)", stage: .read, path: path,
                                  location: SourceLocation(line: lines.lineNumber))
            }
        }
        return out
    }

    /// Writes records as JSON lines (keys sorted, slashes and CJK unescaped).
    public static func write(_ records: [PredictionRecord], to path: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for r in records { data.append(try enc.encode(r)); data.append(0x0A) }
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw WenshuError(.output.write, "cannot write: \(error.localizedDescription)", stage: .output, path: path) }
    }
}
