import XCTest
import WenshuCore
@testable import WenshuModel

/// LAC under the n-gram encoder: the stacked encoder's columns, LAC's word starts feeding the
/// n-gram word features, pruning, the bundle round trip, and a bundle missing its LAC weights.
final class StackedLACTests: XCTestCase {
    var dirs: [URL] = []
    override func tearDown() { for d in dirs { try? FileManager.default.removeItem(at: d) } }
    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-lac-\(UUID().uuidString)")
        dirs.append(d)
        return d
    }

    nonisolated(unsafe) static var lacCache: LACEncoder?
    static func lac() throws -> LACEncoder {
        if let l = lacCache { return l }
        let l = try LACEncoder.imported(from: LACEncoderTests.lacFolder())
        lacCache = l
        return l
    }

    /// Real sentences (CAIL2021 theft fixture).
    func texts() throws -> [String] { try FixtureData.theft().map(\.text) }

    func testLACColumnsAreTheNetworksHiddenStatesAndEmissions() throws {
        let lac = try Self.lac()
        let text = try texts()[0]
        let e = lac.encode(AnalyzedText(text))
        let out = lac.network.run([Array(text.unicodeScalars)])[0]
        XCTAssertEqual(e.width, 256 + 59)
        for t in [0, e.length / 2, e.length - 1] {
            XCTAssertEqual(Array(e.vectors[(t * e.width)..<(t * e.width + 256)]), Array(out.hidden[(t * 256)..<(t * 256 + 256)]))
            XCTAssertEqual(Array(e.vectors[(t * e.width + 256)..<((t + 1) * e.width)]), Array(out.emissions[(t * 59)..<(t * 59 + 59)]))
        }
        // Word starts are LAC's own segmentation.
        let words = lac.network.decoder.words(out)
        XCTAssertEqual(e.wordStarts, Set(words.map(\.start)))
    }

    func testPruningKeepsTheRowsOfKeptCharacters() throws {
        let lac = try Self.lac()
        let texts = try texts()
        var keep = Set<Unicode.Scalar>()
        for t in texts { keep.formUnion(t.unicodeScalars) }
        let small = try lac.pruned(keeping: keep)
        XCTAssertLessThan(small.config.vocabularySize, 2000)
        XCTAssertLessThan(small.config.vocabularySize, lac.config.vocabularySize)
        for t in texts {
            let a = lac.encode(AnalyzedText(t)), b = small.encode(AnalyzedText(t))
            XCTAssertEqual(a.vectors, b.vectors, "every character kept: the same output")
        }
        // A character that was not kept reads the OOV row, as an unknown character does.
        XCTAssertEqual(small.network.vocabulary.id("鑫"), small.network.vocabulary.oovID)
    }

    func testStackedBundleRoundTripAndMissingWeights() throws {
        let lac = try Self.lac()
        var keep = Set<Unicode.Scalar>()
        for t in try texts() + FixtureData.charges().map(\.text) { keep.formUnion(t.unicodeScalars) }
        var ngram = EncoderConfig.tiny; ngram.wordFeatures = true
        let enc = try StackedEncoder(parts: [try lac.pruned(keeping: keep), HashedNgramEncoder(config: ngram)])
        let b = ModelBundle.create(name: "stacked", encoder: enc)
        let cfg = TrainingConfig(epochs: 2, learningRate: 0.05, seed: 5, patience: 0, batchSize: 4, threads: 2, trainEncoder: true)
        _ = try Trainer.train(bundle: b, head: "theft", kind: .eventExtractor, train: try FixtureData.theft(), dev: [], config: cfg)
        XCTAssertTrue(enc.parts[0].parameters.isEmpty, "LAC stays frozen")
        let dir = tempDir()
        try b.save(to: dir)
        for f in ["part0-lac.safetensors", "part0-lac-word.dic", "part0-LAC-LICENSE", "part0-LAC-NOTICE", "part1-encoder.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), f)
        }
        let l = try ModelBundle.load(at: dir)
        XCTAssertEqual(l.manifest, b.manifest)
        XCTAssertEqual(l.manifest.encoder.parts?.map(\.type), ["lac", "hashed-ngram"])
        let t = try texts()
        XCTAssertEqual(try l.annotate(t), try b.annotate(t))
        // LAC's word starts reach the n-gram part: its vectors differ from an encoding without words.
        let ng = enc.parts[1] as! HashedNgramEncoder
        let text = AnalyzedText(t[0])
        let withWords = enc.encode(text)
        let plain = ng.encode(text.scalars, wordStarts: nil)
        let W = enc.outputDim, off = enc.parts[0].outputDim
        XCTAssertNotEqual(Array(withWords.vectors[off..<W]), Array(plain.vectors[0..<ng.outputDim]))
        // A bundle without its LAC weights is refused, naming the file and the way to get it.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("part0-lac.safetensors"))
        XCTAssertThrowsError(try ModelBundle.load(at: dir)) { e in
            let w = e as? WenshuError
            XCTAssertEqual(w?.code, "lac.missing_weights")
            XCTAssertTrue(w?.message.contains("part0-lac.safetensors") ?? false, w?.message ?? "")
            XCTAssertTrue(w?.message.contains("scripts/import-lac.sh") ?? false, w?.message ?? "")
        }
    }
}
