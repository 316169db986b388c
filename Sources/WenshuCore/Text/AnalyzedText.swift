/// What the model layer reads for one text: its scalars, its sentences (one definition of a
/// sentence for the whole project: `SentenceSegmenter`), optional word starts, and optional
/// judgment sections. Offsets are scalar positions in `scalars`, end exclusive; the pipeline
/// maps them back to the extracted text through its alignment.
///
/// Made by WenshuText for documents (`TextAnalysis.modelInput`), or from a plain string for
/// labelled examples (`AnalyzedText(_:)`), so training and inference read text the same way.
public struct AnalyzedText: Sendable, Equatable {
    /// One section of the text, for heads that read only some sections.
    public struct Section: Sendable, Equatable {
        /// Section kind as written in result records ("facts", "reasoning", ...).
        public var kind: String
        /// Scalar range.
        public var range: Range<Int>
        /// A section.
        public init(kind: String, range: Range<Int>) { self.kind = kind; self.range = range }
    }

    /// A name the document gives in its own words (a charge: 构成盗窃罪), for heads whose
    /// labels may be taken from the text (`AnnotatorOptions.namedLabels`).
    public struct NamedMention: Sendable, Equatable {
        /// The name as the rules read it (盗窃).
        public var name: String
        /// The section it is named in ("claims", "reasoning", ...).
        public var section: String
        /// Scalar range of the name.
        public var range: Range<Int>
        /// A named mention.
        public init(name: String, section: String, range: Range<Int>) { self.name = name; self.section = section; self.range = range }
    }

    /// The text's Unicode scalars.
    public var scalars: [Unicode.Scalar]
    /// Sentence ranges, in order, non-overlapping (whitespace between sentences is in none).
    public var sentences: [Range<Int>]
    /// Positions where a word starts, when a word segmentation is known.
    public var wordStarts: Set<Int>?
    /// Judgment sections, when the text has a known structure (empty otherwise).
    public var sections: [Section]
    /// Facts about the document from its structure that head gates may test, such as
    /// "case_type" (刑事, 民事, ...) and "doc_type" (判决书, ...).
    public var attributes: [String: String] = [:]
    /// Charges the document names (from the judgment structure; empty otherwise).
    public var namedCharges: [NamedMention] = []

    /// Analysed text with every part given.
    public init(scalars: [Unicode.Scalar], sentences: [Range<Int>], wordStarts: Set<Int>? = nil, sections: [Section] = []) {
        self.scalars = scalars; self.sentences = sentences; self.wordStarts = wordStarts; self.sections = sections
    }

    /// A plain text with sentences from `SentenceSegmenter` and no words or sections.
    public init(_ text: String) { self.init(scalars: Array(text.unicodeScalars)) }

    /// Plain scalars with sentences from `SentenceSegmenter` and no words or sections.
    public init(scalars: [Unicode.Scalar]) {
        self.init(scalars: scalars, sentences: SentenceSegmenter().sentences(scalars))
    }

    /// Number of scalars.
    public var count: Int { scalars.count }

    /// The text as a String.
    public var string: String { ScalarText(scalars: scalars).string }

    /// The sentence number of every scalar: scalars between sentences belong to the sentence
    /// before them (to the first sentence before any sentence starts).
    public var sentenceIndex: [Int32] {
        var out = [Int32](repeating: 0, count: scalars.count)
        var k: Int32 = 0
        var next = 0
        for i in 0..<scalars.count {
            while next < sentences.count && sentences[next].lowerBound <= i {
                k = Int32(next); next += 1
            }
            out[i] = k
        }
        return out
    }

    /// The part `range` of this text as a text of its own (sentences, words and sections cut
    /// and moved to start at 0).
    public func slice(_ range: Range<Int>) -> AnalyzedText {
        let lo = range.lowerBound
        let sents = sentences.compactMap { s -> Range<Int>? in
            let a = max(s.lowerBound, range.lowerBound), b = min(s.upperBound, range.upperBound)
            return a < b ? (a - lo)..<(b - lo) : nil
        }
        let words = wordStarts.map { ws in Set(ws.filter { range.contains($0) }.map { $0 - lo }) }
        let secs = sections.compactMap { s -> Section? in
            let a = max(s.range.lowerBound, range.lowerBound), b = min(s.range.upperBound, range.upperBound)
            return a < b ? Section(kind: s.kind, range: (a - lo)..<(b - lo)) : nil
        }
        var out = AnalyzedText(scalars: Array(scalars[range]), sentences: sents, wordStarts: words, sections: secs)
        out.attributes = attributes
        out.namedCharges = namedCharges.compactMap { n in
            range.contains(n.range.lowerBound) && n.range.upperBound <= range.upperBound
                ? NamedMention(name: n.name, section: n.section, range: (n.range.lowerBound - lo)..<(n.range.upperBound - lo)) : nil
        }
        return out
    }
}
