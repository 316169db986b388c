import Foundation

/// The labelled-set formats Wenshu reads (the datasets of ../shared/data and a generic form).
/// The raw values are the names used on the command line (`--format`).
public enum DatasetFormat: String, Codable, Sendable, CaseIterable {
    /// CAIL2021 theft: `{"id","context","entities":[{"label","span":["s;e",...]}]}`.
    case cail2021Theft = "cail2021-theft"
    /// CAIL2022 drugs: `{"articleId","sentId","sentText","entityMentions","relationMentions"}`.
    case cail2022Drugs = "cail2022-drugs"
    /// CAIL2018 charges: `{"fact","meta":{"accusation":[...]}}`.
    case cail2018 = "cail2018"
    /// LawBench-style charge prediction: `{"id"?, "fact", "charges": [...]}` (or `"charge": "..."`).
    case lawBenchCharges = "lawbench-charges"
    /// CJRC case type / cause of action: `{"id","text","case_type","cause_or_charge"}`.
    case cjrc = "cjrc"
    /// LEVEN triggers in the LawBench-derived form: `{"id","sentence","event_types","triggers","trigger_char_offsets"}`.
    case levenLawBench = "leven-lawbench"
    /// The official LEVEN / MAVEN document format (token offsets per sentence).
    case leven = "leven"
    /// `{"id"?, "text", "labels"?, "spans"?, "events"?}`.
    case generic = "generic"

    /// Guesses the format from the keys of a decoded first record; nil when nothing fits.
    public static func detect(keys: Set<String>) -> DatasetFormat? {
        if keys.contains("context") && keys.contains("entities") { return .cail2021Theft }
        if keys.contains("sentText") && keys.contains("entityMentions") { return .cail2022Drugs }
        if keys.contains("fact") && keys.contains("meta") { return .cail2018 }
        if keys.contains("fact") && (keys.contains("charges") || keys.contains("charge")) { return .lawBenchCharges }
        if keys.contains("case_type") || keys.contains("cause_or_charge") { return .cjrc }
        if keys.contains("sentence") && keys.contains("trigger_char_offsets") { return .levenLawBench }
        if keys.contains("content") && (keys.contains("events") || keys.contains("title") || keys.contains("negative_triggers")) { return .leven }
        if keys.contains("text") { return .generic }
        return nil
    }
}

/// Which CJRC field a reader takes as the document label.
public enum CJRCLabelField: String, Codable, Sendable, CaseIterable {
    /// 刑事 / 民事.
    case caseType = "case_type"
    /// The cause of action (civil) or the charge (criminal).
    case causeOrCharge = "cause_or_charge"
}

/// Options shared by the readers.
public struct ReaderOptions: Codable, Sendable, Equatable {
    /// For CJRC: which field is the label.
    public var cjrcLabel: CJRCLabelField
    public init(cjrcLabel: CJRCLabelField = .caseType) { self.cjrcLabel = cjrcLabel }
}
