import XCTest
@testable import WenshuTensor

final class PlaceholderTensorTests: XCTestCase {
    func testModuleLinks() throws { XCTAssertTrue(true) }
}
