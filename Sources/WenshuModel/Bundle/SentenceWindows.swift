import Foundation
import WenshuCore

/// Span and event heads were trained on sentences and short passages (CAIL2021 sentences,
/// CAIL2022 passages, LEVEN sentences); a whole judgment is far longer. These windows cut a
/// long text at sentence ends into pieces of at most `limit` characters (a longer sentence
/// stays whole) so each head sees text of the length it learnt from: the theft head then
/// gives one event per passage rather than one per judgment, and relation pairs are not
/// sought between mentions pages apart. The encoder still runs once over the whole text:
/// a window reads its rows of the character vectors.
struct SentenceWindows {
    /// Texts up to this many characters are read whole: every training passage of the
    /// default heads is shorter (CAIL2022's longest is 697, CAIL2021's 439, LEVEN's 240),
    /// so evaluation on those sets is unaffected.
    static let defaultLimit = 700

    /// Window ranges covering `0..<text.count`, in order, without gaps, cut at the ends of
    /// the text's sentences (a sentence longer than `limit` stays whole).
    static func ranges(_ text: AnalyzedText, limit: Int = defaultLimit) -> [Range<Int>] {
        let n = text.count
        if n <= limit { return [0..<n] }
        var windows: [Range<Int>] = []
        var lo = 0, hi = 0
        for s in text.sentences {
            let end = s.upperBound
            if hi > lo && end - lo > limit { windows.append(lo..<hi); lo = hi }
            hi = end
        }
        if n > hi && n - lo > limit && hi > lo { windows.append(lo..<hi); lo = hi }
        if n > lo { windows.append(lo..<n) }
        return windows
    }

    /// Annotations found in a window, moved to the whole text's offsets.
    static func shifted(_ a: ModelAnnotations, by offset: Int) -> ModelAnnotations {
        if offset == 0 { return a }
        var out = a
        out.entities = a.entities.map { var e = $0; e.start += offset; e.end += offset; return e }
        out.events = a.events.map { ev in
            var e = ev
            if var t = ev.trigger { t.start += offset; t.end += offset; e.trigger = t }
            e.arguments = ev.arguments.map { var x = $0; x.start += offset; x.end += offset; return x }
            return e
        }
        return out
    }
}
