#!/usr/bin/env python3
"""Classical peer for CAIL2022 drug relation extraction: CRFsuite entities + pairwise logistic
regression, on Wenshu's dev split and scored as Wenshu scores relations.

    python3 Benchmarks/peers/crfsuite_pairs.py [--data ../shared/data] [--C 1[,0.3]]

1. Entities: CRFsuite exactly as run_peers.py trains it (same features, BIO tags, lbfgs, c1=c2=0.1,
   100 iterations), on the train split; it tags the dev passages.
2. Relations: sklearn LogisticRegression (lbfgs, multinomial, C=1, no class weights) over
   ordered pairs of entities of one passage whose label pair occurs in a training relation
   (Nh->Nh, Nh->NDR); classes: the relation types and NA, the types limited to those seen with
   the pair's labels. Features: the label pair with the order, the character distance (bucketed),
   same sentence (cut after 。！？；), characters and bigrams between the two (first and last 15
   when longer than 30), two characters left of the earlier and right of the later entity, each
   entity's last character, the other entities between them (count per label), and whether each
   entity's text occurs earlier in the passage. Trained on gold entities of the train split.

Metric (as Wenshu's RelationScorer over CAIL2022DrugsReader): a relation is (type, span of the
entity at e1start, span of the entity at e21start), NA relation mentions dropped, deduplicated
per passage; a prediction counts when type and both spans match exactly; micro-F1 sums tp/fp/fn
over all dev passages and types. Printed: relation P/R/F1 on CRFsuite's entities (the peer's
figure) and on gold entities (oracle), per type, CRFsuite's entity span F1, and timings.
Single-threaded (OPENBLAS_NUM_THREADS=1).
"""
import os
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1"); os.environ.setdefault("OMP_NUM_THREADS", "1")
import argparse, sys, time
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
ap = argparse.ArgumentParser()
ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
ap.add_argument("--C", default="1", help="comma-separated; the first is the peer's setting")
args = ap.parse_args()

sys.path.insert(0, HERE)
import run_peers as P  # noqa: E402 (the peers' readers, split and CRFsuite features)

# ---------------------------------------------------------------- data and gold relations
path = os.path.join(args.data, "cail2022-drugs", "train.jsonl")
rows = P.drugs(path)                      # (id, text, {(label, start, end)})
gold_rel = {}                             # id -> {(type, (s, e), (s, e))}
for _, r in P.read_jsonl(path):
    ents = r["entityMentions"]
    def entity(start, text):              # CAIL2022DrugsReader: the one at `start` reading `text`, else the first
        cands = [m for m in ents if m["start"] == start]
        m = next((m for m in cands if text is not None and r["sentText"][m["start"]:m["end"]] == text), cands[0])
        return (m["start"], m["end"])
    gold_rel[f'{r["articleId"]}-{r["sentId"]}'] = {
        (m["label"], entity(m["e1start"], m.get("em1Text")), entity(m["e21start"], m.get("em2Text")))
        for m in r.get("relationMentions") or [] if m["label"] != "NA"}
train, dev = P.split(rows)

# ---------------------------------------------------------------- pair features
def bucket(d):
    for b in (0, 2, 5, 10, 20, 40, 80):
        if d <= b:
            return str(b)
    return "more"

def sentence_ids(text):
    out, k = [], 0
    for c in text:
        out.append(k)
        k += c in "。！？；"
    return out

def pairs(text, spans, allowed):
    """Ordered entity pairs with an allowed label pair, and their feature dicts."""
    ents = sorted(spans, key=lambda s: (s[1], s[2]))
    sent = sentence_ids(text)
    seen_before = [any(text[o[1]:o[2]] == text[a[1]:a[2]] for o in ents[:i]) for i, a in enumerate(ents)]
    out = []
    for i, a in enumerate(ents):
        for j, b in enumerate(ents):
            if i == j or (a[0], b[0]) not in allowed:
                continue
            lo, hi = (a, b) if i < j else (b, a)
            gap = text[lo[2]:hi[1]]
            if len(gap) > 30:
                gap = gap[:15] + gap[-15:]
            kind = f"{a[0]}>{b[0]}:{'fwd' if i < j else 'bwd'}"
            f = {"pair=" + kind: 1, "dist=" + bucket(hi[1] - lo[2]): 1, "kind_dist=" + kind + bucket(hi[1] - lo[2]): 1,
                 "same_sent=" + str(sent[a[1]] == sent[b[1]]): 1,
                 "a_last=" + text[a[2] - 1]: 1, "b_last=" + text[b[2] - 1]: 1,
                 "a_seen=" + str(seen_before[i]): 1, "b_seen=" + str(seen_before[j]): 1}
            for c in gap:
                f["m=" + c] = f.get("m=" + c, 0) + 1
            for x, y in zip(gap, gap[1:]):
                f["mb=" + x + y] = f.get("mb=" + x + y, 0) + 1
            for d in (1, 2):
                f[f"L{d}=" + (text[lo[1] - d] if lo[1] - d >= 0 else "<s>")] = 1
                f[f"R{d}=" + (text[hi[2] + d - 1] if hi[2] + d - 1 < len(text) else "</s>")] = 1
            between = Counter(e[0] for e in ents if lo[2] <= e[1] and e[2] <= hi[1])
            for lab in ("Nh", "NDR", "NT", "NW", "Ns"):
                f[f"n_{lab}=" + str(min(between[lab], 3))] = 1
            out.append(((a[1], a[2]), (b[1], b[2]), f))
    return out

