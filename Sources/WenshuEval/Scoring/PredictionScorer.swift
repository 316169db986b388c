import Foundation
import WenshuCore
import WenshuModel

/// Scores a head's predictions (`ModelAnnotations`, as `ModelBundle.annotate` returns them)
/// against labelled examples, picking the outputs whose `task` is the head's name.
///
/// - `single_label`: the top label of the head's classification against the gold label.
/// - `multi_label`: every label the head returned (already thresholded) against the gold set.
/// - `span_tagger`: the head's entities against the gold spans.
/// - `event_extractor`: the head's events against the gold events (event- and argument-level),
///   and its entities (or else its event triggers and arguments, as spans) against the gold spans.
public struct PredictionScorer: Sendable {
    public let head: String
    public let kind: String
    /// What the head writes.
    public let output: HeadOutput
    private var cls = ClassificationScorer()
    private var spans = SpanScorer()
    private var events = EventScorer()
    private var relations: RelationScorer?
    private var worst = WorstExamples()
    public private(set) var examples = 0
    public private(set) var characters = 0

    /// `kind` is the head kind name (for the report); `output` says how to score.
    /// `relationRoles`: the pair roles per relation type, for the relation-pair metric of
    /// relation data (`CAIL2022DrugsReader.pairRoles`); nil: no relation metric.
    public init(head: String, kind: String, output: HeadOutput, relationRoles: [String: [String]]? = nil) {
        self.head = head; self.kind = kind; self.output = output
        relations = relationRoles.map { RelationScorer(roles: $0) }
    }

    /// Adds one example and the annotations predicted for its text.
    public mutating func add(_ example: LabelledExample, _ predicted: ModelAnnotations) {
        examples += 1
        characters += example.text.unicodeScalars.count
        switch output {
        case .singleLabel:
            let top = predicted.classifications.first { $0.task == head }?.labels.max { $0.score < $1.score }
            cls.add(gold: example.labels, predicted: top.map { [$0.label] } ?? [])
            worst.add(example, goldLabels: example.labels, predictedLabels: top.map { [$0.label] } ?? [])
        case .multiLabel:
            let labels = predicted.classifications.first { $0.task == head }?.labels.map(\.label) ?? []
            cls.add(gold: example.labels, predicted: labels)
            worst.add(example, goldLabels: example.labels, predictedLabels: labels)
        case .spans:
            let ps = Self.spans(of: predicted, head: head)
            spans.add(gold: example.spans, predicted: ps)
            worst.add(example, goldSpans: example.spans, predictedSpans: ps)
        case .events:
            let evs = Self.events(of: predicted, head: head)
            events.add(gold: example.events, predicted: evs)
            relations?.add(gold: example.events, predicted: evs)
            var ps = Self.spans(of: predicted, head: head)
            if ps.isEmpty {
                // No entity output: read spans off the events, labelled like the gold spans of
                // the reader (triggers by event type, arguments by role).
                var seen = Set<LabelledSpan>()
                for e in evs {
                    if let t = e.trigger { seen.insert(t) }
                    for a in e.arguments { seen.insert(LabelledSpan(label: a.role, start: a.start, end: a.end)) }
                }
                ps = Array(seen)
            }
            spans.add(gold: example.spans, predicted: ps)
            worst.add(example, goldSpans: example.spans, predictedSpans: ps)
        }
    }

    static func spans(of a: ModelAnnotations, head: String) -> [LabelledSpan] {
        a.entities.filter { $0.task == head }.map { LabelledSpan(label: $0.label, start: $0.start, end: $0.end) }
    }

    static func events(of a: ModelAnnotations, head: String) -> [LabelledEvent] {
        a.events.filter { $0.task == head }.map { e in
            LabelledEvent(type: e.type, trigger: e.trigger.map { LabelledSpan(label: e.type, start: $0.start, end: $0.end) },
                          arguments: e.arguments.map { LabelledArgument(role: $0.role, start: $0.start, end: $0.end) })
        }
    }

    /// The report for what was added.
    public func report(bundle: String?, data: String, format: String, split: String,
                       malformedLines: Int, inferenceSeconds: Double) -> EvaluationReport {
        let isClass = output.isClassification
        var r = EvaluationReport(head: head, kind: kind, output: output, bundle: bundle, data: data, format: format, split: split,
                                examples: examples, malformedLines: malformedLines, inferenceSeconds: inferenceSeconds,
                                characters: characters,
                                classification: isClass ? cls.scores : nil,
                                spans: isClass ? nil : spans.scores,
                                events: output == .events ? eventScores : nil)
        r.worstExamples = worst.kept
        return r
    }

    var eventScores: EventScores {
        var s = events.scores
        s.relations = relations?.scores
        return s
    }
}
