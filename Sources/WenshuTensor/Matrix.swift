import COpenBLAS

/// A row-major matrix of Float over one contiguous buffer.
public struct Matrix: Sendable, Equatable {
    public var rows: Int
    public var cols: Int
    public var data: [Float]
    public init(rows: Int, cols: Int, data: [Float]? = nil) {
        self.rows = rows; self.cols = cols
        self.data = data ?? [Float](repeating: 0, count: rows * cols)
    }
}
