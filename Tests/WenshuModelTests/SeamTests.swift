import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// A test encoder type: one-hot character classes (digit, Han, other) plus a constant, frozen.
/// It lives only in this test: registering it in a copy of `EncoderTypes` is all it takes.
final class CharClassEncoder: TextEncoder, @unchecked Sendable {
    static let typeName = "test-char-class"
    var outputDim: Int { 4 }
    var documentDim: Int { 8 }
    var fingerprint: String { "char-class-v1" }
    var parameters: [Parameter] { [] }
    var summary: String { "test char classes" }
    func validate() throws {}
    func encode(_ text: AnalyzedText) -> EncodedText {
        var v = [Float](repeating: 0, count: text.count * 4)
        for (i, c) in text.scalars.enumerated() {
            let k = c.properties.numericType != nil ? 0 : (c.value >= 0x4E00 && c.value <= 0x9FFF ? 1 : 2)
            v[i * 4 + k] = 1; v[i * 4 + 3] = 1
        }
        var e = EncodedText(length: text.count, width: 4, vectors: v, document: EncodedText.pool(v, rows: text.count, width: 4, groups: [4]),
                            cache: nil)
        e.sentence = text.sentenceIndex
        return e
    }
    func manifestEntry(prefix: String) -> EncoderManifest { EncoderManifest(type: Self.typeName, fingerprint: fingerprint) }
    func write(to folder: URL, prefix: String) throws -> EncoderManifest { manifestEntry(prefix: prefix) }
}

