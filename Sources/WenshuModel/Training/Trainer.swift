import Foundation
import WenshuCore
import WenshuTensor

/// Trains heads (and optionally the shared encoder) of a bundle on labelled examples.
///
/// - Data parallel: each batch is cut into `threads` fixed contiguous shards whose
///   gradients are computed concurrently and summed in shard order, so the same seed, data
///   and thread count give bit-identical weights.
/// - Early stopping on the dev score (patience), keeping the best epoch's weights (the latest among ties).
/// - Modularity: with `trainEncoder == false` the encoder and its fingerprint stay as they
///   are and other heads stay valid; with `trainEncoder == true` the bundle may hold no
///   heads besides the ones being trained (refused with "train.encoder_shared").
public enum Trainer {
    /// Trains (or retrains) head `name` of `kind`; the head replaces any head of that name.
    public static func train(bundle: ModelBundle, head name: String, kind: HeadKind, train: [LabelledExample],
                             dev: [LabelledExample], config: TrainingConfig = TrainingConfig(),
                             progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingReport {
        try trainMultiTask(bundle: bundle, tasks: [TaskData(name: name, kind: kind, train: train, dev: dev)], config: config, progress: progress)
    }

    /// Trains several heads jointly with the shared encoder (batches round-robin over the
    /// tasks); the early-stopping score is the mean of the tasks' dev scores.
    public static func trainMultiTask(bundle: ModelBundle, tasks: [TaskData], config: TrainingConfig = TrainingConfig(),
                                      progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingReport {
        let started = Date(), cpu0 = cpuSeconds()
        guard !tasks.isEmpty else { throw WenshuError(.train.noTasks, "nothing to train", stage: .train) }
        try bundle.encoder.validate()
        guard config.epochs >= 1, config.batchSize >= 1, config.learningRate > 0 else {
            throw WenshuError(.train.badConfig, "epochs, batchSize and learningRate must be positive", stage: .train)
        }
        if let b = config.sparseBuckets, b < 0 || b > 1 << 20 {
            throw WenshuError(.train.badConfig, "sparseBuckets must be between 0 and \(1 << 20), got \(b)", stage: .train)
        }
        if let r = config.emissionLearningRate, !(r > 0 && r.isFinite) {
            throw WenshuError(.train.badConfig, "emissionLearningRate must be positive, got \(r)", stage: .train)
        }
        if let b = config.emissionBuckets, b < 0 || b > SparseEmissions.maxBuckets {
            throw WenshuError(.train.badConfig, "emissionBuckets must be between 0 and \(SparseEmissions.maxBuckets), got \(b)", stage: .train)
        }
        let names = tasks.map(\.name)
        guard Set(names).count == names.count else { throw WenshuError(.train.badConfig, "task names repeat: \(names)", stage: .train) }
        for t in tasks {
            try ModelBundle.checkHeadName(t.name)
            guard !t.train.isEmpty else { throw WenshuError(.train.noExamples, "task '\(t.name)' has no training examples", stage: .train) }
        }
        let fineTuneLAC = config.fineTuneLAC == true
        let lac = lacEncoder(in: bundle.encoder)
        if fineTuneLAC && lac == nil {
            throw WenshuError(.train.badConfig,
                              "fine-tuning LAC needs a bundle whose encoder includes LAC (this one: \(bundle.encoder.summary)); create the bundle with --lac, or train without --fine-tune lac",
                              stage: .train)
        }
        // The encoder's weights (and fingerprint) change when it is trained or LAC is fine-tuned.
        let encoderLearns = config.trainEncoder || fineTuneLAC
        if encoderLearns {
            let others = bundle.heads.map(\.name).filter { !names.contains($0) }
            if !others.isEmpty {
                throw WenshuError(.train.encoderShared,
                                  "training the encoder\(fineTuneLAC ? " (fine-tuning LAC)" : "") would change its fingerprint and invalidate heads \(others.joined(separator: ", ")); train with trainEncoder=false (the encoder stays frozen) or remove those heads first",
                                  stage: .train)
            }
        }
        BLAS.setThreads(1)
        let threads = max(1, config.threads)
        let trainable = bundle.encoder as? TrainableEncoder
        if config.trainEncoder && trainable == nil {
            throw WenshuError(.train.badConfig, "this bundle's encoder (\(bundle.encoder.summary)) cannot be trained; train with the encoder frozen", stage: .train)
        }
        // A frozen encoder's output can be kept on disk for the run (a Transformer's above all).
        var encoder: any TextEncoder = bundle.encoder
        if let folder = config.featureCache, !folder.isEmpty {
            guard !config.trainEncoder else {
                throw WenshuError(.train.badConfig, "featureCache keeps a frozen encoder's output: train with the encoder frozen", stage: .train, path: folder)
            }
            encoder = try DiskCachedEncoder(base: bundle.encoder, folder: URL(fileURLWithPath: folder))
        }
        // Frozen parts (LAC) give the same output every epoch: keep it per text.
        trainable?.setOutputCache(true)
        defer { trainable?.setOutputCache(false) }
        if fineTuneLAC { lac?.setFineTuning(true) }
        defer { if fineTuneLAC { lac?.setFineTuning(false) } }
        // Build fresh heads and their targets.
        var heads: [TrainableHead] = []
        var kinds: [any HeadKindDefinition] = []
        var targets: [[HeadTarget?]] = []
        var trainTexts: [[AnalyzedText]] = []
        let tablesOnly = config.emissionTablesOnly == true
        if tablesOnly && (encoderLearns || (config.emissionBuckets ?? 0) <= 0) {
            throw WenshuError(.train.badConfig, "emissionTablesOnly trains the sparse emission tables of an existing head on the frozen encoder: it needs emissionBuckets > 0 and trainEncoder false", stage: .train)
        }
        for (ti, t) in tasks.enumerated() {
            let kind = try bundle.headKinds.definition(t.kind, head: t.name)
            var d = try describe(t, kind: kind, config: config, fingerprint: encoder.fingerprint)
            d.scope = t.scope
            // Tables only: the existing head's description, with the sparse path added.
            let old = tablesOnly ? try existingHead(bundle, t, fingerprint: encoder.fingerprint) : nil
            if let old {
                let scope = d.scope
                d = old.description
                d.settings.emissionBuckets = config.emissionBuckets
                d.metrics = [:]; d.training = nil; d.scope = scope ?? old.description.scope
            }
            guard let h = try kind.make(d, encoder: EncoderDimensions(encoder), tensors: nil, path: t.name,
                                        seed: config.seed &+ UInt64(ti) &* 7919) as? TrainableHead else {
                throw WenshuError(.train.badHead, "head kind \(t.kind.rawValue) cannot be trained", stage: .train)
            }
            if let old {
                // Every weight but the new tables comes from the existing head.
                let byName = Dictionary(old.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                for p in h.parameters where !p.name.hasSuffix(SparseEmissions.tableName) {
                    guard let q = byName[p.name], q.shape == p.shape else {
                        throw WenshuError(.train.badHead, "head '\(t.name)': tensor \(p.name) \(p.shape) has no match in the existing head", stage: .train)
                    }
                    p.value = q.value
                }
            }
            var ex = t.train
            if let cut = config.maxTrainLength, cut > 0 { ex = ex.map { truncate($0, to: cut) } }
            heads.append(h)
            kinds.append(kind)
            targets.append(ex.map { h.target(for: $0) })
            trainTexts.append(ex.map { AnalyzedText($0.text) })
        }
        // Classifiers with the SVM solver are fitted once, in closed form, on the frozen encoder
        // and take no part in the gradient epochs.
        var direct = Set<Int>()
        if config.linearSVM == true && !encoderLearns {
            for (ti, t) in tasks.enumerated() {
                guard let c = heads[ti] as? ClassifierHead else { continue }
                let texts = t.train.map { Array($0.text.unicodeScalars) }
                let docs = documents(encoder: encoder, texts: texts, threads: threads)
                c.fitLinear(texts: texts, documents: docs, targets: t.train.map { c.target(for: $0).flatMap { if case .classes(let ys) = $0 { ys } else { nil } } },
                            C: config.svmC ?? 1, balanced: config.balancedClasses ?? false, documentWeight: config.documentWeight ?? 1,
                            threads: threads, seed: config.seed)
                direct.insert(ti)
            }
        }
        let encoderParams = config.trainEncoder ? encoder.parameters : fineTuneLAC ? (lac?.parameters ?? []) : []
        var params = encoderParams + heads.indices.filter { !direct.contains($0) }.flatMap { heads[$0].parameters }
        if tablesOnly { params = params.filter { $0.name.hasSuffix(SparseEmissions.tableName) } }
        for p in params {
            p.resetOptimizer()
            p.learningRateScale = 1
            if let r = config.emissionLearningRate, p.name.hasSuffix(SparseEmissions.tableName) { p.learningRateScale = r / config.learningRate }
        }
        var optimizer = AdamOptimizer(learningRate: config.learningRate)
        optimizer.clipNorm = config.clipNorm
        let grads = (0..<threads).map { _ in Gradients(params) }
        var rng = SeededRandom(seed: config.seed)

        var best = -Double.infinity, bestEpoch = 0, bestMetrics: [String: [String: Double]] = [:]
        var snapshot: [[Float]] = params.map { $0.snapshot() }
        var sinceBest = 0, epochsRun = 0, lastLoss = 0.0
        for epoch in 1...config.epochs {
            epochsRun = epoch
            optimizer.learningRate = config.learningRate * powf(config.lrDecay, Float(epoch - 1))
            // Schedule: shuffled batches per task, interleaved round-robin.
            var perTask: [[[Int]]] = []
            for ti in tasks.indices {
                if direct.contains(ti) { perTask.append([]); continue }
                let idx = rng.shuffled(Array(targets[ti].indices.filter { targets[ti][$0] != nil }))
                perTask.append(stride(from: 0, to: idx.count, by: config.batchSize).map { Array(idx[$0..<min(idx.count, $0 + config.batchSize)]) })
            }
            var schedule: [(Int, [Int])] = []
            let rounds = perTask.map(\.count).max() ?? 0
            for r in 0..<rounds { for ti in tasks.indices where r < perTask[ti].count { schedule.append((ti, perTask[ti][r])) } }
            var lossSum = 0.0, seen = 0
            for (step, (ti, batch)) in schedule.enumerated() {
                let head = heads[ti]
                var shardLoss = [Double](repeating: 0, count: threads)
                let shardSize = (batch.count + threads - 1) / threads
                shardLoss.withUnsafeMutableBufferPointer { lossBuf in
                let losses = lossBuf.baseAddress!
                DispatchQueue.concurrentPerform(iterations: threads) { s in
                    let g = grads[s]
                    g.zero()
                    let lo = s * shardSize, hi = min(batch.count, lo + shardSize)
                    if lo >= hi { return }
                    var l = 0.0
                    for i in batch[lo..<hi] {
                        guard let target = targets[ti][i] else { continue }
                        var enc = encoder.trainingEncode(trainTexts[ti][i], training: encoderLearns || config.dropout > 0,
                                                         dropout: config.dropout,
                                                         seed: config.seed &+ UInt64(epoch) &* 1_000_003 &+ UInt64(ti) &* 7_919 &+ UInt64(i) &* 104_729)
                        enc.text = trainTexts[ti][i].scalars
                        let r = head.lossAndGradients(enc, target: target, into: g)
                        if encoderLearns { trainable?.backward(enc, dVectors: r.dVectors, dDocument: r.dDocument, into: g) }
                        l += r.loss
                    }
                    losses[s] = l
                }
                }
                for s in 1..<threads { grads[0].add(grads[s]) }
                optimizer.apply(grads[0], scale: 1 / Float(batch.count))
                lossSum += shardLoss.reduce(0, +); seen += batch.count
                progress(TrainingProgress(task: tasks[ti].name, epoch: epoch, epochs: config.epochs, step: step + 1,
                                          totalSteps: schedule.count, loss: lossSum / Double(max(1, seen)), devScore: nil, epochDone: false))
            }
            if encoderLearns { trainable?.invalidateFingerprint() }
            lastLoss = lossSum / Double(max(1, seen))
            // Dev evaluation.
            var metrics: [String: [String: Double]] = [:]
            var scores: [Double] = []
            for (ti, t) in tasks.enumerated() where !t.dev.isEmpty {
                let pred = predict(encoder: encoder, head: heads[ti], texts: t.dev.map(\.text), threads: threads)
                let m = kinds[ti].devScore(head: t.name, gold: t.dev, predicted: pred)
                metrics[t.name] = m
                scores.append(m["score"] ?? 0)
            }
            let score = scores.isEmpty ? -lastLoss : scores.reduce(0, +) / Double(scores.count)
            progress(TrainingProgress(task: tasks.count == 1 ? tasks[0].name : "all", epoch: epoch, epochs: config.epochs,
                                      step: schedule.count, totalSteps: schedule.count, loss: lastLoss,
                                      devScore: scores.isEmpty ? nil : score, epochDone: true))
            if score >= best {
                best = score; bestEpoch = epoch; bestMetrics = metrics; sinceBest = 0
                snapshot = params.map { $0.snapshot() }
            } else {
                sinceBest += 1
                if config.patience > 0 && sinceBest >= config.patience { break }
            }
            if let s = config.stopLoss, lastLoss < s { break }
            if schedule.isEmpty { break }   // every head was fitted directly: one dev evaluation
        }
        for (p, v) in zip(params, snapshot) { p.value = v; p.resetOptimizer() }
        if encoderLearns { trainable?.invalidateFingerprint() }
        if config.tuneThreshold {
            for (ti, t) in tasks.enumerated() where !t.dev.isEmpty {
                if let m = tuneThreshold(head: heads[ti], kind: kinds[ti], dev: t.dev, encoder: encoder, threads: threads) {
                    bestMetrics[t.name] = m
                }
                if let c = heads[ti] as? ClassifierHead, let s = calibrate(c, dev: t.dev, encoder: encoder) {
                    bestMetrics[t.name, default: [:]]["logit_scale"] = s
                }
            }
        }
        let fp = encoder.fingerprint
        for (ti, h) in heads.enumerated() {
            h.description.encoderFingerprint = fp
            h.description.metrics = bestMetrics[tasks[ti].name] ?? [:]
            h.description.training = TrainingDataDescription(trainExamples: tasks[ti].train.count, devExamples: tasks[ti].dev.count,
                                                             source: tasks[ti].source.map(ModelCard.portablePath), config: config)
            bundle.install(h)
        }
        if encoderLearns {
            // Heads outside this run were refused above; every head now matches the new encoder.
            for h in bundle.modules where !names.contains(h.description.name) { h.description.encoderFingerprint = fp }
        }
        var seen: [String: Int] = [:]
        if encoderLearns {
            bundle.encoderTexts = EncoderTrainingTexts(hashes: Set(tasks.flatMap { $0.train.map { EncoderTrainingTexts.hash($0.text) } }))
        } else if !bundle.encoderTexts.hashes.isEmpty {
            for t in tasks { let n = bundle.encoderTexts.seen(t.dev.map(\.text)); if n > 0 { seen[t.name] = n } }
        }
        bundle.invalidateVersion()
        return TrainingReport(epochs: epochsRun, bestEpoch: bestEpoch, bestDevScore: best.isFinite ? best : 0, metrics: bestMetrics,
                              finalLoss: lastLoss, seconds: Date().timeIntervalSince(started), cpuSeconds: cpuSeconds() - cpu0,
                              encoderFingerprint: fp, devSeenByEncoder: seen)
    }

    /// The LAC encoder of a bundle: the encoder itself or a part of a stacked encoder.
    static func lacEncoder(in encoder: any TextEncoder) -> LACEncoder? {
        if let l = encoder as? LACEncoder { return l }
        return (encoder as? StackedEncoder)?.parts.lazy.compactMap { $0 as? LACEncoder }.first
    }

    /// The bundle's head of a task's name and kind, trained on this encoder (emissionTablesOnly).
    static func existingHead(_ bundle: ModelBundle, _ t: TaskData, fingerprint: String) throws -> TaskHead {
        guard let h = bundle.head(named: t.name), h.description.kind == t.kind else {
            throw WenshuError(.train.badConfig, "emissionTablesOnly starts from the bundle's head '\(t.name)' of kind \(t.kind.rawValue), which the bundle does not have", stage: .train)
        }
        guard h.description.encoderFingerprint == fingerprint else {
            throw WenshuError(.train.badConfig, "head '\(t.name)' was trained on another encoder (\(h.description.encoderFingerprint)); emissionTablesOnly needs a head of this encoder", stage: .train)
        }
        guard (h.description.settings.emissionBuckets ?? 0) == 0 else {
            throw WenshuError(.train.badConfig, "head '\(t.name)' already has sparse emission tables", stage: .train)
        }
        return h
    }

    /// The head description (labels, settings) learned from a task's training data.
    static func describe(_ t: TaskData, kind: any HeadKindDefinition, config: TrainingConfig, fingerprint: String) throws -> HeadDescription {
        let (labels, settings) = kind.describe(t, config: config)
        guard !labels.isEmpty else {
            throw WenshuError(.train.noLabels, "task '\(t.name)' (\(t.kind.rawValue)): the training examples carry no labels for this kind of head", stage: .train)
        }
        return HeadDescription(name: t.name, kind: t.kind, labels: labels, encoderFingerprint: fingerprint, settings: settings)
    }

    /// An example cut to its first `n` characters (spans and events past the cut dropped).
    static func truncate(_ ex: LabelledExample, to n: Int) -> LabelledExample {
        let sc = Array(ex.text.unicodeScalars)
        if sc.count <= n { return ex }
        var e = ex
        e.text = ScalarText(scalars: Array(sc[0..<n])).string
        e.spans = ex.spans.filter { $0.end <= n }
        e.events = ex.events.compactMap { ev in
            if let t = ev.trigger, t.end > n { return nil }
            var v = ev
            v.arguments = ev.arguments.filter { $0.end <= n }
            return v.arguments.isEmpty && ev.trigger == nil ? nil : v
        }
        return e
    }

    /// Fits a single-label classifier's `logitScale` on the dev split: the scale, on a log grid
    /// from 1 to 4096, that maximises the dev log-likelihood of the gold labels. Nil (nothing
    /// set) for multi-label heads and dev sets without a known label.
    static func calibrate(_ head: ClassifierHead, dev: [LabelledExample], encoder: any TextEncoder) -> Double? {
        guard !head.multi else { return nil }
        var rows: [([Float], Int)] = []
        let saved = head.description.settings.logitScale
        head.description.settings.logitScale = nil
        for ex in dev {
            guard let g = ex.labels.first.flatMap({ head.description.labels.firstIndex(of: $0) }) else { continue }
            let text = Array(ex.text.unicodeScalars)
            // log p at scale 1 are the logits up to a constant per row: keep them as logits.
            let p = head.probabilities(encoder.encode(AnalyzedText(scalars: text)), text: text)
            rows.append((p.map { logf(max($0, 1e-30)) }, g))
        }
        head.description.settings.logitScale = saved
        guard !rows.isEmpty else { return nil }
        func nll(_ s: Float) -> Double {
            var total = 0.0
            for (z, g) in rows {
                let m = z.max()! * s
                var sum: Double = 0
                for v in z { sum += Double(expf(v * s - m)) }
                total += Double(m) + log(sum) - Double(z[g] * s)
            }
            return total / Double(rows.count)
        }
        var best = (scale: 1.0, loss: nll(1))
        var s = 1.0
        while s <= 4096 {
            let l = nll(Float(s))
            if l < best.loss { best = (s, l) }
            s *= pow(2, 0.25)
        }
        head.description.settings.logitScale = best.scale
        return best.scale
    }

    /// Sets the head's threshold to the candidate with the best dev score; returns its metrics
    /// (nil when the head has no threshold to tune).
    static func tuneThreshold(head: TaskHead, kind: any HeadKindDefinition, dev: [LabelledExample], encoder: any TextEncoder, threads: Int) -> [String: Double]? {
        guard kind.tunesThreshold(head.description) else { return nil }
        let texts = dev.map { ScalarText($0.text) }
        var encoded = [EncodedText?](repeating: nil, count: texts.count)
        let n = max(1, threads), chunk = (texts.count + n - 1) / n
        encoded.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: n) { s in
                let lo = s * chunk, hi = min(texts.count, lo + chunk)
                if lo < hi { for i in lo..<hi { (base + i).pointee = encoder.encode(AnalyzedText(scalars: texts[i].scalars)) } }
            }
        }
        var best: (Double, Double, [String: Double])? = nil
        for tau in [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7] {
            var pred: [ModelAnnotations] = []
            for (i, e) in encoded.enumerated() {
                var a = ModelAnnotations()
                head.annotate(e!, text: texts[i], threshold: tau, into: &a)
                pred.append(a)
            }
            let m = kind.devScore(head: head.description.name, gold: dev, predicted: pred)
            let sc = m["score"] ?? 0
            if best == nil || sc > best!.0 + 1e-12 || (abs(sc - best!.0) <= 1e-12 && abs(tau - 0.5) < abs(best!.1 - 0.5)) { best = (sc, tau, m) }
        }
        guard let b = best else { return nil }
        head.description.settings.threshold = b.1
        var m = b.2
        m["threshold"] = b.1
        if kind.output == .multiLabel, let per = tunePerLabel(head: head, dev: dev, encoded: encoded.map { $0! }, texts: texts, global: b.1),
           per.1["score"] ?? 0 > b.0 + 1e-12 {
            head.description.settings.labelThresholds = per.0
            m = per.1
            m["threshold"] = b.1
            m["per_label_thresholds"] = Double(per.0.count)
        }
        return m
    }

    /// Per-label thresholds of a multi-label head: each label that occurs in dev takes the
    /// candidate that maximises its own F1 there (ties: nearest the global one), the others the
    /// global one; returns them with the dev metrics they give (the caller keeps them only
    /// when the dev score beats the global threshold's).
    static func tunePerLabel(head: TaskHead, dev: [LabelledExample], encoded: [EncodedText], texts: [ScalarText],
                             global: Double) -> ([String: Double], [String: Double])? {
        let labels = head.description.labels
        // Scores of every label per dev example, read through annotate with a zero threshold.
        var probs: [[String: Double]] = []
        for (i, e) in encoded.enumerated() {
            var a = ModelAnnotations()
            head.annotate(e, text: texts[i], threshold: 0, into: &a)
            probs.append(Dictionary((a.classifications.first?.labels ?? []).map { ($0.label, $0.score) }, uniquingKeysWith: max))
        }
        let candidates = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8]
        var per: [String: Double] = [:]
        for l in labels {
            let gold = dev.map { $0.labels.contains(l) }
            guard gold.contains(true) else { continue }
            var best: (Double, Double)? = nil
            for t in candidates {
                var tp = 0, fp = 0, fn = 0
                for (i, g) in gold.enumerated() {
                    let p = (probs[i][l] ?? 0) >= t
                    if p && g { tp += 1 } else if p { fp += 1 } else if g { fn += 1 }
                }
                let f1 = 2 * Double(tp) / Double(max(1, 2 * tp + fp + fn))
                if best == nil || f1 > best!.0 + 1e-12 || (abs(f1 - best!.0) <= 1e-12 && abs(t - global) < abs(best!.1 - global)) { best = (f1, t) }
            }
            if let b = best, b.1 != global { per[l] = b.1 }
        }
        if per.isEmpty { return nil }
        let saved = head.description.settings.labelThresholds
        head.description.settings.labelThresholds = per
        var pred: [ModelAnnotations] = []
        for (i, e) in encoded.enumerated() {
            var a = ModelAnnotations()
            head.annotate(e, text: texts[i], threshold: nil, into: &a)
            pred.append(a)
        }
        head.description.settings.labelThresholds = saved
        return (per, ClassifierKind(multiLabel: true).devScore(head: head.description.name, gold: dev, predicted: pred))
    }

