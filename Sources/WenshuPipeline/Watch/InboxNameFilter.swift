import Foundation

/// Which names in the inbox are never taken: dotfiles and dot-folders, `~` prefixes,
/// `.part`, `.tmp`, `.crdownload`, `.swp` and configured suffixes.
public struct InboxNameFilter: Sendable {
    public var suffixes: [String]
    public init(extraSuffixes: [String] = []) {
        suffixes = [".part", ".tmp", ".crdownload", ".swp", ".partial"] + extraSuffixes
    }

    /// Whether the last component `name` marks a temporary or hidden file.
    public func ignores(name: String) -> Bool {
        if name.hasPrefix(".") || name.hasPrefix("~") || name.hasSuffix("~") { return true }
        let lower = name.lowercased()
        return suffixes.contains { lower.hasSuffix($0.lowercased()) }
    }

    /// Whether any component of `relativePath` is ignored.
    public func ignores(relativePath: String) -> Bool {
        relativePath.split(separator: "/").contains { ignores(name: String($0)) }
    }
}
