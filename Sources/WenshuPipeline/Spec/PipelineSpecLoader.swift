import Foundation
import Yams
import WenshuCore
import WenshuModel

/// Every problem found in a pipeline file, each naming the file, line, column and key.
public struct PipelineSpecError: Error, CustomStringConvertible, LocalizedError {
    public var problems: [WenshuError]
    public init(problems: [WenshuError]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
    public var errorDescription: String? { description }
}

/// Reads and validates a pipeline file as a whole before any document runs.
///
/// The YAML is composed once with Yams (keeping line marks), decoded into `PipelineSpec`,
/// and then checked: keys that the decoded spec does not carry are unknown keys (typos
/// are errors, not silently ignored), values are range-checked, input paths must exist.
public enum PipelineSpecLoader {
    /// Loads the spec at `path`; throws `PipelineSpecError` listing every problem.
    /// `checkBundle`: the model bundle folder must exist (off when `--model` replaces it).
    public static func load(path: String, checkInputs: Bool = true, checkBundle: Bool = true) throws -> PipelineSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineSpecError(problems: [WenshuError(.config.unreadable, "cannot read the pipeline file",
                                                           stage: .config, path: path)])
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw PipelineSpecError(problems: [WenshuError(.config.encoding, "the pipeline file is not UTF-8",
                                                           stage: .config, path: path)])
        }
        var spec = try parse(yaml: yaml, path: path, checkInputs: checkInputs, checkBundle: checkBundle)
        if spec.name == nil {
            spec.name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        }
        return spec
    }

    /// Parses and validates YAML text; `path` names the file in errors.
    public static func parse(yaml: String, path: String, checkInputs: Bool = true, checkBundle: Bool = false) throws -> PipelineSpec {
        func problem(_ code: ErrorCode, _ message: String, _ mark: Mark?, _ key: String?) -> WenshuError {
            WenshuError(code, message, stage: .config, path: path,
                        location: SourceLocation(line: mark.map { $0.line }, column: mark.map { $0.column }, within: key))
        }
        let root: Node
        do {
            guard let n = try Yams.compose(yaml: yaml) else {
                throw PipelineSpecError(problems: [problem(.config.empty, "the pipeline file is empty", nil, nil)])
            }
            root = n
        } catch let e as PipelineSpecError {
            throw e
        } catch let e as YamlError {
            throw PipelineSpecError(problems: [yamlProblem(e, path: path)])
        }
        guard root.mapping != nil else {
            throw PipelineSpecError(problems: [problem(.config.notMapping, "the top level must be a mapping of keys",
                                                       root.mark, nil)])
        }
        let spec: PipelineSpec
        do {
            spec = try YAMLDecoder().decode(PipelineSpec.self, from: yaml)
        } catch let e as DecodingError {
            // Report unknown keys too: they often explain a missing or mistyped one.
            var problems = unknownKeyProblemsWithoutSpec(root: root, path: path)
            problems.append(decodingProblem(e, root: root, path: path))
            throw PipelineSpecError(problems: problems)
        }
        var problems = [WenshuError]()
        // Unknown keys: anything in the YAML (with a non-null value) that the decoded spec does not carry.
        if let data = try? JSONEncoder().encode(spec), let json = try? JSONSerialization.jsonObject(with: data) {
            compare(node: root, json: json, keyPath: "", path: path, into: &problems)
        }
        problems += check(spec, root: root, path: path, checkInputs: checkInputs)
        if checkBundle { problems += bundleProblems(spec, root: root, path: path) }
        if !problems.isEmpty { throw PipelineSpecError(problems: problems) }
        return spec
    }

    /// The top-level keys, for when decoding failed and no spec is there to compare with.
    static let topLevelKeys: Set<String> = ["name", "description", "inputs", "text", "structure", "model",
                                            "outputs", "execution", "watch", "limits"]

    /// Known keys of the spec's own sections, for hints.
    static let knownKeys: [String: [String]] = [
        "": topLevelKeys.sorted(),
        "inputs": ["paths", "globs", "exclude", "formats", "ingest", "follow_symlinks"],
        "limits": ["max_document_chars"],
        "structure": ["enabled"],
        "model": ["bundle", "heads", "thresholds", "min_scores", "gates", "named_labels"],
        "outputs": ["results", "errors", "summary", "journal", "include_text"],
        "execution": ["workers", "batch_size", "retries", "queue_batches", "log_interval_seconds"],
        "watch": PipelineSpec.WatchSpec.keys,
    ]

    /// Unknown keys at the top level and in every section `knownKeys` lists, so a bad value
    /// elsewhere in the file does not hide them.
    static func unknownKeyProblemsWithoutSpec(root: Node, path: String) -> [WenshuError] {
        guard let m = root.mapping else { return [] }
        var out = [WenshuError]()
        for (k, v) in m {
            guard let s = k.string else { continue }
            if !topLevelKeys.contains(s) {
                out.append(WenshuError(.config.unknownKey, "unknown key '\(s)' (known: \(topLevelKeys.sorted().joined(separator: ", ")))",
                                       stage: .config, path: path,
                                       location: SourceLocation(line: k.mark?.line, column: k.mark?.column, within: s)))
                continue
            }
            guard let known = knownKeys[s], let section = v.mapping else { continue }
            for (kk, _) in section {
                guard let name = kk.string, !known.contains(name) else { continue }
                out.append(WenshuError(.config.unknownKey, "unknown key '\(s).\(name)' (known in \(s): \(known.joined(separator: ", ")))",
                                       stage: .config, path: path,
                                       location: SourceLocation(line: kk.mark?.line, column: kk.mark?.column, within: "\(s).\(name)")))
            }
        }
        return out
    }

    static func compare(node: Node, json: Any, keyPath: String, path: String, into problems: inout [WenshuError]) {
        if let m = node.mapping, let dict = json as? [String: Any] {
            for (k, v) in m {
                guard let key = k.string else { continue }
                let kp = keyPath.isEmpty ? key : keyPath + "." + key
                if v.null != nil && v.scalar != nil { continue }
                if let sub = dict[key] {
                    compare(node: v, json: sub, keyPath: kp, path: path, into: &problems)
                } else {
                    let known = knownKeys[keyPath] ?? []
                    let hint = known.isEmpty ? "" : " (known keys here: \(known.joined(separator: ", ")))"
                    problems.append(WenshuError(.config.unknownKey, "unknown key '\(key)'\(hint)", stage: .config,
                                                path: path,
                                                location: SourceLocation(line: k.mark?.line, column: k.mark?.column, within: kp)))
                }
            }
        } else if let seq = node.sequence, let arr = json as? [Any], seq.count == arr.count {
            for (i, (n, j)) in zip(seq, arr).enumerated() {
                compare(node: n, json: j, keyPath: "\(keyPath)[\(i)]", path: path, into: &problems)
            }
        }
    }

    /// The node at a coding path, as far as it exists.
    static func node(at codingPath: [CodingKey], in root: Node) -> Node {
        var cur = root
        for key in codingPath {
            if let m = cur.mapping, let n = m[key.stringValue] {
                cur = n
            } else if let s = cur.sequence, let i = key.intValue, i >= 0, i < s.count {
                cur = s[i]
            } else {
                break
            }
        }
        return cur
    }

    /// The mark of the key naming a coding path's last component (better than the value's).
    static func keyMark(at codingPath: [CodingKey], in root: Node) -> Mark? {
        guard let last = codingPath.last else { return root.mark }
        let parent = node(at: Array(codingPath.dropLast()), in: root)
        if let m = parent.mapping {
            for (k, _) in m where k.string == last.stringValue { return k.mark }
        }
        return node(at: codingPath, in: root).mark
    }

    static func dotted(_ codingPath: [CodingKey]) -> String {
        var s = ""
        for k in codingPath {
            if let i = k.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + k.stringValue }
        }
        return s
    }

    static func decodingProblem(_ e: DecodingError, root: Node, path: String) -> WenshuError {
        func make(_ code: ErrorCode, _ msg: String, _ cp: [CodingKey], _ mark: Mark?) -> WenshuError {
            WenshuError(code, msg, stage: .config, path: path,
                        location: SourceLocation(line: mark?.line, column: mark?.column, within: dotted(cp)))
        }
        switch e {
        case let .keyNotFound(key, ctx):
            let parent = node(at: ctx.codingPath, in: root)
            let where_ = ctx.codingPath.isEmpty ? "at the top level" : "in '\(dotted(ctx.codingPath))'"
            return make(.config.missingKey, "missing required key '\(key.stringValue)' \(where_)",
                        ctx.codingPath + [key], parent.mark)
        case let .typeMismatch(type, ctx):
            return make(.config.type, "expected \(describe(type)) for '\(dotted(ctx.codingPath))'",
                        ctx.codingPath, keyMark(at: ctx.codingPath, in: root))
        case let .valueNotFound(type, ctx):
            return make(.config.null, "expected \(describe(type)) for '\(dotted(ctx.codingPath))', found nothing",
                        ctx.codingPath, keyMark(at: ctx.codingPath, in: root))
        case let .dataCorrupted(ctx):
            let value = node(at: ctx.codingPath, in: root)
            let shown = value.string.map { " '\($0)'" } ?? ""
            return make(.config.invalid, "invalid value\(shown) for '\(dotted(ctx.codingPath))': \(ctx.debugDescription)",
                        ctx.codingPath, value.mark ?? keyMark(at: ctx.codingPath, in: root))
        @unknown default:
            return make(.config.invalid, "\(e)", [], nil)
        }
    }

    static func describe(_ type: Any.Type) -> String {
        let s = String(describing: type)
        switch s {
        case "Int": return "an integer"
        case "Double", "Float": return "a number"
        case "Bool": return "true or false"
        case "String": return "a string"
        default:
            if s.hasPrefix("Array") { return "a list" }
            if s.hasPrefix("Dictionary") { return "a mapping" }
            return s
        }
    }

    static func yamlProblem(_ e: YamlError, path: String) -> WenshuError {
        var mark: Mark?
        var msg = "\(e)"
        switch e {
        case let .scanner(_, problem, m, _), let .parser(_, problem, m, _), let .composer(_, problem, m, _):
            mark = m; msg = problem
        default: break
        }
        return WenshuError(.config.yaml, "not valid YAML: \(msg)", stage: .config, path: path,
                           location: SourceLocation(line: mark?.line, column: mark?.column))
    }

    /// The model bundle folder must exist and hold manifest.json (the run would fail with 2 on it).
    static func bundleProblems(_ spec: PipelineSpec, root: Node, path: String) -> [WenshuError] {
        guard let b = spec.model?.bundle, !b.isEmpty else { return [] }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: b, isDirectory: &isDir), isDir.boolValue,
           FileManager.default.fileExists(atPath: b + "/manifest.json") { return [] }
        let mark = root.mapping?["model"]?.mapping?["bundle"]?.mark
        return [WenshuError(.config.bundleMissing,
                            "model bundle folder '\(b)' does not exist or has no manifest.json (paths are relative to the current directory, \(FileManager.default.currentDirectoryPath))",
                            stage: .config, path: path,
                            location: SourceLocation(line: mark?.line, column: mark?.column, within: "model.bundle"))]
    }

    /// Range and existence checks on a decoded spec.
    static func check(_ spec: PipelineSpec, root: Node, path: String, checkInputs: Bool) -> [WenshuError] {
        var out = [WenshuError]()
        func at(_ keys: [String], _ code: ErrorCode, _ msg: String) {
            var n: Node? = root
            var mark = root.mark
            var keyMark: Mark?
            for k in keys {
                guard let m = n?.mapping else { break }
                for (kk, _) in m where kk.string == k { keyMark = kk.mark }
                n = m[k]
                if let nm = keyMark { mark = nm }
            }
            out.append(WenshuError(code, msg, stage: .config, path: path,
                                   location: SourceLocation(line: mark?.line, column: mark?.column,
                                                            within: keys.joined(separator: "."))))
        }
        if spec.inputs.paths.isEmpty { at(["inputs", "paths"], .config.invalid, "inputs.paths must name at least one file or folder") }
        if checkInputs {
            let seq = root.mapping?["inputs"]?.mapping?["paths"]?.sequence
            for (i, p) in spec.inputs.paths.enumerated() where !FileManager.default.fileExists(atPath: p) {
                let m = seq.flatMap { i < $0.count ? $0[i].mark : nil }
                out.append(WenshuError(.config.inputMissing,
                                       "input path '\(p)' does not exist (paths are relative to the current directory, \(FileManager.default.currentDirectoryPath))",
                                       stage: .config, path: path,
                                       location: SourceLocation(line: m?.line, column: m?.column, within: "inputs.paths[\(i)]")))
            }
        }
        if spec.outputs.results.isEmpty { at(["outputs", "results"], .config.invalid, "outputs.results must be a file path") }
        if let e = spec.execution {
            if let w = e.workers, w < 0 { at(["execution", "workers"], .config.range, "execution.workers must be 0 (one per core) or more") }
            if let b = e.batchSize, b < 1 || b > 4096 { at(["execution", "batch_size"], .config.range, "execution.batch_size must be between 1 and 4096") }
            if let r = e.retries, r < 0 { at(["execution", "retries"], .config.range, "execution.retries must be 0 or more") }
            if let q = e.queueBatches, q < 2 { at(["execution", "queue_batches"], .config.range, "execution.queue_batches must be at least 2") }
            if let l = e.logIntervalSeconds, l <= 0 { at(["execution", "log_interval_seconds"], .config.range, "execution.log_interval_seconds must be positive") }
        }
        if let m = spec.model {
            if m.bundle.isEmpty { at(["model", "bundle"], .config.invalid, "model.bundle must be a folder path") }
            for (head, t) in m.thresholds ?? [:] where !(0...1).contains(t) {
                at(["model", "thresholds", head], .config.range, "threshold for '\(head)' must be between 0 and 1, not \(t)")
            }
            // Heads, thresholds, minimum scores, gates and named labels, over the bundle's default
            // decisions as a run merges them, against the bundle's own head list (manifest.json
            // only: no weights are loaded).
            let manifestURL = URL(fileURLWithPath: m.bundle).appendingPathComponent("manifest.json")
            if let data = FileManager.default.contents(atPath: manifestURL.path),
               let manifest = try? JSONDecoder().decode(BundleManifest.self, from: data) {
                let defaults = manifest.decisions?.restricted(to: Set(manifest.heads.map(\.name)))
                let sections = (knownKeys["model"] ?? []).filter { $0 != "bundle" }
                for p in m.annotatorOptions.merged(over: defaults).problems(bundle: manifest.name, heads: manifest.heads) {
                    let key = sections.first { p.hasPrefix($0 + ":") || (p.hasPrefix("gate") && $0 == "gates") } ?? "heads"
                    at(["model", key], .config.model, "\(p) (bundle \(m.bundle))")
                }
            }
        }
        for g in (spec.inputs.globs ?? []) + (spec.inputs.exclude ?? []) where g.isEmpty {
            at(["inputs", "globs"], .config.invalid, "empty glob pattern")
        }
        if let w = spec.watch {
            if w.inbox.isEmpty { at(["watch", "inbox"], .config.invalid, "watch.inbox must be a folder path") }
            if let s = w.settleSeconds, s < 0 { at(["watch", "settle_seconds"], .config.range, "watch.settle_seconds must be 0 or more") }
            if let r = w.rotateMegabytes, r <= 0 { at(["watch", "rotate_megabytes"], .config.range, "watch.rotate_megabytes must be positive") }
            if let k = w.keepRotated, k < 0 { at(["watch", "keep_rotated"], .config.range, "watch.keep_rotated must be 0 or more") }
            if let v = w.settleMs, v < 0 { at(["watch", "settle_ms"], .config.range, "watch.settle_ms must be 0 or more") }
            if let v = w.rescanSeconds, v <= 0 { at(["watch", "rescan_seconds"], .config.range, "watch.rescan_seconds must be more than 0") }
            if let v = w.batch, v < 1 { at(["watch", "batch"], .config.range, "watch.batch must be at least 1") }
            if let v = w.rotateBytes, v < 0 { at(["watch", "rotate_bytes"], .config.range, "watch.rotate_bytes must be 0 or more") }
            if let v = w.statusEveryMs, v < 50 { at(["watch", "status_every_ms"], .config.range, "watch.status_every_ms must be at least 50") }
            if let v = w.httpPort, !(0...65535).contains(v) { at(["watch", "http_port"], .config.range, "watch.http_port must be 0 to 65535") }
            if let v = w.openLimitSeconds, v <= 0 { at(["watch", "open_limit_seconds"], .config.range, "watch.open_limit_seconds must be more than 0") }
        }
        return out
    }
}
