import Foundation
import WenshuCore
import XCTest
@testable import WenshuIngest

final class XMLTests: XCTestCase {
    func testDefaultTakesAllTextOneLinePerElement() throws {
        let d = try single("judgment.xml")
        XCTAssertEqual(d.source.format, .xml)
        XCTAssertEqual(d.source.encoding, "UTF-8")
        let lines = d.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "722")
        XCTAssertEqual(lines[1], "刑事判决书")
        XCTAssertTrue(lines[2].hasSuffix("人民法院"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("李艾琪一审刑事判决书") })
        XCTAssertFalse(d.text.contains("<"))
    }

    func testXPathMapping() throws {
        var o = IngestOptions()
        o.xml = .init(id: "/judgment/id", title: "/judgment/title", body: "/judgment/body/p",
                      metadata: ["court": "/judgment/court", "case_number": "string(/judgment/case_number)"])
        let d = try single("judgment.xml", options: o)
        XCTAssertEqual(d.id, "722")
        XCTAssertEqual(d.title, "刑事判决书")
        XCTAssertEqual(d.metadata["case_number"], "（2017）鄂0106刑初795号")
        XCTAssertEqual(d.metadata["court"]?.hasSuffix("人民法院"), true)
        XCTAssertTrue(d.text.hasPrefix("李艾琪一审刑事判决书"))
        XCTAssertFalse(d.text.contains("刑初795号\n"), "case number element is not part of the body")
        let raw = try String(contentsOf: FixturePaths.fixtures.appendingPathComponent("judgment.xml"), encoding: .utf8)
        XCTAssertEqual(d.text.split(separator: "\n").count, raw.components(separatedBy: "<p>").count - 1, "one line per <p>")
    }

    func testRecordXPathMakesOneDocumentPerElement() throws {
        var o = IngestOptions()
        o.xml = .init(record: "//doc", id: "string(@no)", body: "text", metadata: ["court": "court", "case": "case"])
        let r = ingest("judgments-multi.xml", options: o)
        let docs = r.compactMap { try? $0.get() }
        XCTAssertEqual(docs.count, 2)
        XCTAssertEqual(docs.map(\.id), ["740", "90"])
        XCTAssertEqual(docs.map { $0.source.record }, [0, 1])
        XCTAssertEqual(docs[1].metadata["case"], "（2017）豫1681刑初588号")
        XCTAssertTrue(docs[0].text.contains("卖淫"))
    }

    func testGBKDeclaredXMLIsDecodedWithTheUserDefinedArea() throws {
        let d = try single("judgment-gbk.xml")
        XCTAssertEqual(d.source.encoding, "GBK")
        XCTAssertTrue(d.text.contains("李艾琪一审刑事判决书"))
        XCTAssertTrue(d.text.contains("被告人\u{E004}"))
    }

    func testUndeclaredGBKXMLUsesDetection() throws {
        let src = try Data(contentsOf: FixturePaths.fixtures.appendingPathComponent("judgment-gbk.xml"))
        var bytes = [UInt8](src)
        // Drop the XML declaration's line: the GBK body must still be read.
        let nl = bytes.firstIndex(of: 0x0A)!
        bytes.removeSubrange(0...nl)
        let dir = try temporaryDirectory()
        let p = dir.appendingPathComponent("undeclared.xml").path
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        let r = IngestService().documents(atPath: p)
        let d = try XCTUnwrap(try r.first?.get())
        XCTAssertEqual(d.source.encoding, "GB18030")
        XCTAssertTrue(d.text.contains("被告人\u{E004}"))
    }

    func testMalformedXMLHasLineAndColumn() throws {
        let e = try XCTUnwrap(failure("bad/malformed.xml"))
        XCTAssertEqual(e.code, "xml.malformed")
        XCTAssertNotNil(e.location?.line)
        XCTAssertNotNil(e.location?.column)
        XCTAssertGreaterThanOrEqual(e.location?.line ?? 0, 4)
    }

    func testXXEIsRefusedNotExpanded() throws {
        let e = try XCTUnwrap(failure("bad/xxe.xml"))
        XCTAssertEqual(e.code, "xml.entity_forbidden")
        XCTAssertTrue(e.message.contains("xxe"), e.message)
    }

    func testBillionLaughsIsRefused() throws {
        let e = try XCTUnwrap(failure("bad/billion-laughs.xml"))
        XCTAssertEqual(e.code, "xml.entity_forbidden")
    }

    func testInvalidXPathIsAnError() throws {
        var o = IngestOptions()
        o.xml.body = "//p[["
        let e = try XCTUnwrap(failure("judgment.xml", options: o))
        XCTAssertEqual(e.code, "xml.xpath_invalid")
    }
}
