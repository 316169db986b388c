import XCTest
@testable import WenshuPipeline

final class PlaceholderPipelineTests: XCTestCase {
    func testModuleLinks() throws { XCTAssertTrue(true) }
}