# ---------------------------------------------------------------- scoring (RelationScorer)
def score(gold, pred):
    per = defaultdict(lambda: [0, 0, 0])
    for g, p in zip(gold, pred):
        for t in {x[0] for x in g | p}:
            gt, pt = {x for x in g if x[0] == t}, {x for x in p if x[0] == t}
            s = per[t]; s[0] += len(gt & pt); s[1] += len(pt - gt); s[2] += len(gt - pt)
    micro = [sum(s[k] for s in per.values()) for k in range(3)]
    return micro, dict(sorted(per.items()))

def line(name, s):
    p, r, f = P.prf(*s)
    return f"  {name:<20} P {p:.4f}  R {r:.4f}  F1 {f:.4f}  (tp {s[0]}, fp {s[1]}, fn {s[2]})"

# ---------------------------------------------------------------- 1. CRFsuite entities
import sklearn_crfsuite
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

print(f"{len(train)} train, {len(dev)} dev passages; {sum(len(gold_rel[i]) for i, _, _ in dev)} dev relations", flush=True)
t0 = time.perf_counter()
crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=100, all_possible_transitions=True)
crf.fit([P.features(t) for _, t, _ in train], [P.bio(t, s) for _, t, s in train])
crf_train_s = time.perf_counter() - t0
t0 = time.perf_counter()
pred_ents = [P.decode(p) for p in crf.predict([P.features(t) for _, t, _ in dev])]
crf_infer_s = time.perf_counter() - t0
print(f"CRFsuite entity span micro-F1 {P.span_f1([s for _, _, s in dev], pred_ents):.4f} "
      f"(train {crf_train_s:.1f} s, inference {crf_infer_s:.2f} s)")
gold_dev = [gold_rel[i] for i, _, _ in dev]
labels_of = {i: {(s, e): l for l, s, e in spans} for i, _, spans in rows}   # id -> {span: label}
reach = sum((labels_of[i][a], *a) in p and (labels_of[i][b], *b) in p
            for (i, _, _), p in zip(dev, pred_ents) for _, a, b in gold_rel[i])
print(f"dev relations with both entity spans predicted by CRFsuite: {reach} of {sum(map(len, gold_dev))}")

# ---------------------------------------------------------------- 2. pairwise classifier
types_for = defaultdict(set)              # (label a, label b) -> relation types seen
for i, _, _ in train:
    for t, a, b in gold_rel[i]:
        types_for[(labels_of[i][a], labels_of[i][b])].add(t)
allowed = set(types_for)
print("label pairs:", {k: sorted(v) for k, v in sorted(types_for.items())})

t0 = time.perf_counter()
X, y = [], []
for i, t, spans in train:
    rel = {(a, b): ty for ty, a, b in gold_rel[i]}
    for a, b, f in pairs(t, spans, allowed):
        X.append(f); y.append(rel.get((a, b), "NA"))
vec = DictVectorizer()
Xm = vec.fit_transform(X)
feat_s = time.perf_counter() - t0
print(f"{len(y)} training pairs ({sum(v != 'NA' for v in y)} related), {Xm.shape[1]} features")

def predict(clf, docs):
    classes = list(clf.classes_)
    out = []
    for t, spans in docs:
        ps = pairs(t, spans, allowed)
        rels = set()
        if ps:
            lab = {(s, e): l for l, s, e in spans}
            for (a, b, _), prob in zip(ps, clf.predict_proba(vec.transform([f for _, _, f in ps]))):
                ok = types_for[(lab[a], lab[b])] | {"NA"}
                best = max((c for c in classes if c in ok), key=lambda c: prob[classes.index(c)])
                if best != "NA":
                    rels.add((best, a, b))
        out.append(rels)
    return out

for n, C in enumerate(float(c) for c in args.C.split(",")):
    t0 = time.perf_counter()
    clf = LogisticRegression(C=C, solver="lbfgs", max_iter=2000).fit(Xm, y)
    lr_train_s = time.perf_counter() - t0 + feat_s
    t0 = time.perf_counter()
    pred = predict(clf, [(t, p) for (_, t, _), p in zip(dev, pred_ents)])
    lr_infer_s = time.perf_counter() - t0
    oracle = predict(clf, [(t, s) for _, t, s in dev])
    print(f"\nLogisticRegression C={C:g}{' (the peer)' if n == 0 else ''}: train {lr_train_s:.1f} s "
          f"(+ CRFsuite {crf_train_s:.1f} s = {lr_train_s + crf_train_s:.1f} s), inference {lr_infer_s:.2f} s "
          f"(+ CRFsuite {crf_infer_s:.2f} s = {lr_infer_s + crf_infer_s:.2f} s)")
    for name, pr in (("CRFsuite entities", pred), ("gold entities", oracle)):
        micro, per = score(gold_dev, pr)
        print(f" relations on {name}:"); print(line("micro", micro))
        for t, s in per.items():
            print(line(t, s))
