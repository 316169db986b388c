#!/usr/bin/env python3
"""Peer benchmark for Wenshu: trains and scores the usual baselines on the same
deterministic dev splits Wenshu uses, then runs `wenshu eval` on the same data and prints
the numbers side by side (F1, training time, inference speed).

Peers
- CRFsuite (sklearn-crfsuite, L-BFGS, c1=0.1, c2=0.1, 100 iterations) with the usual
  character-window features (characters and bigrams at -2..+2, character classes) on BIO tags,
  for span tasks: CAIL2021 theft roles, CAIL2022 drug entities, LEVEN triggers.
- TF-IDF + LinearSVC, the CAIL2018 official baseline (there with jieba words; here character
  1-3 grams, as no segmenter is installed), one-vs-rest for multi-label charges.
- fastText (supervised, characters as tokens, wordNgrams=2, 50 epochs, lr 1.0; one-vs-all
  loss for multi-label). The library's defaults (5 epochs, lr 0.1) and 25 epochs at lr 0.5
  underfit the 320-class CJRC causes (dev accuracy 0.04); these settings reach 0.25.

Split: an example is dev when fnv1a64(UTF-8 of its id) % 10 == 0, exactly as
WenshuEval.DevSplit; ids as Wenshu's readers make them (CAIL2018: "cail2018-<line>",
CAIL2022: "<articleId>-<sentId>").

Usage (from the repository root):
  python3 Benchmarks/peers/run_peers.py [--data ../shared/data] [--wenshu .build/release/wenshu]
      [--bundle models/default] [--tasks theft,drugs,leven,charge,case_type,cause] [--no-setup]
Wenshu's training times are read from models/reports/<head>.train.json, written by
scripts/train-default.sh (`wenshu train --report`).
"""
import argparse, json, os, subprocess, sys, tempfile, time

def setup():
    """Installs the peers from PyPI when missing. fastText's wheel needs numpy < 2."""
    try:
        import sklearn_crfsuite, sklearn, fasttext, numpy  # noqa: F401
        ok = int(numpy.__version__.split(".")[0]) < 2
    except ImportError:
        ok = False
    if not ok:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q",
                               "sklearn-crfsuite", "scikit-learn", "fasttext-wheel", "numpy<2"])

# ---------------------------------------------------------------- split
def fnv1a64(b: bytes) -> int:
    h = 0xcbf29ce484222325
    for x in b:
        h ^= x
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h

def is_dev(i: str) -> bool:
    return fnv1a64(i.encode("utf-8")) % 10 == 0

