import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// Fine-tuning LAC's top GRU layer (`TrainingConfig.fineTuneLAC`, `wenshu train --fine-tune lac`):
/// the backward pass through time against central finite differences, a tiny training run,
/// the bundle round trip, and the refusal on a bundle without LAC. The LAC tests skip when
/// `.lac/` is absent (see `LACEncoderTests.lacFolder`).
final class LACFineTuneTests: XCTestCase {
    var dirs: [URL] = []
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }
    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-lacft-\(UUID().uuidString)")
        dirs.append(d)
        return d
    }

    /// A fresh LAC encoder (its own object, so fine-tuning it leaves the shared one alone)
    /// keeping the embedding rows of `texts`' characters.
    func freshLAC(_ texts: [String]) throws -> LACEncoder {
        var keep = Set<Unicode.Scalar>()
        for t in texts { keep.formUnion(t.unicodeScalars) }
        return try StackedLACTests.lac().pruned(keeping: keep)
    }

    /// A few real sentences (CAIL2021 theft fixture), cut so finite differences stay cheap;
    /// one holds a sentence break, so the text runs as two LAC pieces.
    func sentences() throws -> [String] {
        try FixtureData.theft().prefix(3).map { String(String.UnicodeScalarView($0.text.unicodeScalars.prefix(48))) }
    }

    /// L = Σ c·vectors + Σ e·document with fixed coefficients, in Double.
    func loss(_ enc: EncodedText, _ c: [Float], _ e: [Float]) -> Double {
        var s = 0.0
        for i in enc.vectors.indices { s += Double(c[i]) * Double(enc.vectors[i]) }
        for i in enc.document.indices { s += Double(e[i]) * Double(enc.document[i]) }
        return s
    }

    func testTrainingForwardMatchesInference() throws {
        let texts = try sentences()
        let lac = try freshLAC(texts)
        lac.setFineTuning(true)
        defer { lac.setFineTuning(false) }
        for t in texts {
            let a = lac.encode(AnalyzedText(t))
            let b = lac.encode(AnalyzedText(t), training: true, dropout: 0, seed: 0)
            XCTAssertNotNil(b.lacTraining)
            XCTAssertEqual(a.vectors.count, b.vectors.count)
            let worst = zip(a.vectors, b.vectors).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 2e-5, "the training forward computes the inference cell")
            XCTAssertEqual(a.wordStarts, b.wordStarts)
        }
    }

    func testTopLayerGradientsMatchCentralDifferences() throws {
        let texts = try sentences()
        let lac = try freshLAC(texts)
        lac.setFineTuning(true)
        defer { lac.setFineTuning(false) }
        let params = lac.parameters
        XCTAssertEqual(params.map(\.name), [LACNetwork.WeightName.layer1.w, LACNetwork.WeightName.layer1.r, LACNetwork.WeightName.layer1.b])
        XCTAssertEqual(params.map(\.shape), [[2, 384, 256], [2, 384, 128], [2, 768]])
        let analyzed = texts.map { AnalyzedText($0) }
        var rng = SeededRandom(seed: 11)
        let coefficients: [([Float], [Float])] = analyzed.map { a in
            let w = lac.outputDim
            return ((0..<(a.count * w)).map { _ in rng.uniform(-1, 1) }, (0..<(2 * w)).map { _ in rng.uniform(-1, 1) })
        }
        func total() -> Double {
            zip(analyzed, coefficients).reduce(0) { s, p in
                s + loss(lac.encode(p.0, training: true, dropout: 0, seed: 0), p.1.0, p.1.1)
            }
        }
        // Analytic gradients, accumulated over the sentences.
        let g = Gradients(params)
        for (a, c) in zip(analyzed, coefficients) {
            let enc = lac.encode(a, training: true, dropout: 0, seed: 0)
            XCTAssertGreaterThan(enc.lacTraining?.pieces.count ?? 0, 0)
            lac.backward(enc, dVectors: c.0, dDocument: c.1, into: g)
        }
        // Per tensor, direction and gate block (W, R: z, r, h rows; B: Wb and Rb of z, r, h):
        // the two weights of largest analytic gradient among 24 drawn from the block.
        let h = 128, gates = 384
        var checks: [(Parameter, Int, String)] = []
        for p in params {
            let cols = p.shape.count == 3 ? p.shape[2] : 1
            for d in 0..<2 {
                let blocks = p.shape.count == 3 ? 3 : 6
                for k in 0..<blocks {
                    let candidates: [Int] = (0..<24).map { _ in
                        let unit = Int(rng.next() % UInt64(h)), col = Int(rng.next() % UInt64(cols))
                        return p.shape.count == 3 ? (d * gates + k * h + unit) * cols + col : d * 2 * gates + k * h + unit
                    }
                    let grad = g.dense[ObjectIdentifier(p)]!
                    for i in candidates.sorted(by: { abs(grad[$0]) > abs(grad[$1]) }).prefix(2) {
                        checks.append((p, i, "\(p.name) dir \(d) block \(k) [\(i)]"))
                    }
                }
            }
        }
        XCTAssertEqual(checks.count, 2 * (2 * 3 + 2 * 3 + 2 * 6))
        // Float forward passes: at eps 1e-3 rounding dominates (worst error about 2e-2), at 1e-2
        // the worst is about 2e-3 (1.3e-3 at 2e-2, so truncation is still below it).
        let eps: Float = 1e-2
        var worst = 0.0, tested = 0
        for (p, i, label) in checks {
            let analytic = Double(g.dense[ObjectIdentifier(p)]![i])
            let w0 = p.value[i]
            p.value[i] = w0 + eps
            let plus = total()
            p.value[i] = w0 - eps
            let minus = total()
            p.value[i] = w0
            let numeric = (plus - minus) / Double(2 * eps)
            let err = abs(analytic - numeric) / max(abs(analytic), abs(numeric), 1e-2)
            worst = max(worst, err)
            tested += 1
            XCTAssertLessThan(err, 1e-2, "\(label): analytic \(analytic), numeric \(numeric)")
        }
        XCTAssertEqual(tested, 48)
        print("LAC top layer gradient check: \(tested) weights, worst relative error \(worst)")
    }

    func testFineTuningTrainsOnlyTheTopLayerAndRoundTrips() throws {
        let examples = Array(try FixtureData.theft().prefix(6))
        let lac = try freshLAC(examples.map(\.text))
        var ngramConfig = EncoderConfig.tiny; ngramConfig.wordFeatures = true
        let ngram = HashedNgramEncoder(config: ngramConfig)
        let enc = try StackedEncoder(parts: [lac, ngram])
        let b = ModelBundle.create(name: "finetuned", encoder: enc)
        let before = lac.tensors, ngramBefore = ngram.parameters.map(\.value)
        let lacPrint = lac.fingerprint, stackPrint = enc.fingerprint
        var cfg = TrainingConfig(epochs: 4, learningRate: 0.01, seed: 3, patience: 0, batchSize: 3, threads: 1, trainEncoder: false,
                                 maxTrainLength: 120, dropout: 0, lrDecay: 1, tuneThreshold: false)
        cfg.fineTuneLAC = true
        var losses: [Double] = [], firstStep: Double?
        _ = try Trainer.train(bundle: b, head: "theft", kind: .spanTagger, train: examples, dev: [], config: cfg) { p in
            if p.epochDone { losses.append(p.loss) }
            if firstStep == nil { firstStep = p.loss }
        }
        XCTAssertEqual(losses.count, 4)
        XCTAssertLessThan(losses.last!, losses.first!, "training loss per epoch: \(losses)")
        // Only the top layer moved; LAC is frozen again afterwards.
        let names = LACNetwork.WeightName.self
        for n in [names.embedding, names.layer0.w, names.layer0.r, names.layer0.b, names.emissionWeight, names.emissionBias, names.transitions] {
            XCTAssertEqual(lac.tensors[n], before[n], "\(n) stays frozen")
        }
        for n in [names.layer1.w, names.layer1.r, names.layer1.b] {
            XCTAssertNotEqual(lac.tensors[n], before[n], "\(n) is fine-tuned")
            XCTAssertEqual(lac.tensors[n]?.shape, before[n]?.shape)
        }
        XCTAssertEqual(ngram.parameters.map(\.value), ngramBefore, "the n-gram encoder stays frozen without trainEncoder")
        XCTAssertTrue(lac.parameters.isEmpty)
        XCTAssertEqual(lac.config.fineTuned, true)
        XCTAssertNotEqual(lac.fingerprint, lacPrint)
        XCTAssertNotEqual(enc.fingerprint, stackPrint)
        XCTAssertEqual(b.heads.first?.encoderFingerprint, enc.fingerprint)
        XCTAssertTrue(lac.summary.contains("fine-tuned"), lac.summary)
        // The network runs the fine-tuned weights.
        let w = lac.tensors[names.layer1.w]!.data
        XCTAssertEqual(lac.network.layers[1].w, w)

        // Round trip: the same tensors, configuration and annotations.
        let dir = tempDir()
        try b.save(to: dir)
        let l = try ModelBundle.load(at: dir)
        XCTAssertEqual(l.manifest, b.manifest)
        let loadedLAC = try XCTUnwrap(Trainer.lacEncoder(in: l.encoder))
        XCTAssertEqual(loadedLAC.config.fineTuned, true)
        XCTAssertEqual(loadedLAC.tensors, lac.tensors)
        XCTAssertEqual(loadedLAC.fingerprint, lac.fingerprint)
        let texts = examples.map(\.text)
        for t in texts.prefix(3) { XCTAssertEqual(l.encoder.encode(AnalyzedText(t)).vectors, enc.encode(AnalyzedText(t)).vectors) }
        XCTAssertEqual(try l.annotate(texts), try b.annotate(texts))

        // The same run with LAC frozen (the same n-gram encoder and head initialisation): its
        // loss stays higher, and its head, trained on the released LAC, is refused by the
        // fine-tuned bundle (the fingerprints differ only in LAC's tensors).
        let frozenEncoder = try StackedEncoder(parts: [try freshLAC(examples.map(\.text)), HashedNgramEncoder(config: ngramConfig)])
        let frozenBundle = ModelBundle.create(name: "frozen", encoder: frozenEncoder)
        var frozenLosses: [Double] = [], frozenFirstStep: Double?
        var frozenConfig = cfg
        frozenConfig.fineTuneLAC = nil
        _ = try Trainer.train(bundle: frozenBundle, head: "theft", kind: .spanTagger, train: examples, dev: [], config: frozenConfig) { p in
            if p.epochDone { frozenLosses.append(p.loss) }
            if frozenFirstStep == nil { frozenFirstStep = p.loss }
        }
        // The first step sees the same weights in both runs (the training forward against inference).
        let f0 = try XCTUnwrap(firstStep), g0 = try XCTUnwrap(frozenFirstStep)
        XCTAssertEqual(f0, g0, accuracy: 1e-4 * abs(g0))
        XCTAssertLessThan(losses.last!, frozenLosses.last!, "fine-tuned \(losses), frozen \(frozenLosses)")
        print("epoch losses: LAC top layer fine-tuned \(losses), LAC frozen \(frozenLosses)")
        XCTAssertNotEqual(frozenEncoder.fingerprint, enc.fingerprint)
        XCTAssertThrowsError(try l.addHead(named: "theft", from: frozenBundle, replace: true)) { e in
            XCTAssertEqual((e as? WenshuError)?.code, "bundle.fingerprint_mismatch")
        }
    }

    func testFineTuningIsRefusedWithoutLAC() throws {
        let b = ModelBundle.create(name: "nolac", encoder: HashedNgramEncoder(config: .tiny))
        var cfg = TrainingConfig(epochs: 1, threads: 1)
        cfg.fineTuneLAC = true
        XCTAssertThrowsError(try Trainer.train(bundle: b, head: "charge", kind: .singleLabel, train: Array(try FixtureData.charges().prefix(4)),
                                               dev: [], config: cfg)) { e in
            let w = e as? WenshuError
            XCTAssertEqual(w?.code, "train.bad_config")
            XCTAssertTrue(w?.message.contains("LAC") ?? false, w?.message ?? "\(e)")
        }
        XCTAssertTrue(b.heads.isEmpty)
    }
}
