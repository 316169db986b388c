import Foundation
import XCTest
import WenshuCore
@testable import WenshuModel

/// The generated Heads section of MODEL_CARD.md and portable data paths (issue 13, item 15).
final class ModelCardTests: XCTestCase {
    static let repoRoot: URL = {
        var u = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while u.path != "/" {
            if FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) { return u }
            u = u.deletingLastPathComponent()
        }
        return u
    }()

    func testPortablePaths() {
        XCTAssertEqual(ModelCard.portablePath("/work/shared/data/cail2021-theft/train.jsonl"), "cail2021-theft/train.jsonl")
        XCTAssertEqual(ModelCard.portablePath("/home/ann/labels/my-set.jsonl"), "labels/my-set.jsonl")
        XCTAssertEqual(ModelCard.portablePath("cail2018-charges/train.jsonl (dev: /x/shared/data/a/dev.jsonl)"),
                       "cail2018-charges/train.jsonl (dev: a/dev.jsonl)")
        XCTAssertEqual(ModelCard.portablePath("samples/labelled/theft.jsonl"), "samples/labelled/theft.jsonl")
    }

    /// The real default bundle's manifest (which holds the developer's absolute paths)
    /// gives a section with every head and no absolute path; the author's text stays.
    func testSectionFromTheDefaultManifestReplacesOnlyItsMarkers() throws {
        let url = Self.repoRoot.appendingPathComponent("models/default/manifest.json")
        let m = try JSONDecoder().decode(BundleManifest.self, from: Data(contentsOf: url))
        let section = ModelCard.headsSection(m)
        for h in m.heads { XCTAssertTrue(section.contains("| \(h.name) | \(h.kind.rawValue) | \(h.labels.count) |"), h.name) }
        XCTAssertFalse(section.contains("/work/"), section)
        XCTAssertTrue(section.contains("cail2021-theft/train.jsonl"))

        let card = "# Model card\n\nWritten by hand.\n"
        let once = ModelCard.updated(card, with: m)
        XCTAssertTrue(once.hasPrefix(card))
        XCTAssertTrue(once.contains(ModelCard.begin) && once.contains(ModelCard.end))
        // A second update with one head fewer replaces the section, keeps the rest.
        var fewer = m
        let removed = fewer.heads.removeLast().name
        let twice = ModelCard.updated(once + "\n## Limits\nHand-written tail.\n", with: fewer)
        XCTAssertTrue(twice.hasPrefix(card))
        XCTAssertTrue(twice.hasSuffix("## Limits\nHand-written tail.\n"))
        XCTAssertEqual(twice.components(separatedBy: ModelCard.begin).count, 2)
        XCTAssertFalse(twice.contains("| \(removed) |"))

        XCTAssertFalse(String(decoding: try JSONEncoder().encode(ModelCard.portable(m)), as: UTF8.self).contains("/work/"))
    }

    /// `update(bundleAt:)` on a bundle folder without a card writes one.
    func testUpdateWritesACard() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("wenshu-card-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: Self.repoRoot.appendingPathComponent("models/default/manifest.json"),
                                         to: dir.appendingPathComponent("manifest.json"))
        try ModelCard.update(bundleAt: dir)
        let card = try String(contentsOf: dir.appendingPathComponent(ModelCard.fileName), encoding: .utf8)
        XCTAssertTrue(card.contains("## Heads"))
        XCTAssertThrowsError(try ModelCard.update(bundleAt: dir.appendingPathComponent("absent"))) { e in
            XCTAssertEqual((e as? WenshuError)?.code, "bundle.card")
        }
    }
}