/// The model seam: encoder types from one table, stacked encoders, analysed text, scopes and gates.
final class SeamTests: XCTestCase {
    var dirs: [URL] = []
    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-seam-\(UUID().uuidString)")
        dirs.append(d)
        return d
    }
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }

    func testAnEncoderTypeAddedInATestCarriesHeadsThroughSaveAndLoad() throws {
        let b = ModelBundle.create(name: "custom", encoder: CharClassEncoder())
        let cfg = TrainingConfig(epochs: 3, learningRate: 0.05, seed: 5, patience: 0, batchSize: 4, threads: 1, trainEncoder: false)
        _ = try Trainer.train(bundle: b, head: "theft", kind: .eventExtractor, train: try FixtureData.theft(), dev: [], config: cfg)
        let dir = tempDir()
        try b.save(to: dir)
        // The built-in table does not know the type, and says which types it knows.
        XCTAssertThrowsError(try ModelBundle.load(at: dir)) { e in
            let w = e as? WenshuError
            XCTAssertEqual(w?.code, "bundle.bad_manifest")
            XCTAssertTrue(w?.message.contains("test-char-class") ?? false)
            XCTAssertTrue(w?.message.contains("hashed-ngram") ?? false)
        }
        var types = EncoderTypes.builtIn
        types.loaders[CharClassEncoder.typeName] = { _, _, _ in CharClassEncoder() }
        let l = try ModelBundle.load(at: dir, encoderTypes: types)
        let texts = try FixtureData.theft().map(\.text)
        XCTAssertEqual(try l.annotate(texts), try b.annotate(texts))
        XCTAssertEqual(l.heads.first?.encoderFingerprint, "char-class-v1")
    }

    func testStackedEncoderRoundTripAndColumns() throws {
        var c2 = EncoderConfig.tiny; c2.seed = 9; c2.hidden = 10
        let a = HashedNgramEncoder(config: .tiny), b2 = HashedNgramEncoder(config: c2)
        let s = try StackedEncoder(parts: [a, b2])
        XCTAssertEqual(s.outputDim, a.outputDim + b2.outputDim)
        let text = AnalyzedText("被告人黄某某于2017年6月9日窃得手机一部。价值人民币500元。")
        let e = s.encode(text), ea = a.encode(text), eb = b2.encode(text)
        XCTAssertEqual(e.document, ea.document + eb.document)
        for t in 0..<text.count {
            XCTAssertEqual(Array(e.vectors[(t * s.outputDim)..<(t * s.outputDim + a.outputDim)]), Array(ea.vectors[(t * a.outputDim)..<((t + 1) * a.outputDim)]))
            XCTAssertEqual(Array(e.vectors[(t * s.outputDim + a.outputDim)..<((t + 1) * s.outputDim)]), Array(eb.vectors[(t * b2.outputDim)..<((t + 1) * b2.outputDim)]))
        }
        XCTAssertEqual(e.sentence.last, 1, "two sentences from the analysed text")
        // Pooling a slice of rows equals encoding-side pooling when the slice is everything.
        XCTAssertEqual(e.rows([0..<text.count]).document, e.document)
        let bundle = ModelBundle.create(name: "stacked", encoder: s)
        let cfg = TrainingConfig(epochs: 2, learningRate: 0.05, seed: 5, patience: 0, batchSize: 4, threads: 2, trainEncoder: true)
        _ = try Trainer.train(bundle: bundle, head: "charges", kind: .multiLabel, train: try FixtureData.charges(), dev: [], config: cfg)
        let dir = tempDir()
        try bundle.save(to: dir)
        for f in ["manifest.json", "part0-encoder.safetensors", "part1-encoder.safetensors", "head-charges.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), f)
        }
        let l = try ModelBundle.load(at: dir)
        XCTAssertEqual(l.manifest, bundle.manifest)
        XCTAssertEqual(l.manifest.encoder.parts?.map(\.type), ["hashed-ngram", "hashed-ngram"])
        let texts = try FixtureData.charges().map(\.text)
        XCTAssertEqual(try l.annotate(texts), try bundle.annotate(texts))
    }

    /// Gradients through a stacked encoder: each part gets its own columns' gradient.
    func testStackedEncoderGradientsMatchFiniteDifferences() throws {
        let ex = try FixtureData.theft()[0]
        let a = HashedNgramEncoder(config: EncoderConfig(dim: 6, buckets: 512, hidden: 5, context: 1, seed: 2))
        let b2 = HashedNgramEncoder(config: EncoderConfig(dim: 4, buckets: 256, hidden: 3, context: 1, seed: 3))
        let s = try StackedEncoder(parts: [a, b2])
        let d = HeadDescription(name: "t", kind: .spanTagger, labels: Array(Set(ex.spans.map(\.label))).sorted(),
                                encoderFingerprint: "", settings: HeadSettings(tagScheme: .bioes))
        let tagger = try SpanTaggerHead(description: d, inputDim: s.outputDim, tensors: nil, path: "", seed: 3)
        let target = tagger.target(for: ex)!
        let text = AnalyzedText(ex.text)
        func loss() -> Double { tagger.lossAndGradients(s.encode(text, training: true, dropout: 0, seed: 0), target: target, into: Gradients([])).loss }
        let g = Gradients(s.parameters)
        let e = s.encode(text, training: true, dropout: 0, seed: 0)
        let r = tagger.lossAndGradients(e, target: target, into: g)
        s.backward(e, dVectors: r.dVectors, dDocument: r.dDocument, into: g)
        var checked = 0
        for W in [a.contextWeight!, b2.contextWeight!] {
            let analytic = g.dense[ObjectIdentifier(W)]!
            let h: Float = 1e-2
            for i in stride(from: 0, to: W.count, by: 5) {
                let old = W.value[i]
                W.value[i] = old + h; let lp = loss()
                W.value[i] = old - h; let lm = loss()
                W.value[i] = old
                let numeric = (lp - lm) / Double(2 * h)
                XCTAssertEqual(Double(analytic[i]), numeric, accuracy: 2e-3 + 0.03 * abs(numeric), "\(W.name)[\(i)]")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }

    func trainedBundle() throws -> ModelBundle {
        let b = ModelBundle.create(name: "test", encoder: .tiny)
        let tasks = [TaskData(name: "charges", kind: .multiLabel, train: try FixtureData.charges(), dev: try FixtureData.charges()),
                     TaskData(name: "theft", kind: .eventExtractor, train: try FixtureData.theft(), dev: [])]
        _ = try Trainer.trainMultiTask(bundle: b, tasks: tasks, config: BundleTests.quick)
        return b
    }

    /// The bundle remembers which texts its encoder learnt from, and a head trained later on
    /// the frozen encoder is told how many of its dev examples are among them.
    func testDevExamplesSeenByTheFrozenEncoderAreCounted() throws {
        let b = try trainedBundle()   // encoder trained with charges (all 7 as train) and theft
        let charges = try FixtureData.charges(), theft = try FixtureData.theft()
        XCTAssertEqual(b.encoderTexts.seen(charges.map(\.text)), charges.count)
        let dir = tempDir()
        try b.save(to: dir)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(EncoderTrainingTexts.file).path))
        let l = try ModelBundle.load(at: dir)
        XCTAssertEqual(l.encoderTexts, b.encoderTexts)
        let cfg = TrainingConfig(epochs: 1, learningRate: 0.05, seed: 5, patience: 0, batchSize: 4, threads: 1, trainEncoder: false)
        let fresh = [LabelledExample(id: "new", text: "被告人王某于2019年在某超市窃得香烟两条。", labels: ["盗窃"])]
        let r = try Trainer.trainMultiTask(bundle: l, tasks: [TaskData(name: "charges2", kind: .multiLabel, train: charges,
                                                                       dev: Array(charges.prefix(3)) + fresh)], config: cfg)
        XCTAssertEqual(r.devSeenByEncoder["charges2"], 3, "three dev texts were in the encoder's training data, one was not")
        XCTAssertEqual(l.encoderTexts.seen(theft.map(\.text)), theft.count)
    }

    func testScopeReadsFactsAndFallsBackToTheWholeText() {
        var t = AnalyzedText("本院认为。经审理查明，被告人窃得手机一部。判决如下。")
        XCTAssertEqual(HeadScope.ranges(HeadScope.facts, in: t), [0..<t.count], "no sections: the whole text")
        t.sections = [AnalyzedText.Section(kind: "reasoning", range: 0..<5), AnalyzedText.Section(kind: "facts", range: 5..<21),
                      AnalyzedText.Section(kind: "decision", range: 21..<t.count)]
        XCTAssertEqual(HeadScope.ranges(HeadScope.facts, in: t), [5..<21])
        XCTAssertEqual(HeadScope.ranges(nil, in: t), [0..<t.count])
        XCTAssertEqual(HeadScope.ranges(["tail"], in: t), [0..<t.count], "none of the named sections: the whole text")
    }

    func testGatesSkipHeadsAndSayWhy() throws {
        let b = try trainedBundle()
        let texts = try FixtureData.theft().map(\.text)
        // Closed: the charge head never gives a label that does not exist... a label it has, at an impossible score.
        let label = b.heads[0].labels[0]
        let closed = AnnotatorOptions(gates: ["theft": HeadGate(head: "charges", labels: [label], minScore: 1.01)])
        XCTAssertFalse(b.problems(with: closed).isEmpty, "min_score above 1 is refused")
        let shut = AnnotatorOptions(gates: ["theft": HeadGate(head: "charges", labels: [label], minScore: 1.0)])
        for a in try b.annotate(texts, options: shut) {
            XCTAssertTrue(a.events.isEmpty)
            XCTAssertTrue(a.skipped["theft"]?.hasPrefix("gate charges in [") ?? false, "\(a.skipped)")
        }
        // Open: every label of the head at score 0.
        let open = AnnotatorOptions(thresholds: ["charges": 0.0], gates: ["theft": HeadGate(head: "charges", labels: b.heads[0].labels, minScore: 0)])
        let ungated = try b.annotate(texts)
        let gated = try b.annotate(texts, options: open)
        XCTAssertEqual(gated.map { $0.events }, ungated.map { $0.events })
        // Case type from the structure.
        var civil = AnalyzedText(texts[0]); civil.attributes["case_type"] = "民事"
        let byCase = try b.annotate([civil], options: AnnotatorOptions(gates: ["theft": HeadGate(caseType: ["刑事"])]))[0]
        XCTAssertTrue(byCase.events.isEmpty)
        XCTAssertEqual(byCase.skipped["theft"], "gate case_type in [刑事]: case_type is 民事")
    }

    func testOptionProblemsNameEveryBadHead() throws {
        let b = try trainedBundle()
        let o = AnnotatorOptions(heads: ["charge"], thresholds: ["chargez": 0.5], minScores: ["theft": 2],
                                 gates: ["drugs": HeadGate(caseType: ["刑事"]), "theft": HeadGate(head: "theft", labels: ["x"])])
        let p = b.problems(with: o)
        XCTAssertTrue(p.contains { $0.contains("heads: no head named 'charge'") && $0.contains("heads: charges, theft") }, "\(p)")
        XCTAssertTrue(p.contains { $0.contains("thresholds: no head named 'chargez'") })
        XCTAssertTrue(p.contains { $0.contains("min_scores: 'theft' is 2.0") })
        XCTAssertTrue(p.contains { $0.contains("gates: no head named 'drugs'") })
        XCTAssertTrue(p.contains { $0.contains("depends on itself") })
        let cyc = AnnotatorOptions(gates: ["charges": HeadGate(head: "theft", labels: ["x"]), "theft": HeadGate(head: "charges", labels: [b.heads[0].labels[0]])])
        XCTAssertTrue(b.problems(with: cyc).contains { $0.contains("cycle") }, "\(b.problems(with: cyc))")
    }
}
