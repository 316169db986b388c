import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// The small parsers on real snippets: case numbers, Chinese numerals, money, dates.
final class ParserTests: XCTestCase {
    func testCaseNumberVariants() throws {
        let p = CaseNumberParser()
        let cases: [(String, Int, String, String, Int)] = [
            ("（2020）浙0702刑初662号", 2020, "浙0702", "刑初", 662),
            ("(2019)粤13刑终230号", 2019, "粤13", "刑终", 230),
            ("〔2015〕穗中法刑二终字第674号", 2015, "穗中法", "刑二终", 674),
            ("[2018]京0106刑初718号", 2018, "京0106", "刑初", 718),
            ("【2017】鄂0683刑初210号", 2017, "鄂0683", "刑初", 210),
            ("［2016］苏0924民终265号", 2016, "苏0924", "民终", 265),
            ("（2014）沂南刑初字第348号", 2014, "沂南", "刑初", 348),
            ("（2014）渝二中法刑终字第00273号", 2014, "渝二中法", "刑终", 273),
            ("（2015）四西刑公初字第82号", 2015, "四西", "刑公初", 82),
            ("（2019）浙0702执1234号", 2019, "浙0702", "执", 1234),
            ("（2020）京01民终123号之一", 2020, "京01", "民终", 123),
            ("（2018）最高法民申4567号", 2018, "最高法", "民申", 4567),
            ("（2017）甘0621民初字第00012号", 2017, "甘0621", "民初", 12),
        ]
        for (text, y, code, cat, serial) in cases {
            let n = try XCTUnwrap(p.parse("本院" + text + "：被告"), text)
            XCTAssertEqual(n.text, text)
            XCTAssertEqual(n.year, y, text); XCTAssertEqual(n.courtCode, code, text)
            XCTAssertEqual(n.category, cat, text); XCTAssertEqual(n.serial, serial, text)
            XCTAssertEqual(n.start, 2)
        }
        // A procuratorate's document number is not a case number.
        XCTAssertNil(p.parse("婺检二部刑诉〔2020〕1888号起诉书"))
        XCTAssertNil(p.parse("（2020）1888号"))
    }

    func testCaseTypeAndTrialLevel() {
        let expect: [(String, String, String?)] = [
            ("刑初", "刑事", "一审"), ("刑终", "刑事", "二审"), ("刑二终", "刑事", "二审"), ("民再", "民事", "再审"),
            ("刑监", "刑事", "再审"), ("民申", "民事", "再审审查"), ("行初", "行政", "一审"), ("执", "执行", "首次执行"),
            ("执恢", "执行", "恢复执行"), ("执异", "执行", "执行异议"), ("赔", "国家赔偿", nil), ("委赔", "国家赔偿", nil),
            ("刑更", "刑事", "刑罚变更"), ("司救", "司法救助", nil), ("民督", "民事", "督促程序"),
        ]
        for (cat, type, level) in expect {
            XCTAssertEqual(CaseNumberParser.caseType(category: cat), type, cat)
            XCTAssertEqual(CaseNumberParser.trialLevel(category: cat), level, cat)
        }
    }

    func testChineseNumerals() {
        let expect: [(String, Double)] = [
            ("三千五百", 3500), ("十一万", 110_000), ("一万二千", 12000), ("两千零五", 2005), ("二〇一九", 2019), ("十五", 15),
            ("二十", 20), ("一百零八", 108), ("三千五", 3500), ("一万五", 15000), ("1.2万", 12000), ("5千", 5000),
            ("壹拾贰万叁仟肆佰伍拾陆", 123_456), ("一亿二千万", 120_000_000), ("3,500", 3500), ("零", 0), ("十", 10),
            ("一万亿", 1e12), ("第二百五十三", .nan),
        ]
        for (s, v) in expect {
            if v.isNaN { XCTAssertNil(ChineseNumeral.parse(s), s) } else { XCTAssertEqual(ChineseNumeral.parse(s), v, s) }
        }
        XCTAssertNil(ChineseNumeral.parse(""))
        XCTAssertNil(ChineseNumeral.parse("万"))
        XCTAssertEqual(ChineseNumeral.parseInt("二百五十三"), 253)
    }

    func testMoneyAmounts() {
        let p = MoneyParser()
        let expect: [(String, String, Double, String)] = [
            ("退出人民币3,500元。", "人民币3,500元", 3500, "CNY"),
            ("并处罚金十一万元，", "十一万元", 110_000, "CNY"),
            ("窃得现金三千五百元", "三千五百元", 3500, "CNY"),
            ("违法所得人民币1.5万元", "人民币1.5万元", 15000, "CNY"),
            ("非法获利不超过5000余元", "5000余元", 5000, "CNY"),
            ("共计2万多元", "2万多元", 20000, "CNY"),
            ("透支本金2015.58元、利息", "2015.58元", 2015.58, "CNY"),
            ("叁仟伍佰元整", "叁仟伍佰元整", 3500, "CNY"),
            ("赃款100美元", "100美元", 100, "USD"),
            ("医疗费1782.99元；", "1782.99元", 1782.99, "CNY"),
            ("罚金１０００元", "１０００元", 1000, "CNY"),
        ]
        for (s, text, v, cur) in expect {
            let all = p.parseAll(RuleText(s))
            XCTAssertEqual(all.count, 1, s)
            guard let m = all.first else { continue }
            XCTAssertEqual(m.text, text, s); XCTAssertEqual(m.value, v, accuracy: 1e-6, s); XCTAssertEqual(m.currency, cur, s)
            XCTAssertEqual(RuleText(s).slice(m.start..<m.end), text)
        }
        XCTAssertTrue(p.parseAll(RuleText("金华市××幢××单元××室，元旦")).isEmpty)
        XCTAssertEqual(p.parseAll(RuleText("受理费550元，减半收取275元")).map(\.value), [550, 275])
    }

    func testDates() {
        let p = DateParser()
        XCTAssertEqual(p.parse("二〇一九年五月十日"), "2019-05-10")
        XCTAssertEqual(p.parse("二○一八年十一月十五日"), "2018-11-15")
        XCTAssertEqual(p.parse("二零二零年十二月三十一日"), "2020-12-31")
        XCTAssertEqual(p.parse("于2020年9月17日向本院提起公诉"), "2020-09-17")
        XCTAssertEqual(p.parse("2016 年 2 月 29 日"), "2016-02-29")
        XCTAssertNil(p.parse("2019年2月29日"))
        XCTAssertNil(p.parse("2019年13月1日"))
        let text = RuleText("于2018年3月19日立案。\n审判员胡建平\n二〇一八年六月十三日\n书记员汪俊")
        let d = p.decisionDate(text, tailStart: text.find("审判员"))
        XCTAssertEqual(d?.iso, "2018-06-13")
        XCTAssertEqual(d.map { text.slice($0.range) }, "二〇一八年六月十三日")
        XCTAssertNil(p.decisionDate(RuleText("于2018年3月19日立案。"), tailStart: nil))
    }
}
