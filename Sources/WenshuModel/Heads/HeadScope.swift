import WenshuCore

/// What part of a document a head reads. Heads trained on fact paragraphs (CAIL2018
/// charges, CAIL2021 theft sentences, CAIL2022 drug passages) read a judgment's facts
/// sections; a text without any of the named sections (a bare paragraph, a document whose
/// structure was not found) is read whole. Offsets always stay in the whole text's coordinates.
public enum HeadScope {
    /// The section kinds a facts-trained head reads: what the court found (facts) and what
    /// the prosecution alleged (claims, 指控).
    public static let facts = ["facts", "claims"]

    /// The ranges of `text` that a head with `scope` reads, in order, merged where they touch.
    /// nil or an empty scope, or a text with none of the sections: the whole text.
    public static func ranges(_ scope: [String]?, in text: AnalyzedText) -> [Range<Int>] {
        let whole = [0..<text.count]
        guard let scope, !scope.isEmpty, !text.sections.isEmpty else { return whole }
        let wanted = Set(scope)
        let picked = text.sections.filter { wanted.contains($0.kind) }.map(\.range).sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for r in picked where !r.isEmpty {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        return merged.isEmpty ? whole : merged
    }
}
