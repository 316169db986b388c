import Foundation
import WenshuCore

/// One tokenized sequence in the layout Hugging Face returns: ids, tokens, and each token's
/// scalar range in the text ((0, 0) for the special tokens [CLS] and [SEP]).
public struct BertEncoding: Sendable, Equatable {
    /// Vocabulary ids.
    public var ids: [Int32]
    /// Token strings.
    public var tokens: [String]
    /// Scalar offsets into the text, end exclusive.
    public var offsets: [Range<Int>]
    /// Token type (segment) of each token: 0 for the first text, 1 for a pair's second.
    public var typeIDs: [Int32]
    /// An encoding from its parts.
    public init(ids: [Int32], tokens: [String], offsets: [Range<Int>], typeIDs: [Int32]) {
        self.ids = ids; self.tokens = tokens; self.offsets = offsets; self.typeIDs = typeIDs
    }
    /// Number of tokens.
    public var count: Int { ids.count }
}

/// Hugging Face's BertTokenizer: the basic tokenizer (`BertBasicTokenizer`), then WordPiece
/// (greedy longest match, continuation pieces prefixed `##`, a word with an unknown piece or
/// longer than `maxInputCharsPerWord` becomes `[UNK]`). Special tokens written literally in
/// the text ([CLS], [SEP], [UNK], [PAD], [MASK]) are kept whole, as Hugging Face does.
/// Reads `vocab.txt` or the vocabulary inside `tokenizer.json`, and the casing options from
/// `tokenizer.json`'s normalizer or `tokenizer_config.json`.
public struct BertTokenizer: Sendable {
    /// Token scalars -> id.
    let scalarVocabulary: [[Unicode.Scalar]: Int32]
    /// Id -> token.
    public let tokens: [String]
    /// Normalizer and pre-tokenizer settings.
    public var basic: BertBasicTokenizer
    /// Unknown token.
    public let unkToken: String
    /// Prefix of word continuation pieces.
    public let continuingPrefix: String
    /// Words longer than this (in scalars) become the unknown token.
    public let maxInputCharsPerWord: Int
    /// Special tokens kept whole when written in the text, longest first.
    let specials: [[Unicode.Scalar]]
    /// Scalars of the continuation prefix.
    let prefixScalars: [Unicode.Scalar]
    /// Ids of [CLS], [SEP], [UNK].
    public let clsID: Int32, sepID: Int32, unkID: Int32

    /// A tokenizer over `vocabulary` (token -> id).
    public init(vocabulary: [String: Int32], basic: BertBasicTokenizer = BertBasicTokenizer(), unkToken: String = "[UNK]",
                continuingPrefix: String = "##", maxInputCharsPerWord: Int = 100, path: String = "vocabulary") throws {
        try self.init(entries: vocabulary.map { ($0.key, $0.value) }, basic: basic, unkToken: unkToken, continuingPrefix: continuingPrefix,
                      maxInputCharsPerWord: maxInputCharsPerWord, path: path)
    }

