import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// Judgment structure on real documents; every offset is checked against the extracted text.
final class StructureTests: XCTestCase {
    func analyze(_ name: String, _ config: TextConfig = TextConfig()) throws -> (ScalarText, DocumentStructure) {
        let text = try TestPaths.fixture(name)
        return (ScalarText(text), try TextAnalyzer(config: config).analyze(text).structure)
    }

    func kinds(_ s: DocumentStructure) -> [SectionKind] { s.sections.map(\.kind) }

    func assertSectionsTile(_ s: DocumentStructure, _ src: ScalarText, file: StaticString = #filePath, line: UInt = #line) {
        var last = 0
        for sec in s.sections {
            XCTAssertGreaterThanOrEqual(sec.start, last, file: file, line: line)
            XCTAssertLessThan(sec.start, sec.end, file: file, line: line)
            XCTAssertLessThanOrEqual(sec.end, src.count, file: file, line: line)
            last = sec.end
        }
    }

    func testWebCivilJudgmentWithSpacedTitle() throws {
        let (src, s) = try analyze("web-civil-judgment.txt")
        XCTAssertEqual(s.title, "民事判决书")
        XCTAssertEqual(s.docType, "判决书")
        XCTAssertEqual(s.caseType, "民事")
        XCTAssertEqual(s.trialLevel, "一审")
        XCTAssertEqual(s.court, "重庆市渝中区人民法院")
        XCTAssertEqual(s.date, "2018-11-15")
        let n = try XCTUnwrap(s.caseNumber)
        XCTAssertEqual(n.text, "(2018)渝0103民初21102号")
        XCTAssertEqual(src.slice(n.start..<n.end), n.text)
        XCTAssertEqual(n.courtCode, "渝0103"); XCTAssertEqual(n.serial, 21102)
        XCTAssertEqual(kinds(s), [.header, .parties, .procedure, .claims, .facts, .reasoning, .decision, .tail])
        assertSectionsTile(s, src)
        // The header in extracted coordinates still shows the spaced title.
        let header = try XCTUnwrap(s.sections.first)
        XCTAssertTrue(src.slice(header.start..<header.end).contains("民 事 判 决 书"))
        XCTAssertTrue(src.slice(s.sections[5].start..<s.sections[5].end).hasPrefix("本院认为"))
        XCTAssertTrue(src.slice(s.sections[6].start..<s.sections[6].end).hasPrefix("判决如下"))
        XCTAssertTrue(src.slice(s.sections[7].start..<s.sections[7].end).hasPrefix("如不服本判决"))
        XCTAssertTrue(src.slice(s.sections[7].start..<s.sections[7].end).contains("审\u{3000}判\u{3000}长"))
        XCTAssertEqual(s.parties.map(\.role), ["原告", "负责人", "委托诉讼代理人", "委托诉讼代理人", "被告"])
        XCTAssertEqual(s.parties.map(\.name), ["交通银行股份有限公司重庆市分行", "杨宁", "王敬民", "苏学刚", "赵庆云"])
        for p in s.parties { XCTAssertEqual(src.slice(p.start..<p.end), p.name) }
        XCTAssertTrue(s.money.contains { $0.value == 2015.58 && $0.text == "2015.58元" })
        XCTAssertTrue(s.money.contains { $0.value == 50 })
        for m in s.money { XCTAssertEqual(src.slice(m.start..<m.end), m.text) }
    }

    func testWebCivilJudgmentFromFields() throws {
        let (src, s) = try analyze("web-civil-judgment-2.txt")
        XCTAssertEqual(s.court, "安徽省池州市贵池区人民法院")
        XCTAssertEqual(s.caseNumber?.text, "（2018）皖1702民初804号")
        XCTAssertEqual(s.date, "2018-06-13")
        XCTAssertEqual(kinds(s), [.header, .procedure, .claims, .facts, .reasoning, .decision, .tail])
        assertSectionsTile(s, src)
        XCTAssertEqual(s.money.first?.value, 30000)
    }

