import Foundation
import WenshuCore
import WenshuTensor

/// How an event head assembles events from the mentions it tags.
public enum EventMode: String, Codable, Sendable {
    /// One event per text whose arguments are every tagged role span (CAIL2021 theft).
    case single
    /// One event per tagged trigger; a link head attaches arguments to triggers.
    case trigger
    /// Relation-shaped data (CAIL2022): a pair head scores (first, second) mentions for each
    /// event type; a link head attaches further arguments (time, place, weight) to the first.
    case relation
}

/// Everything needed to rebuild an event head besides its tensors.
public struct EventSpec: Codable, Sendable, Equatable {
    /// Assembly mode.
    public var mode: EventMode
    /// The event type of single-mode events.
    public var defaultType: String
    /// Pair classes: "none" first, then event types (relation mode).
    public var pairClasses: [String]
    /// Roles of the first and second argument per event type (relation mode).
    public var pairRoles: [String: [String]]
    /// Mention label pairs seen per event type ("A|B").
    public var pairAllowed: [String: [String]]
    /// Link classes: "none" first, then roles of attached arguments.
    public var linkClasses: [String]
    /// Mention labels that may be attached by the link head.
    public var linkAllowed: [String]
    /// Boundary words learned from the data, per mention label, longest first: a predicted
    /// mention ending with one of them is cut before it (the data's places end before
    /// "附近", its times before "许"). nil: no cutting (bundles trained before).
    public var trimSuffixes: [String: [String]]?
    /// Trigger mode: words seen as triggers in the training data, with their most frequent
    /// event type and how often the word is a trigger where it occurs in the training texts.
    /// Occurrences the tagger missed become triggers when that share reaches
    /// `lexiconMinPrecision`. nil: the tagger alone.
    public var lexicon: [String: LexiconEntry]?
    /// The share of its training occurrences a lexicon word must be a trigger in (nil: 0.5).
    public var lexiconMinPrecision: Double?

    /// A spec with the given mode and nothing learned yet.
    public init(mode: EventMode, defaultType: String = "event", pairClasses: [String] = ["none"],
                pairRoles: [String: [String]] = [:], pairAllowed: [String: [String]] = [:],
                linkClasses: [String] = ["none"], linkAllowed: [String] = []) {
        self.mode = mode; self.defaultType = defaultType; self.pairClasses = pairClasses; self.pairRoles = pairRoles
        self.pairAllowed = pairAllowed; self.linkClasses = linkClasses; self.linkAllowed = linkAllowed
    }
}

/// A trigger word of the lexicon (see `EventSpec.lexicon`).
public struct LexiconEntry: Codable, Sendable, Equatable {
    /// The event type the word triggers most often in the training data.
    public var type: String
    /// Times the word is a trigger in the training texts.
    public var triggers: Int
    /// Times the word occurs in the training texts (triggers included).
    public var occurrences: Int
    /// triggers / occurrences.
    public var precision: Double { occurrences == 0 ? 0 : Double(triggers) / Double(occurrences) }
    public init(type: String, triggers: Int, occurrences: Int) { self.type = type; self.triggers = triggers; self.occurrences = occurrences }
}