    /// A tokenizer over (token, id) entries, in file order (a repeated token keeps its last id).
    /// Tokens are matched scalar by scalar, not up to canonical equivalence as Swift strings compare:
    /// "e" + U+0301 is not the token "é".
    public init(entries: [(String, Int32)], basic: BertBasicTokenizer = BertBasicTokenizer(), unkToken: String = "[UNK]",
                continuingPrefix: String = "##", maxInputCharsPerWord: Int = 100, path: String = "vocabulary") throws {
        var byScalars: [[Unicode.Scalar]: Int32] = [:]
        for (t, i) in entries { byScalars[Array(t.unicodeScalars)] = i }
        func id(_ t: String) throws -> Int32 {
            guard let i = byScalars[Array(t.unicodeScalars)] else {
                throw WenshuError(.transformer.badVocabulary, "the vocabulary has no \(t) token", stage: .model, path: path)
            }
            return i
        }
        self.unkID = try id(unkToken); self.clsID = try id("[CLS]"); self.sepID = try id("[SEP]")
        var byID = [String](repeating: "", count: Int((entries.map(\.1).max() ?? -1) + 1))
        for (t, i) in entries where i >= 0 { byID[Int(i)] = t }
        self.scalarVocabulary = byScalars; self.tokens = byID; self.basic = basic; self.unkToken = unkToken
        self.continuingPrefix = continuingPrefix; self.prefixScalars = Array(continuingPrefix.unicodeScalars)
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.specials = Set(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", unkToken]).map { Array($0.unicodeScalars) }
            .filter { byScalars[$0] != nil }.sorted { $0.count > $1.count }
    }

    /// Loads the tokenizer of a Hugging Face folder: `tokenizer.json` when present (vocabulary
    /// and normalizer), else `vocab.txt` with `tokenizer_config.json`'s options.
    public static func load(folder: URL) throws -> BertTokenizer {
        let fm = FileManager.default
        let tj = folder.appendingPathComponent("tokenizer.json")
        let tc = folder.appendingPathComponent("tokenizer_config.json")
        var basic = BertBasicTokenizer()
        if let d = try? Data(contentsOf: tc), let o = (try? JSONSerialization.jsonObject(with: d)) as? [String: Any] {
            if let l = o["do_lower_case"] as? Bool { basic.lowercase = l }
            if let s = o["strip_accents"] as? Bool { basic.stripAccents = s }
            if let c = o["tokenize_chinese_chars"] as? Bool { basic.handleChineseChars = c }
        }
        if fm.fileExists(atPath: tj.path) {
            guard let d = try? Data(contentsOf: tj), let o = (try? JSONSerialization.jsonObject(with: d)) as? [String: Any],
                  let model = o["model"] as? [String: Any], let v = model["vocab"] as? [String: Any] else {
                throw WenshuError(.transformer.badVocabulary, "tokenizer.json has no model.vocab object", stage: .model, path: tj.path)
            }
            if let type = model["type"] as? String, type != "WordPiece" {
                throw WenshuError(.transformer.badVocabulary, "tokenizer.json's model is \(type), not WordPiece (a BERT tokenizer)",
                                  stage: .model, path: tj.path)
            }
            var vocab: [(String, Int32)] = []
            for (k, x) in v { guard let i = x as? Int else { continue }; vocab.append((k, Int32(i))) }
            if let n = o["normalizer"] as? [String: Any], (n["type"] as? String) == "BertNormalizer" {
                if let l = n["lowercase"] as? Bool { basic.lowercase = l }
                basic.stripAccents = n["strip_accents"] as? Bool
                if let c = n["handle_chinese_chars"] as? Bool { basic.handleChineseChars = c }
                if let c = n["clean_text"] as? Bool { basic.cleanText = c }
            }
            return try BertTokenizer(entries: vocab, basic: basic, unkToken: model["unk_token"] as? String ?? "[UNK]",
                                     continuingPrefix: model["continuing_subword_prefix"] as? String ?? "##",
                                     maxInputCharsPerWord: model["max_input_chars_per_word"] as? Int ?? 100, path: tj.path)
        }
        let vf = folder.appendingPathComponent("vocab.txt")
        guard let text = try? String(contentsOf: vf, encoding: .utf8) else {
            throw WenshuError(.transformer.missingVocabulary, "the checkpoint folder has neither tokenizer.json nor a readable vocab.txt",
                              stage: .model, path: vf.path)
        }
        return try BertTokenizer(entries: vocabularyFile(text), basic: basic, path: vf.path)
    }

    /// Parses vocab.txt: one token a line, the line number is the id.
    public static func vocabularyFile(_ text: String) -> [(String, Int32)] {
        var vocab: [(String, Int32)] = []
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        for (i, l) in lines.enumerated() {
            vocab.append((l.hasSuffix("\r") ? String(l.dropLast()) : l, Int32(i)))
        }
        return vocab
    }

    /// The WordPiece tokens of `text[range]` without special tokens: (id, scalar range).
    public func wordPieces(_ text: [Unicode.Scalar], range: Range<Int>? = nil) -> [(id: Int32, range: Range<Int>)] {
        let r = range ?? 0..<text.count
        var out: [(Int32, Range<Int>)] = []
        // Literal special tokens split the text first and are kept whole.
        var start = r.lowerBound, i = r.lowerBound
        while i < r.upperBound {
            if text[i] == "[", let s = specials.first(where: { i + $0.count <= r.upperBound && Array(text[i..<(i + $0.count)]) == $0 }) {
                pieces(text, start..<i, into: &out)
                out.append((scalarVocabulary[s]!, i..<(i + s.count)))
                i += s.count; start = i
            } else { i += 1 }
        }
        pieces(text, start..<r.upperBound, into: &out)
        return out
    }

    private func pieces(_ text: [Unicode.Scalar], _ range: Range<Int>, into out: inout [(Int32, Range<Int>)]) {
        if range.isEmpty { return }
        for w in basic.words(text, range: range) {
            let n = w.scalars.count
            if n > maxInputCharsPerWord { out.append((unkID, w.range)); continue }
            var sub: [(Int32, Range<Int>)] = []
            var s = 0
            var bad = false
            var key: [Unicode.Scalar] = []
            while s < n {
                var e = n
                var found: Int32?
                while s < e {
                    key.removeAll(keepingCapacity: true)
                    if s > 0 { key.append(contentsOf: prefixScalars) }
                    key.append(contentsOf: w.scalars[s..<e])
                    if let id = scalarVocabulary[key] { found = id; break }
                    e -= 1
                }
                guard let id = found else { bad = true; break }
                sub.append((id, w.origins[s]..<(w.origins[e - 1] + 1)))
                s = e
            }
            if bad { out.append((unkID, w.range)) } else { out.append(contentsOf: sub) }
        }
    }

    /// The encoding of `text` (and optionally `pair`) with [CLS] and [SEP], as Hugging Face's
    /// `encode` returns it without truncation. Offsets of the pair are into `pair`.
    public func encode(_ text: [Unicode.Scalar], pair: [Unicode.Scalar]? = nil) -> BertEncoding {
        var e = BertEncoding(ids: [clsID], tokens: ["[CLS]"], offsets: [0..<0], typeIDs: [0])
        for (k, t) in [text, pair].enumerated() {
            guard let t = t else { continue }
            for p in wordPieces(t) {
                e.ids.append(p.id); e.tokens.append(token(p.id)); e.offsets.append(p.range); e.typeIDs.append(Int32(k))
            }
            e.ids.append(sepID); e.tokens.append("[SEP]"); e.offsets.append(0..<0); e.typeIDs.append(Int32(k))
        }
        return e
    }

    /// The token string of an id.
    public func token(_ id: Int32) -> String { id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : unkToken }
}
