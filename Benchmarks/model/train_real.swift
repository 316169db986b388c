// Trains WenshuModel heads on the real data in ../shared/data with a deterministic
// 90/10 split and prints dev metrics, wall and CPU time, and inference speed.
// Built and run by Benchmarks/model/train-real.sh (release build).
import Foundation
import WenshuCore
import WenshuModel
import WenshuTensor

func readJSONL(_ path: String) -> [[String: Any]] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fatalError("cannot read \(path)") }
    return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
}

func theft(_ root: String) -> [LabelledExample] {
    readJSONL(root + "/cail2021-theft/train.jsonl").map { d in
        var spans: [LabelledSpan] = []
        for e in d["entities"] as! [[String: Any]] {
            for s in e["span"] as! [String] {
                let p = s.split(separator: ";").map { Int($0)! }
                spans.append(LabelledSpan(label: e["label"] as! String, start: p[0], end: p[1]))
            }
        }
        spans.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        return LabelledExample(id: d["id"] as! String, text: d["context"] as! String, spans: spans,
                               events: spans.isEmpty ? [] : [LabelledEvent(type: "盗窃", arguments: spans.map { LabelledArgument(role: $0.label, start: $0.start, end: $0.end) })])
    }
}

func charges(_ root: String) -> [LabelledExample] {
    readJSONL(root + "/cail2018-charges/train.jsonl").enumerated().map { i, d in
        let acc = ((d["meta"] as! [String: Any])["accusation"] as! [String])
            .map { $0.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "") }
        return LabelledExample(id: "c\(i)", text: d["fact"] as! String, labels: acc)
    }
}

/// CAIL2022 as WenshuEval's reader builds it: entity spans; per non-NA relation an event with
/// the pair (roles per relation) plus the time/place/weight mentions of the first entity's
/// sentence (else the nearest one in the second entity's sentence), sorted by position.
func drugs(_ root: String) -> [LabelledExample] {
    let roles = ["traffic_in": ("seller", "drug"), "sell_drugs_to": ("seller", "buyer"),
                 "posess": ("possessor", "drug"), "provide_shelter_for": ("provider", "user")]
    let context = ["NT": "time", "Ns": "place", "NW": "weight"]
    return readJSONL(root + "/cail2022-drugs/train.jsonl").map { d in
        let text = d["sentText"] as! String
        let scalars = Array(text.unicodeScalars)
        var sentence = [Int](repeating: 0, count: scalars.count), sid = 0
        for (i, c) in scalars.enumerated() { sentence[i] = sid; if "。！？；".unicodeScalars.contains(c) { sid += 1 } }
        let ents = (d["entityMentions"] as! [[String: Any]]).map {
            LabelledSpan(label: $0["label"] as! String, start: $0["start"] as! Int, end: $0["end"] as! Int)
        }
        var events: [LabelledEvent] = []
        for r in d["relationMentions"] as! [[String: Any]] where (r["label"] as! String) != "NA" {
            let type = r["label"] as! String
            let s1 = r["e1start"] as! Int, s2 = r["e21start"] as! Int
            let (r1, r2) = roles[type] ?? ("arg1", "arg2")
            var args = [LabelledArgument(role: r1, start: s1, end: s1 + (r["em1Text"] as! String).unicodeScalars.count),
                        LabelledArgument(role: r2, start: s2, end: s2 + (r["em2Text"] as! String).unicodeScalars.count)]
            for (label, role) in context.sorted(by: { $0.key < $1.key }) {
                let kind = ents.filter { $0.label == label && $0.start < scalars.count }
                let inA = kind.filter { sentence[$0.start] == sentence[min(s1, scalars.count - 1)] }
                if !inA.isEmpty { args += inA.map { LabelledArgument(role: role, start: $0.start, end: $0.end) } }
                else if let near = kind.filter({ sentence[$0.start] == sentence[min(s2, scalars.count - 1)] }).min(by: { abs($0.start - s2) < abs($1.start - s2) }) {
                    args.append(LabelledArgument(role: role, start: near.start, end: near.end))
                }
            }
            args.sort { ($0.start, $0.end, $0.role) < ($1.start, $1.end, $1.role) }
            let ev = LabelledEvent(type: type, arguments: args)
            if !events.contains(ev) { events.append(ev) }
        }
        return LabelledExample(id: "\(d["articleId"]!)-\(d["sentId"]!)", text: text, spans: ents, events: events)
    }
}

