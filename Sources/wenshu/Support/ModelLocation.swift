import Foundation
import WenshuCore
import WenshuModel

/// Where a command finds its model bundle when it is not named on the command line, in
/// this order:
///
/// 1. `--model DIR` (or the command's bundle argument),
/// 2. the `WENSHU_MODEL` environment variable,
/// 3. `PREFIX/share/wenshu/models/default`, where the binary is `PREFIX/bin/wenshu`
///    (what `scripts/install.sh PREFIX` installs; symbolic links to the binary are followed),
/// 4. `./models/default` (a checkout of the repository).
///
/// The first folder that exists wins for 3 and 4; a path from 1 or 2 is taken as given
/// (a missing one is an error that says so, rather than a silent fallback).
enum ModelLocation {
    /// The installed bundles beside the executable, most specific first.
    static func installedCandidates() -> [String] {
        // The binary as invoked (a link in PREFIX/bin counts), then where it really is.
        var exes: [URL] = []
        let arg0 = CommandLine.arguments.first ?? ""
        if arg0.contains("/") {
            let u = URL(fileURLWithPath: arg0)
            exes += [u, u.resolvingSymlinksInPath()]
        } else if let dirs = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":") {
            for d in dirs where FileManager.default.isExecutableFile(atPath: "\(d)/\(arg0)") {
                let u = URL(fileURLWithPath: "\(d)/\(arg0)")
                exes += [u, u.resolvingSymlinksInPath()]
                break
            }
        }
        if let main = Bundle.main.executableURL { exes.append(main.resolvingSymlinksInPath()) }
        var out: [String] = []
        for exe in exes {
            let prefix = exe.deletingLastPathComponent().deletingLastPathComponent()
            let p = prefix.appendingPathComponent("share/wenshu/models/default").standardizedFileURL.path
            if !out.contains(p) { out.append(p) }
        }
        return out
    }

    /// The bundle folder to use, by the rule above.
    static func resolve(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["WENSHU_MODEL"], !env.isEmpty { return env }
        let candidates = installedCandidates() + ["models/default"]
        for c in candidates where FileManager.default.fileExists(atPath: c + "/manifest.json") { return c }
        throw WenshuError(.model.notFound,
                          "no model bundle found: pass --model DIR or set WENSHU_MODEL; looked in \(candidates.dropLast().joined(separator: ", ")) and ./models/default (in \(FileManager.default.currentDirectoryPath)); install one with scripts/install.sh PREFIX",
                          stage: .config)
    }

    /// Loads a bundle, saying plainly when the folder is not there or is not a bundle.
    static func load(_ path: String) throws -> ModelBundle {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw WenshuError(.bundle.notFound, "no such bundle folder (current folder: \(FileManager.default.currentDirectoryPath))",
                              stage: .model, path: path)
        }
        guard isDir.boolValue else {
            throw WenshuError(.bundle.notFolder, "a model bundle is a folder holding manifest.json, not a file", stage: .model, path: path)
        }
        guard FileManager.default.fileExists(atPath: path + "/manifest.json") else {
            throw WenshuError(.bundle.missingManifest, "the folder has no manifest.json: not a model bundle", stage: .model, path: path)
        }
        return try ModelBundle.load(at: URL(fileURLWithPath: path))
    }
}
