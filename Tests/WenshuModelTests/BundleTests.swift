import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// Bundle folders: round trip, head edits, fingerprint refusal, tampered tensors, training rules.
final class BundleTests: XCTestCase {
    var dirs: [URL] = []
    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-bundle-\(UUID().uuidString)")
        dirs.append(d)
        return d
    }
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }

    static let quick = TrainingConfig(epochs: 3, learningRate: 0.05, seed: 5, patience: 0, batchSize: 4, threads: 2, trainEncoder: true)

    func trainedBundle(seed: UInt64 = 1) throws -> ModelBundle {
        var enc = EncoderConfig.tiny
        enc.seed = seed
        let b = ModelBundle.create(name: "test", encoder: enc)
        let tasks = [TaskData(name: "charges", kind: .multiLabel, train: try FixtureData.charges(), dev: try FixtureData.charges()),
                     TaskData(name: "theft", kind: .eventExtractor, train: try FixtureData.theft(), dev: [])]
        _ = try Trainer.trainMultiTask(bundle: b, tasks: tasks, config: BundleTests.quick)
        return b
    }

    func testRoundTripKeepsManifestWeightsAndPredictions() throws {
        let b = try trainedBundle()
        let dir = tempDir()
        try b.save(to: dir)
        for f in ["manifest.json", "encoder.safetensors", "head-charges.safetensors", "head-theft.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), f)
        }
        let l = try ModelBundle.load(at: dir)
        XCTAssertEqual(l.manifest, b.manifest)
        XCTAssertEqual(l.heads.map(\.kind), [.multiLabel, .eventExtractor])
        XCTAssertEqual(l.heads[1].settings.event?.mode, .single)
        XCTAssertTrue(l.heads.allSatisfy { $0.encoderFingerprint == l.fingerprint })
        XCTAssertEqual(l.heads[0].training?.trainExamples, try FixtureData.charges().count)
        for (p, q) in zip(l.encoder.parameters, b.encoder.parameters) { XCTAssertEqual(p.value, q.value, p.name) }
        let texts = try FixtureData.theft().map(\.text) + FixtureData.charges().map(\.text)
        XCTAssertEqual(try l.annotate(texts), try b.annotate(texts))
        // Head selection and thresholds.
        let only = try l.annotate(texts, options: AnnotatorOptions(heads: ["charges"], thresholds: ["charges": 0.0]))
        XCTAssertTrue(only.allSatisfy { $0.events.isEmpty && $0.classifications.count == 1 })
        XCTAssertEqual(only[0].classifications[0].labels.count, l.heads[0].labels.count, "threshold 0 keeps every label")
        XCTAssertThrowsError(try l.annotate(texts, options: AnnotatorOptions(heads: ["nope"]))) {
            XCTAssertEqual(($0 as? WenshuError)?.code, "bundle.unknown_head")
        }
    }

    func testRemoveAndAddHead() throws {
        let b = try trainedBundle()
        let before = b.info.version
        try b.removeHead(named: "theft")
        XCTAssertEqual(b.heads.map(\.name), ["charges"])
        XCTAssertNotEqual(b.info.version, before)
        XCTAssertThrowsError(try b.removeHead(named: "theft")) { XCTAssertEqual(($0 as? WenshuError)?.code, "bundle.unknown_head") }
        let dir = tempDir()
        try b.save(to: dir)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("head-theft.safetensors").path))

        // A head trained on the same encoder (trainEncoder = false) can move between bundles.
        let donor = try ModelBundle.load(at: dir)
        var frozen = BundleTests.quick
        frozen.trainEncoder = false
        _ = try Trainer.train(bundle: donor, head: "drugs", kind: .spanTagger, train: FixtureData.drugs(), dev: [], config: frozen)
        XCTAssertEqual(donor.fingerprint, b.fingerprint, "a frozen encoder keeps its fingerprint")
        try b.addHead(named: "drugs", from: donor)
        XCTAssertEqual(b.heads.map(\.name), ["charges", "drugs"])
        let t = try FixtureData.drugs().map(\.text)
        XCTAssertEqual(try b.annotate(t, options: AnnotatorOptions(heads: ["drugs"])), try donor.annotate(t, options: AnnotatorOptions(heads: ["drugs"])))
    }

    func testAddHeadRefusesAnotherEncoder() throws {
        let a = try trainedBundle(seed: 1)
        let other = try trainedBundle(seed: 2)
        XCTAssertNotEqual(a.fingerprint, other.fingerprint)
        XCTAssertThrowsError(try a.addHead(named: "theft", from: other)) { e in
            let w = e as? WenshuError
            XCTAssertEqual(w?.code, "bundle.fingerprint_mismatch")
            XCTAssertTrue(w?.message.contains(a.fingerprint) ?? false)
            XCTAssertTrue(w?.message.contains(other.fingerprint) ?? false)
        }
    }

    func testLoadRefusesHeadWithForeignFingerprint() throws {
        let dir = tempDir()
        try trainedBundle().save(to: dir)
        let m = dir.appendingPathComponent("manifest.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: m)) as! [String: Any]
        var heads = json["heads"] as! [[String: Any]]
        heads[0]["encoderFingerprint"] = String(repeating: "0", count: 64)
        json["heads"] = heads
        try JSONSerialization.data(withJSONObject: json).write(to: m)
        XCTAssertThrowsError(try ModelBundle.load(at: dir)) { e in
            XCTAssertEqual((e as? WenshuError)?.code, "bundle.fingerprint_mismatch")
            XCTAssertTrue((e as? WenshuError)?.message.contains(String(repeating: "0", count: 64)) ?? false)
        }
    }

    func testTamperedTensorShapeIsRefused() throws {
        let dir = tempDir()
        let b = try trainedBundle()
        try b.save(to: dir)
        let f = dir.appendingPathComponent("head-charges.safetensors")
        var (tensors, meta) = try SafeTensors.read(from: f)
        let w = tensors["weight"]!
        tensors["weight"] = SafeTensor(shape: [w.shape[1], w.shape[0]], data: w.data)
        try SafeTensors.write(tensors, metadata: meta, to: f)
        XCTAssertThrowsError(try ModelBundle.load(at: dir)) { e in
            let w = e as? WenshuError
            XCTAssertEqual(w?.code, "bundle.shape_mismatch")
            XCTAssertEqual(w?.path, f.path)
        }
        // Truncated data is refused by the reader itself.
        let data = try Data(contentsOf: f)
        try data.prefix(data.count - 4).write(to: f)
        XCTAssertThrowsError(try ModelBundle.load(at: dir)) { XCTAssertEqual(($0 as? WenshuError)?.code, "bundle.bad_tensors") }
        // Changed encoder weights no longer match the manifest's fingerprint.
        let e = dir.appendingPathComponent("encoder.safetensors")
        var (et, em) = try SafeTensors.read(from: e)
        et["context.bias"]!.data[0] += 1
        try SafeTensors.write(et, metadata: em, to: e)
        try SafeTensors.write(b.heads.isEmpty ? [:] : b.head(named: "charges")!.parameters.tensors, to: f)
        XCTAssertThrowsError(try ModelBundle.load(at: dir)) { XCTAssertEqual(($0 as? WenshuError)?.code, "bundle.fingerprint_mismatch") }
    }

    func testSafeTensorsFormat() throws {
        let t = ["a": SafeTensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]), "b": SafeTensor(shape: [1], data: [-1])]
        let d = try SafeTensors.encode(t, metadata: ["k": "v"])
        let n = d.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        let header = try JSONSerialization.jsonObject(with: d.subdata(in: 8..<(8 + n))) as! [String: Any]
        XCTAssertEqual((header["a"] as! [String: Any])["dtype"] as? String, "F32")
        XCTAssertEqual((header["b"] as! [String: Any])["data_offsets"] as? [Int], [24, 28])
        XCTAssertEqual(d.count, 8 + n + 28)
        let back = try SafeTensors.decode(d, path: "mem")
        XCTAssertEqual(back.tensors, t)
        XCTAssertEqual(back.metadata, ["k": "v"])
        XCTAssertThrowsError(try SafeTensors.decode(Data([1, 2, 3]), path: "x"))
    }

    func testTrainingEncoderRefusesWhenOtherHeadsExist() throws {
        let b = try trainedBundle()
        XCTAssertThrowsError(try Trainer.train(bundle: b, head: "drugs", kind: .spanTagger, train: FixtureData.drugs(), dev: [], config: BundleTests.quick)) { e in
            XCTAssertEqual((e as? WenshuError)?.code, "train.encoder_shared")
            XCTAssertTrue((e as? WenshuError)?.message.contains("charges") ?? false)
        }
        XCTAssertThrowsError(try Trainer.train(bundle: b, head: "x", kind: .singleLabel, train: FixtureData.theft(), dev: [],
                                               config: TrainingConfig(trainEncoder: false))) {
            XCTAssertEqual(($0 as? WenshuError)?.code, "train.no_labels")
        }
    }

    func testTrainingIsReproducible() throws {
        let a = try trainedBundle(), b = try trainedBundle()
        XCTAssertEqual(a.fingerprint, b.fingerprint)
        XCTAssertEqual(a.info.version, b.info.version)
    }

    func testLongTextsAreEncodedExactlyInWindows() throws {
        let b = ModelBundle.create(name: "w", encoder: .tiny)
        let base = try FixtureData.charges().map(\.text).joined()
        let text = Array(String(repeating: base, count: 3).unicodeScalars)
        XCTAssertGreaterThan(text.count, 2 * HashedNgramEncoder.windowSize)
        let enc = try XCTUnwrap(b.encoder as? HashedNgramEncoder)
        let windowed = enc.encode(text, wordStarts: nil)
        let whole = enc.encode(text, wordStarts: nil, training: true)
        XCTAssertEqual(windowed.vectors.count, whole.vectors.count)
        for i in stride(from: 0, to: whole.vectors.count, by: 97) { XCTAssertEqual(windowed.vectors[i], whole.vectors[i], accuracy: 1e-5) }
        XCTAssertEqual(windowed.document.count, 2 * EncoderConfig.tiny.outputDim)
    }

    func testFoldingPreservesLength() {
        let s = Array("ＡＢＣ１２３　被告人（甲）".unicodeScalars)
        let f = CharFolding.fold(s, digits: true)
        XCTAssertEqual(f.count, s.count)
        XCTAssertEqual(String(String.UnicodeScalarView(f.prefix(7).compactMap(Unicode.Scalar.init))), "abc000 ")
        XCTAssertEqual(f[7], "被".unicodeScalars.first!.value)
    }
}