/// Deterministic split: every 10th example (by a seeded shuffle) goes to dev.
func split(_ ex: [LabelledExample]) -> ([LabelledExample], [LabelledExample]) {
    var rng = SeededRandom(seed: 2024)
    let idx = rng.shuffled(Array(ex.indices))
    let cut = ex.count / 10
    return (idx[cut...].map { ex[$0] }, idx[..<cut].map { ex[$0] })
}

let args = CommandLine.arguments
let root = args.count > 1 ? args[1] : "../shared/data"
let task = args.count > 2 ? args[2] : "theft-spans"
let env = ProcessInfo.processInfo.environment
var enc = EncoderConfig()
if let v = env["DIM"], let d = Int(v) { enc.dim = d }
if let v = env["BUCKETS"], let d = Int(v) { enc.buckets = d }
if let v = env["HIDDEN"], let d = Int(v) { enc.hidden = d }
if let v = env["CONTEXT"], let d = Int(v) { enc.context = d }
if let v = env["WINDOW"], let d = Int(v) { enc.window = d }
var cfg = TrainingConfig()
if let v = env["EPOCHS"], let d = Int(v) { cfg.epochs = d }
if let v = env["LR"], let d = Float(v) { cfg.learningRate = d }
if let v = env["THREADS"], let d = Int(v) { cfg.threads = d }
if let v = env["BATCH"], let d = Int(v) { cfg.batchSize = d }
if let v = env["SCHEME"] { cfg.tagScheme = v == "bioes" ? .bioes : .bio }
if let v = env["MAXLEN"], let d = Int(v) { cfg.maxTrainLength = d }
if let v = env["THRESHOLD"], let d = Double(v) { cfg.threshold = d }
if let v = env["DROPOUT"], let d = Float(v) { cfg.dropout = d }
if let v = env["DECAY"], let d = Float(v) { cfg.lrDecay = d }
if let v = env["PATIENCE"], let d = Int(v) { cfg.patience = d }
if let v = env["SEED"], let d = UInt64(v) { cfg.seed = d }

let (kind, data): (HeadKind, [LabelledExample]) = {
    switch task {
    case "theft-spans": return (.spanTagger, theft(root))
    case "theft-events": return (.eventExtractor, theft(root))
    case "charges": return (.multiLabel, charges(root))
    case "drugs-entities": return (.spanTagger, drugs(root))
    case "drugs-events": return (.eventExtractor, drugs(root))
    default: fatalError("unknown task \(task)")
    }
}()
let (train, dev) = split(data)
print("task \(task): \(train.count) train, \(dev.count) dev; encoder \(enc); config epochs=\(cfg.epochs) lr=\(cfg.learningRate) threads=\(cfg.threads) batch=\(cfg.batchSize) scheme=\(cfg.tagScheme)")
let bundle = ModelBundle.create(name: "bench", encoder: enc)
var lastPrint = Date()
let report = try Trainer.train(bundle: bundle, head: task, kind: kind, train: train, dev: dev, config: cfg) { p in
    if p.epochDone {
        print(String(format: "epoch %d loss %.4f dev %.4f", p.epoch, p.loss, p.devScore ?? -1)); fflush(stdout)
    } else if Date().timeIntervalSince(lastPrint) > 20 {
        lastPrint = Date(); print(String(format: "  epoch %d step %d/%d loss %.4f", p.epoch, p.step, p.totalSteps, p.loss)); fflush(stdout)
    }
}
print("best epoch \(report.bestEpoch) of \(report.epochs); metrics \(report.metrics[task] ?? [:])")
print(String(format: "train wall %.1f s, cpu %.1f s", report.seconds, report.cpuSeconds))
BLAS.setThreads(1)
let texts = dev.map(\.text)
let t0 = Date(), c0 = Trainer.cpuSeconds()
_ = try bundle.annotate(texts)
let dt = Date().timeIntervalSince(t0), dc = Trainer.cpuSeconds() - c0
let chars = texts.reduce(0) { $0 + $1.unicodeScalars.count }
print(String(format: "inference (1 thread): %d texts, %d chars in %.2f s wall / %.2f s cpu: %.0f texts/s, %.0f chars/s (cpu)", texts.count, chars, dt, dc, Double(texts.count) / dc, Double(chars) / dc))
if let out = env["SAVE"] {
    let url = URL(fileURLWithPath: out)
    try bundle.save(to: url)
    let t1 = Date()
    let loaded = try ModelBundle.load(at: url)
    print(String(format: "saved to %@; reload with fingerprint check %.2f s; version %@", out, Date().timeIntervalSince(t1), loaded.info.version))
}
