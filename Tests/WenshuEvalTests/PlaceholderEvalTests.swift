import XCTest
@testable import WenshuEval

final class PlaceholderEvalTests: XCTestCase {
    func testModuleLinks() throws { XCTAssertTrue(true) }
}
