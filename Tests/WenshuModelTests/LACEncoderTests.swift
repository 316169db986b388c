import Foundation
import XCTest
import WenshuCore
@testable import WenshuModel

/// LAC's network against ONNX Runtime on real legal sentences (Fixtures/lac.json, made by
/// make_lac_fixture.py): the character ids, the hidden states (within 1e-4) and the decoded
/// tags and words (identical). Needs `.lac/` from `bash scripts/import-lac.sh`; without it the
/// network tests skip, unless `CI` or `WENSHU_REQUIRE_LAC` is set, in which case they fail.
final class LACEncoderTests: XCTestCase {
    struct Sentence {
        let text: String
        let ids: [Int32]
        let tags: [Int]
        let words: [LACWord]
        let positions: [Int]
        let hiddenAt: [Float]
        let hidden: [Float]?
        let emissions: [Float]?
        let lower: [Float]?
        var scalars: [Unicode.Scalar] { Array(text.unicodeScalars) }
    }

    static func floats(_ any: Any?) -> [Float]? {
        guard let s = any as? String, let d = Data(base64Encoded: s) else { return nil }
        return d.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    static let fixture: [Sentence] = {
        let url = Bundle.module.url(forResource: "Fixtures/lac", withExtension: "json")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/lac.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (root["sentences"] as! [[String: Any]]).map { r in
            Sentence(text: r["text"] as! String, ids: (r["ids"] as! [Int]).map(Int32.init), tags: r["tags"] as! [Int],
                     words: (r["words"] as! [[Any]]).map { LACWord(start: $0[0] as! Int, end: $0[1] as! Int, tag: $0[2] as! String) },
                     positions: r["positions"] as! [Int], hiddenAt: floats(r["hidden_at"])!,
                     hidden: floats(r["hidden"]), emissions: floats(r["emissions"]), lower: floats(r["lower"]))
        }
    }()

    /// `.lac` at the repository root (or a folder above it), walking up from this file.
    static func lacFolder() throws -> URL {
        var u = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while u.path != "/" {
            let d = u.appendingPathComponent(".lac")
            if FileManager.default.fileExists(atPath: d.appendingPathComponent(LACNetwork.weightsFile).path) { return d }
            u = u.deletingLastPathComponent()
        }
        let env = ProcessInfo.processInfo.environment
        let message = ".lac/ is absent: run `bash scripts/import-lac.sh` to fetch LAC for these tests"
        if env["CI"] != nil || env["WENSHU_REQUIRE_LAC"] != nil {
            XCTFail(message + " (required: CI or WENSHU_REQUIRE_LAC is set)")
            throw WenshuError(.lac.missingWeights, message, stage: .model)
        }
        throw XCTSkip(message)
    }

    nonisolated(unsafe) static var cached: LACNetwork?
    static func network() throws -> LACNetwork {
        if let n = cached { return n }
        let n = try LACNetwork(folder: lacFolder())
        cached = n
        return n
    }

    /// The network's outputs on every fixture sentence (with the lower layer), computed once:
    /// a debug build takes tens of seconds for the 15,000 characters.
    nonisolated(unsafe) static var fixtureOutputs: [LACOutput]?
    static func outputs() throws -> [LACOutput] {
        if let o = fixtureOutputs { return o }
        let o = try network().run(fixture.map(\.scalars), threads: 2, lowerLayer: true)
        fixtureOutputs = o
        return o
    }

    func maxDifference(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        XCTAssertEqual(a.count, b.count)
        return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    func testFixtureCoversEnoughRealSentences() {
        XCTAssertGreaterThanOrEqual(Self.fixture.count, 200)
        XCTAssertGreaterThan(Self.fixture.filter { $0.hidden != nil }.count, 5)
        XCTAssertTrue(Self.fixture.contains { $0.lower != nil })
        XCTAssertTrue(Self.fixture.contains { $0.text.unicodeScalars.count > 500 })
    }

    func testCharacterIDsMatchTheWrapper() throws {
        let net = try Self.network()
        for s in Self.fixture { XCTAssertEqual(net.vocabulary.ids(s.scalars), s.ids, s.text) }
        XCTAssertEqual(net.vocabulary.oovID, 58223)
        XCTAssertEqual(net.vocabulary.rowCount, 58224)
        // Full-width forms reach the half-width row, traditional forms the simplified one, Chinese
        // punctuation the ASCII one. q2b is applied once: ASCII "A" becomes "a" (q2b lowercases), but
        // full-width "Ａ" becomes "A", whose own word.dic row (32) is used, as in the wrapper.
        XCTAssertEqual(net.vocabulary.id("１"), net.vocabulary.id("1"))
        XCTAssertEqual(net.vocabulary.id("與"), net.vocabulary.id("与"))
        XCTAssertEqual(net.vocabulary.id("，"), net.vocabulary.id(","))
        XCTAssertEqual(net.vocabulary.id("A"), net.vocabulary.id("a"))
        XCTAssertEqual(net.vocabulary.id("Ａ"), 32)
        XCTAssertEqual(net.vocabulary.id("a"), 64)
        XCTAssertEqual(net.vocabulary.id(Unicode.Scalar(0x1F600)!), net.vocabulary.oovID)
    }

    func testHiddenStatesAndEmissionsMatchONNXRuntime() throws {
        let outputs = try Self.outputs()
        var worst: Float = 0
        for (s, o) in zip(Self.fixture, outputs) {
            let w = LACOutput.hiddenSize, n = LACOutput.tagCount
            XCTAssertEqual(o.count, s.ids.count)
            XCTAssertEqual(o.hidden.count, o.count * w)
            XCTAssertEqual(o.emissions.count, o.count * n)
            for (k, p) in s.positions.enumerated() {
                let d = maxDifference(o.hidden[(p * w)..<((p + 1) * w)], s.hiddenAt[(k * w)..<((k + 1) * w)])
                XCTAssertLessThan(d, 1e-4, "\(s.text) at \(p)")
                worst = max(worst, d)
            }
            if let h = s.hidden { worst = max(worst, maxDifference(o.hidden[...], h[...])); XCTAssertLessThan(maxDifference(o.hidden[...], h[...]), 1e-4, s.text) }
            if let e = s.emissions { XCTAssertLessThan(maxDifference(o.emissions[...], e[...]), 1e-4, s.text) }
            if let l = s.lower { XCTAssertLessThan(maxDifference(o.lowerHidden![...], l[...]), 1e-4, s.text) }
        }
        print("LAC: largest hidden-state difference from ONNX Runtime over \(Self.fixture.count) sentences: \(worst)")
    }

    func testTagsAndWordsMatchTheWrapper() throws {
        let net = try Self.network()
        let outputs = try Self.outputs()
        var differing = 0
        for (s, o) in zip(Self.fixture, outputs) {
            let path = net.decoder.viterbi(o)
            if path != s.tags { differing += 1 }
            XCTAssertEqual(path, s.tags, s.text)
            XCTAssertEqual(net.decoder.words(path), s.words, s.text)
            let starts = net.decoder.wordStarts(path)
            XCTAssertEqual(starts.indices.filter { starts[$0] }, s.words.map(\.start), s.text)
        }
        XCTAssertEqual(differing, 0)
        // The labels LAC is used for here: people, places, times in real theft and drug sentences.
        let labels = Set(Self.fixture.flatMap { $0.words.map(\.tag) })
        XCTAssertTrue(labels.isSuperset(of: ["PER", "LOC", "TIME", "n", "v", "w"]), "\(labels)")
    }

    func testBatchingAndThreadsGiveTheSameOutputs() throws {
        var net = try Self.network()
        let sentences = Array(Self.fixture.prefix(20).map(\.scalars)) + [[]] + [Array("盗窃".unicodeScalars)]
        let batched = net.run(sentences, threads: 2)
        net.batchSize = 1
        let alone = net.run(sentences, threads: 1)
        XCTAssertEqual(batched.map(\.count), sentences.map(\.count))
        XCTAssertEqual(batched[20].hidden, [])
        for (a, b) in zip(batched, alone) {
            // Different product shapes round differently; the differences stay far below the ONNX tolerance.
            XCTAssertLessThan(maxDifference(a.hidden[...], b.hidden[...]), 1e-4)
            XCTAssertLessThan(maxDifference(a.emissions[...], b.emissions[...]), 1e-4)
        }
        net.batchSize = 32
        net.batchTokens = 100   // long sentences alone, short ones several a batch
        let small = net.run(sentences, threads: 3)
        for (a, b) in zip(batched, small) { XCTAssertLessThan(maxDifference(a.hidden[...], b.hidden[...]), 1e-4) }
    }

    func testVectorisedCellsMatchTheCLibraryOnes() throws {
        var net = try Self.network()
        let sentences = Self.fixture.prefix(30).map(\.scalars)
        let fast = net.run(sentences, lowerLayer: true)
        net.referenceActivations = true
        let reference = net.run(sentences, lowerLayer: true)
        var worst: Float = 0
        for (a, b) in zip(fast, reference) {
            worst = max(worst, maxDifference(a.hidden[...], b.hidden[...]), maxDifference(a.lowerHidden![...], b.lowerHidden![...]))
        }
        XCTAssertLessThan(worst, 1e-5)
        XCTAssertGreaterThan(worst, 0)   // the two paths really differ (the reference is not the fast one)
    }

    func testActivationsOverTheWholeRange() {
        var x = LACActivations.V()
        var worstSigmoid: Float = 0, worstTanh: Float = 0
        for i in stride(from: -100_000, to: 100_000, by: 8) {
            for k in 0..<8 { x[k] = Float(i + k) / 1000 }
            let s = LACActivations.sigmoid(x), t = LACActivations.tanh(x)
            for k in 0..<8 {
                worstSigmoid = max(worstSigmoid, abs(s[k] - 1 / (1 + expf(-x[k]))))
                worstTanh = max(worstTanh, abs(t[k] - tanhf(x[k])))
            }
        }
        XCTAssertLessThan(worstSigmoid, 3e-7)
        XCTAssertLessThan(worstTanh, 5e-7)
        let extreme = LACActivations.sigmoid(LACActivations.V(-1e30, -500, -88, 0, 88, 500, 1e30, .infinity))
        XCTAssertTrue(extreme.min() >= 0 && extreme.max() <= 1 && !(0..<8).contains { extreme[$0].isNaN }, "\(extreme)")
    }

    func testBadWeightsAreRefusedByName() throws {
        let folder = try Self.lacFolder()
        let file = folder.appendingPathComponent(LACNetwork.weightsFile)
        var tensors = try SafeTensors.read(from: file).tensors
        let vocabulary = try LACVocabulary(folder: folder)
        let tags = try LACTagSet(folder: folder, count: LACNetwork.tagCount)
        let r = tensors["helper.concat.15"]!
        tensors["helper.concat.15"] = SafeTensor(shape: [2, 128, 384], data: r.data)
        XCTAssertThrowsError(try LACNetwork(tensors: tensors, vocabulary: vocabulary, tags: tags, path: file.path)) { e in
            let w = e as! WenshuError
            XCTAssertEqual(w.code, "lac.bad_shape")
            XCTAssertTrue(w.message.contains("helper.concat.15"), w.message)
            XCTAssertEqual(w.path, file.path)
        }
        tensors["helper.concat.15"] = nil
        XCTAssertThrowsError(try LACNetwork(tensors: tensors, vocabulary: vocabulary, tags: tags, path: file.path)) { e in
            let w = e as! WenshuError
            XCTAssertEqual(w.code, "lac.missing_weights")
            XCTAssertTrue(w.message.contains("helper.concat.15") && w.message.contains("scripts/import-lac.sh"), w.message)
        }
    }
}
