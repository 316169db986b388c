import Foundation

/// Compiled copies of one rule pattern, lent to one caller at a time.
///
/// Foundation's NSRegularExpression on Linux keeps one ICU matcher per object and clones
/// the ICU regex on every call that finds it checked out by another thread, so two threads
/// sharing one object spend their time cloning. The pool gives each concurrent caller an
/// object of its own (creating one when all are busy) and takes it back afterwards.
final class RegexPool: @unchecked Sendable {
    let pattern: String
    private let lock = NSLock()
    private var idle: [NSRegularExpression]

    /// Nil when the pattern does not compile (a bug in a rule, caught by the tests).
    init?(_ pattern: String) {
        guard let first = try? NSRegularExpression(pattern: pattern, options: []) else { return nil }
        self.pattern = pattern
        idle = [first]
    }

    /// Runs `body` with a regex no other thread is using (nil only if a new copy could not
    /// be compiled, which cannot happen for a pattern that compiled once).
    func with<T>(_ body: (NSRegularExpression) -> T) -> T? {
        lock.lock()
        let borrowed = idle.popLast()
        lock.unlock()
        guard let re = borrowed ?? (try? NSRegularExpression(pattern: pattern, options: [])) else { return nil }
        defer { lock.lock(); idle.append(re); lock.unlock() }
        return body(re)
    }
}

extension RuleText {
    /// All matches of a pooled rule in `within` (default: everything).
    func matches(_ pool: RegexPool, in within: Range<Int>? = nil) -> [Match] {
        pool.with { matches($0, in: within) } ?? []
    }

    /// Matches of a pooled rule near the anchor characters (see the NSRegularExpression version).
    func matches(_ pool: RegexPool, near anchors: [Unicode.Scalar], before: Int, after: Int) -> [Match] {
        pool.with { matches($0, near: anchors, before: before, after: after) } ?? []
    }
}
