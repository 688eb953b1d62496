"""Measure answer quality on a question set as people meet it, per kind of question.

A question file is JSON lines: {"question", "kind", "answer"} where "answer" is an exact
substring of the paragraph that answers it (or a list of them, when two paragraphs do; the
evaluation sets' "answer_any" is read the same way), or null when the paper does not say. An
optional "fold" ("dev" or "test") lets a run keep to one fold.

What a person meets is one of four things: a confident answer that is right, a confident answer
that is wrong (the worst), a hedged "not sure — here is the closest", or "nothing in the paper".
Ranking is measured too (top-1, recall@3), on all hits, also those a reply does not show.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .decide import ANSWERED, UNSURE
from .front import respond
from .index import Index
from .progress import Progress


@dataclass(frozen=True)
class Question:
    question: str
    kind: str
    answers: tuple[str, ...]  # any of these substrings marks a right paragraph; () = unanswerable
    fold: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def read_questions(path: Path, fold: str | None = None) -> list[Question]:
    """The questions of a file, only those of `fold` when given."""
    out: list[Question] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            gold = row.get("answer_any") or row.get("answer")
            answers = tuple(gold) if isinstance(gold, list) else ((gold,) if gold else ())
            question = Question(row["question"], row.get("kind", "direct"), answers, row.get("fold"))
        except (ValueError, KeyError, AttributeError) as exc:
            raise ValueError(f"{path}:{n}: not a question line ({exc})") from None
        if fold is None or question.fold == fold:
            out.append(question)
    return out


@dataclass
class _Tally:
    """One kind of question: how ranking did, and what people met."""

    n: int = 0
    top1: int = 0
    recall3: int = 0
    abstained: int = 0  # not answered confidently
    right: int = 0  # answered confidently, right paragraph
    wrong: int = 0  # answered confidently, wrong paragraph, or an unanswerable question answered
    hedged: int = 0
    nothing: int = 0

    def add(self, other: _Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        """Share of confident answers that were right."""
        confident = self.right + self.wrong
        return self.right / confident if confident else 1.0


Z95 = 1.96  # the normal quantile of a two-sided 95% interval


def wilson_interval(right: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share of `right` in `n`: how far a precision measured on a
    few hundred answers may be from the one the bot has (165 answers with 6 wrong say 0.92–0.98, so
    they neither show nor rule out 97%).  (0, 1) when nothing was counted."""
    if n == 0:
        return 0.0, 1.0
    share = right / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


UNANSWERABLE = "unanswerable"
# Kinds of questions the paper does not answer: a near-miss (the article is there, the asked fact
# is not) and off-topic ones are counted apart; any other kind with no answer is "unanswerable".
NO_ANSWER_KINDS = frozenset({UNANSWERABLE, "near-miss", "off-topic"})


@dataclass
class Report:
    """Figures of one run; `lines()` prints them as a table."""

    kinds: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    confusion: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[str] = field(default_factory=list)

    def _sum(self, answerable: bool | None) -> _Tally:
        total = _Tally()
        for kind, t in self.kinds.items():
            if answerable is None or (kind not in NO_ANSWER_KINDS) == answerable:
                total.add(t)
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
    def answered_right(self) -> float:
        """Share of answerable questions answered confidently and right."""
        t = self._sum(True)
        return t.right / t.n if t.n else 0.0

    @property
    def precision(self) -> float:
        """Share of all confident answers (unanswerable questions included) that were right."""
        return self._sum(None).precision

    @property
    def confident_wrong(self) -> int:
        return self._sum(None).wrong

    def lines(self) -> list[str]:
        head = (
            f"{'kind':<14}{'n':>5}{'top-1':>7}{'recall@3':>9}{'right':>7}{'wrong':>7}{'hedged':>8}{'nothing':>9}{'precision':>11}"
        )
        out = [head]

        def row(name: str, t: _Tally, ranked: bool = True) -> str:
            rank = f"{t.top1 / t.n:>7.2f}{t.recall3 / t.n:>9.2f}" if ranked and t.n else f"{'':>7}{'':>9}"
            precision = f"{t.precision:>11.2f}" if t.right else f"{'-':>11}"  # nothing right to be precise about
            people = f"{t.right:>7}{t.wrong:>7}{t.hedged:>8}{t.nothing:>9}{precision}"
            return f"{name:<14}{t.n:>5}{rank}{people}"

        for kind in sorted(self.kinds, key=lambda k: (k in NO_ANSWER_KINDS, k)):
            out.append(row(kind, self.kinds[kind], kind not in NO_ANSWER_KINDS))
        out.append(row("answerable", self._sum(True)))
        out.append(row("all", self._sum(None), ranked=False))
        out.append(f"answered confidently and right: {self.answered_right:.2f} of answerable questions")
        confident = self._sum(None)
        low, high = wilson_interval(confident.right, confident.right + confident.wrong)
        out.append(
            f"precision of confident answers: {self.precision:.3f} ({self.confident_wrong} confidently wrong"
            f" of {confident.right + confident.wrong}; 95% interval {low:.3f}–{high:.3f})"
        )
        out.append(f"abstention on unanswerable: {self.abstention:.2f} (not answered confidently)")
        out.append("confusion: " + ", ".join(f"{k} {v}" for k, v in sorted(self.confusion.items())))
        return out


def evaluate(index: Index, questions: list[Question], progress: Progress | None = None) -> Report:
    report = Report()
    if progress is not None:
        progress.start("evaluating", len(questions), "questions")
    for q in questions:
        result = respond(index, q.question, top=3).answer  # the front door, as people meet it
        if progress is not None:
            progress.update(1)
        kind = q.kind if q.answerable or q.kind in NO_ANSWER_KINDS else UNANSWERABLE
        tally = report.kinds[kind]
        tally.n += 1
        confident = result.outcome == ANSWERED
        tally.abstained += not confident
        tally.hedged += result.outcome == UNSURE
        tally.nothing += not confident and result.outcome != UNSURE
        if not q.answerable:
            report.confusion[f"unanswerable: {result.outcome}"] += 1
            if confident:
                tally.wrong += 1
                report.failures.append(f"answered unanswerable: {q.question} -> {result.hits[0].passage.text[:30]}")
            continue
        found = [any(a in h.passage.text for a in q.answers) for h in result.hits]
        right = bool(found[:1] and found[0])
        tally.top1 += right
        tally.recall3 += any(found[:3])
        if confident:
            tally.right += right
            tally.wrong += not right
            report.confusion["answerable: answered, " + ("right" if right else "wrong paragraph")] += 1
        else:
            report.confusion[f"answerable: {result.outcome}"] += 1
        if not right or not confident:
            report.failures.append(f"[{q.kind}] {q.question}: {result.outcome} {'right' if right else 'WRONG'} {result.reasons}")
    if progress is not None:
        progress.close()
    for key in ("answerable: answered, wrong paragraph", "unanswerable: answered", f"answerable: {UNSURE}"):
        report.confusion.setdefault(key, 0)
    return report
