import XCTest
import WenshuCore
@testable import WenshuModel

/// The BERT tokenizer against Hugging Face's `tokenizers` package: ids, tokens and scalar
/// offsets on edge cases and real legal sentences (Fixtures/bert-tokenizer.json, written by
/// Fixtures/make_bert_fixtures.py), under three casing configurations.
final class BertTokenizerTests: XCTestCase {
    struct Case: Decodable { var text: String; var ids: [Int32]; var tokens: [String]?; var offsets: [[Int]] }
    struct Pair: Decodable { var text: String; var text_pair: String; var ids: [Int32]; var type_ids: [Int32]; var offsets: [[Int]] }
    struct Config: Decodable { var name: String; var lowercase: Bool; var strip_accents: Bool?; var cases: [Case]; var pair: Pair }
    struct Fixture: Decodable { var vocab: String; var configs: [Config] }

    func fixture() throws -> (Fixture, [(String, Int32)]) {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/bert-tokenizer", withExtension: "json"))
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let v = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/bert-vocab", withExtension: "txt"))
        return (f, BertTokenizer.vocabularyFile(try String(contentsOf: v, encoding: .utf8)))
    }

    func testIdsTokensAndOffsetsMatchHuggingFace() throws {
        let (f, vocab) = try fixture()
        XCTAssertEqual(f.configs.count, 3)
        var checked = 0
        for c in f.configs {
            let tok = try BertTokenizer(entries: vocab, basic: BertBasicTokenizer(lowercase: c.lowercase, stripAccents: c.strip_accents))
            for k in c.cases {
                let e = tok.encode(Array(k.text.unicodeScalars))
                XCTAssertEqual(e.ids, k.ids, "\(c.name): ids of \(k.text.debugDescription)")
                if let t = k.tokens { XCTAssertEqual(e.tokens, t, "\(c.name): tokens of \(k.text.debugDescription)") }
                XCTAssertEqual(e.offsets.map { [$0.lowerBound, $0.upperBound] }, k.offsets, "\(c.name): offsets of \(k.text.debugDescription)")
                checked += 1
            }
            let p = tok.encode(Array(c.pair.text.unicodeScalars), pair: Array(c.pair.text_pair.unicodeScalars))
            XCTAssertEqual(p.ids, c.pair.ids)
            XCTAssertEqual(p.typeIDs, c.pair.type_ids)
            XCTAssertEqual(p.offsets.map { [$0.lowerBound, $0.upperBound] }, c.pair.offsets)
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testFolderLoadingReadsVocabTxtWithTokenizerConfigAndTokenizerJSON() throws {
        let (f, vocab) = try fixture()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-bert-tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let v = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/bert-vocab", withExtension: "txt"))
        try FileManager.default.copyItem(at: v, to: dir.appendingPathComponent("vocab.txt"))
        try Data(#"{"do_lower_case": false}"#.utf8).write(to: dir.appendingPathComponent("tokenizer_config.json"))
        let cased = try XCTUnwrap(f.configs.first { $0.name == "cased" })
        let t1 = try BertTokenizer.load(folder: dir)
        for k in cased.cases { XCTAssertEqual(t1.encode(Array(k.text.unicodeScalars)).ids, k.ids) }
        // tokenizer.json wins over vocab.txt and carries its own normalizer settings.
        let json: [String: Any] = ["model": ["type": "WordPiece", "vocab": Dictionary(vocab.map { ($0.0, Int($0.1)) }, uniquingKeysWith: { _, b in b }), "unk_token": "[UNK]",
                                             "continuing_subword_prefix": "##", "max_input_chars_per_word": 100],
                                   "normalizer": ["type": "BertNormalizer", "lowercase": true, "strip_accents": NSNull(),
                                                  "clean_text": true, "handle_chinese_chars": true]]
        try JSONSerialization.data(withJSONObject: json).write(to: dir.appendingPathComponent("tokenizer.json"))
        let uncased = try XCTUnwrap(f.configs.first { $0.name == "uncased" })
        let t2 = try BertTokenizer.load(folder: dir)
        for k in uncased.cases { XCTAssertEqual(t2.encode(Array(k.text.unicodeScalars)).ids, k.ids) }
        // A vocabulary without [UNK] is refused.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("tokenizer.json"))
        try Data("[CLS]\n[SEP]\na\n".utf8).write(to: dir.appendingPathComponent("vocab.txt"))
        XCTAssertThrowsError(try BertTokenizer.load(folder: dir)) { XCTAssertEqual(($0 as? WenshuError)?.code, "transformer.bad_vocabulary") }
    }
}
