import XCTest
import WenshuCore
@testable import WenshuModel

/// The BERT encoder against an independent numpy implementation of Hugging Face's
/// modeling_bert: tiny random checkpoints made by scripts/make-tiny-bert.py in this test run
/// (float32, a larger weight scale, float16, `bert.`-prefixed names with a task head).
final class TransformerEncoderTests: XCTestCase {
    static var made: URL?
    static let lock = NSLock()

    /// The checkpoints folder, made once per test process by the repository's script.
    func checkpoints() throws -> URL { try Self.checkpoints() }

    /// The checkpoints folder (shared with TransformerHeadsTests).
    static func checkpoints() throws -> URL {
        Self.lock.lock(); defer { Self.lock.unlock() }
        if let m = Self.made { return m }
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
            if root.path == "/" { throw XCTSkip("repository root not found") }
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-tiny-bert-\(UUID().uuidString)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root.appendingPathComponent("scripts/make-tiny-bert.py").path, out.path]
        let err = Pipe(); p.standardError = err; p.standardOutput = Pipe()
        try p.run(); p.waitUntilExit()
        let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if p.terminationStatus != 0 {
            if msg.contains("No module named 'numpy'") { throw XCTSkip("python3 with numpy is needed to make the tiny checkpoints") }
            XCTFail("make-tiny-bert.py failed: \(msg)")
        }
        Self.made = out
        return out
    }

    func reference(_ folder: URL) throws -> [String: SafeTensor] {
        try SafeTensors.read(from: folder.appendingPathComponent("reference.safetensors")).tensors
    }

    func maxDiff(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        XCTAssertEqual(a.count, b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    func testHiddenStatesAndPoolerMatchTheNumpyReferenceWithin1e4() throws {
        let root = try checkpoints()
        for v in ["tiny", "tiny-large", "tiny-f16", "tiny-tokcls"] {
            let dir = root.appendingPathComponent(v)
            let model = try BertModel(folder: dir)
            let ref = try reference(dir)
            XCTAssertEqual(model.hasPooler, v != "tiny-large", v)
            XCTAssertEqual(model.weights.prefix, v == "tiny-tokcls" ? "bert." : "", v)
            var k = 0
            while let ids = ref["\(k).ids"] {
                let input = BertInput(ids: ids.data.map { Int32($0) }, typeIDs: ref["\(k).types"]!.data.map { Int32($0) })
                for threads in [1, 2] {
                    let out = model.forward([input], threads: threads)[0]
                    let d = maxDiff(out.hidden[...], ref["\(k).hidden"]!.data[...])
                    XCTAssertLessThan(d, 1e-4, "\(v) case \(k) (\(ids.data.count) tokens, \(threads) threads): max |diff| \(d)")
                    if let p = ref["\(k).pooled"] {
                        XCTAssertLessThan(maxDiff(try XCTUnwrap(out.pooled)[...], p.data[...]), 1e-4, "\(v) pooled \(k)")
                    } else {
                        XCTAssertNil(out.pooled)
                    }
                }
                k += 1
            }
            XCTAssertEqual(k, 6, v)
        }
    }

    func testFloat16CheckpointIsStoredAsF16AndReadWidened() throws {
        let dir = try checkpoints().appendingPathComponent("tiny-f16")
        let data = try Data(contentsOf: dir.appendingPathComponent("model.safetensors"))
        let n = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = String(decoding: data[8..<(8 + n)], as: UTF8.self)
        XCTAssertTrue(header.contains("\"F16\"") && !header.contains("\"F32\""))
        // The widened values are exactly the float16 values the reference used (checked in the test above);
        // here: the weights are not all zero and keep float16's 11-bit significands.
        let w = try BertModel(folder: dir).weights.wordEmbeddings
        XCTAssertTrue(w.contains { $0 != 0 })
        XCTAssertTrue(w.allSatisfy { $0 == 0 || ($0.bitPattern & 0x1FFF) == 0 || abs($0) < 6.2e-5 })
    }

    func testPaddedBatchMatchesReferenceAndPackedBatchMatchesSingleSequences() throws {
        for v in ["tiny", "tiny-large"] {
            let dir = try checkpoints().appendingPathComponent(v)
            let model = try BertModel(folder: dir)
            let ref = try reference(dir)
            let ids = ref["batch.ids"]!, mask = ref["batch.mask"]!
            let B = ids.shape[0], L = ids.shape[1], H = model.config.hiddenSize
            let rows = (0..<B).map { b in ids.data[(b * L)..<((b + 1) * L)].map { Int32($0) } }
            let masks = (0..<B).map { b in mask.data[(b * L)..<((b + 1) * L)].map { Int32($0) } }
            let padded = model.forwardPadded(ids: rows, mask: masks)
            for b in 0..<B {
                let d = maxDiff(padded[b].hidden[...], ref["batch.hidden"]!.data[(b * L * H)..<((b + 1) * L * H)])
                XCTAssertLessThan(d, 1e-4, "\(v) padded row \(b): \(d)")
            }
            // Unpadded sequences run packed together give each sequence's single result.
            let seqs = zip(rows, masks).map { r, m in BertInput(ids: Array(r[0..<m.filter { $0 == 1 }.count])) }
            let packed = model.forward(seqs, threads: 2)
            for (b, s) in seqs.enumerated() {
                let single = model.forward([s])[0]
                XCTAssertLessThan(maxDiff(packed[b].hidden[...], single.hidden[...]), 1e-5)
                XCTAssertLessThan(maxDiff(packed[b].hidden[...], padded[b].hidden[0..<(s.ids.count * H)]), 1e-5)
            }
        }
    }

    func testMissingMisnamedAndMisshapedWeightsAreRefusedByName() throws {
        let src = try checkpoints().appendingPathComponent("tiny-tokcls")
        let tensors = try SafeTensors.read(from: src.appendingPathComponent("model.safetensors")).tensors
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-bad-bert-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: src, to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("model.safetensors")
        func expect(_ t: [String: SafeTensor], code: String, naming name: String) throws {
            try SafeTensors.write(t, to: file)
            XCTAssertThrowsError(try BertModel(folder: dir)) { e in
                let w = e as? WenshuError
                XCTAssertEqual(w?.code, code)
                XCTAssertTrue(w?.message.contains("'\(name)'") ?? false, w?.message ?? "\(e)")
                XCTAssertEqual(w?.path, file.path)
            }
        }
        var t = tensors
        t["bert.encoder.layer.1.output.dense.bias"] = nil
        try expect(t, code: "transformer.missing_weight", naming: "bert.encoder.layer.1.output.dense.bias")
        t = tensors
        t["bert.encoder.layer.0.attention.self.qeury.weight"] = t.removeValue(forKey: "bert.encoder.layer.0.attention.self.query.weight")
        try expect(t, code: "transformer.missing_weight", naming: "bert.encoder.layer.0.attention.self.query.weight")
        t = tensors
        t["bert.encoder.layer.1.intermediate.dense.weight"] = SafeTensor(shape: [64, 128], data: [Float](repeating: 0, count: 64 * 128))
        try expect(t, code: "transformer.bad_weight_shape", naming: "bert.encoder.layer.1.intermediate.dense.weight")
        // Old names (LayerNorm.gamma / beta) are read as weight / bias; the head's tensors are ignored.
        t = tensors
        t["bert.embeddings.LayerNorm.gamma"] = t.removeValue(forKey: "bert.embeddings.LayerNorm.weight")
        t["bert.embeddings.LayerNorm.beta"] = t.removeValue(forKey: "bert.embeddings.LayerNorm.bias")
        try SafeTensors.write(t, to: file)
        XCTAssertNoThrow(try BertModel(folder: dir))
        // Without model.safetensors, the error points to the converter.
        try FileManager.default.removeItem(at: file)
        try Data("not read".utf8).write(to: dir.appendingPathComponent("pytorch_model.bin"))
        XCTAssertThrowsError(try BertModel(folder: dir)) { e in
            XCTAssertEqual((e as? WenshuError)?.code, "transformer.missing_weights")
            XCTAssertTrue((e as? WenshuError)?.message.contains("convert-hf.py") ?? false)
        }
    }

    func testWindowsOverALongTextAgreeWithSinglePassesAndCharactersTakeTheirTokensVector() throws {
        let dir = try checkpoints().appendingPathComponent("tiny")
        let text = try FixtureData.theft().map(\.text).prefix(3).joined(separator: " \n ")
        let scalars = Array(text.unicodeScalars)
        // One window big enough for the whole text equals one plain forward pass.
        let whole = try TransformerEncoder(config: TransformerEncoderConfig(checkpoint: dir.path, maxLength: 64, stride: 8))
        let small = try TransformerEncoder(config: TransformerEncoderConfig(checkpoint: dir.path, maxLength: 16, stride: 6, batchSize: 3))
        let short = Array("被告人张某于2019年盗窃现金".unicodeScalars)
        let one = whole.run([short])[0]
        XCTAssertEqual(one.windows, 1)
        XCTAssertEqual(one.hidden, whole.model.forward([BertInput(ids: one.encoding.ids)])[0].hidden)
        XCTAssertEqual(one.encoding, whole.tokenizer.encode(short))
        // A long text: every content token's vector is its output in a window that holds it,
        // the one where it has the most context on its poorer side.
        let doc = small.run([scalars])[0]
        let H = small.outputDim, width = 14
        let n = doc.encoding.count - 2
        XCTAssertGreaterThan(doc.windows, 3)
        XCTAssertEqual(doc.encoding, small.tokenizer.encode(scalars))
        let starts = small.windowStarts(n, width: width)
        XCTAssertEqual(starts.count, doc.windows)
        for (a, b) in zip(starts, starts.dropFirst()) { XCTAssertEqual(a + width - b >= 6, true, "windows overlap by the stride") }
        XCTAssertEqual(starts.last! + width, n)
        let singles = starts.map { s in
            small.model.forward([BertInput(ids: [small.tokenizer.clsID] + Array(doc.encoding.ids[(1 + s)..<(1 + s + width)]) + [small.tokenizer.sepID])])[0].hidden
        }
        var fromInterior = 0
        for i in 0..<n {
            let candidates = starts.enumerated().filter { i >= $0.element && i < $0.element + width }
            XCTAssertFalse(candidates.isEmpty)
            let context = candidates.map { min(i - $0.element, $0.element + width - 1 - i) }
            let best = candidates[context.firstIndex(of: context.max()!)!]
            let row = 1 + i - best.element
            // Windows ran together in batches of 3: equal to the single runs up to GEMM rounding.
            XCTAssertLessThan(maxDiff(doc.hidden[((1 + i) * H)..<((2 + i) * H)], singles[best.offset][(row * H)..<((row + 1) * H)]), 1e-5, "token \(i)")
            if context.max()! >= 2 { fromInterior += 1 }
        }
        XCTAssertGreaterThan(fromInterior, n * 3 / 4)
        // Characters: the vector of the token covering them; whitespace is zero.
        let enc = small.encode(AnalyzedText(text))
        XCTAssertEqual(enc.length, scalars.count)
        XCTAssertEqual(enc.width, H)
        for (t, r) in doc.encoding.offsets.enumerated() where !r.isEmpty {
            XCTAssertEqual(Array(enc.vectors[(r.lowerBound * H)..<((r.lowerBound + 1) * H)]), Array(doc.hidden[(t * H)..<((t + 1) * H)]))
        }
        let space = try XCTUnwrap(scalars.firstIndex(of: "\n"))
        XCTAssertTrue(enc.vectors[(space * H)..<((space + 1) * H)].allSatisfy { $0 == 0 })
        XCTAssertEqual(enc.document.count, small.documentDim)
    }

    func testBundleRecordsTheCheckpointAndRefusesAMissingOrChangedFolder() throws {
        let src = try checkpoints().appendingPathComponent("tiny")
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-tbundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let ckpt = tmp.appendingPathComponent("ckpt"), bundle = tmp.appendingPathComponent("bundle")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: src, to: ckpt)
        let enc = try TransformerEncoder(config: TransformerEncoderConfig(checkpoint: ckpt.path, maxLength: 32, stride: 8))
        let b = ModelBundle.create(name: "bert-test", encoder: enc)
        // A head trains on the frozen Transformer unchanged, and annotates the same after a reload.
        let cfg = TrainingConfig(epochs: 2, learningRate: 0.05, seed: 5, patience: 0, batchSize: 4, threads: 1, trainEncoder: false)
        _ = try Trainer.train(bundle: b, head: "theft", kind: .eventExtractor, train: try FixtureData.theft(), dev: [], config: cfg)
        try b.save(to: bundle)
        let manifest = try String(contentsOf: bundle.appendingPathComponent("manifest.json"), encoding: .utf8)
        XCTAssertTrue(manifest.contains(enc.config.checkpointFingerprint))
        let loaded = try ModelBundle.load(at: bundle)
        XCTAssertEqual(loaded.encoder.fingerprint, enc.fingerprint)
        let t = AnalyzedText("被告人张某盗窃现金1200元。")
        XCTAssertEqual(loaded.encoder.encode(t).vectors, enc.encode(t).vectors)
        let texts = try FixtureData.theft().map(\.text)
        XCTAssertEqual(try loaded.annotate(texts), try b.annotate(texts))
        XCTAssertEqual(loaded.heads.first?.encoderFingerprint, enc.fingerprint)
        // A changed checkpoint (one weight differs) is refused, saying so.
        var tensors = try SafeTensors.read(from: ckpt.appendingPathComponent("model.safetensors")).tensors
        tensors["pooler.dense.bias"]!.data[0] += 1
        try SafeTensors.write(tensors, to: ckpt.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try ModelBundle.load(at: bundle)) { XCTAssertEqual(($0 as? WenshuError)?.code, "transformer.checkpoint_changed") }
        try FileManager.default.removeItem(at: ckpt)
        XCTAssertThrowsError(try ModelBundle.load(at: bundle)) { XCTAssertEqual(($0 as? WenshuError)?.code, "transformer.missing_checkpoint") }
    }
}
