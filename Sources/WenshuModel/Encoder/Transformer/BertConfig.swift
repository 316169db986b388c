import Foundation
import WenshuCore

/// The architecture of a BERT-compatible checkpoint, read from Hugging Face's `config.json`.
public struct BertConfig: Codable, Sendable, Equatable {
    /// Rows of the word embedding.
    public var vocabSize: Int
    /// Width of every hidden state.
    public var hiddenSize: Int
    /// Transformer layers.
    public var numHiddenLayers: Int
    /// Attention heads per layer (hiddenSize must be a multiple).
    public var numAttentionHeads: Int
    /// Width of the feed-forward layer.
    public var intermediateSize: Int
    /// Rows of the position embedding (the longest sequence the model reads).
    public var maxPositionEmbeddings: Int
    /// Rows of the token-type embedding.
    public var typeVocabSize: Int
    /// LayerNorm epsilon.
    public var layerNormEps: Float
    /// Activation of the feed-forward layer: "gelu" (exact, erf), "gelu_new" / "gelu_pytorch_tanh" (tanh form) or "relu".
    public var hiddenAct: String
    /// "bert" or a model type with the same layout ("roberta", "xlm-roberta", "ernie", ...).
    public var modelType: String
    /// Position ids start here (RoBERTa: pad_token_id + 1; BERT: 0).
    public var positionOffset: Int

    /// A configuration with every field given.
    public init(vocabSize: Int, hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int, intermediateSize: Int,
                maxPositionEmbeddings: Int = 512, typeVocabSize: Int = 2, layerNormEps: Float = 1e-12, hiddenAct: String = "gelu",
                modelType: String = "bert", positionOffset: Int = 0) {
        self.vocabSize = vocabSize; self.hiddenSize = hiddenSize; self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads; self.intermediateSize = intermediateSize
        self.maxPositionEmbeddings = maxPositionEmbeddings; self.typeVocabSize = typeVocabSize
        self.layerNormEps = layerNormEps; self.hiddenAct = hiddenAct; self.modelType = modelType; self.positionOffset = positionOffset
    }

    /// Reads `config.json`; a missing field or an unsupported architecture is a WenshuError naming it.
    public static func read(from url: URL) throws -> BertConfig {
        func bad(_ m: String) -> WenshuError { WenshuError(.transformer.badConfig, m, stage: .model, path: url.path) }
        guard let d = try? Data(contentsOf: url) else {
            throw WenshuError(.transformer.missingConfig, "cannot read config.json", stage: .model, path: url.path)
        }
        guard let o = (try? JSONSerialization.jsonObject(with: d)) as? [String: Any] else { throw bad("config.json is not a JSON object") }
        func int(_ k: String, _ def: Int? = nil) throws -> Int {
            if let v = o[k] as? Int { return v }
            if let v = def { return v }
            throw bad("config.json has no integer '\(k)'")
        }
        let type = (o["model_type"] as? String) ?? "bert"
        let robertaLike = type == "roberta" || type == "xlm-roberta" || type == "camembert"
        let c = BertConfig(vocabSize: try int("vocab_size"), hiddenSize: try int("hidden_size"),
                           numHiddenLayers: try int("num_hidden_layers"), numAttentionHeads: try int("num_attention_heads"),
                           intermediateSize: try int("intermediate_size"), maxPositionEmbeddings: try int("max_position_embeddings", 512),
                           typeVocabSize: try int("type_vocab_size", 2),
                           layerNormEps: Float((o["layer_norm_eps"] as? Double) ?? 1e-12),
                           hiddenAct: (o["hidden_act"] as? String) ?? "gelu", modelType: type,
                           positionOffset: robertaLike ? (try int("pad_token_id", 1)) + 1 : 0)
        if let p = o["position_embedding_type"] as? String, p != "absolute" {
            throw bad("position_embedding_type '\(p)' is not supported (absolute only)")
        }
        try c.validate(path: url.path)
        return c
    }

    /// Checks the sizes and the activation.
    public func validate(path: String? = nil) throws {
        func bad(_ m: String) -> WenshuError { WenshuError(.transformer.badConfig, m, stage: .model, path: path) }
        if vocabSize < 1 || hiddenSize < 1 || numHiddenLayers < 1 || numAttentionHeads < 1 || intermediateSize < 1
            || maxPositionEmbeddings < 3 || typeVocabSize < 1 {
            throw bad("invalid sizes in the configuration: \(self)")
        }
        if hiddenSize % numAttentionHeads != 0 { throw bad("hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)") }
        if !["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"].contains(hiddenAct) { throw bad("hidden_act '\(hiddenAct)' is not supported") }
    }

    /// Longest sequence (special tokens included) the position embedding allows.
    public var maxSequence: Int { maxPositionEmbeddings - positionOffset }
    /// Width of one attention head.
    public var headDim: Int { hiddenSize / numAttentionHeads }
}

/// Time and work of the projection GEMMs of a model's forward passes (for benchmarks).
public final class BertProfile: @unchecked Sendable {
    /// Seconds inside the projection GEMMs.
    public var gemmSeconds = 0.0
    /// Floating-point operations of those GEMMs (2 m n k each).
    public var gemmFlops = 0.0
    /// Seconds in attention (per-head score and context GEMMs, softmax).
    public var attentionSeconds = 0.0
    /// An empty profile.
    public init() {}
    /// GEMM throughput in GFLOP/s.
    public var gemmGFLOPS: Double { gemmSeconds > 0 ? gemmFlops / gemmSeconds / 1e9 : 0 }
}
