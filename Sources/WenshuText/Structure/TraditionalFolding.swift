import WenshuCore

/// A private traditional-to-simplified copy of a text for the structure rules, which are
/// written in simplified characters (判决书, 号, 诉称). The copy is never shown: its alignment
/// leads back to the extracted text, and what a user sees is sliced from there.
///
/// Folding costs an ICU transliteration of the whole text, so it runs only on a text whose
/// first scalars hold a traditional character that legal text uses all the time
/// (`mayHoldTraditional`); simplified documents pay one scan of a few thousand scalars.
public struct TraditionalFolding: Sendable {
    private let t2s: TraditionalToSimplifiedNormalizer

    /// Fails (stage `config`) when ICU's Traditional-Simplified transliterator cannot be opened.
    public init() throws { t2s = try TraditionalToSimplifiedNormalizer() }

    /// `normalized` converted to simplified, its alignment still leading to the extracted text.
    public func fold(_ normalized: NormalizedText) throws -> NormalizedText { try t2s.normalize(normalized) }

    /// How far into a text to look for traditional characters.
    public static let probeLength = 5000

    /// Frequent characters of traditional legal text whose simplified forms differ
    /// (判決書, 號, 訴稱, 審判長, 檢察院, 證據, 盜竊, 詐騙, 錢, 萬, 塊, 與, 為, 於 ...).
    static let markers: Set<Unicode.Scalar> = Set(("書號決訴稱審長檢證據盜竊詐騙錢萬塊與為於們個這說對時會來過還後經當點體開問題關係實現發條區縣"
        + "機請認應裡義務權責處廳華東門車電話無產業單價額獲擊動議論讓賣買導貨調銷執聽記護辦結給總費陽鎮鄉員職屬學傷殺搶騙錄級紀類"
        + "隨離難響頭顯驗黨齊龍罰懲沒謀貪汙賄賂贓贖辯護師簽約償債務擔險銀併聯邏輯網絡購園簡護衛劃歸縱從衆眾遠進達違")
        .unicodeScalars)

    /// True when one of the first `probeLength` scalars is a frequent traditional character.
    public static func mayHoldTraditional(_ scalars: [Unicode.Scalar]) -> Bool {
        for s in scalars.prefix(probeLength) where s.value >= 0x4E00 && markers.contains(s) { return true }
        return false
    }
}
