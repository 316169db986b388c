import Foundation

/// Where the bytes of one input come from, for `IngestService`: a file, or a buffer held in
/// memory (a line read from standard input, an upload). Both are read the same way (format
/// sniffed or forced, the same size limits, the same ingesters); documents and errors name
/// the input by `name`.
public enum IngestSource: Sendable, Equatable {
    /// The file at `path`, named `name` in documents and errors (the path itself when nil;
    /// the watch names inbox files by their path relative to the inbox).
    case file(String, name: String? = nil)
    /// Bytes held in memory, named `name` (`-` for standard input). When `line` is given the
    /// buffer begins at that 1-based line of the named stream: line numbers in documents and
    /// errors count from there, and an error about the whole buffer names that line.
    case bytes([UInt8], name: String, line: Int? = nil)

    /// The name documents and errors carry as their path.
    public var name: String {
        switch self {
        case let .file(path, name): return name ?? path
        case let .bytes(_, name, _): return name
        }
    }
}
