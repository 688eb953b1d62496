"""Re-train the calibrated decision (`bot/decision.json`) and print cross-validated figures.

    python -m bot.train_decision                    # train on the development sets, write the model
    python -m bot.train_decision --dry-run          # only print the cross-validated figures
    python -m bot.train_decision --dry-run --by-set # … and each set scored by a model that never saw it
    python -m bot.train_decision --dry-run --ceiling # … and the most these signals could answer at 97%

Every development question the search reaches and the rule does not settle as "nothing" becomes
one row: the decision's signals (`decide.signals`) and whether the first paragraph is the right
one. A logistic model is fitted to them. Its held-out probabilities choose the cut-off, judged on
the paragraphs the model decides (`Verdict.decidable`: every guard passed), twice: each question
scored by a model that never saw the article its first paragraph is from, and by one that never
saw its set; the stricter cut-off is kept (`held_out_cutoff`, PRECISION). Test
folds ("fold": "test") and the held-out pages' questions are never read.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .calibration import MODEL_FILE, cross_validated, fit, left_out, value
from .corpus import load_corpus
from .decide import ANSWERED, rule, signals
from .evaluate import Question, read_questions
from .front import recognise
from .index import Index
from .intents import Intent

# The cut-off is the lowest from which the confident answers stay right at least this often in
# every group of sets (cross-validated): the issue's own terms, "so that confident answers are
# right >= 97% of the time". It replaced "right - 20 x wrong": that optimum sits on a flat curve
# and jumped from 0.91 to 0.96 when a third newspaper set came in; this rule moved less as the
# development sets came in (0.89, then 0.93, 0.94, 0.94) and says what it guarantees.
PRECISION = 0.97
# ... at the cut-off and at the next STEADY - 1 cut-offs above it (a step of 0.01): precision must
# hold at and just above it, not in a pocket below a dip. Not at every higher one: above 0.95 the
# curve runs flat at 97% (the model's surest wrong answers are near-misses), and one answer there
# moved the cut-off from 0.93 to 0.99, where half the right answers go.
STEADY = 3
# Just above the cut-off, precision holds when it is short of PRECISION by less than its own
# standard error, sqrt(P (1 - P) / n) for n answers: 0.8 points at 500 answers, 5 at a dozen. With
# 21 newspaper sets the curve ran 97.2%, 97.2%, 96.9% from 0.95 (474 right of 489 at 0.97, less
# than one answer short), and the strict rule jumped to 0.99, where seven right answers in ten go;
# a real pocket (10 right of 11 above it) still fails.
NEVER = 0.999  # the cut-off when none keeps the precision: the model answers nothing
STEP = 0.01  # the grid of cut-offs the rule tries
# The signals the model also weighs two by two (and the non-binary ones squared): a plain sum of
# signals cannot say that a close runner-up matters less when it is a sibling paragraph, nor that
# coverage means more when the kind asked for is there. With them, the 97% rule keeps precision
# from a lower cut-off (0.93 instead of 0.96 on the nine newspaper sets, cross-validated).
PAIRED = (
    "rival_ratio",
    "holds_kind",
    "coverage",
    "missing_weight",
    "paragraph_length",
    "sentence_coverage",
    "question_length",
    "rival_same_article",
    "focus_in_sentence",
    "score_share",
)
BINARY = frozenset({"holds_kind", "rival_same_article"})  # a square would only repeat them
L2 = 3.0  # 86 weights where there were 32: a firmer hold on each
# Cross-validated probabilities are the mean over this many splits into folds. On one split of
# eight tried, three sure wrong answers fell together at the very top and the 97% rule found no
# cut-off at all; six chose 0.93 and one 0.94. The mean chooses 0.93.
REPEATS = 5


@dataclass(frozen=True)
class Source:
    """A development set: a corpus folder, its questions, and the group it is judged in."""

    name: str
    corpus: str
    questions: str
    group: str  # sets judged together: "newspaper", or one Wikipedia set


SOURCES = (
    Source("shipped issue", "corpus", "tests/data/questions/datong-daily-2024-11-02.jsonl", "newspaper"),
    Source("shipped issue, citizens", "corpus", "tests/data/questions/citizens-datong-2024-11-02.jsonl", "newspaper"),
    Source("other papers", "tests/data/papers", "tests/data/questions/other-papers.jsonl", "newspaper"),
    Source("other papers, citizens", "tests/data/papers", "tests/data/questions/citizens-other-papers.jsonl", "newspaper"),
    Source("papers-dev2, citizens", "tests/data/papers-dev2", "tests/data/questions/citizens-dev2.jsonl", "newspaper"),
    Source("papers-dev3, citizens", "tests/data/papers-dev3", "tests/data/questions/citizens-dev3.jsonl", "newspaper"),
    Source("papers-dev4, citizens", "tests/data/papers-dev4", "tests/data/questions/citizens-dev4.jsonl", "newspaper"),
    Source("papers-dev5, citizens", "tests/data/papers-dev5", "tests/data/questions/citizens-dev5.jsonl", "newspaper"),
    Source("papers-dev6, citizens", "tests/data/papers-dev6", "tests/data/questions/citizens-dev6.jsonl", "newspaper"),
    Source("papers-dev7, citizens", "tests/data/papers-dev7", "tests/data/questions/citizens-dev7.jsonl", "newspaper"),
    Source("papers-dev8, citizens", "tests/data/papers-dev8", "tests/data/questions/citizens-dev8.jsonl", "newspaper"),
    Source("papers-dev9, citizens", "tests/data/papers-dev9", "tests/data/questions/citizens-dev9.jsonl", "newspaper"),
    Source("papers-dev10, citizens", "tests/data/papers-dev10", "tests/data/questions/citizens-dev10.jsonl", "newspaper"),
    Source("papers-dev11, citizens", "tests/data/papers-dev11", "tests/data/questions/citizens-dev11.jsonl", "newspaper"),
    Source("papers-dev12, citizens", "tests/data/papers-dev12", "tests/data/questions/citizens-dev12.jsonl", "newspaper"),
    Source("papers-dev13, citizens", "tests/data/papers-dev13", "tests/data/questions/citizens-dev13.jsonl", "newspaper"),
    Source("papers-dev14, citizens", "tests/data/papers-dev14", "tests/data/questions/citizens-dev14.jsonl", "newspaper"),
    Source("papers-dev15, citizens", "tests/data/papers-dev15", "tests/data/questions/citizens-dev15.jsonl", "newspaper"),
    Source("papers-dev16, citizens", "tests/data/papers-dev16", "tests/data/questions/citizens-dev16.jsonl", "newspaper"),
    Source("papers-dev17, citizens", "tests/data/papers-dev17", "tests/data/questions/citizens-dev17.jsonl", "newspaper"),
    Source("papers-dev18, citizens", "tests/data/papers-dev18", "tests/data/questions/citizens-dev18.jsonl", "newspaper"),
    Source("papers-dev19, citizens", "tests/data/papers-dev19", "tests/data/questions/citizens-dev19.jsonl", "newspaper"),
    Source("papers-dev20, citizens", "tests/data/papers-dev20", "tests/data/questions/citizens-dev20.jsonl", "newspaper"),
    Source("papers-dev21, citizens", "tests/data/papers-dev21", "tests/data/questions/citizens-dev21.jsonl", "newspaper"),
    Source("papers-dev22, citizens", "tests/data/papers-dev22", "tests/data/questions/citizens-dev22.jsonl", "newspaper"),
    Source("papers-dev23, citizens", "tests/data/papers-dev23", "tests/data/questions/citizens-dev23.jsonl", "newspaper"),
    Source("papers-dev24, citizens", "tests/data/papers-dev24", "tests/data/questions/citizens-dev24.jsonl", "newspaper"),
    Source("papers-dev25, citizens", "tests/data/papers-dev25", "tests/data/questions/citizens-dev25.jsonl", "newspaper"),
    Source("papers-dev26, citizens", "tests/data/papers-dev26", "tests/data/questions/citizens-dev26.jsonl", "newspaper"),
    Source("papers-dev27, citizens", "tests/data/papers-dev27", "tests/data/questions/citizens-dev27.jsonl", "newspaper"),
    Source("papers-dev28, citizens", "tests/data/papers-dev28", "tests/data/questions/citizens-dev28.jsonl", "newspaper"),
    Source("papers-dev29, citizens", "tests/data/papers-dev29", "tests/data/questions/citizens-dev29.jsonl", "newspaper"),
    Source("papers-dev30, citizens", "tests/data/papers-dev30", "tests/data/questions/citizens-dev30.jsonl", "newspaper"),
    Source("papers-dev31, citizens", "tests/data/papers-dev31", "tests/data/questions/citizens-dev31.jsonl", "newspaper"),
    Source("papers-dev32, citizens", "tests/data/papers-dev32", "tests/data/questions/citizens-dev32.jsonl", "newspaper"),
    Source("papers-dev33, citizens", "tests/data/papers-dev33", "tests/data/questions/citizens-dev33.jsonl", "newspaper"),
    Source("papers-dev34, citizens", "tests/data/papers-dev34", "tests/data/questions/citizens-dev34.jsonl", "newspaper"),
    Source("papers-dev35, citizens", "tests/data/papers-dev35", "tests/data/questions/citizens-dev35.jsonl", "newspaper"),
    Source("papers-dev36, citizens", "tests/data/papers-dev36", "tests/data/questions/citizens-dev36.jsonl", "newspaper"),
    Source("papers-dev37, citizens", "tests/data/papers-dev37", "tests/data/questions/citizens-dev37.jsonl", "newspaper"),
    Source("papers-dev38, citizens", "tests/data/papers-dev38", "tests/data/questions/citizens-dev38.jsonl", "newspaper"),
    Source("papers-dev39, citizens", "tests/data/papers-dev39", "tests/data/questions/citizens-dev39.jsonl", "newspaper"),
    Source("CMRC 2018 trial", "{evaldata}/cmrc2018-trial/corpus", "{evaldata}/cmrc2018-trial/questions.jsonl", "cmrc"),
    Source("DRCD dev", "{evaldata}/drcd-dev/corpus", "{evaldata}/drcd-dev/questions.jsonl", "drcd"),
)


@dataclass(frozen=True)
class Row:
    source: Source
    signals: dict[str, float]
    right: bool  # the first paragraph answers it
    decided: bool  # every guard passed: the model answers or hedges it
    by_rule: bool  # the hand-set thresholds alone would answer it
    article: str  # the first paragraph's article: questions about one article share a fold


def development(source: Source, root: Path, evaldata: Path) -> list[Question]:
    return [q for q in read_questions(root / source.questions.format(evaldata=evaldata)) if q.fold != "test"]


def rows(source: Source, root: Path, evaldata: Path) -> Iterator[Row]:
    """One row per development question the rule does not settle as "nothing" (it found facts)."""
    index = Index.build(load_corpus(root / source.corpus.format(evaldata=evaldata)))
    for q in development(source, root, evaldata):
        seen = recognise(index, q.question)
        if seen.intent != Intent.SEARCH:
            continue
        c = index.consider(seen.text)
        verdict = rule(c.question, c.hits, c.context, c.surroundings)
        if verdict.facts is not None:
            top = c.hits[0].passage
            right = q.answerable and any(a in top.text for a in q.answers)
            article = f"{source.group}:{top.issue}:{top.article}"
            values = signals(c.question, c.hits, verdict.facts, c.reach)
            yield Row(source, values, right, verdict.decidable, verdict.outcome == ANSWERED, article)


def features(signal_names: Sequence[str]) -> list[str]:
    """What the model weighs: every signal, then the PAIRED ones multiplied two by two."""
    pairs = itertools.combinations_with_replacement(PAIRED, 2)
    return [*signal_names, *(f"{a}*{b}" for a, b in pairs if not (a == b and a in BINARY))]


def choose_cutoff(p: np.ndarray, data: list[Row], step: float = STEP) -> float:
    """The lowest cut-off (of a grid `step` apart) at which the confident answers of each group
    are right at least PRECISION of the time, and at every cut-off up to (STEADY - 1) x STEP above
    it within a standard error of that (a group that answers nothing passes)."""
    right = np.array([r.right for r in data])
    decided = np.array([r.decided for r in data])
    groups = np.array([r.source.group for r in data])
    cuts = np.round(np.arange(0.5, 0.995, step), 4)
    keeps, holds = [], []
    for cut in cuts:
        answered = [decided & (p >= cut) & (groups == g) for g in sorted(set(groups.tolist()))]
        shares = [((a & right).sum() / a.sum(), a.sum()) for a in answered if a.sum()]
        keeps.append(all(share >= PRECISION for share, _ in shares))
        holds.append(all(share >= PRECISION - np.sqrt(PRECISION * (1 - PRECISION) / n) for share, n in shares))
    reach = (STEADY - 1) * STEP + 1e-9
    for i, cut in enumerate(cuts):
        if keeps[i] and all(h for c, h in zip(cuts[i + 1 :], holds[i + 1 :], strict=True) if c <= cut + reach):
            return float(cut)
    return NEVER


def held_out_cutoff(by_article: np.ndarray, by_set: np.ndarray, data: list[Row], step: float = STEP) -> float:
    """The cut-off `choose_cutoff` gives on both held-out scorings, the stricter: a question scored
    by a model that never saw its article, and by one that never saw its set (its paper). Pages of
    papers the model had not seen have come out less precise than the folds of articles promised,
    set after set; the bot will mostly read papers it was not trained on."""
    return max(choose_cutoff(by_article, data, step), choose_cutoff(by_set, data, step))


def report(data: list[Row], p: np.ndarray, cut: float, answerable: dict[str, int]) -> list[str]:
    """Per set, answered right and wrong at the cut-off (cross-validated probabilities), against
    the hand-set thresholds alone."""
    lines = [f"cut-off {cut:.2f}; answered right / wrong, cross-validated (by article), against the thresholds alone:"]
    for source in SOURCES:
        mine = [(r, q) for r, q in zip(data, p, strict=True) if r.source == source and r.decided]
        good, bad = sum(1 for r, q in mine if q >= cut and r.right), sum(1 for r, q in mine if q >= cut and not r.right)
        rule_good, rule_bad = (
            sum(1 for r, _ in mine if r.by_rule and r.right),
            sum(1 for r, _ in mine if r.by_rule and not r.right),
        )
        total = answerable[source.name]
        lines.append(
            f"  {source.name:<26} model {good:>4} right ({good / total:.2f} of answerable) {bad:>3} wrong"
            f" ({good / max(good + bad, 1):.3f});  thresholds {rule_good:>4} right ({rule_good / total:.2f}) {rule_bad:>3} wrong"
            f" ({rule_good / max(rule_good + rule_bad, 1):.3f})"
        )
    return lines


def by_set(data: list[Row], p: np.ndarray, cuts: Sequence[float] = (0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98)) -> list[str]:
    """Answered right / wrong per group at fixed cut-offs, and the cut-off the rule would choose,
    for probabilities from models that never saw the question's set: how much the figures by
    article flatter the model on unseen papers."""
    lines = [f"left one set out: the rule would choose {choose_cutoff(p, data):.2f}; answered right / wrong at"]
    for cut in cuts:
        cells = []
        for group in sorted({r.source.group for r in data}):
            answered = [r.right for r, q in zip(data, p, strict=True) if r.source.group == group and r.decided and q >= cut]
            cells.append(f"{group} {sum(answered)}/{len(answered) - sum(answered)}")
        lines.append(f"  {cut:.2f}: " + ", ".join(cells))
    return lines


def finer(
    by_article: np.ndarray, by_set: np.ndarray, data: list[Row], steps: Sequence[float] = (0.005, 0.0025, 0.001)
) -> list[str]:
    """The cut-off the rule would choose on finer grids: where the precision curve runs flat at
    PRECISION, where the grid falls decides the step, and this shows how far it may jump."""
    newspaper = np.array([r.source.group == "newspaper" and r.decided for r in data])
    right = np.array([r.right for r in data])
    lines = ["on finer grids the rule would choose (newspaper right / wrong by article, by set):"]
    for step in steps:
        cut = held_out_cutoff(by_article, by_set, data, step)
        cells = [
            f"{(a & right).sum()}/{(a & ~right).sum()}" for a in (newspaper & (by_article >= cut), newspaper & (by_set >= cut))
        ]
        lines.append(f"  step {step}: {cut:.4f}, " + ", ".join(cells))
    return lines


def most_right(p: np.ndarray, right: np.ndarray, rows: np.ndarray) -> int:
    """The most right answers one cut-off gives among `rows` with at least PRECISION of its answers
    right (a cut-off takes every row of a tied probability)."""
    order = np.argsort(-p[rows], kind="stable")
    q, r = p[rows][order], right[rows][order]
    good, bad = np.cumsum(r), np.cumsum(~r)
    ends = np.r_[q[1:] != q[:-1], True]
    ok = ends & (good >= PRECISION * (good + bad))
    return int(good[ok].max()) if ok.any() else 0


def ceiling(data: list[Row], held_out: np.ndarray, fitted: np.ndarray, answerable: dict[str, int]) -> list[str]:
    """Per group, the most a cut-off could answer right at PRECISION, as a share of answerable
    questions: with held-out probabilities, and with those of the model fitted on every row, which
    has seen the very answers it is graded on. The second is not a figure anyone meets; it bounds
    what this model's form can make of these signals, against the share whose right paragraph the
    search puts first (of the questions the model weighs: the rule settles none of them as "nothing")."""
    right = np.array([r.right for r in data])
    decided = np.array([r.decided for r in data])
    groups = np.array([r.source.group for r in data])
    group_of = {r.source.name: r.source.group for r in data}
    lines = [f"the most answered right with >= {PRECISION:.0%} of confident answers right, of answerable questions:"]
    for group in sorted(set(groups.tolist())):
        total = sum(n for name, n in answerable.items() if group_of.get(name) == group)
        mine = decided & (groups == group)
        first = int((right & (groups == group)).sum())
        held, seen = most_right(held_out, right, mine), most_right(fitted, right, mine)
        lines.append(
            f"  {group:<10} {total:>5} answerable; right paragraph first {first} ({first / total:.2f});"
            f" held out {held} ({held / total:.2f}); fitted on these answers {seen} ({seen / total:.2f})"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.train_decision", description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=".", help="the repository (default: here)")
    parser.add_argument("--evaldata", default="../shared/evaldata", help="the reading-comprehension sets")
    parser.add_argument("--out", default=str(MODEL_FILE))
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    parser.add_argument("--by-set", action="store_true", help="also print each set scored by a model that never saw it")
    parser.add_argument("--ceiling", action="store_true", help="also print the most these signals could answer at PRECISION")
    args = parser.parse_args(argv)
    root, evaldata = Path(args.root), Path(args.evaldata).resolve()
    data: list[Row] = []
    answerable: dict[str, int] = {}
    for source in SOURCES:
        answerable[source.name] = sum(q.answerable for q in development(source, root, evaldata))
        data.extend(rows(source, root, evaldata))
        print(f"{source.name}: {answerable[source.name]} answerable questions", flush=True)
    names = features(sorted(data[0].signals))
    x = np.array([[value(r.signals, n) for n in names] for r in data])
    y = np.array([r.right for r in data], dtype=float)
    # Each group of sets weighs the same in training: the Wikipedia sets are ten times the
    # newspaper ones, and their long, careful questions are not how citizens ask.
    groups = [r.source.group for r in data]
    count = {g: groups.count(g) for g in set(groups)}
    weights = np.array([len(groups) / (len(count) * count[g]) for g in groups])
    p = cross_validated(x, y, names, np.array([r.article for r in data]), l2=L2, weights=weights, repeats=REPEATS)
    unseen = left_out(x, y, names, np.array([r.source.name for r in data]), l2=L2, weights=weights)
    cut = held_out_cutoff(p, unseen, data)
    lines = [
        f"the rule chooses {choose_cutoff(p, data):.2f} by article, {choose_cutoff(unseen, data):.2f} by set: {cut:.2f}",
        *report(data, p, cut, answerable),
    ]
    print("\n".join(lines))
    if args.by_set:
        print("\n".join(by_set(data, unseen)))
        print("\n".join(finer(p, unseen, data)))
    notes = {"trained_on": [s.name for s in SOURCES], "rows": len(data), "precision": PRECISION, "cross_validated": lines}
    model = dataclasses.replace(fit(x, y, names, l2=L2, answer_at=cut, weights=weights), notes=notes)
    if args.ceiling:
        print("\n".join(ceiling(data, p, model.probabilities(x), answerable)))
    for name, weight in sorted(zip(names, model.weights, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:<20} {weight:+.2f}")
    if not args.dry_run:
        Path(args.out).write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
