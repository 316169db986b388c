import Foundation
import XCTest
@testable import WenshuPipeline
import WenshuCore
import WenshuIngest

/// `DocumentSource`: every input gives documents or error records, each with its journal
/// key, the input's content hash and its shard key, whether the input is a file or a buffer.
final class DocumentSourceTests: XCTestCase {
    private let good1 = #"{"id": "a-1", "text": "被告人张三盗窃人民币500元。"}"#
    private let bad = #"{"id": "a-2", "text": "#
    private let good2 = #"{"text": "被告人李四诈骗人民币3000元。"}"#

    private func folder() throws -> URL {
        let u = try Harness.scratch("document-source")
        addTeardownBlock { try? FileManager.default.removeItem(at: u) }
        return u
    }

    func testAFileGivesDocumentsAndErrorRecordsWithKeysAndTheFilesHash() throws {
        let dir = try folder()
        let file = dir.appendingPathComponent("records.jsonl")
        let bytes = Array([good1, bad, good2].joined(separator: "\n").utf8) + [0x0A]
        try Data(bytes).write(to: file)
        let sha = SHA256Hasher.hex(bytes)
        XCTAssertEqual(SHA256Hasher.file(atPath: file.path)?.sha256, sha)
        XCTAssertEqual(SHA256Hasher.file(atPath: file.path)?.bytes, bytes.count)

        var items: [SourceItem] = []
        var read: [Int64] = []
        let missing = dir.appendingPathComponent("missing.txt").path
        try DocumentSource().forEach(InputFiles(paths: [file.path, missing]), { items.append($0) },
                                     fileRead: { read.append($0) })
        XCTAssertEqual(read, [Int64(bytes.count)], "one call per file read, with its size")
        XCTAssertEqual(items.count, 4)
        guard items.count == 4 else { return }
        guard case let .document(d1) = items[0].content, case let .failure(e) = items[1].content,
              case let .document(d2) = items[2].content, case let .failure(m) = items[3].content else {
            return XCTFail("\(items.map(\.content))")
        }
        XCTAssertEqual(d1.id, "a-1")
        XCTAssertEqual(items[0].key, "\(sha):1:a-1")
        XCTAssertEqual(items[0].shardKey, "a-1")
        XCTAssertEqual(items.map(\.sha256), [sha, sha, sha, nil])
        XCTAssertEqual(e.code, "json.malformed")
        XCTAssertEqual(e.source, .init(path: file.path, sha256: sha, bytes: bytes.count, line: 2))
        XCTAssertEqual(items[1].key, "\(sha):2:\(file.path)")
        XCTAssertEqual(items[1].shardKey, "\(file.path):2")
        XCTAssertEqual(items[2].key, "\(sha):3:\(d2.id)")
        XCTAssertTrue(d2.id.hasPrefix("sha256:"))
        XCTAssertEqual(m.code, "read.missing")
        XCTAssertEqual(items[3].key, "unreadable:0:\(missing)")
        XCTAssertEqual(items[3].shardKey, items[3].key)
    }

    func testABufferIsNamedAndPlacedLikeAFile() {
        var options = IngestOptions()
        options.format = .jsonl
        let line = Array(bad.utf8)
        var items: [SourceItem] = []
        DocumentSource(ingest: options).forEach(.bytes(line, name: "-", line: 7)) { items.append($0) }
        XCTAssertEqual(items.count, 1)
        guard case let .failure(e)? = items.first?.content else { return XCTFail("\(items)") }
        let sha = SHA256Hasher.hex(line)
        XCTAssertEqual(e.source, .init(path: "-", format: .jsonl, sha256: sha, bytes: line.count, line: 7))
        XCTAssertEqual(e.location?.line, 7)
        XCTAssertEqual(items.first?.key, "\(sha):7:-")
        XCTAssertEqual(items.first?.shardKey, "-:7")
    }

    /// The watch names inbox files by their relative path and already knows their hash.
    func testAnInboxFileIsNamedByItsRelativePathWithTheKnownHash() throws {
        let dir = try folder()
        let file = dir.appendingPathComponent("in.jsonl")
        try Data((bad + "\n" + good1 + "\n").utf8).write(to: file)
        var items: [SourceItem] = []
        DocumentSource().forEach(.file(file.path, name: "sub/in.jsonl"), sha256: "known", bytes: 99) { items.append($0) }
        XCTAssertEqual(items.count, 2)
        guard items.count == 2, case let .failure(e) = items[0].content, case let .document(d) = items[1].content else {
            return XCTFail("\(items)")
        }
        XCTAssertEqual(e.source, .init(path: "sub/in.jsonl", sha256: "known", bytes: 99, line: 1))
        XCTAssertEqual(d.source.path, "sub/in.jsonl")
        XCTAssertFalse(e.message.contains(dir.path), e.message)
    }
}
