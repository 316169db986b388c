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

    /// Relation-shaped events are also scored as pairs of their core arguments (the roles every
    /// gold event of the type has): a relation with the right seller and drug but a wrong time
    /// is a right pair and a wrong event, and the dev score weighs the pair F1 in.
    func testDevScoreOfRelationEventsCountsCorePairs() throws {
        let text = "2019年5月，被告人黄某在住处将甲基苯丙胺贩卖给李某。"
        func ev(_ type: String, _ args: [(String, Int, Int)]) -> LabelledEvent {
            LabelledEvent(type: type, arguments: args.map { LabelledArgument(role: $0.0, start: $0.1, end: $0.2) })
        }
        let gold = LabelledExample(id: "1", text: text, events: [
            ev("traffic_in", [("time", 0, 7), ("seller", 11, 13), ("drug", 17, 22)]),
            ev("traffic_in", [("seller", 11, 13), ("drug", 17, 22)]),
            ev("sell_drugs_to", [("seller", 11, 13), ("buyer", 25, 27)]),
        ])
        func predicted(_ events: [Event]) -> ModelAnnotations { ModelAnnotations(events: events) }
        func pe(_ type: String, _ args: [(String, Int, Int)]) -> Event {
            Event(task: "drugs", type: type, arguments: args.map { EventArgument(role: $0.0, text: "", start: $0.1, end: $0.2) })
        }
        let kind = try HeadKinds.builtIn.definition(.eventExtractor)
        // The seller and drug right, the time wrong; the buyer pair missed.
        let m = kind.devScore(head: "drugs", gold: [gold], predicted: [predicted([pe("traffic_in", [("time", 2, 7), ("seller", 11, 13), ("drug", 17, 22)])])])
        // Core pairs: gold {traffic_in seller+drug, sell_drugs_to seller+buyer}; predicted the first.
        XCTAssertEqual(try XCTUnwrap(m["pair_f1"]), 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(m["event_f1"]), 0, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(m["score"]), (m["event_f1"]! + m["argument_f1"]! + m["pair_f1"]!) / 3, accuracy: 1e-9)
        // Events without shared core roles (one role each) have no pair score.
        let single = LabelledExample(id: "2", text: text, events: [ev("theft", [("NHCS", 11, 13)]), ev("theft", [("NT", 0, 7)])])
        XCTAssertNil(kind.devScore(head: "drugs", gold: [single], predicted: [predicted([])])["pair_f1"])
    }
}
