import COpenBLAS

/// A row-major matrix of Float over one contiguous buffer: element (r, c) is `data[r * cols + c]`.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public var rows: Int
    /// Number of columns.
    public var cols: Int
    /// The elements, row after row (`rows * cols` values).
    public var data: [Float]

    /// A matrix over `data` (zeros when nil).
    public init(rows: Int, cols: Int, data: [Float]? = nil) {
        self.rows = rows; self.cols = cols
        self.data = data ?? [Float](repeating: 0, count: rows * cols)
    }

    /// A matrix with entries drawn uniformly from [-scale, scale] by a seeded generator.
    public init(rows: Int, cols: Int, uniform scale: Float, rng: inout SeededRandom) {
        self.rows = rows; self.cols = cols
        data = (0..<(rows * cols)).map { _ in rng.uniform(-scale, scale) }
    }

    /// Element at (r, c).
    @inlinable public subscript(r: Int, c: Int) -> Float {
        get { data[r * cols + c] }
        set { data[r * cols + c] = newValue }
    }

    /// One row as an array.
    public func row(_ r: Int) -> [Float] { Array(data[(r * cols)..<((r + 1) * cols)]) }

    /// The transpose [cols x rows].
    public func transposed() -> Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for r in 0..<rows { for c in 0..<cols { t.data[c * rows + r] = data[r * cols + c] } }
        return t
    }
}
