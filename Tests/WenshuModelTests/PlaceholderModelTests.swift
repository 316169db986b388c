import XCTest
@testable import WenshuModel

final class PlaceholderModelTests: XCTestCase {
    func testModuleLinks() throws { XCTAssertTrue(true) }
}
