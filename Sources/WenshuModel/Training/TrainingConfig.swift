import Foundation
import WenshuCore

/// Settings of a training run (stored with each head in manifest.json).
public struct TrainingConfig: Codable, Sendable, Equatable {
    /// Maximum passes over the training set.
    public var epochs: Int
    /// Adam learning rate (embedding rows use lazy Adam with the same rate).
    public var learningRate: Float
    /// Seed for shuffling (and fresh head weights).
    public var seed: UInt64
    /// Stop after this many epochs without a better dev score (0: never stop early).
    public var patience: Int
    /// Examples per optimizer step.
    public var batchSize: Int
    /// Worker threads for data-parallel gradients (fixed partition: same threads -> same weights).
    public var threads: Int
    /// Backpropagate into the shared encoder. Refused when the bundle holds other heads
    /// (they would no longer match the encoder's fingerprint); `false` leaves the encoder
    /// and its fingerprint untouched.
    public var trainEncoder: Bool
    /// Span encoding for tagger and event heads.
    public var tagScheme: TagScheme
    /// Decision threshold stored with multi-label heads.
    public var threshold: Double
    /// At most this many labels per text (classifiers); nil: no limit (multi), 1 (single).
    public var topK: Int?
    /// Event assembly mode; nil chooses from the data.
    public var eventMode: EventMode?
    /// Training texts are cut to this many characters (nil: whole texts). Dev and inference use whole texts.
    public var maxTrainLength: Int?
    /// Gradient clipping by global norm.
    public var clipNorm: Float
    /// Give labels whose spans often overlap separate CRF layers (nested spans).
    public var nestedLayers: Bool
    /// Stop once an epoch's mean training loss falls below this (nil: never).
    public var stopLoss: Double?
    /// Dropout on the encoder's character vectors (not the pooled document vector) while training (0: none).
    public var dropout: Float
    /// The learning rate is multiplied by this after every epoch.
    public var lrDecay: Float
    /// After training, pick the decision threshold of multi-label and relation/trigger
    /// event heads that scores best on dev (stored in the head's settings).
    public var tuneThreshold: Bool
    /// Classifier heads get a sparse linear path over this many hashed character 1-2-gram
    /// buckets, trained with the head (nil or 0: none).
    public var sparseBuckets: Int?
    /// Classifier heads: longest character n-gram of the sparse path (nil: 2).
    public var ngramMax: Int?
    /// Classifier heads on a frozen encoder: fit the linear layer (TF-IDF n-grams with idf,
    /// the document vector, bias) by one-vs-rest squared-hinge SVMs instead of gradient
    /// descent (`ClassifierHead.fitLinear`); nil or false: gradient descent.
    public var linearSVM: Bool?
    /// The SVMs' C (nil: 1, LinearSVC's default).
    public var svmC: Double?
    /// The SVMs weight each label's positives and negatives by n / (2 count) (nil: false).
    public var balancedClasses: Bool?
    /// Mean norm of the document vector beside the unit-norm TF-IDF vector in the SVMs
    /// (nil: 1; 0 leaves the document vector out).
    public var documentWeight: Float?
    /// Span and event heads get a sparse emission path over this many hashed character n-gram
    /// buckets (`SparseEmissions`), trained with the CRF (nil or 0: none).
    public var emissionBuckets: Int?
    /// Adam learning rate of the sparse emission tables (nil: `learningRate`). Adam moves a
    /// row by about the rate each step its n-grams occur in, so rare n-grams stay near zero
    /// at the dense weights' rate.
    public var emissionLearningRate: Float?
    /// Span and event heads with `emissionBuckets`: start from the bundle's head of the same
    /// name and kind (its labels, settings and every weight: dense emissions, CRF transitions,
    /// pair and link scorers) and train only the new sparse emission tables on top, on the
    /// frozen encoder (nil or false: a fresh head, every weight trained).
    public var emissionTablesOnly: Bool?
    /// Frozen encoders: keep each text's encoder output in this folder (one file per text,
    /// keyed by the encoder's fingerprint and the text) so that every epoch and every dev pass
    /// reads it instead of running the encoder again (`DiskCachedEncoder`); nil: no disk cache.
    public var featureCache: String?
    /// Fine-tune the top GRU layer of the bundle's LAC encoder (both directions' W, R and B;
    /// its embedding, first layer and emission layer stay frozen) by backpropagation through
    /// time, with or without `trainEncoder` (which trains the n-gram encoder). Changes the
    /// encoder's fingerprint, so it is refused like `trainEncoder` when the bundle holds other
    /// heads, and refused when the bundle has no LAC encoder (nil or false: LAC stays frozen).
    public var fineTuneLAC: Bool?

