import Foundation
import WenshuCore

/// Document classifiers (`ClassifierHead`): `single_label` (softmax, one label; scored by
/// accuracy) and `multi_label` (sigmoid per label with a threshold tuned on dev, globally or
/// per label; scored by the mean of micro and macro F1).
public struct ClassifierKind: HeadKindDefinition {
    /// Multi-label (sigmoid, threshold) rather than single-label (softmax).
    public let multiLabel: Bool
    /// The single- or multi-label kind.
    public init(multiLabel: Bool) { self.multiLabel = multiLabel }

    public var kind: HeadKind { multiLabel ? .multiLabel : .singleLabel }
    public var output: HeadOutput { multiLabel ? .multiLabel : .singleLabel }
    public var summary: String {
        multiLabel ? "document classifier, a set of labels per text (charges)" : "document classifier, one label per text (cause, case type)"
    }

    public func make(_ d: HeadDescription, encoder: EncoderDimensions, tensors: [String: SafeTensor]?, path: String,
                     seed: UInt64) throws -> TaskHead {
        try ClassifierHead(description: d, inputDim: encoder.document, tensors: tensors, path: path, seed: seed)
    }

    public func describe(_ t: TaskData, config: TrainingConfig) -> (labels: [String], settings: HeadSettings) {
        var settings = HeadSettings()
        settings.threshold = multiLabel ? config.threshold : nil
        settings.topK = config.topK
        if let b = config.sparseBuckets, b > 0 {
            settings.sparseBuckets = b
            settings.ngramMax = config.ngramMax
            if config.linearSVM == true && !config.trainEncoder && config.fineTuneLAC != true { settings.sparseIdf = true }
        }
        return (Array(Set(t.train.flatMap(\.labels))).sorted(), settings)
    }

    public func tunesThreshold(_ description: HeadDescription) -> Bool { multiLabel }

    public func devScore(head: String, gold: [LabelledExample], predicted: [ModelAnnotations]) -> [String: Double] {
        if !multiLabel {
            var ok = 0
            for (g, p) in zip(gold, predicted) {
                if let l = p.classifications.first(where: { $0.task == head })?.labels.first?.label, g.labels.first == l { ok += 1 }
            }
            let acc = Double(ok) / Double(max(1, gold.count))
            return ["accuracy": acc, "score": acc]
        }
        var tp = 0, np = 0, ng = 0
        var per: [String: (Int, Int, Int)] = [:]
        for (g, p) in zip(gold, predicted) {
            let gs = Set(g.labels)
            let ps = Set(p.classifications.first(where: { $0.task == head })?.labels.map(\.label) ?? [])
            tp += gs.intersection(ps).count; np += ps.count; ng += gs.count
            for l in gs.union(ps) {
                var c = per[l] ?? (0, 0, 0)
                if gs.contains(l) && ps.contains(l) { c.0 += 1 }
                if ps.contains(l) { c.1 += 1 }
                if gs.contains(l) { c.2 += 1 }
                per[l] = c
            }
        }
        let micro = prf(tp, np, ng)
        let macro = per.values.map { prf($0.0, $0.1, $0.2).f }.reduce(0, +) / Double(max(1, per.count))
        return ["micro_f1": micro.f, "macro_f1": macro, "precision": micro.p, "recall": micro.r, "score": (micro.f + macro) / 2]
    }
}
