import XCTest
import WenshuCore
@testable import WenshuEval

final class DevSplitTests: XCTestCase {
    func testFNV1a64PublishedVectors() {
        // Published FNV-1a 64-bit test vectors (Noll's reference list).
        XCTAssertEqual(DevSplit.fnv1a64(Array("".utf8)), 0xcbf29ce484222325)
        XCTAssertEqual(DevSplit.fnv1a64(Array("a".utf8)), 0xaf63dc4c8601ec8c)
        XCTAssertEqual(DevSplit.fnv1a64(Array("foobar".utf8)), 0x85944171f73967e8)
    }

    func testSplitIsByIdAndAboutATenth() {
        let ex = (0..<2000).map { LabelledExample(id: "doc-\($0)", text: "x") }
        let (train, dev) = DevSplit.split(ex)
        XCTAssertEqual(train.count + dev.count, 2000)
        XCTAssertTrue((140...260).contains(dev.count), "\(dev.count)")
        XCTAssertTrue(dev.allSatisfy { DevSplit.isDev(id: $0.id) })
        // Order-independent.
        let (_, dev2) = DevSplit.split(ex.reversed())
        XCTAssertEqual(Set(dev.map(\.id)), Set(dev2.map(\.id)))
    }
}
