import Foundation
import WenshuCore

/// Span taggers (`SpanTaggerHead`): a linear-chain CRF per label group over the characters;
/// scored by exact-match labelled span F1.
public struct SpanTaggerKind: HeadKindDefinition {
    public init() {}
    public var kind: HeadKind { .spanTagger }
    public var output: HeadOutput { .spans }
    public var summary: String { "CRF span tagger (entities, triggers, arguments)" }

    public func make(_ d: HeadDescription, encoder: EncoderDimensions, tensors: [String: SafeTensor]?, path: String,
                     seed: UInt64) throws -> TaskHead {
        try SpanTaggerHead(description: d, inputDim: encoder.token, tensors: tensors, path: path, seed: seed)
    }

    public func describe(_ t: TaskData, config: TrainingConfig) -> (labels: [String], settings: HeadSettings) {
        let labels = Array(Set(t.train.flatMap { $0.spans.map(\.label) })).sorted()
        var settings = HeadSettings()
        settings.tagScheme = config.tagScheme
        if let b = config.emissionBuckets, b > 0 { settings.emissionBuckets = b }
        if config.nestedLayers {
            let g = TaggerCore.groups(t.train.map { $0.spans.map { ($0.label, $0.start, $0.end) } }, labels: labels)
            settings.layers = g.count > 1 ? g : nil
        }
        return (labels, settings)
    }

    public func tunesThreshold(_ description: HeadDescription) -> Bool { false }

    public func devScore(head: String, gold: [LabelledExample], predicted: [ModelAnnotations]) -> [String: Double] {
        var tp = 0, np = 0, ng = 0
        for (g, p) in zip(gold, predicted) {
            let gs = Set(g.spans.map { "\($0.label)|\($0.start)|\($0.end)" })
            let ps = Set(p.entities.filter { $0.task == head }.map { "\($0.label)|\($0.start)|\($0.end)" })
            tp += gs.intersection(ps).count; np += ps.count; ng += gs.count
        }
        let m = prf(tp, np, ng)
        return ["f1": m.f, "precision": m.p, "recall": m.r, "score": m.f]
    }
}
