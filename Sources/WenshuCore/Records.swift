import Foundation

/// The schema names written in every output line. Bump the number on any
/// incompatible change and keep `schemas/` in step.
public enum RecordSchema {
    public static let result = "wenshu.result/1"
    public static let error = "wenshu.error/1"
}

/// The model that produced a result.
public struct ModelInfo: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    /// The decision settings the heads ran with (thresholds, minimum scores, gates), as the
    /// pipeline file set them; nil when none were set.
    public var decisions: DecisionSettings?
    /// Heads that did not run on this document, with the reason (a gate that did not open).
    public var skipped: [String: String]?
    public init(name: String, version: String, decisions: DecisionSettings? = nil, skipped: [String: String]? = nil) {
        self.name = name; self.version = version; self.decisions = decisions; self.skipped = skipped
    }
}

/// Decision settings recorded with each result line.
public struct DecisionSettings: Codable, Sendable, Equatable {
    /// Per-head thresholds (multi-label classifiers).
    public var thresholds: [String: Double]?
    /// Per-head minimum scores (classifier labels, events).
    public var minScores: [String: Double]?
    /// Per-head gates, written as conditions ("charge in [盗窃] >= 0.3; case_type in [刑事]").
    public var gates: [String: String]?
    /// Per-head sources of labels taken from the document's own words ("charges").
    public var namedLabels: [String: String]?
    public init(thresholds: [String: Double]? = nil, minScores: [String: Double]? = nil, gates: [String: String]? = nil,
                namedLabels: [String: String]? = nil) {
        self.thresholds = thresholds; self.minScores = minScores; self.gates = gates; self.namedLabels = namedLabels
    }
    enum CodingKeys: String, CodingKey { case thresholds, minScores = "min_scores", gates, namedLabels = "named_labels" }
}

/// One result line: a document that went through the whole flow.
public struct ResultRecord: Codable, Sendable, Equatable {
    public var schema: String = RecordSchema.result
    public var id: String
    public var source: SourceInfo
    public var document: DocumentStructure
    public var classifications: [Classification]
    public var entities: [EntityMention]
    public var events: [Event]
    public var model: ModelInfo?
    public var metadata: [String: String]?
    /// The extracted text, only when asked for.
    public var text: String?

    public init(id: String, source: SourceInfo, document: DocumentStructure, classifications: [Classification] = [],
                entities: [EntityMention] = [], events: [Event] = [], model: ModelInfo? = nil,
                metadata: [String: String]? = nil, text: String? = nil) {
        self.id = id; self.source = source; self.document = document; self.classifications = classifications
        self.entities = entities; self.events = events; self.model = model; self.metadata = metadata; self.text = text
    }
}

/// One error line: a document (or an input) that did not make it, and why.
public struct ErrorRecord: Codable, Sendable, Equatable {
    public var schema: String = RecordSchema.error
    /// The document's id when known.
    public var id: String?
    public var source: ErrorSource
    public var stage: Stage
    public var code: String
    public var message: String
    public var location: SourceLocation?
    public var attempts: Int?

    public struct ErrorSource: Codable, Sendable, Equatable {
        public var path: String
        public var format: DocumentFormat?
        public var sha256: String?
        public var bytes: Int?
        public var line: Int?
        public init(path: String, format: DocumentFormat? = nil, sha256: String? = nil, bytes: Int? = nil, line: Int? = nil) {
            self.path = path; self.format = format; self.sha256 = sha256; self.bytes = bytes; self.line = line
        }
    }

    public init(id: String? = nil, source: ErrorSource, error: WenshuError, attempts: Int? = nil) {
        self.id = error.recordID ?? id; self.source = source; self.stage = error.stage; self.code = error.code
        self.message = error.message + (error.cause.map { " (\($0))" } ?? "")
        self.location = error.location; self.attempts = attempts
    }
}

extension JSONEncoder {
    /// The encoder for output lines: sorted keys for stable diffs, no escaped slashes, one line.
    public static func wenshuLine() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