    /// A configuration; every argument has a default chosen by measurement.
    public init(epochs: Int = 12, learningRate: Float = 0.005, seed: UInt64 = 1, patience: Int = 5, batchSize: Int = 16,
                threads: Int = 2, trainEncoder: Bool = true, tagScheme: TagScheme = .bio, threshold: Double = 0.5,
                topK: Int? = nil, eventMode: EventMode? = nil, maxTrainLength: Int? = 1500, clipNorm: Float = 5, nestedLayers: Bool = true,
                stopLoss: Double? = nil, dropout: Float = 0.25, lrDecay: Float = 0.9,
                tuneThreshold: Bool = true, sparseBuckets: Int? = nil) {
        self.epochs = epochs; self.learningRate = learningRate; self.seed = seed; self.patience = patience
        self.batchSize = batchSize; self.threads = threads; self.trainEncoder = trainEncoder; self.tagScheme = tagScheme
        self.threshold = threshold; self.topK = topK; self.eventMode = eventMode; self.maxTrainLength = maxTrainLength
        self.clipNorm = clipNorm; self.nestedLayers = nestedLayers; self.stopLoss = stopLoss; self.dropout = dropout; self.lrDecay = lrDecay; self.tuneThreshold = tuneThreshold
        self.sparseBuckets = sparseBuckets
    }
}

/// A task of a multi-task run: a head name, its kind and its data.
public struct TaskData: Sendable {
    /// Head name.
    public var name: String
    /// Head kind.
    public var kind: HeadKind
    /// Training examples.
    public var train: [LabelledExample]
    /// Dev examples (early stopping).
    public var dev: [LabelledExample]
    /// Free description of the data source (kept in the manifest).
    public var source: String?
    /// Judgment sections the head will read at inference (`HeadScope`); nil: the whole text.
    public var scope: [String]?
    /// A task.
    public init(name: String, kind: HeadKind, train: [LabelledExample], dev: [LabelledExample], source: String? = nil,
                scope: [String]? = nil) {
        self.name = name; self.kind = kind; self.train = train; self.dev = dev; self.source = source; self.scope = scope
    }
}

/// Progress of a training run, for a progress bar.
public struct TrainingProgress: Sendable {
    /// Head being trained (the batch's task in multi-task runs).
    public var task: String
    /// 1-based epoch.
    public var epoch: Int
    /// Maximum epochs.
    public var epochs: Int
    /// Optimizer steps done in this epoch.
    public var step: Int
    /// Steps per epoch.
    public var totalSteps: Int
    /// Mean training loss per example so far in this epoch.
    public var loss: Double
    /// Dev score after the epoch (nil during the epoch).
    public var devScore: Double?
    /// True on the report sent after an epoch's dev evaluation.
    public var epochDone: Bool
}

/// What a training run did.
public struct TrainingReport: Codable, Sendable {
    /// Epochs run.
    public var epochs: Int
    /// Epoch whose weights were kept (best dev score).
    public var bestEpoch: Int
    /// Best dev score (mean over tasks in multi-task runs).
    public var bestDevScore: Double
    /// Dev metrics per head at the best epoch.
    public var metrics: [String: [String: Double]]
    /// Mean training loss of the last epoch.
    public var finalLoss: Double
    /// Wall-clock seconds.
    public var seconds: Double
    /// CPU seconds of the process during training (all threads).
    public var cpuSeconds: Double
    /// The encoder fingerprint after training.
    public var encoderFingerprint: String
    /// Per head: dev examples whose text the frozen encoder was trained on (a dev score
    /// over them is optimistic). Empty when the encoder was trained in this run.
    public var devSeenByEncoder: [String: Int] = [:]
}
