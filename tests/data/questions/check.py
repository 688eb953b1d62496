"""Check a question file against the corpus it is about (not a test; run by hand).

    .venv/bin/python tests/data/questions/check.py tests/data/questions/citizens-datong-2024-11-02.jsonl
    .venv/bin/python tests/data/questions/check.py --corpus tests/data/papers tests/data/questions/citizens-other-papers.jsonl

For each answerable line, every answer substring must occur in at least one paragraph (of the
page named by "file", when given); a substring found in more than one paragraph is reported, so
it can be lengthened or given as a list. Also checks kinds, folds and duplicate questions, and
prints the counts per kind and fold. Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from bot.corpus import load_corpus

KINDS = {"paraphrase", "colloquial", "direct", "typo", "traditional", "mixed", "near-miss", "off-topic"}
NULL_KINDS = {"near-miss", "off-topic"}
ROOT = Path(__file__).resolve().parents[3]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", type=Path)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args()
    corpus = load_corpus(args.corpus)
    paras = {
        iss.name: [(i, j, a.headline, p) for i, a in enumerate(iss.articles, 1) for j, p in enumerate(a.paragraphs, 1)]
        for iss in corpus.issues
    }
    errors, notes = [], []
    counts: Counter[tuple[str, str]] = Counter()
    seen: set[str] = set()
    for n, line in enumerate(args.file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        q, kind, fold, gold = row["question"], row["kind"], row.get("fold"), row.get("answer")
        counts[kind, fold] += 1
        where = f"{n}: {q}"
        if q in seen:
            errors.append(f"{where}: duplicate question")
        seen.add(q)
        if kind not in KINDS:
            errors.append(f"{where}: unknown kind {kind!r}")
        if fold not in ("dev", "test"):
            errors.append(f"{where}: fold must be dev or test")
        if (gold is None) != (kind in NULL_KINDS):
            errors.append(f"{where}: kind {kind} but answer {gold!r}")
        if gold is None:
            continue
        pool = [p for name, ps in paras.items() if "file" not in row or name == row["file"] for p in ps]
        if "file" in row and row["file"] not in paras:
            errors.append(f"{where}: no page {row['file']}")
        for a in gold if isinstance(gold, list) else [gold]:
            if not 4 <= len(a) <= 24:
                notes.append(f"{where}: answer {a!r} is {len(a)} characters")
            hits = [(i, j, h) for i, j, h, p in pool if a in p]
            if not hits:
                errors.append(f"{where}: answer {a!r} is in no paragraph")
            elif len(hits) > 1 and not isinstance(gold, list):
                errors.append(f"{where}: answer {a!r} is in {len(hits)} paragraphs: {hits}")
    kinds = sorted({k for k, _ in counts})
    print(f"{'kind':<12}{'dev':>5}{'test':>5}{'all':>5}")
    for k in kinds:
        d, t = counts[k, "dev"], counts[k, "test"]
        print(f"{k:<12}{d:>5}{t:>5}{d + t:>5}")
    d, t = sum(v for (_, f), v in counts.items() if f == "dev"), sum(v for (_, f), v in counts.items() if f == "test")
    print(f"{'total':<12}{d:>5}{t:>5}{d + t:>5}")
    for m in notes:
        print("note:", m)
    for e in errors:
        print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
