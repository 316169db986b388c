import Foundation
import WenshuCore
import WenshuModel

/// Several heads trained jointly with one shared encoder (`wenshu train --plan FILE`).
/// The plan is JSON: `{"tasks": [{"task": "charge", "kind": "multi_label", "format": "cail2018",
/// "data": "path.jsonl", "dev": "optional.jsonl", "cjrc_label": "case_type"}]}`; relative paths
/// are resolved against the plan file's folder. Each task is split like `wenshu train`
/// (deterministic dev split unless a dev file is given); batches go round-robin over the
/// tasks and early stopping watches the mean dev score.
public struct TrainingPlan: Codable, Sendable {
    /// One task of the plan.
    public struct Task: Codable, Sendable {
        public var task: String
        public var kind: String
        public var format: String?
        public var data: String
        public var dev: String?
        public var cjrcLabel: String?
        /// Judgment sections the head reads at inference, e.g. ["facts", "claims"].
        public var scope: [String]?
        enum CodingKeys: String, CodingKey { case task, kind, format, data, dev, cjrcLabel = "cjrc_label", scope }
    }
    public var tasks: [Task]

    /// Reads a plan file.
    public static func load(path: String) throws -> TrainingPlan {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) }
        catch { throw WenshuError(.plan.read, "cannot read the plan: \(error.localizedDescription)", stage: .config, path: path) }
        var plan: TrainingPlan
        do { plan = try JSONDecoder().decode(TrainingPlan.self, from: data) }
        catch let e as DecodingError { throw WenshuError(.plan.malformed, ReaderSupport.describe(e), stage: .config, path: path) }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardized.path }
        for i in plan.tasks.indices {
            plan.tasks[i].data = resolve(plan.tasks[i].data)
            plan.tasks[i].dev = plan.tasks[i].dev.map(resolve)
        }
        return plan
    }

    /// The training jobs of the plan (one per task), checked.
    public func jobs(target: TrainingTarget, config: TrainingConfig, encoder: EncoderConfig) throws -> [TrainingJob] {
        guard !tasks.isEmpty else { throw WenshuError(.plan.empty, "the plan has no tasks", stage: .config) }
        return try tasks.map { t in
            let kind = HeadKind(t.kind)
            guard HeadKinds.builtIn.contains(kind) else {
                throw WenshuError(.plan.malformed, "task \(t.task): unknown kind '\(t.kind)' (kinds: \(HeadKinds.builtIn.names.joined(separator: ", ")))",
                                  stage: .config)
            }
            var format: DatasetFormat?
            if let f = t.format {
                guard let d = DatasetFormat(rawValue: f) else {
                    throw WenshuError(.plan.malformed, "task \(t.task): unknown format '\(f)'", stage: .config)
                }
                format = d
            }
            var options = ReaderOptions(cjrcLabel: t.task.contains("cause") ? .causeOrCharge : .caseType)
            if let l = t.cjrcLabel {
                guard let c = CJRCLabelField(rawValue: l) else {
                    throw WenshuError(.plan.malformed, "task \(t.task): unknown cjrc_label '\(l)'", stage: .config)
                }
                options.cjrcLabel = c
            }
            var job = TrainingJob(data: t.data, dev: t.dev, format: format, options: options, head: t.task, kind: kind,
                                  target: target, config: config, encoder: encoder)
            job.scope = t.scope
            return job
        }
    }
}

extension TrainingJob {
    /// Trains several jobs (same target) jointly: one shared encoder, trained with all their
    /// heads when the bundle holds no other heads. Returns one outcome per job, each carrying
    /// the joint training report.
    public static func runJointly(_ jobs: [TrainingJob], progress: (TrainingProgress) -> Void = { _ in }) throws -> [Outcome] {
        guard let first = jobs.first else { throw WenshuError(.train.noTasks, "nothing to train", stage: .train) }
        var data: [(TaskData, Int, DatasetFormat)] = []
        for j in jobs {
            let (tr, dv, bad, fmt) = try j.examples()
            data.append((TaskData(name: j.head, kind: j.kind, train: tr, dev: dv, source: j.data, scope: j.scope), bad, fmt))
        }
        let (bundle, dir) = try first.openTarget()
        var cfg = first.config
        let names = Set(jobs.map(\.head))
        cfg.trainEncoder = !first.freezeEncoder && bundle.heads.allSatisfy { names.contains($0.name) } && bundle.encoder.parameters.count > 0
        if cfg.trainEncoder || cfg.fineTuneLAC == true {
            bundle.notes["encoder.training"] = TrainingJob.encoderTrainingNote(files: Array(Set(jobs.map(\.data))).sorted(),
                                                                             devFile: jobs.contains { $0.dev != nil })
        }
        let report = try Trainer.trainMultiTask(bundle: bundle, tasks: data.map(\.0), config: cfg, progress: progress)
        try bundle.save(to: URL(fileURLWithPath: dir))
        return zip(jobs, data).map { j, d in
            Outcome(head: j.head, kind: j.kind.rawValue, bundle: dir, data: j.data, dev: j.dev, format: d.2.rawValue,
                    trainExamples: d.0.train.count, devExamples: d.0.dev.count, malformedLines: d.1,
                    encoderTrained: cfg.trainEncoder || cfg.fineTuneLAC == true, config: cfg, seconds: report.seconds, report: report)
        }
    }
}
