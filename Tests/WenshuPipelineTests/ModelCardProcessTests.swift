import Foundation
import XCTest

/// `wenshu model remove-head` / `add-head` keep MODEL_CARD.md's Heads section in step with
/// the manifest, and `model inspect` shows no absolute data path (issue 13, item 15).
final class ModelCardProcessTests: XCTestCase {
    /// The text between the generated section's markers.
    private func generated(_ card: String) throws -> Substring {
        let a = try XCTUnwrap(card.range(of: "<!-- wenshu:heads:begin"))
        let b = try XCTUnwrap(card.range(of: "<!-- wenshu:heads:end -->", range: a.upperBound..<card.endIndex))
        return card[a.upperBound..<b.lowerBound]
    }

    func testRemoveAndAddHeadRewriteTheCard() throws {
        let dir = try Harness.scratch("card")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = dir.appendingPathComponent("b")
        try FileManager.default.copyItem(at: Harness.repoRoot.appendingPathComponent("models/default"), to: bundle)

        let inspect = try Harness.run(["model", "inspect", bundle.path], cwd: dir)
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("from cail2021-theft/train.jsonl"), inspect.stdout)
        XCTAssertFalse(inspect.stdout.contains("/shared/data/"), inspect.stdout)
        let json = try Harness.run(["model", "inspect", "--json", bundle.path], cwd: dir)
        XCTAssertFalse(json.stdout.contains("/shared/data/"))

        let removed = try Harness.run(["model", "remove-head", bundle.path, "--head", "leven"], cwd: dir)
        XCTAssertEqual(removed.status, 0, removed.stderr)
        let card1 = try String(contentsOf: bundle.appendingPathComponent("MODEL_CARD.md"), encoding: .utf8)
        XCTAssertTrue(card1.hasPrefix("# Model card"), "the author's text stays")
        let section1 = try generated(card1)
        XCTAssertTrue(section1.contains("| theft | event_extractor |"))
        XCTAssertFalse(section1.contains("| leven |"))

        let added = try Harness.run(["model", "add-head", bundle.path, "--from",
                                     Harness.repoRoot.appendingPathComponent("models/default").path, "--head", "leven"], cwd: dir)
        XCTAssertEqual(added.status, 0, added.stderr)
        let card2 = try String(contentsOf: bundle.appendingPathComponent("MODEL_CARD.md"), encoding: .utf8)
        XCTAssertTrue(try generated(card2).contains("| leven | event_extractor |"))
        XCTAssertEqual(card2.components(separatedBy: "<!-- wenshu:heads:begin").count, 2, "one generated section")
    }
}
