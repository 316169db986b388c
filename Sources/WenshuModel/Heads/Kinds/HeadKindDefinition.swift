import Foundation
import WenshuCore

/// Everything that differs between kinds of task heads, in one place per kind: how a head
/// is built from its description (fresh or from stored tensors), what it learns from
/// training data besides its weights (labels, settings), its dev score for early stopping,
/// and whether its decision threshold is tuned on dev.
///
/// The trainer, the bundle, the gates and the evaluation ask a `HeadKinds` table for a
/// definition and never switch on the kind name; adding a head kind means writing one
/// definition (and its `TaskHead`) and registering it in a table.
public protocol HeadKindDefinition: Sendable {
    /// The manifest name.
    var kind: HeadKind { get }
    /// What the head writes into a record.
    var output: HeadOutput { get }
    /// One line for help texts.
    var summary: String { get }
    /// Builds a head: `tensors` nil initialises fresh weights (seeded), otherwise they are
    /// checked against the description (an error names `path` and the tensor).
    func make(_ description: HeadDescription, encoder: EncoderDimensions, tensors: [String: SafeTensor]?, path: String,
              seed: UInt64) throws -> TaskHead
    /// Labels and settings learned from a task's training data (before any weights).
    func describe(_ task: TaskData, config: TrainingConfig) -> (labels: [String], settings: HeadSettings)
    /// Dev metrics of a head's predictions; "score" is the early-stopping figure.
    func devScore(head: String, gold: [LabelledExample], predicted: [ModelAnnotations]) -> [String: Double]
    /// Whether training tunes this head's threshold on dev (`HeadSettings.threshold`).
    func tunesThreshold(_ description: HeadDescription) -> Bool
}

/// The widths a head reads: per character (`token`) and per document (`document`).
public struct EncoderDimensions: Sendable, Equatable {
    /// Width of each character's vector.
    public var token: Int
    /// Width of the pooled document vector.
    public var document: Int
    /// Widths.
    public init(token: Int, document: Int) { self.token = token; self.document = document }
    /// The widths of an encoder's output.
    public init(_ encoder: any TextEncoder) { self.init(token: encoder.outputDim, document: encoder.documentDim) }
}

/// Precision, recall and F1 from counts (0 where undefined).
func prf(_ tp: Int, _ predicted: Int, _ gold: Int) -> (p: Double, r: Double, f: Double) {
    let p = predicted == 0 ? 0 : Double(tp) / Double(predicted), r = gold == 0 ? 0 : Double(tp) / Double(gold)
    return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r))
}