# ---------------------------------------------------------------- readers (same rules as WenshuEval)
def read_jsonl(p):
    with open(p, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                yield n, json.loads(line)

def theft(path):
    out = []
    for _, r in read_jsonl(path):
        spans = set()
        for e in r["entities"]:
            for s in e["span"]:
                a, b = s.split(";")
                spans.add((e["label"], int(a), int(b)))
        out.append((r["id"], r["context"], spans))
    return out

def drugs(path):
    return [(f'{r["articleId"]}-{r["sentId"]}', r["sentText"],
             {(m["label"], m["start"], m["end"]) for m in r["entityMentions"]}) for _, r in read_jsonl(path)]

def leven(path):
    out = []
    for _, r in read_jsonl(path):
        types = r.get("trigger_types") or r["event_types"]
        out.append((str(r["id"]), r["sentence"], {(t, o[0], o[1]) for t, o in zip(types, r["trigger_char_offsets"])}))
    return out

def clean(c):
    return c.replace("[", "").replace("]", "").strip()

def charges(path):
    out = []
    for n, r in read_jsonl(path):
        labels = []
        for a in r["meta"]["accusation"]:
            a = clean(a)
            if a and a not in labels:
                labels.append(a)
        out.append((f"cail2018-{n}", r["fact"], labels))
    return out

def cjrc(path, field):
    return [(str(r["id"]), r["text"], [r[field].strip()]) for _, r in read_jsonl(path)]

def cjrc_criminal_charges(path):
    """CJRC's criminal passages as charge examples (trailing 罪 dropped: CAIL2018's names), the
    extra training data of the default charge head (scripts/data/charge-training-set.py)."""
    out = []
    for _, r in read_jsonl(path):
        if r.get("case_type") == "刑事" and r.get("cause_or_charge"):
            c = clean(r["cause_or_charge"])
            out.append((str(r["id"]), r["text"], [c[:-1] if c.endswith("罪") else c]))
    return out

def split(rows):
    return [r for r in rows if not is_dev(r[0])], [r for r in rows if is_dev(r[0])]

# ---------------------------------------------------------------- scoring (same rules as WenshuEval)
def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0
    return p, r, f

def span_f1(gold, pred):
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        tp += len(g & p); fp += len(p - g); fn += len(g - p)
    return prf(tp, fp, fn)[2]

def label_scores(gold, pred):
    per = {}
    exact = 0
    for g, p in zip(gold, pred):
        g, p = set(g), set(p)
        exact += g == p
        for l in g | p:
            s = per.setdefault(l, [0, 0, 0])
            if l in g and l in p: s[0] += 1
            elif l in p: s[1] += 1
            else: s[2] += 1
    tp = sum(s[0] for s in per.values()); fp = sum(s[1] for s in per.values()); fn = sum(s[2] for s in per.values())
    micro = prf(tp, fp, fn)[2]
    macro = sum(prf(*s)[2] for s in per.values()) / max(len(per), 1)
    return {"accuracy": exact / max(len(gold), 1), "micro": micro, "macro": macro, "cail": (micro + macro) / 2}

# ---------------------------------------------------------------- CRF
def char_class(c):
    if c.isdigit() or c in "０１２３４５６７８９零一二三四五六七八九十百千万亿": return "D"
    if c.isascii() and c.isalpha(): return "A"
    if c in "，。；：、！？（）()《》“”\"',.;:": return "P"
    return "H"

def features(text):
    n = len(text)
    feats = []
    for i in range(n):
        f = {"bias": 1.0, "c0": text[i], "t0": char_class(text[i])}
        for d in (-2, -1, 1, 2):
            j = i + d
            f[f"c{d}"] = text[j] if 0 <= j < n else "<s>" if j < 0 else "</s>"
            f[f"t{d}"] = char_class(text[j]) if 0 <= j < n else "B"
        for d in (-2, -1, 0, 1):
            a, b = i + d, i + d + 1
            f[f"b{d}"] = (text[a] if 0 <= a < n else "_") + (text[b] if 0 <= b < n else "_")
        feats.append(f)
    return feats

def bio(text, spans):
    tags = ["O"] * len(text)
    for l, s, e in sorted(spans, key=lambda x: (x[1], -(x[2] - x[1]))):
        if any(t != "O" for t in tags[s:e]):
            continue
        tags[s] = "B-" + l
        for i in range(s + 1, e):
            tags[i] = "I-" + l
    return tags

def decode(tags):
    out, cur = set(), None
    for i, t in enumerate(tags + ["O"]):
        if cur and not (t.startswith("I-") and t[2:] == cur[0]):
            out.add((cur[0], cur[1], i)); cur = None
        if t.startswith("B-") or (t.startswith("I-") and cur is None):
            cur = (t[2:], i)
    return out

def run_crf(train, dev):
    import sklearn_crfsuite
    t0 = time.perf_counter()
    X = [features(t) for _, t, _ in train]
    y = [bio(t, s) for _, t, s in train]
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=100, all_possible_transitions=True)
    crf.fit(X, y)
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = [decode(p) for p in crf.predict([features(t) for _, t, _ in dev])]
    infer_s = time.perf_counter() - t0
    return {"f1": span_f1([s for _, _, s in dev], pred), "train_s": train_s, "infer_s": infer_s}

