import XCTest
import WenshuCore
import WenshuTensor
@testable import WenshuModel

/// The classifiers' optional sparse n-gram path: features, gradients, training on a frozen
/// encoder, the bundle round trip and old heads without it.
final class SparseClassifierTests: XCTestCase {
    var dirs: [URL] = []
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }
    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-sparse-\(UUID().uuidString)")
        dirs.append(d)
        return d
    }

    func testFeaturesAreNormalisedSortedAndFolded() {
        let f = ClassifierHead.sparseFeatures(Array("盗窃盗窃罪 ＡＢ12".unicodeScalars), buckets: 97)
        XCTAssertFalse(f.isEmpty)
        XCTAssertEqual(f.reduce(0) { $0 + $1.value * $1.value }, 1, accuracy: 1e-5)
        XCTAssertEqual(f.map(\.row), f.map(\.row).sorted())
        XCTAssertEqual(Set(f.map(\.row)).count, f.count)
        XCTAssertTrue(f.allSatisfy { $0.row >= 0 && $0.row < 97 })
        // Full-width letters fold to ASCII lower case and digits to 0: same features.
        let a = ClassifierHead.sparseFeatures(Array("ＡＢ12".unicodeScalars), buckets: 97)
        let b = ClassifierHead.sparseFeatures(Array("ab34".unicodeScalars), buckets: 97)
        XCTAssertEqual(a.map(\.row), b.map(\.row))
        XCTAssertEqual(a.map(\.value), b.map(\.value))
        XCTAssertTrue(ClassifierHead.sparseFeatures(Array("ab".unicodeScalars), buckets: 0).isEmpty)
    }

    func testSparseWeightGradientMatchesFiniteDifferences() throws {
        let charges = try FixtureData.charges()[0]
        let enc = HashedNgramEncoder(config: EncoderConfig(dim: 6, buckets: 512, hidden: 5, context: 1))
        for kind in [HeadKind.multiLabel, .singleLabel] {
            let d = HeadDescription(name: "c", kind: kind, labels: charges.labels + ["x", "y"], encoderFingerprint: "",
                                    settings: HeadSettings(sparseBuckets: 64))
            let cls = try ClassifierHead(description: d, inputDim: 10, tensors: nil, path: "", seed: 4)
            let sw = try XCTUnwrap(cls.sparseWeight)
            var rng = SeededRandom(seed: 2)
            sw.value = sw.value.map { _ in rng.uniform(-0.5, 0.5) }
            let text = Array(charges.text.unicodeScalars)
            var e = enc.encode(text, wordStarts: nil)
            e.text = text
            let target = cls.target(for: charges)!
            func loss() -> Double { cls.lossAndGradients(e, target: target, into: Gradients([])).loss }
            let g = Gradients(cls.parameters)
            _ = cls.lossAndGradients(e, target: target, into: g)
            let rows = try XCTUnwrap(g.sparse[ObjectIdentifier(sw)])
            XCTAssertEqual(Set(rows.rows), Set(cls.sparseFeatures(text).map(\.row)))
            let L = d.labels.count, h: Float = 1e-2
            for (k, row) in rows.rows.prefix(8).enumerated() {
                let i = Int(row) * L + k % L
                let old = sw.value[i]
                sw.value[i] = old + h; let a = loss()
                sw.value[i] = old - h; let b = loss()
                sw.value[i] = old
                let fd = (a - b) / Double(2 * h)
                XCTAssertEqual(Double(rows.data[k * L + k % L]), fd, accuracy: 1e-3 + 0.02 * abs(fd), "\(kind) row \(row)")
            }
        }
    }

    func testTrainsOnFrozenEncoderSavesAndReloads() throws {
        // Two classes told apart by one word, on a frozen random encoder.
        let ex = (0..<24).map { i in
            LabelledExample(id: "e\(i)", text: (i % 2 == 0 ? "被告人盗窃财物，价值" : "被告人贩卖毒品，数量") + "\(i)元。",
                            labels: [i % 2 == 0 ? "theft" : "drugs"])
        }
        let b = ModelBundle.create(name: "s", encoder: .tiny)
        let fp = b.fingerprint
        let cfg = TrainingConfig(epochs: 15, learningRate: 0.05, seed: 3, patience: 0, batchSize: 4, threads: 2, trainEncoder: false,
                                 dropout: 0, sparseBuckets: 128)
        let r = try Trainer.train(bundle: b, head: "c", kind: .singleLabel, train: ex, dev: ex, config: cfg)
        XCTAssertEqual(r.metrics["c"]?["score"], 1)
        XCTAssertEqual(b.fingerprint, fp)
        XCTAssertEqual(b.heads[0].settings.sparseBuckets, 128)
        let head = try XCTUnwrap(b.head(named: "c") as? ClassifierHead)
        XCTAssertTrue(head.sparseWeight!.value.contains { $0 != 0 })
        let before = try b.annotate(ex.map(\.text))
        let dir = tempDir()
        try b.save(to: dir)
        let l = try ModelBundle.load(at: dir)
        XCTAssertEqual(l.manifest, b.manifest)
        let after = try l.annotate(ex.map(\.text))
        XCTAssertEqual(after.map { $0.classifications.map(\.labels) }, before.map { $0.classifications.map(\.labels) })
        XCTAssertEqual(after.map { $0.classifications[0].labels[0].label }, ex.map { $0.labels[0] })
        // A sparse tensor of the wrong shape is refused.
        let f = dir.appendingPathComponent("head-c.safetensors")
        var (tensors, meta) = try SafeTensors.read(from: f)
        let w = try XCTUnwrap(tensors["sparse_weight"])
        XCTAssertEqual(w.shape, [128, 2])
        tensors["sparse_weight"] = SafeTensor(shape: [64, 4], data: w.data)
        try SafeTensors.write(tensors, metadata: meta, to: f)
        XCTAssertThrowsError(try ModelBundle.load(at: dir)) { XCTAssertEqual(($0 as? WenshuError)?.code, "bundle.shape_mismatch") }
    }

    func testHeadWithoutSparsePathHasNoExtraTensor() throws {
        let d = HeadDescription(name: "c", kind: .singleLabel, labels: ["a", "b"], encoderFingerprint: "")
        let cls = try ClassifierHead(description: d, inputDim: 4, tensors: nil, path: "", seed: 1)
        XCTAssertNil(cls.sparseWeight)
        XCTAssertEqual(cls.parameters.map(\.name), ["weight", "bias"])
        // Old manifests (no sparseBuckets key) decode with the path off.
        let old = try JSONDecoder().decode(HeadSettings.self, from: Data(#"{"threshold":0.4}"#.utf8))
        XCTAssertNil(old.sparseBuckets)
    }
}
