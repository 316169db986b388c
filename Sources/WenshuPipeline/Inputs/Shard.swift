import Foundation

/// One shard of a run split over `count` processes: shard `index` (0-based) takes the
/// documents whose identity hashes to it. The hash is FNV-1a 64 over the UTF-8 bytes of
/// the document id, the same on every machine and every run (unlike Swift's `Hasher`,
/// which is seeded per process), so the shards of one corpus are disjoint and their
/// union is the whole.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else {
            throw ShardError(message: "shard \(index)/\(count) is out of range: the index counts from 0 and must be below the count")
        }
        self.index = index; self.count = count
    }

    /// Parses `i/n` (0-based `i`).
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError(message: "expected a shard as i/n (0-based index, count), got '\(text)'")
        }
        try self.init(index: i, count: n)
    }

    /// The shard from a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX` with `JOB_COMPLETIONS`
    /// or `WENSHU_SHARD_COUNT`) or a Slurm array (`SLURM_ARRAY_TASK_ID` minus
    /// `SLURM_ARRAY_TASK_MIN`, over `SLURM_ARRAY_TASK_COUNT`); nil when neither is set.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        if let idx = env["JOB_COMPLETION_INDEX"].flatMap({ Int($0) }) {
            guard let n = (env["JOB_COMPLETIONS"] ?? env["WENSHU_SHARD_COUNT"]).flatMap({ Int($0) }) else {
                throw ShardError(message: "JOB_COMPLETION_INDEX is set but neither JOB_COMPLETIONS nor WENSHU_SHARD_COUNT gives the shard count")
            }
            return try Shard(index: idx, count: n)
        }
        if let id = env["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) {
            guard let n = (env["SLURM_ARRAY_TASK_COUNT"] ?? env["WENSHU_SHARD_COUNT"]).flatMap({ Int($0) }) else {
                throw ShardError(message: "SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor WENSHU_SHARD_COUNT gives the shard count")
            }
            let min = env["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
            return try Shard(index: id - min, count: n)
        }
        return nil
    }

    /// Whether this shard takes the document with identity `id`.
    public func contains(_ id: String) -> Bool {
        count == 1 || Int(Shard.fnv1a64(id) % UInt64(count)) == index
    }

    /// FNV-1a, 64-bit, over the UTF-8 bytes of `s`.
    public static func fnv1a64(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// `shard-0-of-4`, inserted into output paths.
    public var marker: String { "shard-\(index)-of-\(count)" }
    public var description: String { "\(index)/\(count)" }
}

/// A malformed shard setting.
public struct ShardError: Error, CustomStringConvertible, LocalizedError {
    public var message: String
    public var description: String { message }
    public var errorDescription: String? { message }
}
