import Foundation
import WenshuCore

/// Quick dev-set scores used for early stopping (the full evaluation lives in WenshuEval).
enum DevScorer {
    static func f1(_ tp: Int, _ np: Int, _ ng: Int) -> (p: Double, r: Double, f: Double) {
        let p = np == 0 ? 0 : Double(tp) / Double(np), r = ng == 0 ? 0 : Double(tp) / Double(ng)
        return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r))
    }

    /// Metrics of one head's predictions against gold examples; "score" is the early-stopping figure.
    static func score(kind: HeadKind, head: String, gold: [LabelledExample], predicted: [ModelAnnotations]) -> [String: Double] {
        switch kind {
        case .singleLabel:
            var ok = 0
            for (g, p) in zip(gold, predicted) {
                if let l = p.classifications.first(where: { $0.task == head })?.labels.first?.label, g.labels.first == l { ok += 1 }
            }
            let acc = Double(ok) / Double(max(1, gold.count))
            return ["accuracy": acc, "score": acc]
        case .multiLabel:
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
            let micro = f1(tp, np, ng)
            let macro = per.values.map { f1($0.0, $0.1, $0.2).f }.reduce(0, +) / Double(max(1, per.count))
            return ["micro_f1": micro.f, "macro_f1": macro, "precision": micro.p, "recall": micro.r, "score": (micro.f + macro) / 2]
        case .spanTagger:
            var tp = 0, np = 0, ng = 0
            for (g, p) in zip(gold, predicted) {
                let gs = Set(g.spans.map { "\($0.label)|\($0.start)|\($0.end)" })
                let ps = Set(p.entities.filter { $0.task == head }.map { "\($0.label)|\($0.start)|\($0.end)" })
                tp += gs.intersection(ps).count; np += ps.count; ng += gs.count
            }
            let m = f1(tp, np, ng)
            return ["f1": m.f, "precision": m.p, "recall": m.r, "score": m.f]
        case .eventExtractor:
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
            let e = f1(etp, enp, eng), a = f1(atp, anp, ang)
            return ["event_f1": e.f, "argument_f1": a.f, "argument_precision": a.p, "argument_recall": a.r, "score": (e.f + a.f) / 2]
        }
    }
}
