import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// A party's name ends where the name ends (issue 13, item 2): a clause verb after it
/// (以, 犯, 辩称, 基于, 盗窃, 虽) is not part of it. Real sentences from ../shared/data.
final class PartyNameEndTests: XCTestCase {
    private func parties(_ s: String) -> [Party] {
        let t = RuleText(s)
        return PartyParser().parse(t, in: 0..<t.count)
    }

    private func structured(_ s: String) throws -> [Party] {
        try TextAnalyzer().analyze(s).structure.parties
    }

    func testPrivateProsecutorBeforeHisClause() throws {
        // judgments-fulltext: the 自诉人 and no second 自诉人 "裁定罪".
        let s = "于红杰一审刑事判决书河南省内乡县人民法院刑事判决书（2017）豫1325刑初218号：自诉人曹雨阳以被告人于红杰拒不执行判决、裁定罪，于2017年6月1日向内乡县人民法院提起控诉。本院审查受理后，依法组成合议庭。"
        let p = try structured(s)
        XCTAssertEqual(p.map(\.name), ["曹雨阳"])
        XCTAssertEqual(p.map(\.role), ["自诉人"])
        for x in p { XCTAssertEqual(RuleText(s).slice(x.start..<x.end), x.name) }
    }

    func testAnonymisedNamesEndAfterMou() {
        // civil-loans and CAIL2018 facts.
        XCTAssertEqual(parties("原告陈某1基于其提交的《抵押借款合同》、银行明细、《不动产登记证明》起诉").map(\.name), ["陈某1"])
        XCTAssertEqual(parties("被告楼某1辩称：被告对借款事实予以认可，但认为利息过高").map(\.name), ["楼某1"])
        XCTAssertEqual(parties("被告人孙某某虽不具有自首情节，但如实供述自己的罪行").map(\.name), ["孙某某"])
        XCTAssertEqual(parties("被告人张某庭审时辩称房子是自己的，由此引起的纠纷不应由他承担").map(\.name), ["张某"])
        XCTAssertEqual(parties("被告人郭某乙辩称就参与一次盗窃").map(\.name), ["郭某乙"])
    }

    func testFullNamesBeforeAVerb() {
        XCTAssertEqual(parties("被告人张三盗窃人民币500元。").map(\.name), ["张三"])
        XCTAssertEqual(parties("被告人石小改当庭辩称没有犯罪事实，被告人刘虎臣当庭对指控的基本事实无异议").map(\.name), ["石小改"])
        XCTAssertEqual(parties("被告人李会民辩称：1、起诉书指控我带着刘家宏、陈中远在运").map(\.name), ["李会民"])
        // 于 starting a name is a surname; followed by a date it is not a name at all.
        XCTAssertEqual(parties("被告人于红杰，男，1970年出生").map(\.name), ["于红杰"])
        XCTAssertEqual(parties("被告人于2017年6月1日被刑事拘留").map(\.name), [])
        // Organisations keep their whole name; lists keep every name.
        XCTAssertEqual(parties("公诉机关浙江省金华市婺城区人民检察院。").map(\.name), ["浙江省金华市婺城区人民检察院"])
        XCTAssertEqual(parties("辩护人郭涛、周小琴，浙江某律师事务所律师。").map(\.name), ["郭涛", "周小琴"])
    }

    func testTableHeaderIsNotAParty() throws {
        // samples/documents/civil-loan.docx: a table with the header row 原告 | 被告 and the
        // names below; the whitespace step joins the header cells into one line.
        let s = "原告陈某1，男，1963年8月4日出生，汉族，住杭州市下城区。被告楼某1，男，1984年2月5日出生，汉族，住杭州市下城区。\n原告 被告\n陈某1 楼某1\n原告陈某1基于其提交的《抵押借款合同》起诉，要求判令被告归还借款。"
        let p = try structured(s)
        XCTAssertFalse(p.contains { $0.name == "被告" || $0.name == "原告" }, "\(p)")
        XCTAssertEqual(p.first.map { [$0.role, $0.name] }, ["原告", "陈某1"])
    }
}
