#!/usr/bin/env python3
"""Writes bert-vocab.txt and bert-tokenizer.json: expected BertTokenizer ids and offsets from
Hugging Face's `tokenizers` package (pip install tokenizers) for edge cases and real legal
sentences from ../shared/data. Run from the repository root:
    python3 Tests/WenshuModelTests/Fixtures/make_bert_fixtures.py
The vocabulary is made here (the most frequent characters of the legal data, ASCII, a few
English word pieces, full-width forms, an extension-B ideograph), not copied from a model."""
import collections, json, os, sys
from tokenizers import BertWordPieceTokenizer

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))
data = None
d = root
while d != "/":
    if os.path.isdir(os.path.join(d, "shared", "data")):
        data = os.path.join(d, "shared", "data"); break
    d = os.path.dirname(d)
if data is None: sys.exit("shared/data not found")

def lines(path, key, n):
    out = []
    with open(os.path.join(data, path), encoding="utf-8") as f:
        for l in f:
            out.append(json.loads(l)[key])
            if len(out) >= n: break
    return out

theft = lines("cail2021-theft/train.jsonl", "context", 400)
facts = lines("cail2018-charges/train.jsonl", "fact", 200)
judg = lines("judgments-fulltext/judgments.jsonl", "text", 5)
counts = collections.Counter(c for t in theft + facts for c in t)
vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
for c in [chr(i) for i in range(33, 127)]:
    vocab.append(c)
for c in "abcdefghijklmnopqrstuvwxyz0123456789":
    vocab.append("##" + c)
vocab += ["the", "law", "court", "hello", "##llo", "he", "un", "##aff", "##able", "cafe", "café", "##s", "##ing",
          "2019", "##19", "20", "##20", "xx", "##xx", "ｘ", "１", "２", "##２", "Ｘ", "𠀀", "é", "e", "ß", "ǅ", "ﬁ",
          "元", "年", "月", "日"]
for c, _ in counts.most_common(1500):
    if c not in vocab and not c.isspace():
        vocab.append(c)
with open(os.path.join(here, "bert-vocab.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(vocab) + "\n")

edge = [
    "Hello, World! 你好，世界。",
    "unaffable UNAFFABLE Unaffable",
    "Café CAFÉ café naïve Ångström résumé",
    "ＸＸ公司于２０１９年１２月盗窃Ｘ某现金１２００元",
    "emoji 😀👍🏽 在法院🙂。",
    "扩展B：𠀀𠀁𪚥，兼容：豈﨑，扩展A：㐀䶵",
    "tab\tnew\nline\rreturn\x0bvt\x0cff\u0085nel\u2028ls\u3000ideo\u00a0nbsp",
    "ctrl\x00nul\x01soh\u200bzwsp\u200dzwj\ufeffbom\ufffdrepl\ue000pua end",
    "supercalifragilisticexpialidocious" * 4 + " short",
    "a" * 100 + " " + "b" * 101,
    "[CLS] literal [SEP] and [MASK]ed [UNK] [cls]",
    "$100+<tag>=^`|~ 50% off! «quoted» “双引号” ‘单’ —— …… 《刑法》第二百六十四条",
    "İstanbul ǅemal ﬁnance straße ΣΑΣ",
    "日本語のひらがなとカタカナ、한국어 텍스트",
    "   leading and trailing   ",
    "",
    "\u0301combining first e\u0301 decomposed",
    "被告人Ｘ某（男，1985年3月出生）于2019年3月12日23时许",
]
real = [t[:200] for t in theft[:10]] + [t[:250] for t in facts[:6]] + [j[:300] for j in judg[:2]]

configs = []
for name, lower, strip in [("uncased", True, None), ("cased", False, None), ("lower-keep-accents", True, False)]:
    tok = BertWordPieceTokenizer(os.path.join(here, "bert-vocab.txt"), clean_text=True, handle_chinese_chars=True,
                                 strip_accents=strip, lowercase=lower)
    cases = []
    for t in edge + real:
        e = tok.encode(t)
        case = {"text": t, "ids": e.ids, "offsets": [list(o) for o in e.offsets]}
        if t in edge: case["tokens"] = e.tokens
        cases.append(case)
    pair = tok.encode("原告张某", "被告李某")
    configs.append({"name": name, "lowercase": lower, "strip_accents": strip, "cases": cases,
                    "pair": {"text": "原告张某", "text_pair": "被告李某", "ids": pair.ids, "type_ids": pair.type_ids,
                             "offsets": [list(o) for o in pair.offsets]}})
with open(os.path.join(here, "bert-tokenizer.json"), "w", encoding="utf-8") as f:
    json.dump({"vocab": "bert-vocab.txt", "configs": configs}, f, ensure_ascii=False, separators=(",", ":"))
print("wrote", len(vocab), "tokens,", sum(len(c["cases"]) for c in configs), "cases")
