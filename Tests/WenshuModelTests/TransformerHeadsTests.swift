import XCTest
import WenshuCore
@testable import WenshuModel

/// Heads trained on a frozen Transformer (a tiny random BERT made by scripts/make-tiny-bert.py),
/// with the encoder's output kept on disk for the run (`TrainingConfig.featureCache`).
final class TransformerHeadsTests: XCTestCase {
    var dirs: [URL] = []
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }
    func temp(_ name: String) -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-\(name)-\(UUID().uuidString)")
        dirs.append(d)
        return d
    }

    func tinyEncoder() throws -> TransformerEncoder {
        let dir = try TransformerEncoderTests.checkpoints().appendingPathComponent("tiny")
        return try TransformerEncoder(config: TransformerEncoderConfig(checkpoint: dir.path, maxLength: 32, stride: 8))
    }

    /// The cache gives back exactly what the encoder gave; a damaged file is recomputed.
    func testTheDiskCacheGivesBackTheEncodersOutput() throws {
        let base = try tinyEncoder()
        let cache = try DiskCachedEncoder(base: base, folder: temp("fcache"))
        let text = AnalyzedText("被告人张三于2019年5月在某超市窃得香烟两条。经鉴定价值人民币300元。")
        let direct = base.encode(text)
        let first = cache.encode(text), second = cache.encode(text)
        XCTAssertEqual(cache.misses, 1); XCTAssertEqual(cache.hits, 1)
        for e in [first, second] {
            XCTAssertEqual(e.vectors, direct.vectors)
            XCTAssertEqual(e.document, direct.document)
            XCTAssertEqual(e.sentence, direct.sentence)
            XCTAssertEqual(e.poolingGroups, direct.poolingGroups)
        }
        let file = cache.file(for: text)
        let bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count / 2).write(to: file)
        XCTAssertEqual(cache.encode(text).vectors, direct.vectors, "a short file is recomputed")
        XCTAssertEqual(cache.misses, 2)
        XCTAssertEqual(try Data(contentsOf: file), bytes, "and rewritten whole")
    }

    /// A span head trains on the frozen Transformer with the feature cache: the encoder runs
    /// once per text (a second run with the same folder writes nothing and learns the same
    /// weights), and the bundle round-trips with the checkpoint it records.
    func testAHeadTrainsOnAFrozenTransformerWithItsFeaturesOnDisk() throws {
        let theft = try FixtureData.theft()
        let folder = temp("features")
        var cfg = TrainingConfig(epochs: 4, learningRate: 0.05, seed: 3, patience: 0, batchSize: 4, threads: 2, trainEncoder: false)
        cfg.featureCache = folder.path
        func train() throws -> (ModelBundle, TrainingReport) {
            let b = ModelBundle.create(name: "bert", encoder: try tinyEncoder())
            let r = try Trainer.train(bundle: b, head: "theft", kind: .spanTagger, train: theft, dev: Array(theft.prefix(3)), config: cfg)
            return (b, r)
        }
        let (b1, r1) = try train()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".f32") }
        XCTAssertEqual(files.count, Set(theft.map(\.text)).count, "one file per distinct text")
        XCTAssertGreaterThan(r1.epochs, 1)
        let stamps = try files.map { try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent($0).path)[.modificationDate] as? Date }
        let (b2, r2) = try train()
        let again = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".f32") }
        XCTAssertEqual(Set(again), Set(files), "the second run wrote no new file")
        XCTAssertEqual(try again.map { try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent($0).path)[.modificationDate] as? Date },
                       stamps, "nor rewrote one")
        XCTAssertEqual(r2.metrics, r1.metrics)
        XCTAssertEqual(b2.head(named: "theft")?.parameters.map(\.value), b1.head(named: "theft")?.parameters.map(\.value))
        XCTAssertEqual(b1.encoder.parameters.count, 0, "the Transformer stays frozen")

        let dir = temp("bert-bundle")
        try b1.save(to: dir)
        let loaded = try ModelBundle.load(at: dir)
        XCTAssertEqual(loaded.manifest.encoder.type, TransformerEncoder.typeName)
        let texts = theft.map(\.text)
        XCTAssertEqual(try loaded.annotate(texts), try b1.annotate(texts))
    }

    /// A cache is for a frozen encoder: training the encoder with one is refused.
    func testTheCacheIsRefusedWhenTheEncoderTrains() throws {
        let b = ModelBundle.create(name: "ngram", encoder: .tiny)
        var cfg = TrainingConfig(epochs: 1, threads: 1, trainEncoder: true)
        cfg.featureCache = temp("refused").path
        XCTAssertThrowsError(try Trainer.train(bundle: b, head: "charges", kind: .multiLabel, train: try FixtureData.charges(), dev: [], config: cfg)) { e in
            XCTAssertEqual((e as? WenshuError)?.code, "train.bad_config")
        }
    }
}
