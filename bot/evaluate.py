"""Measure answer quality on a question set: top-1, recall@3 and abstention, per kind.

A question file is JSON lines: {"question", "kind", "answer"} where "answer" is an exact
substring of the paragraph that answers it (or a list of them, when two paragraphs do), or null
when the paper does not say.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .decide import ANSWERED, UNSURE
from .index import Index


@dataclass(frozen=True)
class Question:
    question: str
    kind: str
    answers: tuple[str, ...]  # any of these substrings marks a right paragraph; () = unanswerable

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def read_questions(path: Path) -> list[Question]:
    out: list[Question] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            gold = row.get("answer")
            answers = tuple(gold) if isinstance(gold, list) else ((gold,) if gold else ())
            out.append(Question(row["question"], row.get("kind", "direct"), answers))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}:{n}: not a question line ({exc})") from None
    return out


@dataclass
class _Tally:
    n: int = 0
    top1: int = 0
    recall3: int = 0
    abstained: int = 0


@dataclass
class Report:
    """Figures of one run; `lines()` prints them as a table."""

    kinds: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    confusion: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[str] = field(default_factory=list)

    def _sum(self, answerable: bool) -> _Tally:
        total = _Tally()
        for kind, t in self.kinds.items():
            if (kind != "unanswerable") == answerable:
                total.n += t.n
                total.top1 += t.top1
                total.recall3 += t.recall3
                total.abstained += t.abstained
        return total

    @property
    def top1(self) -> float:
        t = self._sum(True)
        return t.top1 / t.n if t.n else 0.0

    @property
    def recall3(self) -> float:
        t = self._sum(True)
        return t.recall3 / t.n if t.n else 0.0

    @property
    def abstention(self) -> float:
        """Share of unanswerable questions not answered confidently."""
        t = self._sum(False)
        return t.abstained / t.n if t.n else 1.0

    @property
    def confident_wrong(self) -> int:
        return self.confusion["answerable: answered, wrong paragraph"] + self.confusion["unanswerable: answered"]

    def lines(self) -> list[str]:
        out = [f"{'kind':<14}{'n':>4}{'top-1':>8}{'recall@3':>10}{'answered':>10}"]
        for kind in sorted(self.kinds, key=lambda k: (k == "unanswerable", k)):
            t = self.kinds[kind]
            if kind == "unanswerable":
                out.append(f"{kind:<14}{t.n:>4}{'':>8}{'':>10}{t.n - t.abstained:>10}   abstained {t.abstained}/{t.n}")
            else:
                out.append(f"{kind:<14}{t.n:>4}{t.top1 / t.n:>8.2f}{t.recall3 / t.n:>10.2f}{t.n - t.abstained:>10}")
        a = self._sum(True)
        out.append(f"{'answerable':<14}{a.n:>4}{self.top1:>8.2f}{self.recall3:>10.2f}{a.n - a.abstained:>10}")
        out.append(f"abstention on unanswerable: {self.abstention:.2f} (not answered confidently)")
        out.append(f"confidently wrong (wrong paragraph or unanswerable answered): {self.confident_wrong}")
        out.append("confusion: " + ", ".join(f"{k} {v}" for k, v in sorted(self.confusion.items())))
        return out


def evaluate(index: Index, questions: list[Question]) -> Report:
    report = Report()
    for q in questions:
        result = index.ask(q.question, top=3)
        tally = report.kinds[q.kind if q.answerable else "unanswerable"]
        tally.n += 1
        if result.outcome != ANSWERED:
            tally.abstained += 1
        if not q.answerable:
            report.confusion[f"unanswerable: {result.outcome}"] += 1
            if result.outcome == ANSWERED:
                report.failures.append(f"answered unanswerable: {q.question} -> {result.hits[0].passage.text[:30]}")
            continue
        # Ranking is measured on all hits, also those a "not found" reply does not show.
        found = [any(a in h.passage.text for a in q.answers) for h in result.hits]
        tally.top1 += bool(found[:1] and found[0])
        tally.recall3 += any(found[:3])
        right = bool(found[:1] and found[0])
        if result.outcome == ANSWERED:
            report.confusion["answerable: answered, " + ("right" if right else "wrong paragraph")] += 1
        else:
            report.confusion[f"answerable: {result.outcome}"] += 1
        if not right or result.outcome != ANSWERED:
            report.failures.append(f"[{q.kind}] {q.question}: {result.outcome} {'right' if right else 'WRONG'} {result.reasons}")
    for key in ("answerable: answered, wrong paragraph", "unanswerable: answered", f"answerable: {UNSURE}"):
        report.confusion.setdefault(key, 0)
    return report
