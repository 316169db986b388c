import Foundation
import WenshuTensor

/// A named trainable tensor of a module (flat Float buffer with a shape), plus its
/// optimizer state. Parameters of the encoder's embedding table are updated sparsely
/// (only rows touched by a batch).
public final class Parameter: @unchecked Sendable {
    /// Name inside its module's safetensors file ("embedding", "weight", ...).
    public let name: String
    /// Shape, outermost first.
    public let shape: [Int]
    /// Values, row-major.
    public var value: [Float]
    /// True for embedding tables updated row by row.
    public let sparse: Bool
    /// Saved as float16 whatever its size (the span taggers' sparse emission tables); other
    /// head tensors are saved so from `ModelBundle.float16Threshold` values on.
    public var halfPrecision = false
    /// Multiplies the optimizer's learning rate for this parameter (1: the run's rate; the
    /// sparse emission tables get `TrainingConfig.emissionLearningRate` this way).
    public var learningRateScale: Float = 1
    var m: [Float] = []
    var v: [Float] = []
    /// Adam step counters per row (sparse) or one counter (dense).
    var steps: [Int32] = []

    /// A parameter with the given values (count must equal the shape's product).
    public init(name: String, shape: [Int], value: [Float], sparse: Bool = false) {
        self.name = name; self.shape = shape; self.value = value; self.sparse = sparse
    }

    /// A parameter filled uniformly in [-scale, scale] from a seeded generator.
    public convenience init(name: String, shape: [Int], scale: Float, rng: inout SeededRandom, sparse: Bool = false) {
        let n = shape.reduce(1, *)
        self.init(name: name, shape: shape, value: (0..<n).map { _ in rng.uniform(-scale, scale) }, sparse: sparse)
    }

    /// A zero-filled parameter.
    public convenience init(zeros name: String, shape: [Int]) {
        self.init(name: name, shape: shape, value: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// Elements per row (last dimension).
    public var rowSize: Int { shape.last ?? 1 }
    /// Number of elements.
    public var count: Int { value.count }

    /// A deep copy of the values (for best-epoch snapshots).
    func snapshot() -> [Float] { value }

    func resetOptimizer() { m = []; v = []; steps = [] }
}
