import Foundation

/// A file-name pattern: `*` (any run of characters but `/`), `?` (one character but `/`),
/// `**` (any run including `/`; `**/` also matches no folder at all), `[abc]` classes.
/// A pattern without `/` matches a file's name; with `/`, its path relative to the input folder.
public struct Glob: Sendable, Equatable {
    public let pattern: String
    private let regex: NSRegularExpression?
    private let matchesName: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        matchesName = !pattern.contains("/")
        var re = "^"
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "*" {
                if i + 1 < chars.count && chars[i + 1] == "*" {
                    if i + 2 < chars.count && chars[i + 2] == "/" {
                        re += "(?:.*/)?"; i += 3; continue
                    }
                    re += ".*"; i += 2; continue
                }
                re += "[^/]*"
            } else if c == "?" {
                re += "[^/]"
            } else if c == "[" {
                if let close = chars[(i + 1)...].firstIndex(of: "]") {
                    var cls = String(chars[(i + 1)..<close])
                    if cls.hasPrefix("!") { cls = "^" + cls.dropFirst() }
                    re += "[" + cls.replacingOccurrences(of: "\\", with: "\\\\") + "]"
                    i = close + 1; continue
                }
                re += "\\["
            } else {
                re += NSRegularExpression.escapedPattern(for: String(c))
            }
            i += 1
        }
        re += "$"
        regex = try? NSRegularExpression(pattern: re)
    }

    /// Whether `relativePath` (a path below an input folder, `/`-separated) matches.
    public func matches(_ relativePath: String) -> Bool {
        guard let regex else { return false }
        let subject = matchesName ? (relativePath.split(separator: "/").last.map(String.init) ?? relativePath) : relativePath
        return regex.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil
    }
}