    func testFirstInstanceCriminalJudgment() throws {
        let (src, s) = try analyze("judgment-first-instance.txt")
        XCTAssertEqual(s.title, "刑事判决书")
        XCTAssertEqual(s.caseType, "刑事"); XCTAssertEqual(s.trialLevel, "一审")
        XCTAssertEqual(s.court, "金华市婺城区人民法院")
        XCTAssertEqual(s.caseNumber?.category, "刑初")
        XCTAssertEqual(kinds(s), [.header, .parties, .procedure, .facts])
        assertSectionsTile(s, src)
        XCTAssertEqual(s.parties.first, Party(role: "公诉机关", name: "金华市婺城区人民检察院", start: 36, end: 47))
        XCTAssertEqual(s.parties.filter { $0.role == "被告人" }.map(\.name), ["羊双彪", "羊文亮", "麻国浩", "陶婧", "邵美佳"])
        XCTAssertEqual(s.parties.filter { $0.role == "辩护人" }.map(\.name), ["龚志坚", "王宇超", "郭涛", "周小琴", "柳涛", "徐旻"])
        XCTAssertTrue(s.money.contains { $0.text == "十一万元" && $0.value == 110_000 })
        XCTAssertNil(s.date, "the excerpt has no tail, and the body's dates are not the decision date")
    }

    func testSecondInstanceRolesKeepTheFirstRole() throws {
        let (src, s) = try analyze("judgment-second-instance.txt")
        XCTAssertEqual(s.trialLevel, "二审")
        XCTAssertEqual(s.court, "湖南省永州市中级人民法院")
        XCTAssertEqual(s.parties.first?.role, "原公诉机关")
        XCTAssertEqual(s.parties.first?.name, "湖南省祁阳县人民检察院")
        XCTAssertTrue(s.parties.contains { $0.role == "上诉人" && $0.name == "唐甲" })
        XCTAssertTrue(s.parties.contains { $0.role == "原审被告人" })
        XCTAssertEqual(kinds(s), [.header, .parties])
        assertSectionsTile(s, src)
    }

    func testCaseTitleBeforeTheCourt() throws {
        let (src, s) = try analyze("judgment-title-first.txt")
        XCTAssertEqual(s.title, "刑事附带民事判决书")
        XCTAssertEqual(s.caseType, "刑事附带民事")
        XCTAssertEqual(s.court, "贵州省铜仁市中级人民法院")
        XCTAssertEqual(s.caseNumber?.text, "（2014）铜中刑初字第72号")
        XCTAssertEqual(s.caseNumber?.courtCode, "铜中")
        XCTAssertEqual(kinds(s), [.header, .procedure, .claims, .facts])
        assertSectionsTile(s, src)
        let header = try XCTUnwrap(HeaderParser().parse(RuleText(src)).caseTitle)
        XCTAssertTrue(header.hasSuffix("一审刑事附带民事判决书"))
    }

    func testOffsetsMapThroughNormalization() throws {
        // Full-width digits, CRLF and a traditional title: the parse runs on the normalized
        // text and reports extracted-text offsets and texts.
        let original = try TestPaths.fixture("web-civil-judgment.txt")
        let dirty = original.replacingOccurrences(of: "\n", with: "\r\n")
            .replacingOccurrences(of: "(2018)渝0103民初21102号", with: "（２０１８）渝０１０３民初２１１０２号")
            .replacingOccurrences(of: "民 事 判 决 书", with: "民\u{3000}事\u{3000}判\u{3000}決\u{3000}書")
        let config = TextConfig(normalization: [.traditionalToSimplified] + TextConfig.defaultNormalization)
        let a = try TextAnalyzer(config: config).analyze(dirty)
        let src = ScalarText(dirty)
        let s = a.structure
        // The title, like the case number and the court, is the extracted text's own
        // (one script within one record; spaces of the spaced title dropped).
        XCTAssertEqual(s.title, "民事判決書")
        XCTAssertEqual(s.docType, "判决书")
        let n = try XCTUnwrap(s.caseNumber)
        XCTAssertEqual(n.text, "（２０１８）渝０１０３民初２１１０２号")
        XCTAssertEqual(src.slice(n.start..<n.end), n.text)
        XCTAssertEqual(n.serial, 21102)
        XCTAssertEqual(s.sections.map(\.kind), [.header, .parties, .procedure, .claims, .facts, .reasoning, .decision, .tail])
        for sec in s.sections { XCTAssertLessThanOrEqual(sec.end, src.count) }
        XCTAssertEqual(s.sections.last?.end, src.count - 2, "the tail ends before the final CRLF")
        for p in s.parties { XCTAssertEqual(src.slice(p.start..<p.end), p.name) }
    }

