import Foundation
import WenshuCore
import WenshuModel

/// Which examples of a labelled file are scored.
public enum EvaluationSplit: String, Codable, Sendable, CaseIterable {
    /// The deterministic dev split (`DevSplit`): the examples training held out.
    case dev
    /// Every example of the file.
    case all
}

/// One evaluation: read a labelled file, pick the split, run a predictor over the texts in
/// batches, score the head's outputs and build the report.
public struct EvaluationJob: Sendable {
    public var data: String
    public var format: DatasetFormat?
    public var options: ReaderOptions
    public var split: EvaluationSplit
    public var head: String
    /// Head kind name (single_label, multi_label, span_tagger, event_extractor, or one a table adds).
    public var kind: String
    /// What the head writes, and so how it is scored.
    public var output: HeadOutput
    public var bundle: String?
    public var batchSize: Int
    /// Where to write one `PredictionRecord` line per example (nil: nowhere).
    public var predictionsPath: String?

    public init(data: String, format: DatasetFormat? = nil, options: ReaderOptions = ReaderOptions(),
                split: EvaluationSplit = .dev, head: String, kind: String, output: HeadOutput, bundle: String? = nil, batchSize: Int = 64) {
        self.data = data; self.format = format; self.options = options; self.split = split
        self.head = head; self.kind = kind; self.output = output; self.bundle = bundle; self.batchSize = batchSize
    }

    /// Reads the file and returns the examples of the split, with the set they came from.
    public func examples() throws -> (LabelledSet, [LabelledExample]) {
        let set = try LabelledSetLoader.load(path: data, format: format, options: options)
        let chosen = split == .all ? set.examples : DevSplit.split(set.examples).dev
        if chosen.isEmpty {
            throw WenshuError(.eval.empty, "no examples in the \(split.rawValue) split", stage: .eval, path: data)
        }
        return (set, chosen)
    }

    /// Refuses to score a head on data that carries nothing of what its kind predicts (an
    /// event head on classification data, a classifier on spans): "eval.kind_mismatch".
    public func checkKind(_ examples: [LabelledExample], format: DatasetFormat) throws {
        let hasLabels = examples.contains { !$0.labels.isEmpty }
        let hasSpans = examples.contains { !$0.spans.isEmpty }
        let hasEvents = examples.contains { !$0.events.isEmpty }
        var carried: [String] = []
        if hasLabels { carried.append("document labels") }
        if hasSpans { carried.append("spans") }
        if hasEvents { carried.append("events") }
        let needs = output.needs, ok: Bool
        switch output {
        case .singleLabel, .multiLabel: ok = hasLabels
        case .spans: ok = hasSpans
        case .events: ok = hasEvents || hasSpans
        }
        if !ok {
            throw WenshuError(.eval.kindMismatch,
                              "head '\(head)' (\(kind)) needs \(needs), but the \(examples.count) examples read as \(format.rawValue) carry \(carried.isEmpty ? "no gold at all" : "only " + carried.joined(separator: " and ")): pick a head of the matching kind or the right --format",
                              stage: .eval, path: data)
        }
    }

    /// Runs `predict` (texts in, one `ModelAnnotations` per text out) and scores it.
    public func run(predict: ([String]) throws -> [ModelAnnotations]) throws -> EvaluationReport {
        let (set, chosen) = try examples()
        try checkKind(chosen, format: set.format)
        var records: [PredictionRecord] = []
        var scorer = PredictionScorer(head: head, kind: kind, output: output,
                                      relationRoles: set.format == .cail2022Drugs ? CAIL2022DrugsReader.pairRoles : nil)
        var seconds = 0.0
        var i = 0
        while i < chosen.count {
            let batch = Array(chosen[i..<min(i + batchSize, chosen.count)])
            let t0 = DispatchTime.now().uptimeNanoseconds
            let out = try predict(batch.map(\.text))
            seconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            guard out.count == batch.count else {
                throw WenshuError(.eval.predictions, "the model returned \(out.count) results for \(batch.count) texts",
                                  stage: .eval, path: data)
            }
            for (e, a) in zip(batch, out) {
                scorer.add(e, a)
                if predictionsPath != nil { records.append(PredictionRecord(example: e, predicted: a, head: head, output: output)) }
            }
            i += batchSize
        }
        if let p = predictionsPath { try PredictionRecord.write(records, to: p) }
        return scorer.report(bundle: bundle, data: data, format: set.format.rawValue, split: split.rawValue,
                             malformedLines: set.errors.count, inferenceSeconds: seconds)
    }
}