    /// The encoder's document vectors of texts, in parallel.
    static func documents(encoder: any TextEncoder, texts: [[Unicode.Scalar]], threads: Int) -> [[Float]] {
        var out = [[Float]](repeating: [], count: texts.count)
        let n = max(1, threads), chunk = (texts.count + n - 1) / n
        out.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: n) { s in
                let lo = s * chunk, hi = min(texts.count, lo + chunk)
                if lo < hi { for i in lo..<hi { (base + i).pointee = encoder.encode(AnalyzedText(scalars: texts[i])).document } }
            }
        }
        return out
    }

    /// Annotations of one head over texts, in parallel (used for dev scoring).
    static func predict(encoder: any TextEncoder, head: TaskHead, texts: [String], threads: Int) -> [ModelAnnotations] {
        var out = [ModelAnnotations](repeating: ModelAnnotations(), count: texts.count)
        let n = max(1, threads)
        let chunk = (texts.count + n - 1) / n
        out.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: n) { s in
                let lo = s * chunk, hi = min(texts.count, lo + chunk)
                if lo >= hi { return }
                for i in lo..<hi {
                    let st = ScalarText(texts[i])
                    let enc = encoder.encode(AnalyzedText(scalars: st.scalars))
                    var a = ModelAnnotations()
                    head.annotate(enc, text: st, threshold: nil, into: &a)
                    (base + i).pointee = a
                }
            }
        }
        return out
    }

    /// A deterministic train/dev split by example identity: an example goes to dev when a
    /// 64-bit FNV-1a hash of its id (or text when the id is empty) and the seed falls in the
    /// first `devFraction` of the hash range. Stable under reordering and appending.
    public static func split(_ examples: [LabelledExample], devFraction: Double = 0.1, seed: UInt64 = 0) -> (train: [LabelledExample], dev: [LabelledExample]) {
        var train: [LabelledExample] = [], dev: [LabelledExample] = []
        let cut = UInt64(max(0, min(1, devFraction)) * 1_000_000)
        for e in examples {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
            for b in (e.id.isEmpty ? e.text : e.id).utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h ^= h >> 29; h = h &* 0xBF58_476D_1CE4_E5B9; h ^= h >> 32
            if h % 1_000_000 < cut { dev.append(e) } else { train.append(e) }
        }
        return (train, dev)
    }

    /// Process CPU time (user + system, all threads) in seconds.
    public static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }
}