    func testStructureCanBeTurnedOff() throws {
        let (_, s) = try analyze("judgment-first-instance.txt", TextConfig(structure: false))
        XCTAssertEqual(s, DocumentStructure())
    }

    func testPartiesAfterAColonAndSelfReportedNames() {
        // judgments-fulltext id 175: the party block follows "号：", names are "自报".
        let text = "上海市闵行区人民法院刑事判决书（2016）沪0112刑初2584号：公诉机关上海市闵行区人民检察院。被告人自报任德军，男，1978年8月6日出生。辩护人乔智,上海市万方律师事务所律师。上海市闵行区人民检察院以沪闵检刑诉〔2016〕1号起诉书指控被告人任德军犯非法拘禁罪，于2016年向本院提起公诉。"
        let (s, _) = JudgmentStructurer().structureInPlace(RuleText(text))
        XCTAssertEqual(s.parties.map(\.role), ["公诉机关", "被告人", "辩护人"])
        XCTAssertEqual(s.parties.map(\.name), ["上海市闵行区人民检察院", "任德军", "乔智"])
        XCTAssertEqual(s.sections.map(\.kind), [.header, .parties, .procedure])
    }

    func testCivilPartiesSeparatedByCommasOrNothing() {
        // civil-loans records 100 (A) and 405 (A): parties after a comma, and with no separator.
        let a = "原告：曾某1，男，1972年8月29日出生，住广东省吴川市，被告：黄某1，女，1975年出生。原告曾某1向本院提出诉讼请求：偿还借款5万元。"
        let (s1, _) = JudgmentStructurer().structureInPlace(RuleText(a))
        XCTAssertEqual(s1.parties.map(\.role), ["原告", "被告"])
        XCTAssertEqual(s1.parties.map(\.name), ["曾某1", "黄某1"])
        XCTAssertEqual(s1.sections.map(\.kind), [.parties, .claims])
        let (s2, _) = JudgmentStructurer().structureInPlace(RuleText("原告：胡创国被告：杜栋杰\n\n原告胡创国诉称，被告借款未还。"))
        XCTAssertEqual(s2.parties.map(\.name), ["胡创国", "杜栋杰"])
    }

    func testFactExcerptHasNoHeaderNorPartiesFromItsEvidenceList() {
        // CAIL2018 fact (samples/documents/cail2018-facts.gb18030.jsonl, line 2): a facts excerpt
        // whose list of evidence names 扣押决定书 and "被告人王某的户籍材料"; neither is a header or a party.
        let fact = "经审理查明，2014年2月26日下午4点，被告人王某在长沙市开福区XX村X片X栋XXXX与被害人段某乙等人打扑克，期间因口角发生纠纷。"
            + "案发后被告人王某赔偿了被害人段某乙经济损失26000元，并得到被害人的谅解。上述事实，有经公诉机关当庭举证，并经法庭质证认证的下列证据予以证明："
            + "公安机关出具的投案经过、扣押经过、扣押决定书及清单；被害人段某乙的陈述；证人李某、段某甲的证言；被告人王某的户籍材料、人民调解协议书、谅解书等书证。"
        let (s, _) = JudgmentStructurer().structureInPlace(RuleText(fact))
        XCTAssertNil(s.docType)
        XCTAssertNil(s.title)
        XCTAssertEqual(s.parties, [])
        XCTAssertEqual(s.sections.first?.kind, .facts)
        XCTAssertEqual(s.money.map(\.value), [26000])
    }