/// The deterministic dev split.
final class SplitTests: XCTestCase {
    func testSplitIsDeterministicByIdentity() throws {
        let ex = try FixtureData.theft() + FixtureData.theft("theft-nested") + FixtureData.drugs()
        let (t1, d1) = Trainer.split(ex, devFraction: 0.3, seed: 1)
        let (t2, d2) = Trainer.split(ex.reversed(), devFraction: 0.3, seed: 1)
        XCTAssertEqual(t1.count + d1.count, ex.count)
        XCTAssertEqual(Set(d1.map(\.id)), Set(d2.map(\.id)))
        XCTAssertEqual(Set(t1.map(\.id)), Set(t2.map(\.id)))
        XCTAssertTrue(Set(d1.map(\.id)).isDisjoint(with: Set(t1.map(\.id))))
        XCTAssertEqual(Trainer.split(ex, devFraction: 0).dev.count, 0)
        XCTAssertEqual(Trainer.split(ex, devFraction: 1).train.count, 0)
    }
}

/// Encoder inputs beyond plain text, and labelled data with bad offsets.
final class EncoderInputTests: XCTestCase {
    func testWordBoundaryFeaturesChangeVectorsOnlyWhenEnabled() throws {
        let text = Array(try FixtureData.theft()[0].text.unicodeScalars)
        let starts = Set(stride(from: 0, to: text.count, by: 2))
        var cfg = EncoderConfig.tiny
        cfg.wordFeatures = true
        let on = HashedNgramEncoder(config: cfg)
        XCTAssertEqual(on.featuresPerChar(words: true), on.featuresPerChar(words: false) + 2)
        XCTAssertNotEqual(on.encode(text, wordStarts: starts).vectors, on.encode(text, wordStarts: nil).vectors)
        let off = HashedNgramEncoder(config: .tiny)
        XCTAssertEqual(off.featuresPerChar(words: true), off.featuresPerChar(words: false))
    }