# ---------------------------------------------------------------- TF-IDF + LinearSVC, fastText
def run_svm(train, dev, multi):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    t0 = time.perf_counter()
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, max_features=200000)
    X = vec.fit_transform([t for _, t, _ in train])
    if multi:
        mlb = MultiLabelBinarizer()
        Y = mlb.fit_transform([l for _, _, l in train])
        clf = OneVsRestClassifier(LinearSVC(C=1.0)).fit(X, Y)
    else:
        clf = LinearSVC(C=1.0).fit(X, [l[0] for _, _, l in train])
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    Xd = vec.transform([t for _, t, _ in dev])
    if multi:
        scores = clf.decision_function(Xd)
        pred = []
        for row in scores:
            idx = [i for i, v in enumerate(row) if v > 0] or [int(row.argmax())]
            pred.append([mlb.classes_[i] for i in idx])
    else:
        pred = [[p] for p in clf.predict(Xd)]
    infer_s = time.perf_counter() - t0
    return scored(dev, pred, multi, train_s, infer_s)

def run_fasttext(train, dev, multi):
    import fasttext
    def line(t):
        return " ".join(ch for ch in t if not ch.isspace())
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for _, t, ls in train:
            f.write(" ".join("__label__" + l.replace(" ", "_") for l in ls) + " " + line(t) + "\n")
        path = f.name
    t0 = time.perf_counter()
    model = fasttext.train_supervised(path, epoch=50, lr=1.0, wordNgrams=2, dim=50, bucket=200000,
                                      loss="ova" if multi else "softmax", thread=2, verbose=0, seed=1)
    train_s = time.perf_counter() - t0
    os.unlink(path)
    t0 = time.perf_counter()
    pred = []
    for _, t, _ in dev:
        if multi:
            labels, _ = model.predict(line(t), k=-1, threshold=0.5)
            if not labels:
                labels, _ = model.predict(line(t), k=1)
        else:
            labels, _ = model.predict(line(t), k=1)
        pred.append([l[len("__label__"):] for l in labels])
    infer_s = time.perf_counter() - t0
    return scored(dev, pred, multi, train_s, infer_s)

def scored(dev, pred, multi, train_s, infer_s):
    s = label_scores([l for _, _, l in dev], pred)
    return {"f1": s["cail"] if multi else s["micro"], "train_s": train_s, "infer_s": infer_s, "detail": s}

# ---------------------------------------------------------------- Wenshu
def run_wenshu(args, head, fmt, path, extra):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    cmd = [args.wenshu, "eval", "--bundle", args.bundle, "--head", head, "--format", fmt, path,
           "--split", "dev", "--json", out] + extra
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        print(f"cannot run {args.wenshu}: {e}", file=sys.stderr)
        return None
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        print(f"wenshu eval failed for {head}: {p.stderr.strip()}", file=sys.stderr)
        return None
    rep = json.load(open(out)); os.unlink(out)
    train_s = None
    rp = os.path.join(os.path.dirname(args.bundle.rstrip("/")), "reports", f"{head}.train.json")
    joint = 1
    if os.path.exists(rp):
        t = json.load(open(rp))
        train_s = t.get("seconds")
        joint = len(t.get("report", {}).get("metrics", {})) or 1
    if rep.get("classification"):
        c = rep["classification"]
        f1 = c["cailScore"] if rep["kind"] == "multi_label" else c["microF1"]
    else:
        f1 = rep["spans"]["micro"]["f1"]
    ev = rep.get("events")
    return {"f1": f1, "train_s": train_s, "joint": joint, "infer_s": rep["inferenceSeconds"], "wall_s": wall,
            "event_f1": ev["events"]["micro"]["f1"] if ev else None,
            "arg_f1": ev["arguments"]["micro"]["f1"] if ev else None, "cmd": " ".join(cmd)}

