import Foundation
import WenshuCore

/// Event extractors (`EventHead`): a mention tagger plus event assembly (one event per text,
/// trigger-anchored events, or relation pairs, learned from the data's shape); scored by the
/// mean of exact event F1 and typed argument F1. Trigger and relation modes tune their
/// event threshold on dev.
public struct EventExtractorKind: HeadKindDefinition {
    public init() {}
    public var kind: HeadKind { .eventExtractor }
    public var output: HeadOutput { .events }
    public var summary: String { "mention tagger plus event assembly (theft, drug relations, LEVEN triggers)" }

    public func make(_ d: HeadDescription, encoder: EncoderDimensions, tensors: [String: SafeTensor]?, path: String,
                     seed: UInt64) throws -> TaskHead {
        try EventHead(description: d, inputDim: encoder.token, tensors: tensors, path: path, seed: seed)
    }

    public func describe(_ t: TaskData, config: TrainingConfig) -> (labels: [String], settings: HeadSettings) {
        let mode = config.eventMode ?? EventHead.inferMode(t.train)
        let learned = EventHead.learn(t.train, mode: mode)
        var settings = HeadSettings()
        settings.tagScheme = config.tagScheme
        if let b = config.emissionBuckets, b > 0 { settings.emissionBuckets = b }
        settings.event = learned.spec
        if config.nestedLayers {
            let g = TaggerCore.groups(t.train.map { EventHead.mentions($0, mode: mode).map { ($0.label, $0.start, $0.end) } },
                                      labels: learned.labels)
            settings.layers = g.count > 1 ? g : nil
        }
        return (learned.labels, settings)
    }

    public func tunesThreshold(_ description: HeadDescription) -> Bool { description.settings.event?.mode != .single }

    public func devScore(head: String, gold: [LabelledExample], predicted: [ModelAnnotations]) -> [String: Double] {
        var etp = 0, enp = 0, eng = 0, atp = 0, anp = 0, ang = 0
        func key(_ type: String, _ args: [(String, Int, Int)]) -> String {
            type + "#" + args.map { "\($0.0)|\($0.1)|\($0.2)" }.sorted().joined(separator: ";")
        }
        for (g, p) in zip(gold, predicted) {
            let pe = p.events.filter { $0.task == head }
            let ge = Set(g.events.map { key($0.type, $0.arguments.map { ($0.role, $0.start, $0.end) }) })
            let pes = Set(pe.map { key($0.type, $0.arguments.map { ($0.role, $0.start, $0.end) }) })
            etp += ge.intersection(pes).count; enp += pes.count; eng += ge.count
            let ga = Set(g.events.flatMap { e in e.arguments.map { "\(e.type)|\($0.role)|\($0.start)|\($0.end)" } })
            let pa = Set(pe.flatMap { e in e.arguments.map { "\(e.type)|\($0.role)|\($0.start)|\($0.end)" } })
            atp += ga.intersection(pa).count; anp += pa.count; ang += ga.count
        }
        let e = prf(etp, enp, eng), a = prf(atp, anp, ang)
        var out = ["event_f1": e.f, "argument_f1": a.f, "argument_precision": a.p, "argument_recall": a.r, "score": (e.f + a.f) / 2]
        // Relation-shaped events (every gold event of a type has the same two or more roles,
        // e.g. seller and drug, beside optional ones such as time and place): the pair made of
        // those core arguments, scored like the relation-pair metric, weighs in the score.
        var core: [String: Set<String>] = [:]
        for g in gold { for ev in g.events {
            let roles = Set(ev.arguments.map(\.role))
            core[ev.type] = core[ev.type].map { $0.intersection(roles) } ?? roles
        } }
        if core.values.contains(where: { $0.count >= 2 }) {
            func pairKey(_ type: String, _ args: [(String, Int, Int)]) -> String? {
                guard let roles = core[type], roles.count >= 2 else { return nil }
                let kept = args.filter { roles.contains($0.0) }
                return kept.count == roles.count ? key(type, kept) : nil
            }
            var ptp = 0, pnp = 0, png = 0
            for (g, p) in zip(gold, predicted) {
                let gp = Set(g.events.compactMap { pairKey($0.type, $0.arguments.map { ($0.role, $0.start, $0.end) }) })
                let pp = Set(p.events.filter { $0.task == head }.compactMap { pairKey($0.type, $0.arguments.map { ($0.role, $0.start, $0.end) }) })
                ptp += gp.intersection(pp).count; pnp += pp.count; png += gp.count
            }
            let r = prf(ptp, pnp, png)
            out["pair_f1"] = r.f
            out["score"] = (e.f + a.f + r.f) / 3
        }
        return out
    }
}
