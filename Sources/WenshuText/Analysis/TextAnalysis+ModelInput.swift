import WenshuCore

extension TextAnalysis {
    /// What the model reads: the normalized scalars with this analysis's sentences, its
    /// words (when word segmentation ran) and its judgment sections moved into normalized
    /// coordinates. Spans the model finds are normalized offsets; map them back with
    /// `normalized.sourceSpan`.
    public var modelInput: AnalyzedText {
        let words: Set<Int>? = self.words.isEmpty ? nil : Set(self.words.map(\.range.lowerBound))
        let sections = structure.sections.compactMap { s -> AnalyzedText.Section? in
            let r = normalized.normalizedRange(forSource: s.start..<s.end)
            return r.isEmpty ? nil : AnalyzedText.Section(kind: s.kind.rawValue, range: r)
        }
        var out = AnalyzedText(scalars: normalized.text.scalars, sentences: sentences, wordStarts: words, sections: sections)
        if let c = structure.caseType { out.attributes["case_type"] = c }
        if let d = structure.docType { out.attributes["doc_type"] = d }
        out.namedCharges = structure.charges.compactMap { c in
            let r = normalized.normalizedRange(forSource: c.start..<c.end)
            return r.isEmpty ? nil : AnalyzedText.NamedMention(name: c.name, section: c.section, range: r)
        }
        return out
    }
}

extension NormalizedText {
    /// The normalized scalars whose source ranges start inside `source` (an extracted-text
    /// range): the inverse of `sourceSpan` for the monotonic alignments the normalizers make.
    public func normalizedRange(forSource source: Range<Int>) -> Range<Int> {
        let starts = alignment.sourceStart
        func firstAtOrAfter(_ p: Int) -> Int {
            var lo = 0, hi = starts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid] < p { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        let lo = firstAtOrAfter(source.lowerBound)
        let hi = max(lo, firstAtOrAfter(source.upperBound))
        return lo..<hi
    }
}
