/// LAC's output for one sentence: per character the top layer's hidden state and the tag
/// emissions, row-major (optionally also the lower layer's hidden state).
public struct LACOutput: Sendable, Equatable {
    /// Width of a hidden row: forward 128 || backward 128.
    public static let hiddenSize = 2 * LACBiGRULayer.hidden
    /// Width of an emission row (the CRF's tag count).
    public static let tagCount = LACNetwork.tagCount

    /// Number of characters.
    public let count: Int
    /// Top-layer hidden states, `[count, 256]`: forward || backward, the ONNX concat order.
    public var hidden: [Float]
    /// Tag emissions (the CRF's unary scores), `[count, 59]`.
    public var emissions: [Float]
    /// First-layer hidden states, `[count, 256]`, when asked for.
    public var lowerHidden: [Float]?

    /// An output (counts must agree with the widths).
    public init(count: Int, hidden: [Float], emissions: [Float], lowerHidden: [Float]? = nil) {
        self.count = count; self.hidden = hidden; self.emissions = emissions; self.lowerHidden = lowerHidden
    }
}
