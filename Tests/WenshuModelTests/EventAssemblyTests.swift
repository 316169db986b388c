import XCTest
import WenshuCore
@testable import WenshuModel

/// What event heads learn from the data besides weights: the trigger lexicon (LEVEN) and the
/// boundary words that cut predicted mentions (CAIL2022 places), on the real fixture excerpts.
final class EventAssemblyTests: XCTestCase {
    func testTriggerLexiconLearntAndApplied() throws {
        let ex = try FixtureData.levenTriggers()
        let lex = EventHead.lexicon(ex)
        // Every gold trigger word is in the lexicon, typed with one of its gold types.
        for e in ex { for ev in e.events {
            let t = try XCTUnwrap(ev.trigger)
            let word = ScalarText(e.text).slice(t.start..<t.end)
            let entry = try XCTUnwrap(lex[word], word)
            XCTAssertGreaterThanOrEqual(entry.occurrences, entry.triggers)
            XCTAssertTrue(ex.flatMap(\.events).contains { $0.type == entry.type && ScalarText(e.text).slice(t.start..<t.end) == word })
        } }
        // On a training sentence the lexicon alone finds every trigger whose word is a trigger
        // wherever it occurs; a range the tagger already took is left alone.
        let first = ex[0], text = ScalarText(first.text)
        let found = EventHead.lexiconTriggers(text, lexicon: lex, minPrecision: 1, taken: [])
        let want = first.events.compactMap { ev -> Range<Int>? in
            guard let t = ev.trigger, lex[text.slice(t.start..<t.end)]!.precision >= 1 else { return nil }
            return t.start..<t.end
        }
        XCTAssertFalse(want.isEmpty)
        for r in want { XCTAssertTrue(found.contains { $0.range == r && $0.label.hasPrefix(EventHead.triggerPrefix) }, "\(r)") }
        let taken = [want[0]]
        let again = EventHead.lexiconTriggers(text, lexicon: lex, minPrecision: 1, taken: taken)
        XCTAssertFalse(again.contains { $0.range.overlaps(want[0]) })
        XCTAssertEqual(again.count, found.count - 1)
        // A precision no word reaches finds nothing.
        XCTAssertTrue(EventHead.lexiconTriggers(text, lexicon: lex, minPrecision: 1.01, taken: []).isEmpty)
    }

    func testBoundaryWordsCutPredictedMentions() throws {
        let ex = try FixtureData.drugs()
        let trims = EventHead.trimSuffixes(ex, mode: .relation, minCount: 1)
        XCTAssertFalse(trims.isEmpty)
        // No boundary word holds clause punctuation; each follows gold mentions of its label at
        // least five times as often as it ends them.
        for (_, words) in trims { for w in words { XCTAssertFalse(w.unicodeScalars.contains { EventHead.clausePunctuation.contains($0) }, w) } }
        // A gold mention predicted together with the boundary word that follows it is cut back.
        var checked = 0
        for e in ex {
            let text = ScalarText(e.text)
            for s in e.spans {
                guard let words = trims[s.label] else { continue }
                for w in words {
                    let n = w.unicodeScalars.count
                    guard s.end + n <= text.count, text.slice(s.end..<(s.end + n)) == w,
                          !words.contains(where: { text.slice(s.start..<s.end).hasSuffix($0) }) else { continue }
                    let long = Mention(label: s.label, start: s.start, end: s.end + n)
                    XCTAssertEqual(EventHead.trimmed(long, text: text, suffixes: trims).range, s.start..<s.end, "\(s.label) \(w)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 0)
        // Never cut to nothing; no list, no cut.
        let t = ScalarText("附近附近")
        XCTAssertEqual(EventHead.trimmed(Mention(label: "Ns", start: 0, end: 2), text: t, suffixes: ["Ns": ["附近"]]).range, 0..<2)
        XCTAssertEqual(EventHead.trimmed(Mention(label: "Ns", start: 0, end: 4), text: t, suffixes: ["Ns": ["附近"]]).range, 0..<2)
        XCTAssertEqual(EventHead.trimmed(Mention(label: "Ns", start: 0, end: 4), text: t, suffixes: nil).range, 0..<4)
    }
}
