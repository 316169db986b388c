import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// A head kind that exists only in this test: a per-character softmax tagger (no CRF, no
/// tag scheme; a span is a run of characters with the same label). It is written against the
/// `TaskHead` / `TrainableHead` protocols and registered in a copy of `HeadKinds.builtIn`;
/// nothing in WenshuModel knows its name.
final class CharSoftmaxHead: TrainableHead, @unchecked Sendable {
    var description: HeadDescription
    let weight: Parameter, bias: Parameter
    var parameters: [Parameter] { [weight, bias] }
    var classes: Int { description.labels.count + 1 }

    init(description: HeadDescription, inputDim: Int, tensors: [String: SafeTensor]?, seed: UInt64) throws {
        self.description = description
        let c = description.labels.count + 1
        if let t = tensors {
            guard let w = t["weight"], w.shape == [inputDim, c], let b = t["bias"], b.shape == [c] else {
                throw WenshuError(.bundle.shapeMismatch, "char_softmax head '\(description.name)': weight [\(inputDim), \(c)] and bias [\(c)] expected", stage: .model)
            }
            weight = Parameter(name: "weight", shape: w.shape, value: w.data); bias = Parameter(name: "bias", shape: b.shape, value: b.data)
        } else {
            var rng = SeededRandom(seed: seed)
            weight = Parameter(name: "weight", shape: [inputDim, c], scale: 0.1, rng: &rng)
            bias = Parameter(zeros: "bias", shape: [c])
        }
    }

    func probabilities(_ e: EncodedText) -> [[Float]] {
        let c = classes
        return (0..<e.length).map { t in
            var z = [Float](repeating: 0, count: c)
            for k in 0..<c {
                var s = bias.value[k]
                for j in 0..<e.width { s += e.vectors[t * e.width + j] * weight.value[j * c + k] }
                z[k] = s
            }
            let m = z.max()!, ex = z.map { exp($0 - m) }, sum = ex.reduce(0, +)
            return ex.map { $0 / sum }
        }
    }

    func annotate(_ encoded: EncodedText, text: ScalarText, threshold: Double?, into out: inout ModelAnnotations) {
        let best = probabilities(encoded).map { p in p.indices.max { p[$0] < p[$1] }! }
        var t = 0
        while t < best.count {
            guard best[t] > 0 else { t += 1; continue }
            var e = t
            while e + 1 < best.count && best[e + 1] == best[t] { e += 1 }
            out.entities.append(EntityMention(task: description.name, label: description.labels[best[t] - 1],
                                              text: text.slice(t..<(e + 1)), start: t, end: e + 1))
            t = e + 1
        }
    }

    func target(for example: LabelledExample) -> HeadTarget? {
        let n = example.text.unicodeScalars.count
        var tags = [Int](repeating: 0, count: n)
        for s in example.spans { if let k = description.labels.firstIndex(of: s.label) { for i in s.start..<min(s.end, n) { tags[i] = k + 1 } } }
        return .tags([tags])
    }

    func lossAndGradients(_ encoded: EncodedText, target: HeadTarget, into g: Gradients) -> (loss: Double, dVectors: [Float]?, dDocument: [Float]?) {
        guard case .tags(let tt) = target, let tags = tt.first, tags.count == encoded.length else { return (0, nil, nil) }
        let c = classes, w = encoded.width
        let p = probabilities(encoded)
        var loss = 0.0
        var dW = [Float](repeating: 0, count: w * c), dB = [Float](repeating: 0, count: c)
        var dX = [Float](repeating: 0, count: encoded.length * w)
        for t in 0..<encoded.length {
            loss -= log(Double(max(p[t][tags[t]], 1e-12)))
            for k in 0..<c {
                let d = p[t][k] - (k == tags[t] ? 1 : 0)
                dB[k] += d
                for j in 0..<w {
                    dW[j * c + k] += encoded.vectors[t * w + j] * d
                    dX[t * w + j] += weight.value[j * c + k] * d
                }
            }
        }
        g.withDense(weight) { for i in 0..<dW.count { $0[i] += dW[i] } }
        g.withDense(bias) { for i in 0..<dB.count { $0[i] += dB[i] } }
        return (loss, dX, nil)
    }
}