def find_data():
    d = os.path.abspath("..")
    while True:
        c = os.path.join(d, "shared", "data")
        if os.path.isdir(c):
            return c
        if d == "/":
            sys.exit("cannot find ../shared/data; pass --data")
        d = os.path.dirname(d)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None, help="default: ../shared/data, else the nearest shared/data above")
    ap.add_argument("--wenshu", default=".build/release/wenshu")
    ap.add_argument("--bundle", default="models/default")
    ap.add_argument("--tasks", default="theft,drugs,leven,charge,case_type,cause")
    ap.add_argument("--no-setup", action="store_true")
    ap.add_argument("--peer-cache", default=None,
                    help="JSON file keeping the peers' results: reused when present (rerun Wenshu only), written otherwise")
    args = ap.parse_args()
    if not args.no_setup:
        setup()
    D = args.data or find_data()
    tasks = {
        "theft": ("span", "cail2021-theft", f"{D}/cail2021-theft/train.jsonl", lambda p: theft(p), []),
        "drugs": ("span", "cail2022-drugs", f"{D}/cail2022-drugs/train.jsonl", lambda p: drugs(p), []),
        "leven": ("span", "leven-lawbench", f"{D}/leven-lawbench/triggers.jsonl", lambda p: leven(p), []),
        "charge": ("multi", "cail2018", f"{D}/cail2018-charges/train.jsonl", lambda p: charges(p), []),
        # The same CAIL2018 dev split, the peers trained on CAIL2018 + CJRC's criminal passages
        # (the default charge head's training set); Wenshu's figure is the same bundle's.
        "charge_wide": ("multi", "cail2018", f"{D}/cail2018-charges/train.jsonl", lambda p: charges(p), []),
        "case_type": ("single", "cjrc", f"{D}/cjrc-casetype/train.jsonl", lambda p: cjrc(p, "case_type"), ["--cjrc-label", "case_type"]),
        "cause": ("single", "cjrc", f"{D}/cjrc-casetype/train.jsonl", lambda p: cjrc(p, "cause_or_charge"), ["--cjrc-label", "cause_or_charge"]),
    }
    rows = []
    cache = {}
    if args.peer_cache and os.path.exists(args.peer_cache):
        cache = json.load(open(args.peer_cache))
    for name in args.tasks.split(","):
        kind, fmt, path, reader, extra = tasks[name]
        train, dev = split(reader(path))
        if name == "charge_wide":
            train += split(cjrc_criminal_charges(f"{D}/cjrc-casetype/train.jsonl"))[0]
        chars = sum(len(t) for _, t, _ in dev)
        print(f"== {name}: {len(train)} train, {len(dev)} dev", file=sys.stderr)
        results = {}
        if name in cache:
            results.update(cache[name])
        elif kind == "span":
            results["CRFsuite"] = run_crf(train, dev)
        else:
            results["TF-IDF+LinearSVC"] = run_svm(train, dev, kind == "multi")
            results["fastText"] = run_fasttext(train, dev, kind == "multi")
        cache[name] = dict(results)
        if args.peer_cache:
            json.dump(cache, open(args.peer_cache, "w"), indent=1, ensure_ascii=False)
        w = run_wenshu(args, "charge" if name == "charge_wide" else name, fmt, path, extra)
        if w:
            results["Wenshu"] = w
        for sys_name, r in results.items():
            rows.append((name, sys_name, r, len(dev), chars))
            print(f"   {sys_name}: F1 {r['f1']:.4f}", file=sys.stderr)
    metric = {"theft": "span micro-F1", "drugs": "span micro-F1", "leven": "trigger micro-F1",
              "charge": "CAIL score", "charge_wide": "CAIL score", "case_type": "accuracy", "cause": "accuracy"}
    print("| task | metric | system | F1 | train s | infer s | dev docs/s | vs CRFsuite speed |")
    print("|---|---|---|---|---|---|---|---|")
    crf_speed = {}
    for name, sys_name, r, n, chars in rows:
        if sys_name == "CRFsuite":
            crf_speed[name] = n / r["infer_s"] if r["infer_s"] else None
    for name, sys_name, r, n, chars in rows:
        speed = n / r["infer_s"] if r["infer_s"] else float("nan")
        ratio = f"{speed / crf_speed[name]:.1f}x" if crf_speed.get(name) else ""
        tr = f"{r['train_s']:.1f}" if r.get("train_s") is not None else "n/a"
        if r.get("joint", 1) > 1:
            tr += f" (joint run of {r['joint']} heads)"
        extra = ""
        if r.get("event_f1") is not None:
            extra = f" (event F1 {r['event_f1']:.4f}, argument F1 {r['arg_f1']:.4f})"
        print(f"| {name} | {metric[name]} | {sys_name} | {r['f1']:.4f}{extra} | {tr} | {r['infer_s']:.2f} | {speed:.0f} | {ratio} |")

if __name__ == "__main__":
    main()
