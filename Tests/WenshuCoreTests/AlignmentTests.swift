import XCTest
@testable import WenshuCore

final class AlignmentTests: XCTestCase {
    func testIdentityMapsRangesToThemselves() {
        let a = Alignment.identity(length: 10)
        XCTAssertEqual(a.sourceRange(2..<5), 2..<5)
        XCTAssertEqual(a.sourceRange(7..<7), 7..<7)
        XCTAssertEqual(a.sourceRange(8..<40), 8..<10, "clamped to the text")
    }

    func testDeletionIsAbsorbedByNeighbours() {
        // Source "民 事" (3 scalars) normalized to "民事": the space at 1 is dropped.
        let a = Alignment(sourceStart: [0, 2], sourceEnd: [1, 3], sourceLength: 3)
        XCTAssertEqual(a.sourceRange(0..<2), 0..<3, "the whole normalized word covers the dropped space")
        XCTAssertEqual(a.sourceRange(1..<2), 2..<3)
    }

    func testCompositionChainsTwoSteps() {
        // Step 1: "Ａ 　Ｂ" -> "A 　B" is one-to-one; step 2 drops the two spaces: "AB".
        let first = Alignment.identity(length: 4)
        let second = Alignment(sourceStart: [0, 3], sourceEnd: [1, 4], sourceLength: 4)
        let both = first.composed(with: second)
        XCTAssertEqual(both.count, 2)
        XCTAssertEqual(both.sourceRange(1..<2), 3..<4)
        XCTAssertEqual(both.sourceRange(0..<2), 0..<4)
    }

    func testModelAnnotationsMapBackToExtractedText() {
        let source = ScalarText("被告人 黄某某窃得")
        // Normalized text drops the space at index 3.
        let normalized = NormalizedText(text: ScalarText("被告人黄某某窃得"),
                                        alignment: Alignment(sourceStart: [0, 1, 2, 4, 5, 6, 7, 8],
                                                             sourceEnd: [1, 2, 3, 5, 6, 7, 8, 9], sourceLength: 9),
                                        source: source)
        let ann = ModelAnnotations(events: [Event(task: "theft", type: "盗窃", trigger: Span(text: "窃得", start: 6, end: 8),
                                                  arguments: [EventArgument(role: "NHCS", text: "黄某某", start: 3, end: 6)])])
        let mapped = ann.mapped(through: normalized)
        XCTAssertEqual(mapped.events[0].trigger, Span(text: "窃得", start: 7, end: 9))
        XCTAssertEqual(mapped.events[0].arguments[0].start, 4)
        XCTAssertEqual(mapped.events[0].arguments[0].text, "黄某某")
    }
}
