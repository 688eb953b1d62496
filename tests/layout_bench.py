"""The layout bench: real pages of other papers against their hand-read outlines.

Each `<page>.txt` in tests/data/papers/bench has a `<page>.expected.json` listing its articles
(headline, subtitle, kicker, section, byline, kind, paragraph count, the first and last words).
A page file's continuation of another page's article (`continues_in`) counts under the article it
continues, as load_corpus links it.

An expected article is found when a loaded one on the same page starts with its first words (and,
of several, ends with its last words); it
is *right* when that one also has its headline (an expected headline of null takes any).  Its
paragraphs are right when the found article has as many and ends with its last words; else the
paragraphs it has in excess or short count as wrong (and one more if the last words differ).

    python tests/layout_bench.py [folder]   # per page: articles right / total, paragraphs right / total
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from bot import corpus
from bot.corpus import FILE_NAME, Issue, issue_files, parse_issue
from bot.layout import Article

# A loader from before pages were linked is measured too (the "before" column of a report).
link_pages = getattr(corpus, "link_pages", lambda issues: issues)

BENCH = Path(__file__).parent / "data" / "papers" / "bench"


@dataclass
class PageScore:
    name: str
    articles: int = 0
    articles_right: int = 0
    paragraphs: int = 0
    paragraphs_right: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.name:40} articles {self.articles_right:2}/{self.articles:2}  "
            f"paragraphs {self.paragraphs_right:3}/{self.paragraphs:3}"
        )


def load_bench(folder: Path = BENCH) -> list[Issue]:
    """Every bench page parsed as load_corpus would, continuations linked across page files."""
    return link_pages([parse_issue(p.read_bytes(), p.name) for p in issue_files(folder)])


def _squash(text: str | None) -> str:
    return "".join((text or "").split())


def _with_continuations(issues: list[Issue]) -> dict[str, list[Article]]:
    """Per page file, its articles, each with the paragraphs of its continuations on other pages."""
    pages = {i.name: [a for a in i.articles if not getattr(a, "continues", None)] for i in issues}
    for issue in issues:
        for cont in (a for a in issue.articles if getattr(a, "continues", None)):
            origin = pages.get(cont.continues or "", [])
            at = next((n for n, a in enumerate(origin) if a.continued_to and a.headline == cont.headline), None)
            if at is None:
                pages[issue.name].append(cont)
            else:
                origin[at] = Article(**{**origin[at].__dict__, "paragraphs": origin[at].paragraphs + cont.paragraphs})
    return pages


def score(folder: Path = BENCH) -> list[PageScore]:
    issues = load_bench(folder)
    got_pages = _with_continuations(issues)
    scores = []
    for issue in issues:
        expected = json.loads((folder / issue.name).with_suffix(".expected.json").read_text(encoding="utf-8"))
        scores.append(_score_page(issue.name, expected["articles"], got_pages[issue.name]))
    return scores


def _score_page(name: str, expected: list[dict], got: list[Article]) -> PageScore:
    page = PageScore(name)
    for exp in expected:
        page.articles += 1
        page.paragraphs += exp["paragraphs"]
        first = _squash(exp["first"])
        candidates = [a for a in got if _squash(a.paragraphs[0]).startswith(first)]
        # Two items may open alike ("4月10日,…"): the one that also ends alike is meant.
        found = next((a for a in candidates if _squash(exp["last"]) in _squash(a.paragraphs[-1])), None)
        found = found or (candidates[0] if candidates else None)
        if found is None:
            page.misses.append(f"not found: {exp['headline']} ({exp['first']}…)")
            continue
        if exp["headline"] is None or _squash(found.headline) == _squash(exp["headline"]):
            page.articles_right += 1
        else:
            page.misses.append(f"headline: {found.headline!r}, want {exp['headline']!r}")
        wrong = abs(len(found.paragraphs) - exp["paragraphs"])
        wrong += _squash(exp["last"]) not in _squash(found.paragraphs[-1])
        page.paragraphs_right += max(0, exp["paragraphs"] - wrong)
        if wrong:
            page.misses.append(f"paragraphs of {exp['headline']}: {len(found.paragraphs)}, want {exp['paragraphs']}")
    return page


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else BENCH
    scores = score(folder)
    for page in scores:
        print(page.line())
        for miss in page.misses:
            print(f"    {miss}")
    papers: dict[str, list[PageScore]] = {}
    for page in scores:
        m = FILE_NAME.fullmatch(page.name)
        papers.setdefault(m.group("slug") if m else page.name, []).append(page)
    for paper, pages in papers.items():
        a = sum(p.articles_right for p in pages), sum(p.articles for p in pages)
        q = sum(p.paragraphs_right for p in pages), sum(p.paragraphs for p in pages)
        print(f"{paper + ' (' + str(len(pages)) + ' pages)':40} articles {a[0]:2}/{a[1]:2}  paragraphs {q[0]:3}/{q[1]:3}")
    a = sum(p.articles_right for p in scores), sum(p.articles for p in scores)
    q = sum(p.paragraphs_right for p in scores), sum(p.paragraphs for p in scores)
    print(f"{'all':40} articles {a[0]:2}/{a[1]:2} ({a[0] / a[1]:.0%})  paragraphs {q[0]:3}/{q[1]:3} ({q[0] / q[1]:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
