import XCTest
@testable import WenshuText

final class PlaceholderTextTests: XCTestCase {
    func testModuleLinks() throws { XCTAssertTrue(true) }
}
