import Foundation
import WenshuCore

/// Reads a pipeline file for `wenshu watch`: the whole file, `watch:` section included, is
/// decoded and checked once by `PipelineSpecLoader` (unknown keys, types and ranges with
/// their lines), and the section becomes `WatchOptions` (`WatchOptions(spec:path:)`).
/// Relative paths are resolved later, against the current folder (`WatchOptions.resolved(against:)`).
public enum WatchPipelineConfig {
    /// The spec and the watch options (not yet resolved against a folder).
    public static func load(path: String) throws -> (spec: PipelineSpec, options: WatchOptions) {
        guard let data = FileManager.default.contents(atPath: path), let yaml = String(data: data, encoding: .utf8) else {
            throw WenshuError(.config.unreadable, "cannot read the pipeline file as UTF-8", stage: .config, path: path)
        }
        return try parse(yaml: yaml, path: path)
    }

    /// Same as `load` from YAML text; `path` names the file in errors.
    public static func parse(yaml: String, path: String) throws -> (spec: PipelineSpec, options: WatchOptions) {
        let spec: PipelineSpec
        do {
            spec = try PipelineSpecLoader.parse(yaml: yaml, path: path, checkInputs: false)
        } catch let e as PipelineSpecError {
            throw e.problems.first.map { p in
                var w = p
                if e.problems.count > 1 { w.message += " (and \(e.problems.count - 1) more: \(e.problems.dropFirst().map(\.description).joined(separator: "; ")))" }
                return w
            } ?? WenshuError(.config.invalid, "invalid pipeline file", stage: .config, path: path)
        }
        return (spec, try WatchOptions(spec: spec, path: path))
    }
}