    func testOtherDocumentTypes() {
        let cases: [(String, String, String?)] = [
            ("北京市朝阳区人民检察院\n起诉书\n京朝检刑诉〔2019〕123号\n被告人张某", "起诉书", "北京市朝阳区人民检察院"),
            ("浙江省杭州市西湖区人民检察院\n不起诉决定书\n杭西检刑不诉〔2020〕5号", "不起诉决定书", "浙江省杭州市西湖区人民检察院"),
            ("上海市浦东新区人民法院\n支付令\n（2019）沪0115民督12号", "支付令", "上海市浦东新区人民法院"),
            ("广州市天河区人民法院\n民事调解书\n（2019）粤0106民初100号", "调解书", "广州市天河区人民法院"),
            ("最高人民法院\n民事裁定书\n（2018）最高法民申4567号", "裁定书", "最高人民法院"),
            ("北京市公安局朝阳分局\n起诉意见书\n京公朝诉字〔2019〕1号", "起诉意见书", "北京市公安局朝阳分局"),
        ]
        for (text, type, court) in cases {
            let (s, _) = JudgmentStructurer().structureInPlace(RuleText(text))
            XCTAssertEqual(s.docType, type, text)
            if let court { XCTAssertEqual(s.court, court, text) }
        }
        let (s, _) = JudgmentStructurer().structureInPlace(RuleText("最高人民法院\n民事裁定书\n（2018）最高法民申4567号"))
        XCTAssertEqual(s.trialLevel, "再审审查")
        // No document name in the header: the body's 起诉书 is not taken for one.
        let (b, _) = JudgmentStructurer().structureInPlace(RuleText("（2020）浙0702刑初662号\n金华市婺城区人民检察院以婺检二部刑诉〔2020〕1888号起诉书指控被告人羊双彪犯赌博罪。"))
        XCTAssertNil(b.docType)
        XCTAssertEqual(b.caseNumber?.serial, 662)
        // A court line with no document name after it.
        let (c, _) = JudgmentStructurer().structureInPlace(RuleText("重庆市渝中区人民法院\n(2018)渝0103民初21102号\n原告：交通银行股份有限公司重庆市分行。"))
        XCTAssertEqual(c.court, "重庆市渝中区人民法院")
        XCTAssertEqual(c.caseType, "民事")
    }
}

/// Inputs at the edges: nothing in them, or nothing but noise.
final class EdgeCaseTests: XCTestCase {
    func testDegenerateInputsAnalyzeCleanly() throws {
        let analyzer = try TextAnalyzer(config: TextConfig(normalization: [.traditionalToSimplified] + TextConfig.defaultNormalization, words: true))
        let inputs = ["", "\n\n\r\n", "\u{301}案", "\u{200B}\u{FEFF}", "𠀀𠀁𠀂", "元年日号（）", "（2020）", "人民法院", "判决书", "一、", "abc 123"]
        for s in inputs {
            let a = try analyzer.analyze(s)
            XCTAssertEqual(a.normalized.source.string, s)
            XCTAssertEqual(a.normalized.alignment.count, a.normalized.text.count)
            for r in a.sentences { XCTAssert(r.upperBound <= a.normalized.text.count) }
            for sec in a.structure.sections { XCTAssert(sec.end <= ScalarText(s).count) }
        }
        XCTAssertTrue(try analyzer.analyze("").sentences.isEmpty)
        XCTAssertEqual(try analyzer.analyze("\u{200B}\u{FEFF}").normalized.string, "")
    }

    func testLongDocumentIsAnalyzedWhole() throws {
        // 200 copies of a real judgment in one text: structure offsets stay inside it.
        let one = try TestPaths.fixture("web-civil-judgment.txt")
        let text = String(repeating: one, count: 200)
        let a = try TextAnalyzer().analyze(text)
        let n = ScalarText(text).count
        XCTAssertEqual(a.structure.caseNumber?.text, "(2018)渝0103民初21102号")
        XCTAssertEqual(a.structure.sections.last?.end, n - 1)
        XCTAssertEqual(a.structure.money.count, 200 * (try TextAnalyzer().analyze(one).structure.money.count))
    }
}
