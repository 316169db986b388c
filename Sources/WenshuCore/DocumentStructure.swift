import Foundation

/// A parsed case number such as （2020）浙0702刑初662号.
public struct CaseNumber: Codable, Sendable, Equatable {
    public var text: String
    public var year: Int?
    /// The court code, e.g. "浙0702".
    public var courtCode: String?
    /// The category, e.g. "刑初", "民终", "执".
    public var category: String?
    public var serial: Int?
    public var start: Int
    public var end: Int

    public init(text: String, year: Int?, courtCode: String?, category: String?, serial: Int?, start: Int, end: Int) {
        self.text = text; self.year = year; self.courtCode = courtCode; self.category = category
        self.serial = serial; self.start = start; self.end = end
    }
    enum CodingKeys: String, CodingKey { case text, year, courtCode = "court_code", category, serial, start, end }
}

/// A party to the case and its role (被告人, 原告, 辩护人, ...).
public struct Party: Codable, Sendable, Equatable {
    public var role: String
    public var name: String
    public var start: Int
    public var end: Int
    public init(role: String, name: String, start: Int, end: Int) {
        self.role = role; self.name = name; self.start = start; self.end = end
    }
}

/// The kinds of judgment sections.
public enum SectionKind: String, Codable, Sendable, CaseIterable {
    case header, parties, procedure, claims, facts, reasoning, decision, tail
}

/// A section of the document, as a range of the extracted text.
public struct Section: Codable, Sendable, Equatable {
    public var kind: SectionKind
    public var start: Int
    public var end: Int
    public init(kind: SectionKind, start: Int, end: Int) { self.kind = kind; self.start = start; self.end = end }
}

/// A money amount found in the text, with its value in yuan.
public struct MoneyAmount: Codable, Sendable, Equatable {
    public var text: String
    public var value: Double
    public var currency: String
    public var start: Int
    public var end: Int
    public init(text: String, value: Double, currency: String = "CNY", start: Int, end: Int) {
        self.text = text; self.value = value; self.currency = currency; self.start = start; self.end = end
    }
}

/// A charge the document names in its own words (构成盗窃罪, 犯盗窃罪, 以盗窃罪, 涉嫌盗窃罪) outside
/// its header and party block, with the section it is named in.
public struct NamedCharge: Codable, Sendable, Equatable {
    /// The charge as the rules read it, without 罪 and brackets (盗窃, 走私、贩卖、运输、制造毒品);
    /// simplified characters even when the source is traditional.
    public var name: String
    /// The section it is named in: "decision", "reasoning", "facts", "claims" or "procedure".
    public var section: String
    /// The name's span in the extracted text (without 罪).
    public var start: Int
    public var end: Int
    public init(name: String, section: String, start: Int, end: Int) {
        self.name = name; self.section = section; self.start = start; self.end = end
    }
}

/// What the rules found about a judgment. All offsets point into the extracted text.
public struct DocumentStructure: Codable, Sendable, Equatable {
    public var title: String?
    /// 判决书, 裁定书, 调解书, 决定书, 通知书, 起诉书, 起诉意见书, ...
    public var docType: String?
    /// 刑事, 民事, 行政, 执行, 国家赔偿, ...
    public var caseType: String?
    /// 一审, 二审, 再审, ...
    public var trialLevel: String?
    public var caseNumber: CaseNumber?
    public var court: String?
    /// ISO date yyyy-mm-dd.
    public var date: String?
    public var parties: [Party]
    public var sections: [Section]
    public var money: [MoneyAmount]
    /// Charges the document names outside its header and parties (one per name, from the
    /// weightiest section that names it: decision, reasoning, claims, procedure, facts).
    public var charges: [NamedCharge]

    public init(title: String? = nil, docType: String? = nil, caseType: String? = nil, trialLevel: String? = nil,
                caseNumber: CaseNumber? = nil, court: String? = nil, date: String? = nil,
                parties: [Party] = [], sections: [Section] = [], money: [MoneyAmount] = [], charges: [NamedCharge] = []) {
        self.title = title; self.docType = docType; self.caseType = caseType; self.trialLevel = trialLevel
        self.caseNumber = caseNumber; self.court = court; self.date = date
        self.parties = parties; self.sections = sections; self.money = money; self.charges = charges
    }

    enum CodingKeys: String, CodingKey {
        case title, docType = "doc_type", caseType = "case_type", trialLevel = "trial_level"
        case caseNumber = "case_number", court, date, parties, sections, money, charges
    }

    /// Reads a structure; `charges` may be absent (records written before it existed).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        docType = try c.decodeIfPresent(String.self, forKey: .docType)
        caseType = try c.decodeIfPresent(String.self, forKey: .caseType)
        trialLevel = try c.decodeIfPresent(String.self, forKey: .trialLevel)
        caseNumber = try c.decodeIfPresent(CaseNumber.self, forKey: .caseNumber)
        court = try c.decodeIfPresent(String.self, forKey: .court)
        date = try c.decodeIfPresent(String.self, forKey: .date)
        parties = try c.decode([Party].self, forKey: .parties)
        sections = try c.decode([Section].self, forKey: .sections)
        money = try c.decode([MoneyAmount].self, forKey: .money)
        charges = try c.decodeIfPresent([NamedCharge].self, forKey: .charges) ?? []
    }
}