/// Head settings kept in the manifest.
public struct HeadSettings: Codable, Sendable, Equatable {
    /// Tag scheme of span and event heads.
    public var tagScheme: TagScheme?
    /// Decision threshold of multi-label classifiers.
    public var threshold: Double?
    /// At most this many labels (classifiers).
    public var topK: Int?
    /// Event assembly (event heads).
    public var event: EventSpec?
    /// Label groups of span and event taggers, one CRF layer each (nil: one layer), so
    /// spans of different groups may overlap.
    public var layers: [[String]]?
    /// Classifiers: rows of the sparse linear path over hashed character 1-2-grams of the text
    /// (tensor `sparse_weight` [buckets x labels], added to the logits); nil or 0: no sparse path.
    public var sparseBuckets: Int?
    /// Multi-label classifiers: a threshold per label (nil: `threshold` for every label), when
    /// the dev score preferred them to one global threshold.
    public var labelThresholds: [String: Double]?
    /// Classifiers: longest character n-gram of the sparse path (nil: 2).
    public var ngramMax: Int?
    /// Classifiers: the sparse path weights each n-gram by its inverse document frequency in
    /// the training texts (tensor `idf` [buckets]; TF-IDF with sublinear tf).
    public var sparseIdf: Bool?
    /// Span and event taggers: rows of the sparse emission path, hashed character n-gram
    /// indicator features per position (`SparseEmissions`) whose table rows (tensor
    /// `emission_table` [buckets x tags] per CRF layer, stored as float16) are added to the
    /// emissions; nil or 0: the dense emissions alone (bundles trained before).
    public var emissionBuckets: Int?
    /// Single-label classifiers: the logits are multiplied by this before the softmax, so that
    /// the scores are calibrated probabilities (fitted on the dev split by log-likelihood after
    /// training; an SVM's margins over hundreds of labels otherwise give near-uniform scores).
    /// Nil: 1. The ranking, and so the predicted label, does not depend on it.
    public var logitScale: Double?
    /// Classifiers: how the linear weights were fitted ("svm-dual-cd C=... balanced doc=..."
    /// for one-vs-rest squared-hinge SVMs on the frozen encoder; nil: gradient descent).
    public var solver: String?
    /// Settings with the given values.
    public init(tagScheme: TagScheme? = nil, threshold: Double? = nil, topK: Int? = nil, event: EventSpec? = nil, layers: [[String]]? = nil,
                sparseBuckets: Int? = nil) {
        self.tagScheme = tagScheme; self.threshold = threshold; self.topK = topK; self.event = event; self.layers = layers
        self.sparseBuckets = sparseBuckets
    }
}

/// What a head was trained on.
public struct TrainingDataDescription: Codable, Sendable, Equatable {
    /// Training examples.
    public var trainExamples: Int
    /// Dev examples.
    public var devExamples: Int
    /// Free description (files, formats).
    public var source: String?
    /// The configuration used.
    public var config: TrainingConfig?
    /// A description of a training run.
    public init(trainExamples: Int, devExamples: Int, source: String? = nil, config: TrainingConfig? = nil) {
        self.trainExamples = trainExamples; self.devExamples = devExamples; self.source = source; self.config = config
    }
}

/// A head as described in manifest.json.
public struct HeadDescription: Codable, Sendable, Equatable {
    /// Name (unique in a bundle; the `task` of its annotations).
    public var name: String
    /// Kind.
    public var kind: HeadKind
    /// Label set: classes, span labels, or mention labels.
    public var labels: [String]
    /// Dev metrics of the last training run.
    public var metrics: [String: Double]
    /// Fingerprint of the encoder the head was trained on.
    public var encoderFingerprint: String
    /// Head-specific settings.
    public var settings: HeadSettings
    /// Training data description.
    public var training: TrainingDataDescription?
    /// Judgment sections the head reads (`HeadScope`); nil: the whole text.
    public var scope: [String]?

    /// A description with the given fields.
    public init(name: String, kind: HeadKind, labels: [String], metrics: [String: Double] = [:],
                encoderFingerprint: String, settings: HeadSettings = HeadSettings(), training: TrainingDataDescription? = nil) {
        self.name = name; self.kind = kind; self.labels = labels; self.metrics = metrics
        self.encoderFingerprint = encoderFingerprint; self.settings = settings; self.training = training
    }
}

/// A task head: reads the encoder output of a text and writes annotations.
public protocol TaskHead: AnyObject, Sendable {
    /// The head's description (name, kind, labels, settings, metrics).
    var description: HeadDescription { get set }
    /// Its tensors (saved as head-<name>.safetensors).
    var parameters: [Parameter] { get }
    /// Adds its annotations for one encoded text; `threshold` overrides the head's own.
    func annotate(_ encoded: EncodedText, text: ScalarText, threshold: Double?, into out: inout ModelAnnotations)
}

/// What a head needs to train (internal to WenshuModel).
protocol TrainableHead: TaskHead {
    /// Turns an example into the head's training target; nil skips it.
    func target(for example: LabelledExample) -> HeadTarget?
    /// Loss of one example, accumulating head gradients and returning the encoder's.
    func lossAndGradients(_ encoded: EncodedText, target: HeadTarget, into g: Gradients)
        -> (loss: Double, dVectors: [Float]?, dDocument: [Float]?)
}

/// A prepared training target.
enum HeadTarget {
    case classes([Int])
    case tags([[Int]])
    case events(tags: [[Int]], pairs: [(a: Range<Int>, b: Range<Int>, cls: Int)], links: [(a: Range<Int>, b: Range<Int>, cls: Int)])
}
