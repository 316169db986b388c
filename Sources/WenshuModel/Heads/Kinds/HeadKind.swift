import Foundation

/// The name of a kind of task head, as stored in manifest.json (`"kind": "multi_label"`).
///
/// A kind is only a name; what a head of that kind is (how it is built, learns its labels,
/// decides and is scored) lives in its `HeadKindDefinition`, found in a `HeadKinds` table.
/// The four built-in kinds are static members; a new kind is a new name plus a definition
/// registered in a copy of `HeadKinds.builtIn`.
public struct HeadKind: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The manifest name.
    public let rawValue: String
    /// A kind with this manifest name (any name: whether a table knows it is checked where it is used).
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A kind with this manifest name.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
    public var description: String { rawValue }

    /// Softmax document classifier, one label per text.
    public static let singleLabel = HeadKind("single_label")
    /// Sigmoid document classifier with threshold and top-k.
    public static let multiLabel = HeadKind("multi_label")
    /// Linear-chain CRF span tagger (entities, triggers, arguments).
    public static let spanTagger = HeadKind("span_tagger")
    /// Mention tagger plus event assembly (single event per text, trigger-anchored, or relation pairs).
    public static let eventExtractor = HeadKind("event_extractor")
}

/// What a head writes into a record, and so how it reads its input and is scored:
/// classifiers read a scope as one document (its pooled document vector) and are scored on
/// labels; span and event heads read sentence windows (per-character rows; a window's
/// document vector is left empty) and are scored on spans, events and (relation data) pairs.
public enum HeadOutput: String, Codable, Sendable, CaseIterable {
    /// One label per text (accuracy).
    case singleLabel = "single_label"
    /// A set of labels per text (CAIL score, micro and macro F1).
    case multiLabel = "multi_label"
    /// Labelled spans (`entities`).
    case spans
    /// Events with trigger and arguments (`events`), and the spans they are made of.
    case events

    /// True for the two classifier outputs.
    public var isClassification: Bool { self == .singleLabel || self == .multiLabel }
    /// What gold data must carry to score this output.
    public var needs: String {
        switch self {
        case .singleLabel, .multiLabel: return "document labels"
        case .spans: return "spans"
        case .events: return "events or spans"
        }
    }
}
