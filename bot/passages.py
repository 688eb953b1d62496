"""The corpus's paragraphs as `Passage`s, in the postings' doc-id order, made only when read."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import NamedTuple, overload

import numpy as np

from .corpus import Issue


class Passage(NamedTuple):
    """One paragraph with where it comes from; made when a query needs it (see `Passages`)."""

    text: str
    headline: str
    subtitle: str | None
    paper: str
    date: str
    issue: str
    article: int  # 1-based position of the article in its issue
    paragraph: int  # 1-based position of the paragraph in its article
    kind: str = "article"


def passage_of(issue: Issue, a: int, p: int) -> Passage:
    """Paragraph `p` of article `a` of an issue (both 0-based) with where it comes from."""
    article = issue.articles[a]
    return Passage(
        text=article.paragraphs[p],
        headline=article.headline,
        subtitle=article.subtitle,
        paper=issue.paper,
        date=issue.date.isoformat(),
        issue=issue.name,
        article=a + 1,
        paragraph=p + 1,
        kind=article.kind,
    )


class Passages(Sequence[Passage]):
    """The corpus's paragraphs in the store's doc-id order, made into `Passage`s only when read.

    A list of them would cost seconds at start and hundreds of MB at a million paragraphs, while a
    query reads about ten.
    """

    def __init__(self, issues: Sequence[Issue], starts: Sequence[int], n: int) -> None:
        self._issues = list(issues)  # in doc-id order; issue i holds docs starts[i] .. starts[i + 1]
        self._starts = [*starts, n]
        self._articles: dict[int, list[int]] = {}  # issue position -> first doc of each article

    def __len__(self) -> int:
        return self._starts[-1]

    @overload
    def __getitem__(self, d: int) -> Passage: ...
    @overload
    def __getitem__(self, d: slice) -> list[Passage]: ...
    def __getitem__(self, d: int | slice) -> Passage | list[Passage]:
        if isinstance(d, slice):
            return [self[i] for i in range(*d.indices(len(self)))]
        issue, a, p = self._place(int(d))
        return passage_of(issue, a, p)

    def _place(self, d: int) -> tuple[Issue, int, int]:
        """Where doc `d` is: its issue, and its article and paragraph there (0-based)."""
        if d < 0:
            d += len(self)
        if not 0 <= d < len(self):
            raise IndexError(d)
        i = bisect.bisect_right(self._starts, d) - 1
        issue = self._issues[i]
        firsts = self._articles.get(i)
        if firsts is None:
            firsts = self._articles[i] = list(itertools.accumulate((len(a.paragraphs) for a in issue.articles), initial=0))
        a = bisect.bisect_right(firsts, d - self._starts[i]) - 1
        return issue, a, d - self._starts[i] - firsts[a]

    def article_of(self, d: int) -> tuple[str, int]:
        """Which article a paragraph belongs to: its issue's name and the article's position."""
        issue, a, _ = self._place(d)
        return issue.name, a

    def surroundings(self, d: int) -> str:
        """What a paragraph is read within: its paper's name, its issue's year and every line of
        its article (kicker, headline, subtitle, all paragraphs). A local paper names its city in
        the masthead or once in the article, not in every paragraph."""
        issue, a, _ = self._place(d)
        article = issue.articles[a]
        lines = (issue.paper, f"{issue.date.year}年", article.kicker, article.headline, article.subtitle, *article.paragraphs)
        return "\n".join(x for x in lines if x)

    def issue_days(self) -> np.ndarray:
        """Each paragraph's issue date as a day number, for date scopes and boosts."""
        days = [i.date.toordinal() for i in self._issues]
        return np.repeat(np.asarray(days, dtype=np.int32), np.diff(self._starts)) if days else np.zeros(0, dtype=np.int32)
