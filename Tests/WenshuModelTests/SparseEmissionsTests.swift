import Foundation
import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// The taggers' sparse emission path (`SparseEmissions`, `HeadSettings.emissionBuckets`):
/// features, gradients against finite differences, float16 storage, save and load, and
/// bundles without the setting behaving as before.
final class SparseEmissionsTests: XCTestCase {
    var dirs: [URL] = []
    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-sparse-em-\(UUID().uuidString)")
        dirs.append(d)
        return d
    }
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }

    func testFeatureRowsAreStableLocalAndFoldDigits() {
        let F = SparseEmissions.featuresPerPosition
        XCTAssertEqual(F, 10)
        let text = Array("被告人黄某于2019年5月窃得手机一部。".unicodeScalars)
        let rows = SparseEmissions.rows(text, buckets: 50_000)
        XCTAssertEqual(rows.count, text.count * F)
        XCTAssertTrue(rows.allSatisfy { $0 >= 0 && $0 < 50_000 })
        XCTAssertEqual(SparseEmissions.rows(text, buckets: 50_000), rows, "deterministic")
        // Pinned values (from an independent Python version of the hash): saved tables depend
        // on the hash, so it must never change. Position 0 and 1 share the rows of the
        // templates that read only markers (offset -2: begin; offset +2: end).
        XCTAssertEqual(SparseEmissions.rows(Array("窃得".unicodeScalars), buckets: 1 << 20),
                       [886432, 142442, 1031626, 109805, 752994, 174469, 544989, 404345, 427073, 915518,
                        886432, 196134, 141993, 225012, 752994, 853216, 274396, 250839, 123912, 270040])
        // Digits are folded: another year gives the same rows.
        let other = Array("被告人黄某于2018年6月窃得手机一部。".unicodeScalars)
        XCTAssertEqual(SparseEmissions.rows(other, buckets: 50_000), rows)
        // Different characters give different rows at the changed position (10 templates; a
        // collision of all of them is practically impossible).
        let changed = Array("被告人李某于2019年5月窃得手机一部。".unicodeScalars)
        let rc = SparseEmissions.rows(changed, buckets: 50_000)
        XCTAssertNotEqual(Array(rc[(3 * F)..<(4 * F)]), Array(rows[(3 * F)..<(4 * F)]))
        // Features are local: a window's rows equal the whole text's rows two characters away
        // from its edges, and the edges see the begin / end markers instead.
        let window = Array(text[4..<14])
        let rw = SparseEmissions.rows(window, buckets: 50_000)
        for t in 2..<(window.count - 2) {
            XCTAssertEqual(Array(rw[(t * F)..<((t + 1) * F)]), Array(rows[((t + 4) * F)..<((t + 5) * F)]), "position \(t)")
        }
        XCTAssertNotEqual(Array(rw[0..<F]), Array(rows[(4 * F)..<(5 * F)]))
        // The unigram template at offset 0 of one character is independent of its neighbours.
        XCTAssertEqual(rw[0 * F + 2], rows[4 * F + 2])
        // No table, no features.
        XCTAssertEqual(SparseEmissions.rows(text, buckets: 0), [])
        XCTAssertEqual(SparseEmissions.rows([], buckets: 10), [])
    }

    /// Loss of a two-layer core with a sparse path: gradients of the table rows, the dense
    /// weights and the input vectors against central finite differences.
    func testSparseEmissionGradientsMatchFiniteDifferences() throws {
        let ex = try FixtureData.theft()[0]
        let text = Array(ex.text.unicodeScalars.prefix(24))
        let spans = ex.spans.filter { $0.end <= text.count }.map { ($0.label, $0.start, $0.end) }
        let labels = Array(Set(ex.spans.map(\.label))).sorted()
        XCTAssertGreaterThan(labels.count, 1)
        let groups = [Array(labels.prefix(1)), Array(labels.dropFirst())]
        let H = 4, T = text.count
        let core = try TaggerCore(prefix: "", scheme: .bio, labels: labels, groups: groups, inputDim: H, emissionBuckets: 97,
                                  tensors: nil, path: "", seed: 7)
        var rng = SeededRandom(seed: 11)
        for l in core.layers {
            let table = try XCTUnwrap(l.table)
            XCTAssertTrue(table.sparse && table.halfPrecision)
            XCTAssertEqual(table.shape, [97, l.crf.K])
            table.value = table.value.map { _ in rng.uniform(-0.5, 0.5) }
            l.transitions.value = l.transitions.value.map { _ in rng.uniform(-0.5, 0.5) }
        }
        var e = EncodedText(length: T, width: H, vectors: (0..<(T * H)).map { _ in rng.uniform(-1, 1) }, document: [], cache: nil)
        e.text = text
        let tags = core.tags(spans, length: T)
        func loss() -> Double { core.lossAndGradients(e, tags: tags, into: Gradients([])).0 }
        let g = Gradients(core.parameters)
        let (l0, dx) = core.lossAndGradients(e, tags: tags, into: g)
        XCTAssertGreaterThan(l0, 0)
        // The sparse path changes the loss (it is not silently off).
        var noText = e
        noText.text = nil
        XCTAssertNotEqual(core.lossAndGradients(noText, tags: tags, into: Gradients([])).0, l0)
        let h: Float = 1e-2
        func check(_ fd: Double, _ analytic: Double, _ what: String) {
            XCTAssertEqual(analytic, fd, accuracy: 2e-3 + 0.02 * abs(fd), what)
        }
        var checked = 0
        for l in core.layers {
            let table = l.table!, K = l.crf.K
            let sr = try XCTUnwrap(g.sparse[ObjectIdentifier(table)])
            // Only rows of features present in the text get gradients.
            let present = Set(SparseEmissions.rows(text, buckets: 97))
            XCTAssertEqual(Set(sr.rows), present.intersection(Set(sr.rows)))
            XCTAssertEqual(Set(sr.rows), present)
            for row in sr.rows.prefix(8) {
                for k in stride(from: 0, to: K, by: 2) {
                    let i = Int(row) * K + k
                    let old = table.value[i]
                    table.value[i] = old + h; let a = loss()
                    table.value[i] = old - h; let b = loss()
                    table.value[i] = old
                    let analytic = Double(sr.data[sr.index[row]! + k])
                    check((a - b) / Double(2 * h), analytic, "table row \(row) tag \(k)")
                    checked += 1
                }
            }
            // A row no feature hits has no gradient and does not move the loss.
            if let free = (0..<97).first(where: { !present.contains(Int32($0)) }) {
                let old = table.value[free * K]
                table.value[free * K] = old + 1
                XCTAssertEqual(loss(), l0, accuracy: 1e-9)
                table.value[free * K] = old
            }
            // Dense weights still get theirs.
            let dw = try XCTUnwrap(g.dense[ObjectIdentifier(l.weight)])
            for i in stride(from: 0, to: l.weight.count, by: 5) {
                let old = l.weight.value[i]
                l.weight.value[i] = old + h; let a = loss()
                l.weight.value[i] = old - h; let b = loss()
                l.weight.value[i] = old
                check((a - b) / Double(2 * h), Double(dw[i]), "weight \(i)")
            }
        }
        XCTAssertGreaterThan(checked, 20)
        for i in stride(from: 0, to: T * H, by: 7) {
            let old = e.vectors[i]
            e.vectors[i] = old + h; let a = loss()
            e.vectors[i] = old - h; let b = loss()
            e.vectors[i] = old
            check((a - b) / Double(2 * h), Double(dx[i]), "vector \(i)")
        }
    }

    func testBadBucketCountsAreRefused() throws {
        for b in [-1, SparseEmissions.maxBuckets + 1] {
            var d = HeadDescription(name: "t", kind: .spanTagger, labels: ["A"], encoderFingerprint: "", settings: HeadSettings(tagScheme: .bio))
            d.settings.emissionBuckets = b
            XCTAssertThrowsError(try SpanTaggerHead(description: d, inputDim: 4, tensors: nil, path: "p", seed: 1)) {
                XCTAssertEqual(($0 as? WenshuError)?.code, "bundle.bad_head")
            }
            var c = TrainingConfig()
            c.emissionBuckets = b
            let bundle = ModelBundle.create(name: "x", encoder: .tiny)
            XCTAssertThrowsError(try Trainer.train(bundle: bundle, head: "t", kind: .spanTagger, train: FixtureData.theft(), dev: [], config: c)) {
                XCTAssertEqual(($0 as? WenshuError)?.code, "train.bad_config")
            }
        }
    }

    /// `emissionLearningRate` sets the tables' Adam rate alone: after one Adam step (one batch)
    /// every touched table entry has moved by about that rate, the dense weights by the run's.
    func testEmissionLearningRateAppliesToTheTablesOnly() throws {
        let theft = try FixtureData.theft()
        func oneStep(_ rate: Float?) throws -> (table: Float, bias: Float) {
            let bundle = ModelBundle.create(name: "lr", encoder: .tiny)
            var c = TrainingConfig(epochs: 1, learningRate: 0.001, seed: 3, patience: 0, batchSize: 1000, threads: 1, trainEncoder: false,
                                   maxTrainLength: nil, dropout: 0, lrDecay: 1, tuneThreshold: false)
            c.emissionBuckets = 512
            c.emissionLearningRate = rate
            _ = try Trainer.train(bundle: bundle, head: "t", kind: .spanTagger, train: theft, dev: [], config: c)
            let h = try XCTUnwrap(bundle.head(named: "t"))
            let table = h.parameters.filter { $0.name.hasSuffix(SparseEmissions.tableName) }.flatMap(\.value).map(abs).max() ?? 0
            let bias = h.parameters.filter { $0.name == "bias" }.flatMap(\.value).map(abs).max() ?? 0
            return (table, bias)
        }
        let plain = try oneStep(nil), fast = try oneStep(0.1)
        XCTAssertEqual(plain.table, 0.001, accuracy: 1e-4)
        XCTAssertEqual(fast.table, 0.1, accuracy: 1e-2)
        XCTAssertEqual(plain.bias, 0.001, accuracy: 1e-4)
        XCTAssertEqual(fast.bias, plain.bias, accuracy: 1e-6)
        var bad = TrainingConfig()
        bad.emissionLearningRate = 0
        XCTAssertThrowsError(try Trainer.train(bundle: ModelBundle.create(name: "x", encoder: .tiny), head: "t", kind: .spanTagger,
                                               train: theft, dev: [], config: bad)) {
            XCTAssertEqual(($0 as? WenshuError)?.code, "train.bad_config")
        }
    }

    /// `emissionTablesOnly`: the existing head's weights stay exactly as they were (dense
    /// emissions, CRF, pair and link scorers), only the new tables learn; refused without such
    /// a head or with the encoder trained.
    func testEmissionTablesOnlyKeepsTheExistingHead() throws {
        let drugs = try FixtureData.drugs()
        let bundle = ModelBundle.create(name: "warm", encoder: .tiny)
        var c = TrainingConfig(epochs: 3, learningRate: 0.05, seed: 3, patience: 0, batchSize: 4, threads: 2, trainEncoder: false,
                               maxTrainLength: nil, dropout: 0, lrDecay: 1)
        _ = try Trainer.train(bundle: bundle, head: "drugs", kind: .eventExtractor, train: drugs, dev: drugs, config: c)
        let old = try XCTUnwrap(bundle.head(named: "drugs"))
        let oldValues = Dictionary(uniqueKeysWithValues: old.parameters.map { ($0.name, $0.value) })
        XCTAssertTrue(oldValues.keys.contains { $0.hasPrefix("pair.") })
        c.emissionBuckets = 512
        c.emissionTablesOnly = true
        _ = try Trainer.train(bundle: bundle, head: "drugs", kind: .eventExtractor, train: drugs, dev: drugs, config: c)
        let new = try XCTUnwrap(bundle.head(named: "drugs"))
        XCTAssertFalse(new === old)
        XCTAssertEqual(new.description.settings.emissionBuckets, 512)
        XCTAssertEqual(new.description.labels, old.description.labels)
        XCTAssertEqual(new.description.settings.event?.pairClasses, old.description.settings.event?.pairClasses)
        var tables = 0
        for p in new.parameters {
            if p.name.hasSuffix(SparseEmissions.tableName) {
                tables += 1
                XCTAssertTrue(p.value.contains { $0 != 0 }, "\(p.name) learnt")
            } else {
                XCTAssertEqual(p.value, oldValues[p.name], p.name)
            }
        }
        XCTAssertGreaterThan(tables, 0)
        // Refusals: the head already has tables; no such head; the encoder trained.
        XCTAssertThrowsError(try Trainer.train(bundle: bundle, head: "drugs", kind: .eventExtractor, train: drugs, dev: [], config: c)) {
            XCTAssertEqual(($0 as? WenshuError)?.code, "train.bad_config")
        }
        XCTAssertThrowsError(try Trainer.train(bundle: bundle, head: "other", kind: .eventExtractor, train: drugs, dev: [], config: c)) {
            XCTAssertEqual(($0 as? WenshuError)?.code, "train.bad_config")
        }
        c.trainEncoder = true
        XCTAssertThrowsError(try Trainer.train(bundle: ModelBundle.create(name: "x", encoder: .tiny), head: "drugs", kind: .eventExtractor,
                                               train: drugs, dev: [], config: c)) {
            XCTAssertEqual(($0 as? WenshuError)?.code, "train.bad_config")
        }
    }

    /// A span head and an event head with the sparse path, trained on a frozen encoder: the
    /// setting is in the manifest, the tables are stored as float16, and a saved and loaded
    /// bundle annotates exactly as the trained one (long texts included, in sentence windows).
    func testBundleWithSparsePathSavesAsFloat16AndLoadsIdentically() throws {
        let bundle = ModelBundle.create(name: "sparse", encoder: .tiny)
        var config = TrainingConfig(epochs: 4, learningRate: 0.05, seed: 3, patience: 0, batchSize: 4, threads: 2, trainEncoder: false,
                                    maxTrainLength: nil, dropout: 0, lrDecay: 1)
        config.emissionBuckets = 4096
        let theft = try FixtureData.theft(), drugs = try FixtureData.drugs()
        _ = try Trainer.train(bundle: bundle, head: "theft", kind: .eventExtractor, train: theft, dev: theft, config: config)
        _ = try Trainer.train(bundle: bundle, head: "drugs", kind: .spanTagger, train: drugs, dev: drugs, config: config)
        XCTAssertEqual(bundle.heads.map { $0.settings.emissionBuckets }, [4096, 4096])
        XCTAssertEqual(bundle.heads[0].training?.config?.emissionBuckets, 4096)
        for name in ["theft", "drugs"] {
            let h = try XCTUnwrap(bundle.head(named: name))
            let tables = h.parameters.filter { $0.name.hasSuffix("emission_table") }
            XCTAssertFalse(tables.isEmpty)
            XCTAssertTrue(tables.allSatisfy { t in t.value.contains { $0 != 0 } }, "\(name): the tables were trained")
            XCTAssertTrue(tables.allSatisfy { $0.count < ModelBundle.float16Threshold })
        }
        let dir = tempDir()
        try bundle.save(to: dir)
        for name in ["theft", "drugs"] {
            let data = try Data(contentsOf: dir.appendingPathComponent("head-\(name).safetensors"))
            let n = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            let header = try XCTUnwrap(JSONSerialization.jsonObject(with: data[8..<(8 + n)]) as? [String: Any])
            let tables = header.filter { $0.key.hasSuffix("emission_table") }
            XCTAssertFalse(tables.isEmpty, name)
            for (k, v) in tables { XCTAssertEqual((v as? [String: Any])?["dtype"] as? String, "F16", "\(name) \(k)") }
            XCTAssertEqual((header["weight"] as? [String: Any] ?? header["tagger.weight"] as? [String: Any])?["dtype"] as? String, "F32")
        }
        let loaded = try ModelBundle.load(at: dir)
        XCTAssertEqual(loaded.heads, bundle.heads)
        XCTAssertEqual(loaded.info.version, bundle.info.version)
        let long = String(repeating: "本院依法组成合议庭，公开开庭审理了本案。", count: 40)
        let texts = theft.map(\.text) + drugs.map(\.text) + [long + theft[0].text + long]
        let before = try bundle.annotate(texts)
        XCTAssertFalse(before.allSatisfy { $0.entities.isEmpty })
        XCTAssertEqual(try loaded.annotate(texts), before)
        // Saving the loaded bundle again keeps float16 (the flag survives loading) and the bytes.
        let again = tempDir()
        try loaded.save(to: again)
        for name in ["theft", "drugs"] {
            XCTAssertEqual(try Data(contentsOf: again.appendingPathComponent("head-\(name).safetensors")),
                           try Data(contentsOf: dir.appendingPathComponent("head-\(name).safetensors")), name)
        }
        // The sparse path matters: without its tables the loaded head predicts otherwise.
        let h = try XCTUnwrap(loaded.head(named: "drugs"))
        for p in h.parameters where p.name.hasSuffix("emission_table") { p.value = [Float](repeating: 0, count: p.count) }
        XCTAssertNotEqual(try loaded.annotate(texts, options: AnnotatorOptions(heads: ["drugs"])),
                          try bundle.annotate(texts, options: AnnotatorOptions(heads: ["drugs"])))
    }

    /// Bundles trained before the sparse path (no `emissionBuckets`): no table is expected,
    /// none is written, the manifest does not gain the key, and the head's emissions are the
    /// dense part alone whether the text is given or not.
    func testHeadsWithoutTheSettingBehaveAsBefore() throws {
        let bundle = ModelBundle.create(name: "plain", encoder: .tiny)
        let config = TrainingConfig(epochs: 2, learningRate: 0.05, seed: 3, patience: 0, batchSize: 4, threads: 2, trainEncoder: false,
                                    maxTrainLength: nil, dropout: 0, lrDecay: 1)
        let theft = try FixtureData.theft()
        _ = try Trainer.train(bundle: bundle, head: "theft", kind: .eventExtractor, train: theft, dev: [], config: config)
        let h = try XCTUnwrap(bundle.head(named: "theft") as? EventHead)
        XCTAssertNil(h.description.settings.emissionBuckets)
        XCTAssertTrue(h.core.layers.allSatisfy { $0.table == nil })
        XCTAssertFalse(h.parameters.contains { $0.name.contains("emission") })
        let json = String(decoding: try JSONEncoder().encode(bundle.manifest), as: UTF8.self)
        XCTAssertFalse(json.contains("emissionBuckets"))
        let enc = bundle.encoder.encode(AnalyzedText(theft[0].text))
        XCTAssertEqual(h.core.decode(enc, text: Array(theft[0].text.unicodeScalars)).map { "\($0)" }, h.core.decode(enc).map { "\($0)" })
    }

    /// Heads trained before the sparse path (no tables: the theft and drugs heads the default
    /// bundle shipped with, kept in Fixtures/pre-sparse-heads) load onto the shipped encoder and
    /// give the entities pinned in Fixtures/default-bundle-spans.json, which `wenshu filter`
    /// wrote before the sparse path existed (skipped when models/default is absent or its
    /// encoder is no longer the one those heads were trained on).
    func testDefaultBundleTaggersUnchanged() throws {
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let bundleURL = root.appendingPathComponent("models/default")
        guard FileManager.default.fileExists(atPath: bundleURL.appendingPathComponent("manifest.json").path) else {
            throw XCTSkip("models/default not present")
        }
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let pin = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("default-bundle-spans.json"))) as? [String: Any])
        let files = try XCTUnwrap(pin["files"] as? [String: String])
        let old = fixtures.appendingPathComponent("pre-sparse-heads")
        for (f, sha) in files {
            var h = SHA256Hasher()
            h.update(Array(try Data(contentsOf: old.appendingPathComponent(f))))
            XCTAssertEqual(h.finalize(), sha, "the fixture \(f) is the file the pin was written with")
        }
        struct Heads: Decodable { var encoderFingerprint: String; var heads: [HeadDescription] }
        let described = try JSONDecoder().decode(Heads.self, from: Data(contentsOf: old.appendingPathComponent("heads.json")))
        let bundle = try ModelBundle.load(at: bundleURL)
        guard bundle.fingerprint == described.encoderFingerprint else {
            throw XCTSkip("models/default's encoder is not the one the pre-sparse heads were trained on")
        }
        for d in described.heads {
            let url = old.appendingPathComponent("head-\(d.name).safetensors")
            let head = try HeadKinds.builtIn.definition(d.kind).make(d, encoder: EncoderDimensions(bundle.encoder),
                                                                   tensors: SafeTensors.read(from: url).tensors, path: url.path, seed: 0)
            bundle.install(head)
        }
        for name in ["theft", "drugs"] {
            let h = try XCTUnwrap(bundle.head(named: name) as? EventHead)
            XCTAssertNil(h.description.settings.emissionBuckets)
            XCTAssertTrue(h.core.layers.allSatisfy { $0.table == nil })
        }
        let texts = try XCTUnwrap(pin["texts"] as? [String])
        let expected = try XCTUnwrap(pin["entities"] as? [String])
        XCTAssertEqual(texts.count, 20)
        let got = try bundle.annotate(texts, options: AnnotatorOptions(heads: ["theft", "drugs"]))
            .map { $0.entities.map { "\($0.task):\($0.label):\($0.start)-\($0.end)" }.sorted().joined(separator: " ") }
        XCTAssertEqual(got.count, expected.count)
        for (i, (g, e)) in zip(got, expected).enumerated() { XCTAssertEqual(g, e, "text \(i)") }
    }
}
