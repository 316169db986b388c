import XCTest
@testable import WenshuIngest

final class PlaceholderIngestTests: XCTestCase {
    func testModuleLinks() throws { XCTAssertTrue(true) }
}
