import Foundation
import WenshuCore

/// The table of head kinds a bundle understands: manifest name to definition.
///
/// `builtIn` holds the four kinds Wenshu ships. A bundle is created or loaded with a table
/// (`ModelBundle.create(name:encoder:headKinds:)`, `ModelBundle.load(at:encoderTypes:headKinds:)`);
/// to add a kind, copy `builtIn`, register the definition, and pass the copy.
public struct HeadKinds: Sendable {
    /// Definitions by kind.
    public private(set) var definitions: [HeadKind: any HeadKindDefinition]

    /// A table with these definitions.
    public init(_ definitions: [any HeadKindDefinition]) {
        var d: [HeadKind: any HeadKindDefinition] = [:]
        for x in definitions { d[x.kind] = x }
        self.definitions = d
    }

    /// The kinds Wenshu ships: single_label, multi_label, span_tagger, event_extractor.
    public static let builtIn = HeadKinds([ClassifierKind(multiLabel: false), ClassifierKind(multiLabel: true),
                                           SpanTaggerKind(), EventExtractorKind()])

    /// Adds (or replaces) a definition.
    public mutating func register(_ definition: any HeadKindDefinition) { definitions[definition.kind] = definition }

    /// The known kind names, sorted.
    public var names: [String] { definitions.keys.map(\.rawValue).sorted() }

    /// Whether the table knows `kind`.
    public func contains(_ kind: HeadKind) -> Bool { definitions[kind] != nil }

    /// The definition of `kind`, or an error that names the kinds this table knows.
    public func definition(_ kind: HeadKind, head: String? = nil, path: String? = nil) throws -> any HeadKindDefinition {
        if let d = definitions[kind] { return d }
        let whose = head.map { "head '\($0)' has " } ?? ""
        throw WenshuError(.model.unknownHeadKind,
                          "\(whose)unknown head kind '\(kind.rawValue)'; this build knows \(names.joined(separator: ", "))",
                          stage: .model, path: path)
    }

    /// The output of `kind`, nil when the table does not know it.
    public func output(of kind: HeadKind) -> HeadOutput? { definitions[kind]?.output }
}
