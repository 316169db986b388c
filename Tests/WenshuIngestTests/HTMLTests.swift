import Foundation
import WenshuCore
import XCTest
@testable import WenshuIngest

final class HTMLTests: XCTestCase {
    func testVisibleTextInReadingOrder() throws {
        let d = try single("page.html")
        XCTAssertEqual(d.source.format, .html)
        XCTAssertEqual(d.title, "交通银行股份有限公司重庆市分行与赵庆云信用卡纠纷一审民事判决书")
        XCTAssertFalse(d.text.contains("不应出现"), "script text is dropped")
        XCTAssertFalse(d.text.contains("color"), "style text is dropped")
        XCTAssertFalse(d.text.contains(d.title!), "the title is not body text")
        let lines = d.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(3)), ["重庆市渝中区人民法院", "民 事 判 决 书", "(2018)渝0103民初21102号"])
        XCTAssertTrue(lines[3].hasPrefix("原告：交通银行股份有限公司重庆市分行"))
        XCTAssertEqual(lines.suffix(2), ["审判员\t张某", "书记员\t李某"], "table rows, tab-separated cells")
    }

    func testGBKMetaCharsetIsHonoured() throws {
        let text = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"></head><body><p>被告人赵庆云未答辩。</p><p>本院认为</p></body></html>"
        let bytes = try XCTUnwrap(ICUConverter.fromString(text, charset: "GBK"))
        let dir = try temporaryDirectory()
        let p = dir.appendingPathComponent("gbk.html").path
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        let d = try XCTUnwrap(try IngestService().documents(atPath: p).first?.get())
        XCTAssertEqual(d.source.encoding, "gbk")
        XCTAssertEqual(d.text, "被告人赵庆云未答辩。\n本院认为")
    }
}

final class WebRecordTests: XCTestCase {
    func testHTMLRecordSectionsFromAnchors() throws {
        let d = try single("web-html.json")
        XCTAssertEqual(d.source.format, .webRecord)
        XCTAssertEqual(d.id, "099861c2-2e9c-490b-9d4d-a9b300cc2dd4")
        XCTAssertEqual(d.title, "交通银行股份有限公司重庆市分行与赵庆云信用卡纠纷一审民事判决书")
        XCTAssertEqual(d.metadata["pub_date"], "2018-12-12")
        XCTAssertEqual(d.metadata["sections"], "WBSB,DSRXX,SSJL,AJJBQK,CPYZ,PJJG,WBWB")
        XCTAssertTrue(d.text.contains("民 事 判 决 书"))
        let scalars = Array(d.text.unicodeScalars)
        func section(_ name: String) throws -> String {
            let range = try XCTUnwrap(d.metadata["section.\(name)"]).split(separator: "-").compactMap { Int($0) }
            XCTAssertEqual(range.count, 2)
            return String(String.UnicodeScalarView(scalars[range[0]..<range[1]]))
        }
        XCTAssertTrue(try section("WBSB").hasPrefix("重庆市渝中区人民法院\n民 事 判 决 书"))
        XCTAssertTrue(try section("DSRXX").hasPrefix("原告：交通银行股份有限公司重庆市分行"))
        XCTAssertTrue(try section("SSJL").hasPrefix("原告交通银行股份有限公司重庆市分行"))
        XCTAssertTrue(try section("CPYZ").hasPrefix("本院认为"))
        XCTAssertFalse(try section("WBSB").hasSuffix("\n"))
        // Sections tile the text in order.
        var last = 0
        for name in WebRecordIngester.sectionAnchors {
            let r = try XCTUnwrap(d.metadata["section.\(name)"]).split(separator: "-").compactMap { Int($0) }
            XCTAssertGreaterThanOrEqual(r[0], last)
            last = r[1]
        }
        XCTAssertEqual(last, scalars.count)
    }

    func testSKeyRecordMetadata() throws {
        let d = try single("web-skeys.json")
        XCTAssertEqual(d.source.format, .webRecord)
        XCTAssertEqual(d.id, "cb30ea86667945f68d3cab340045bf5c")
        XCTAssertEqual(d.metadata["court"], "池州市贵池区人民法院")
        XCTAssertEqual(d.metadata["case_number"], "（2018）皖1702民初804号")
        XCTAssertEqual(d.metadata["case_type"], "民事案件")
        XCTAssertEqual(d.metadata["procedure"], "民事一审")
        XCTAssertEqual(d.metadata["cause"], "劳务合同纠纷")
        XCTAssertEqual(d.metadata["date"], "2018-06-13")
        XCTAssertEqual(d.metadata["doc_type"], "01")
        XCTAssertEqual(d.metadata["parties"], "陈荣辉、徐先标、上海弘韬公司池州建设工程有限公司")
        XCTAssertTrue(d.text.contains("民 事 判 决 书"))
        XCTAssertTrue(d.text.contains("本院认为，原告与徐先标之间存在事实劳务关系"))
        let names = try XCTUnwrap(d.metadata["sections"]).split(separator: ",").map(String.init)
        XCTAssertTrue(names.contains("CPYZ") && names.contains("PJJG"), "\(names)")
        let r = try XCTUnwrap(d.metadata["section.CPYZ"]).split(separator: "-").compactMap { Int($0) }
        let s = String(String.UnicodeScalarView(Array(d.text.unicodeScalars)[r[0]..<r[1]]))
        XCTAssertTrue(s.hasPrefix("本院认为"))
    }
}
