import Foundation
import Yams
import WenshuCore

/// Reads a pipeline file for `wenshu watch`: the whole file is validated by
/// `PipelineSpecLoader` (the batch pipeline's loader: unknown keys, ranges, lines), and
/// the `watch:` section becomes `WatchOptions`.
///
/// `PipelineSpec.WatchSpec` carries `inbox`, `done`, `failed`, `settle_seconds`,
/// `rotate_megabytes` and `keep_rotated`. The watch also accepts these extension keys in
/// the same section, each written on one line: `settle_ms`, `rescan_seconds`, `on_done`
/// (move | keep), `batch`, `status_every_ms`, `http_port`, `ignore_suffixes` (flow list),
/// `output_dir`, `state_dir`, `rotate_bytes`, `open_limit_seconds`. They are read here and blanked out (line
/// numbers kept) before the batch loader sees the file, since it rejects keys it does not
/// know. Output places follow `outputs`: results go to the folder of `outputs.results` as
/// `<name>-YYYY-MM-DD.jsonl`, errors beside `outputs.errors`, the watch journal and the
/// status file beside `outputs.journal`. Relative paths are taken against the current
/// folder, as in `wenshu run`.
public enum WatchPipelineConfig {
    /// The watch-only keys of the `watch:` section.
    public static let extensionKeys: Set<String> = [
        "settle_ms", "rescan_seconds", "on_done", "batch", "status_every_ms", "http_port",
        "ignore_suffixes", "output_dir", "state_dir", "rotate_bytes", "open_limit_seconds",
    ]

    /// The spec and the watch options (not yet resolved against a folder).
    public static func load(path: String) throws -> (spec: PipelineSpec, options: WatchOptions) {
        guard let data = FileManager.default.contents(atPath: path), let yaml = String(data: data, encoding: .utf8) else {
            throw WenshuError(.config.unreadable, "cannot read the pipeline file as UTF-8", stage: .config, path: path)
        }
        return try parse(yaml: yaml, path: path)
    }

    /// Same as `load` from YAML text; `path` names the file in errors.
    public static func parse(yaml: String, path: String) throws -> (spec: PipelineSpec, options: WatchOptions) {
        var lines = yaml.components(separatedBy: "\n")
        var extensionYAML = ""
        if let root = try? Yams.compose(yaml: yaml), let watch = root.mapping?["watch"]?.mapping {
            for (k, v) in watch {
                guard let key = k.string, extensionKeys.contains(key), let line = k.mark?.line else { continue }
                let endLine = v.mark?.line ?? line
                if endLine != line || v.sequence.map({ !$0.isEmpty && $0.first?.mark?.line != line }) == true {
                    throw WenshuError(.config.invalid, "write watch.\(key) on one line", stage: .config, path: path,
                                      location: SourceLocation(line: line, column: k.mark?.column, within: "watch.\(key)"))
                }
                extensionYAML += lines[line - 1].trimmingCharacters(in: .whitespaces) + "\n"
                lines[line - 1] = ""
            }
        }
        let spec: PipelineSpec
        do {
            spec = try PipelineSpecLoader.parse(yaml: lines.joined(separator: "\n"), path: path, checkInputs: false)
        } catch let e as PipelineSpecError {
            throw e.problems.first.map { p in
                var w = p
                if e.problems.count > 1 { w.message += " (and \(e.problems.count - 1) more: \(e.problems.dropFirst().map(\.description).joined(separator: "; ")))" }
                return w
            } ?? WenshuError(.config.invalid, "invalid pipeline file", stage: .config, path: path)
        }
        guard let w = spec.watch else {
            throw WenshuError(.config.missing, "the pipeline has no `watch:` section", stage: .config, path: path,
                              location: SourceLocation(within: "watch"))
        }
        var o: WatchOptions
        do {
            o = try YAMLDecoder().decode(WatchOptions.self, from: extensionYAML.isEmpty ? "{}" : extensionYAML)
        } catch {
            throw WenshuError(.config.invalid, "bad value in the watch section", stage: .config, path: path,
                              location: SourceLocation(within: "watch"), cause: "\(error)")
        }
        let has = Set(extensionYAML.split(separator: "\n").compactMap { $0.split(separator: ":").first.map(String.init) })
        o.inbox = w.inbox
        o.doneDir = w.done
        o.failedDir = w.failed
        if !has.contains("settle_ms"), let s = w.settleSeconds { o.settleMs = Int((s * 1000).rounded()) }
        if !has.contains("rotate_bytes"), let m = w.rotateMegabytes { o.rotateBytes = Int(m * 1_048_576) }
        o.keepRotated = w.keepRotated
        let results = URL(fileURLWithPath: spec.outputs.results)
        if !has.contains("output_dir") { o.outputDir = results.deletingLastPathComponent().path }
        o.resultsPrefix = results.deletingPathExtension().lastPathComponent
        let errors = URL(fileURLWithPath: spec.errorsPath)
        o.errorsDir = errors.deletingLastPathComponent().path
        o.errorsPrefix = errors.deletingPathExtension().lastPathComponent
        if !has.contains("state_dir") { o.stateDir = URL(fileURLWithPath: spec.journalPath).deletingLastPathComponent().path }
        o.pipelineVersion = spec.fingerprint
        o.crashRetries = spec.resolvedRetries
        try o.validate(path: path)
        return (spec, o)
    }
}