    func testOutOfRangeGoldSpansAreDroppedNotFatal() throws {
        var ex = try FixtureData.theft()
        ex[0].spans.append(LabelledSpan(label: "NHCS", start: 5, end: 10_000))
        ex[1].spans.append(LabelledSpan(label: "NHCS", start: -3, end: 2))
        ex[2].events[0].arguments.append(LabelledArgument(role: "NT", start: 900, end: 905))
        let b = ModelBundle.create(name: "bad", encoder: .tiny)
        let cfg = TrainingConfig(epochs: 1, threads: 1, trainEncoder: true)
        XCTAssertNoThrow(try Trainer.train(bundle: b, head: "spans", kind: .spanTagger, train: ex, dev: ex, config: cfg))
        XCTAssertNoThrow(try Trainer.train(bundle: b, head: "events", kind: .eventExtractor, train: ex, dev: ex,
                                           config: TrainingConfig(epochs: 1, threads: 1, trainEncoder: false)))
        XCTAssertEqual(try b.annotate(["", "盗窃"]).count, 2)
    }
}

/// A bad encoder configuration is an error, never a trap.
final class ConfigTests: XCTestCase {
    func testInvalidEncoderConfigIsRefused() throws {
        XCTAssertThrowsError(try EncoderConfig(dim: 0, buckets: 0).validate()) { XCTAssertEqual(($0 as? WenshuError)?.code, "bundle.bad_config") }
        let b = ModelBundle.create(name: "x", encoder: EncoderConfig(dim: 8, buckets: 1024, hidden: 8, context: 7))
        let enc = try XCTUnwrap(b.encoder as? HashedNgramEncoder)
        XCTAssertEqual(enc.config.context, 3, "clamped at creation")
        XCTAssertNoThrow(try enc.config.validate())
    }
}
