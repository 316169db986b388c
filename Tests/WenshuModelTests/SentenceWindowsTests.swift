import XCTest
import WenshuCore
@testable import WenshuModel

/// Long texts are read by span and event heads in sentence windows; offsets come back in the
/// whole text's coordinates.
final class SentenceWindowsTests: XCTestCase {
    func testWindowsCoverTheTextAtSentenceEnds() {
        let sentence = "被告人黄某某于2017年6月9日13时许在贵阳市云岩区窃得手机一部。"   // real shape, CAIL2021
        let text = ScalarText(String(repeating: sentence, count: 60))
        let windows = SentenceWindows.ranges(AnalyzedText(scalars: text.scalars), limit: 100)
        XCTAssertEqual(windows.first?.lowerBound, 0)
        XCTAssertEqual(windows.last?.upperBound, text.count)
        for (a, b) in zip(windows, windows.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
        for w in windows {
            XCTAssertLessThanOrEqual(w.count, 100)
            XCTAssertEqual(text.scalars[w.upperBound - 1], "。", "a window ends at a sentence end")
        }
        // A short text, and a single sentence longer than the limit, stay whole.
        XCTAssertEqual(SentenceWindows.ranges(AnalyzedText(sentence), limit: 100), [0..<sentence.unicodeScalars.count])
        let long = ScalarText(String(repeating: "窃", count: 250))
        XCTAssertEqual(SentenceWindows.ranges(AnalyzedText(scalars: long.scalars), limit: 100), [0..<250])
    }

    func testShiftMovesEveryOffset() {
        let a = ModelAnnotations(entities: [EntityMention(task: "t", label: "NHCS", text: "黄某", start: 2, end: 4)],
                                 events: [Event(task: "t", type: "盗窃", trigger: Span(text: "窃得", start: 5, end: 7),
                                                arguments: [EventArgument(role: "NHCS", text: "黄某", start: 2, end: 4)])])
        let b = SentenceWindows.shifted(a, by: 100)
        XCTAssertEqual(b.entities[0].start, 102)
        XCTAssertEqual(b.events[0].trigger?.end, 107)
        XCTAssertEqual(b.events[0].arguments[0].start, 102)
        XCTAssertEqual(b.events[0].arguments[0].text, "黄某")
    }

    func testDefaultBundleFindsTheSameEventsInASentenceAloneAndInsideALongText() throws {
        // The committed default bundle: a theft sentence read alone, and the same sentence as the
        // last of a long text, give the same arguments (shifted by the sentence's offset).
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let bundleURL = root.appendingPathComponent("models/default")
        guard FileManager.default.fileExists(atPath: bundleURL.appendingPathComponent("manifest.json").path) else {
            throw XCTSkip("models/default not present")
        }
        let bundle = try ModelBundle.load(at: bundleURL)
        guard bundle.heads.contains(where: { $0.name == "theft" }) else { throw XCTSkip("no theft head") }
        let sentence = "2017年6月9日13时许，被告人黄勇在贵阳市云岩区市北路黔灵半山小区停车场窃得被害人陈某的电动车一辆。"
        let filler = String(repeating: "本院依法组成合议庭，公开开庭审理了本案。", count: 60)
        let alone = try bundle.annotate([sentence], options: AnnotatorOptions(heads: ["theft"]))[0]
        let inside = try bundle.annotate([filler + sentence], options: AnnotatorOptions(heads: ["theft"]))[0]
        let offset = filler.unicodeScalars.count
        let aloneArgs = alone.events.flatMap(\.arguments).map { "\($0.role) \($0.start + offset) \($0.text)" }
        let insideArgs = inside.events.flatMap(\.arguments).filter { $0.start >= offset }.map { "\($0.role) \($0.start) \($0.text)" }
        XCTAssertFalse(aloneArgs.isEmpty, "the theft head finds arguments in a theft sentence")
        XCTAssertEqual(insideArgs, aloneArgs)
    }
}