/// The definition that plugs the test head into Wenshu: build, labels, dev score.
struct CharSoftmaxKind: HeadKindDefinition {
    static let name = HeadKind("test_char_softmax")
    var kind: HeadKind { Self.name }
    var output: HeadOutput { .spans }
    var summary: String { "test: per-character softmax tagger" }
    func make(_ d: HeadDescription, encoder: EncoderDimensions, tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws -> TaskHead {
        try CharSoftmaxHead(description: d, inputDim: encoder.token, tensors: tensors, seed: seed)
    }
    func describe(_ t: TaskData, config: TrainingConfig) -> (labels: [String], settings: HeadSettings) {
        (Array(Set(t.train.flatMap { $0.spans.map(\.label) })).sorted(), HeadSettings())
    }
    func devScore(head: String, gold: [LabelledExample], predicted: [ModelAnnotations]) -> [String: Double] {
        // Share of gold span characters tagged with the right label.
        var right = 0, total = 0
        for (g, p) in zip(gold, predicted) {
            var label: [Int: String] = [:]
            for e in p.entities where e.task == head { for i in e.start..<e.end { label[i] = e.label } }
            for s in g.spans { for i in s.start..<s.end { total += 1; if label[i] == s.label { right += 1 } } }
        }
        let r = total == 0 ? 0 : Double(right) / Double(total)
        return ["char_recall": r, "score": r]
    }
    func tunesThreshold(_ description: HeadDescription) -> Bool { false }
}

/// The seam for head kinds: a kind added in a test trains, annotates, saves and loads
/// beside the built-in heads, which are untouched by it.
final class HeadKindSeamTests: XCTestCase {
    var dirs: [URL] = []
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }

    func testAHeadKindAddedInATestTrainsAndRoundTripsBesideBuiltInHeads() throws {
        var kinds = HeadKinds.builtIn
        kinds.register(CharSoftmaxKind())
        XCTAssertTrue(kinds.names.contains("test_char_softmax"))
        XCTAssertFalse(HeadKinds.builtIn.contains(CharSoftmaxKind.name), "registering in a copy leaves the built-in table alone")

        let theft = try FixtureData.theft()
        let bundle = ModelBundle.create(name: "kinds", encoder: HashedNgramEncoder(config: .tiny), headKinds: kinds)
        let frozen = TrainingConfig(epochs: 3, learningRate: 0.05, seed: 5, patience: 0, batchSize: 4, threads: 1, trainEncoder: false)
        _ = try Trainer.train(bundle: bundle, head: "theft", kind: .eventExtractor, train: theft, dev: [], config: frozen)
        let texts = theft.map(\.text)
        let before = try bundle.annotate(texts)

        // Train the new kind on the frozen encoder: its dev score comes from its own definition.
        var cfg = frozen; cfg.epochs = 150; cfg.patience = 150; cfg.learningRate = 0.1; cfg.lrDecay = 1; cfg.dropout = 0; cfg.tuneThreshold = false
        let report = try Trainer.train(bundle: bundle, head: "roles", kind: CharSoftmaxKind.name, train: theft, dev: theft, config: cfg)
        let recall = report.metrics["roles"]?["char_recall"] ?? 0
        XCTAssertGreaterThan(recall, 0.5, "the new head learns the role characters of its training texts: \(report.metrics)")
        XCTAssertEqual(bundle.heads.map(\.kind.rawValue), ["event_extractor", "test_char_softmax"])

        // The built-in head's output is unchanged; the new head writes entities under its name.
        let after = try bundle.annotate(texts)
        XCTAssertEqual(after.map { $0.events }, before.map { $0.events })
        XCTAssertTrue(after.contains { $0.entities.contains { $0.task == "roles" } })

        // Save; a loader without the kind refuses the bundle and names the kinds it knows;
        // a loader with it gives the same annotations.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-kinds-\(UUID().uuidString)")
        dirs.append(dir)
        try bundle.save(to: dir)
        XCTAssertThrowsError(try ModelBundle.load(at: dir)) { e in
            let w = e as? WenshuError
            XCTAssertEqual(w?.code, "model.unknown_head_kind")
            XCTAssertTrue(w?.message.contains("'roles'") ?? false, w?.message ?? "")
            XCTAssertTrue(w?.message.contains("test_char_softmax") ?? false)
            XCTAssertTrue(w?.message.contains("event_extractor") ?? false)
        }
        let loaded = try ModelBundle.load(at: dir, headKinds: kinds)
        XCTAssertEqual(try loaded.annotate(texts), after)

        // Gates may read only classifier kinds: the table says the new kind is not one.
        var options = AnnotatorOptions()
        options.gates["theft"] = HeadGate(head: "roles", labels: ["价值"], minScore: nil, caseType: nil)
        let problems = options.problems(bundle: "kinds", heads: loaded.heads, kinds: kinds)
        XCTAssertTrue(problems.contains { $0.contains("which is a test_char_softmax, not a classifier") }, "\(problems)")
    }
}
