"""One corpus made answerable: its passages, tokenizer, postings and BM25, and `ask`.

`ask` is a pipeline: read the question (`question`), rank paragraphs for it (BM25's best few,
reordered by how much of the question each covers, reprints shown once), then decide whether
the first one answers (`decide`). Ranking only orders; deciding is apart from it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from . import store, synonyms
from .bm25 import BM25
from .calibration import default_model
from .corpus import USER_DICT, Corpus, load_corpus
from .dates import DateScope
from .decide import Answer, Hit, counts_in, coverage, decide, locate, matched, phrase_share, sentence_coverage
from .passages import Passages
from .postings import Postings, assemble, issue_key
from .progress import Progress
from .question import Question, Reader, Unit
from .text import Tokenizer, normalize

RERANK_DEPTH = 10
COVERAGE_FLOOR = 0.3
SENTENCE_FLOOR = 0.7  # what a paragraph keeps of its score when no one sentence holds the question's words
# … and when it keeps none of the question's phrases as they are (its two-character runs): of the
# candidates, the one that says it as asked comes first (development sets: newspaper top-1 1808 →
# 1821 of 2092, CMRC 858 → 859, DRCD 1021 → 1025; 0.8 and 0.4 gained less)
PHRASE_FLOOR = 0.6
# What a paragraph keeps of its score when nothing of the kind asked for (a number for 多少, a date
# for 哪天) stands near the question's words: of two sibling paragraphs, the one that can answer.
KIND_FLOOR = 0.6
# What it keeps when a count is asked in a unit (几座, 多少年) it gives no number in: "新建了几座公厕"
# is answered by the sibling with "15座", not the lead with the most of the question's words.
# (Development sets, 23 of them: newspaper top-1 1889 → 1898 of 2159, CMRC and DRCD unchanged; 0.4
# gained 3 more and lost one CMRC question, 0.8 gained 5.)
UNIT_FLOOR = 0.6
# Of candidates from one article, what the one that has none of the question's words its siblings
# lack keeps of its score: the article's name and place stand in most of its paragraphs and say
# nothing about which one answers; the other words do. (Development sets: newspaper top-1 1821 →
# 1832 of 2092, CMRC unchanged, DRCD 1025 → 1024; 0.8 gained 1, 0.4 as much as 0.6.)
SIBLING_FLOOR = 0.6
DATE_BOOST = 0.25  # how much a date named without "报纸" favours that day's issues


@dataclass(frozen=True)
class Ranked:
    """A paragraph as ranking left it: its BM25 score, coverage, and what ordered it."""

    doc: int
    score: float  # BM25 (times the date factor)
    coverage: float  # weighted share of the question's content in it
    rank_score: float  # BM25 relative to the best, times coverage (and the sentence and kind factors)
    context: str  # headline, subtitle and text, normalised: what coverage was checked on
    span: tuple[int, int] | None  # the answering sentence (`decide.locate`)
    holds_kind: bool  # the kind asked for stands near the question's words


@dataclass(frozen=True)
class Considered:
    """A question read and ranked, before the decision: everything the decision looks at."""

    question: Question
    hits: list[Hit]  # best first
    context: str  # the best paragraph's headline, subtitle and text, normalised
    reach: float  # the most any paragraph could score for the question
    reasons: list[str]  # what ranking did that a reader of the reasons should know (a date)
    surroundings: str = ""  # the best paragraph's paper, year and whole article, normalised (when it lacks a name)


@dataclass(frozen=True)
class Update:
    """What building an index did to the postings it started from (a saved store, the serving
    index): issue files added, changed (same name, new content) and removed, and the paragraphs
    tokenized. Everything is "added" when it started from nothing."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    tokenized: int = 0  # paragraphs

    @classmethod
    def between(cls, before: Postings | None, after: Postings) -> Update:
        old = {k.rsplit(":", 1)[0]: k for k in (before.spans if before is not None else {})}
        new = {k.rsplit(":", 1)[0]: k for k in after.spans}
        fresh = set(after.spans) - set(old.values())
        return cls(
            added=tuple(sorted(new.keys() - old.keys())),
            changed=tuple(sorted(n for n in new.keys() & old.keys() if new[n] != old[n])),
            removed=tuple(sorted(old.keys() - new.keys())),
            tokenized=sum(e - s for k, (s, e) in after.spans.items() if k in fresh),
        )

    @property
    def nothing(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass
class Index:
    """Everything needed to answer from one corpus: passages, tokenizer, BM25 and postings."""

    corpus: Corpus
    passages: Passages
    tokenizer: Tokenizer
    bm25: BM25
    postings: Postings
    doc_days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32), repr=False)
    update: Update = field(default_factory=lambda: Update(), repr=False)
    # What other modules derive from this corpus once (the intents' titles, the /start examples),
    # kept with it so a reload's new index starts empty and the old one takes them along.
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.doc_days = self.passages.issue_days()

    @cached_property
    def newest(self) -> dt.date:
        """The newest issue's date: relative dates in questions count from it."""
        return max(i.date for i in self.corpus.issues)

    @cached_property
    def reader(self) -> Reader:
        """Reads questions against this corpus's vocabulary."""
        return Reader(self.tokenizer, self.bm25, self.postings.pinyin)

    def context(self, d: int) -> str:
        """A paragraph with its headline and subtitle, normalised: what coverage is checked on."""
        p = self.passages[d]
        return normalize(" ".join(x for x in (p.headline, p.subtitle) if x) + "\n" + p.text)

    @classmethod
    def build(
        cls,
        corpus: Corpus,
        previous: Postings | None = None,
        tokenizer: Tokenizer | None = None,
        progress: Progress | None = None,
    ) -> Index:
        """Index a corpus; files already tokenized in `previous` are not tokenized again.

        A `tokenizer` of the same user dictionaries (the serving index's) is reused, with the new
        bylines' names added, instead of loading jieba's dictionary again.
        """
        names = corpus.reporter_names
        if tokenizer is None or tokenizer.user_dicts != tuple(corpus.user_dicts):
            tokenizer = Tokenizer(corpus.user_dicts, extra_words=names)
        else:
            tokenizer.add_words(names)
        postings = assemble(corpus, tokenizer, store.tokenizer_key(corpus.user_dicts), previous, progress)
        spans = sorted(postings.spans.items(), key=lambda kv: kv[1])
        passages = Passages([postings.issues[k] for k, _ in spans], [s for _, (s, _) in spans], postings.n_docs)
        bm25 = BM25(postings=postings)
        return cls(
            corpus=corpus,
            passages=passages,
            tokenizer=tokenizer,
            bm25=bm25,
            postings=postings,
            update=Update.between(previous, postings),
        )

    @classmethod
    def load(
        cls,
        corpus_dir: Path,
        cache_dir: Path | None = None,
        previous: Index | None = None,
        progress: Progress | None = None,
    ) -> Index:
        """The index of a corpus folder, tokenizing only what neither `previous` nor the saved store
        under `cache_dir` already holds; the result is saved back when anything changed.

        The store is read under its shared lock; building and saving happen under the exclusive
        one, after reading the store again if another process saved it meanwhile (so two
        processes starting on one new archive tokenize it once). Raises LoadErrors (naming each
        bad file) like load_corpus, before anything is written.
        """
        user_dict = Path(corpus_dir) / USER_DICT
        key = store.tokenizer_key([user_dict] if user_dict.is_file() else [])
        base = previous.postings if previous is not None and previous.postings.key == key else None
        seen = base.origin if base is not None else None  # which saved store `base` is, if any
        if base is None and cache_dir is not None:
            with store.locked(cache_dir, exclusive=False):
                base = store.load(cache_dir, key)
                seen = base.origin if base is not None else store.stamp(cache_dir)  # a stale one: not again
        # What each file's stat was when last hashed: an unchanged file is then not read at all.
        if previous is not None and base is previous.postings:
            before = previous.corpus.seen
        else:
            before = store.read_seen(cache_dir, corpus_dir) if cache_dir is not None and base is not None else {}
        corpus = load_corpus(corpus_dir, known=base.issues if base else None, seen=before)
        if cache_dir is not None and corpus.seen != before:
            store.write_seen(cache_dir, corpus_dir, corpus.seen)
        reuse = previous.tokenizer if previous is not None and base is previous.postings else None
        if cache_dir is None or (base is not None and set(base.spans) == {issue_key(i) for i in corpus.issues}):
            return cls.build(corpus, previous=base, tokenizer=reuse, progress=progress)
        with store.locked(cache_dir, exclusive=True) as held:
            # Another process saved a store since `base` was read or saved (an admin's `datong-bot
            # index` before the bot's /reload): start from it, it may hold the new files already.
            if held and store.stamp(cache_dir) != seen:
                latest = store.load(cache_dir, key)
                base, reuse = (latest, None) if latest is not None else (base, reuse)
            index = cls.build(corpus, previous=base, tokenizer=reuse, progress=progress)
            if held and (base is None or set(base.spans) != set(index.postings.spans)):
                try:
                    store.save(index.postings, cache_dir)
                    # A small store is merged at once; a large one by whoever has the time (the
                    # bot in the background after a reload, `datong-bot index`).
                    if store.needs_merge(index.postings) and index.postings.n_postings <= store.INLINE_MERGE_POSTINGS:
                        store.merge(index.postings, cache_dir)
                except OSError as exc:
                    store.log.warning("could not save the index under %s: %s", cache_dir, exc)
        return index

    def headlines(self, limit: int = 10) -> list[str]:
        """Article headlines of the newest issues first: topics to suggest to people."""
        out: list[str] = []
        for issue in sorted(self.corpus.issues, key=lambda i: i.date, reverse=True):
            out.extend(a.headline for a in issue.articles if a.kind == "article")
            if len(out) >= limit:
                break
        return out[:limit]

    def warm(self) -> Index:
        """Load everything the first question would load lazily, so the first person does not wait
        for it: the tokenizer's dictionary, POS tagger, cn2an and pypinyin (`Tokenizer.warm`), the
        thesaurus, the reader, and one question through the whole pipeline. The same for a freshly built index and
        one loaded from the saved store (whose tokenizing never touched pypinyin). Returns self."""
        self.tokenizer.warm()
        synonyms.warm()
        self.ask(next(iter(self.headlines(1)), "报纸"))
        return self

    # -- querying ---------------------------------------------------------------------------

    def ask(self, question: str, top: int = 3) -> Answer:
        """Rank paragraphs for a question and decide whether the best one answers it."""
        started = time.perf_counter()
        seen = self.consider(question, top)
        outcome, why = decide(seen.question, seen.hits, seen.context, seen.reach, default_model(), seen.surroundings)
        return Answer(
            question=question,
            outcome=outcome,
            hits=tuple(seen.hits[:top]),
            reasons=tuple(seen.reasons + why),
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    def consider(self, question: str, top: int = 3) -> Considered:
        """The question read and ranked, the answering sentences found, nothing decided yet
        (the decision's trainer starts here too)."""
        read = self.reader.read(question, self.newest if self.passages else None)
        factor, reasons = self._date_factor(read.scope)
        ranked = self.rank(read, top, factor)
        hits = [self.hit(r) for r in ranked]
        context = ranked[0].context if ranked else ""
        # Read only when the decision needs it: a name of the question the paragraph lacks.
        lacks_name = any(u.specific and not matched(u, context) for u in read.units)
        around = normalize(self.passages.surroundings(ranked[0].doc)) if ranked and lacks_name else ""
        return Considered(read, hits, context, self.bm25.reach(read.query) if ranked else 0.0, reasons, around)

    def _date_factor(self, scope: DateScope | None) -> tuple[np.ndarray | None, list[str]]:
        """What a named date multiplies each paragraph's score by (0 outside the issues it picks),
        and the reason saying so."""
        if scope is None:
            return None, []
        inside = (self.doc_days >= scope.start.toordinal()) & (self.doc_days <= scope.end.toordinal())
        factor = inside.astype(np.float64) if scope.strict else 1 + DATE_BOOST * inside
        return factor, [f"date {scope.start}..{scope.end} {'only' if scope.strict else 'favoured'}"]

    def rank(self, question: Question, top: int, factor: np.ndarray | None = None) -> list[Ranked]:
        """The `top` best paragraphs (at least one, if any matches), best first.

        BM25 finds candidates; how much of the question each one covers, how much of it its
        best sentence holds together, how many of its phrases it keeps, whether it counts in the
        unit asked and whether the kind asked for stands near its words order them; on a tie the
        newer issue wins; a paragraph reprinted in several issues is shown once.
        """
        found, found_scores = self.bm25.best(question.query, max(top, RERANK_DEPTH), factor, prefer=self.doc_days)
        scores = dict(zip(found.tolist(), found_scores.tolist(), strict=True))
        best = float(found_scores[0]) if len(found) else 1.0
        contexts = {d: self.context(d) for d in scores}
        covered = {d: coverage(question.units, contexts[d])[0] for d in contexts}
        bodies = {d: contexts[d].partition("\n")[2] for d in contexts}  # the paragraph's own text, no headline
        together = {d: sentence_coverage(question.units, bodies[d]) for d in bodies}
        phrased = {d: phrase_share(question.normalized, bodies[d]) for d in bodies}
        telling = among_siblings(question.units, bodies, {d: self.passages.article_of(d) for d in bodies})
        before = {
            d: scores[d]
            / best
            * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * covered[d])
            * (SENTENCE_FLOOR + (1 - SENTENCE_FLOOR) * together[d])
            * (PHRASE_FLOOR + (1 - PHRASE_FLOOR) * phrased[d])
            * telling[d]
            * (1.0 if question.unit is None or counts_in(question.unit, contexts[d]) else UNIT_FLOOR)
            for d in covered
        }
        # The kind asked for only lowers a score, so paragraphs are located (the costly part: a
        # part-of-speech pass for names) best first, only until `top` different ones stand above
        # whatever is not located yet: the same order as locating all of them.
        located: dict[int, tuple[tuple[int, int] | None, bool]] = {}
        final: dict[int, float] = {}
        for d in sorted(before, key=lambda d: -before[d]):
            above = {self.passages[e].text for e in final if round(final[e], 9) > round(before[d], 9)}
            if len(above) >= max(top, 1):
                break
            located[d] = self.locate(question, d)
            final[d] = before[d] * (1.0 if located[d][1] else KIND_FLOOR)
        ranked: list[int] = []
        seen: set[str] = set()
        for d in sorted(final, key=lambda d: (-round(final[d], 9), -self.doc_days[d], d)):
            if self.passages[d].text not in seen:
                seen.add(self.passages[d].text)
                ranked.append(d)
        return [Ranked(d, float(scores[d]), covered[d], float(final[d]), contexts[d], *located[d]) for d in ranked[: max(top, 1)]]

    def locate(self, question: Question, d: int) -> tuple[tuple[int, int] | None, bool]:
        """A paragraph's answering sentence, and whether the kind asked for stands near it."""
        passage = self.passages[d]
        topic = normalize(f"{passage.headline} {passage.subtitle or ''}")  # what the whole article is about
        return locate(question.units, passage.text, question.asks, self.tokenizer, topic)

    def hit(self, ranked: Ranked) -> Hit:
        """A ranked paragraph with its answering sentence, as the decision reads it."""
        return Hit(
            passage=self.passages[ranked.doc],
            score=ranked.score,
            coverage=ranked.coverage,
            highlight=(ranked.span,) if ranked.span else (),
            holds_kind=ranked.holds_kind,
            rank_score=ranked.rank_score,
        )


def among_siblings(units: Sequence[Unit], bodies: dict[int, str], articles: dict[int, tuple[str, int]]) -> dict[int, float]:
    """What each candidate keeps of its score for the question's words it has that its siblings
    (candidates of the same article) lack: 1 for the best of them, and for a candidate with no
    sibling or when no word tells the siblings apart; SIBLING_FLOOR for one with none of them.

    A word counts as much as it is missing from the siblings: one in every sibling tells nothing.
    Names and places (`Unit.specific`) do not count: they tell articles apart, and a paper names
    the town once, in the lead, and not in the paragraph that answers.
    """
    out = dict.fromkeys(bodies, 1.0)
    family: dict[tuple[str, int], list[int]] = {}
    for d, article in articles.items():
        family.setdefault(article, []).append(d)
    for docs in family.values():
        if len(docs) < 2:
            continue
        found = {d: [matched(u, bodies[d]) for u in units] for d in docs}
        weights = [
            0.0 if u.specific else u.weight * (1 - sum(found[d][i] > 0 for d in docs) / len(docs)) for i, u in enumerate(units)
        ]
        total = sum(weights)
        if total <= 0:
            continue
        factor = {
            d: SIBLING_FLOOR + (1 - SIBLING_FLOOR) * (sum(w * m for w, m in zip(weights, found[d], strict=True)) / total)
            for d in docs
        }
        best = max(factor.values())
        out.update({d: factor[d] / best for d in docs})
    return out


def load_index(
    corpus_dir: Path, cache_dir: Path | None = None, previous: Index | None = None, progress: Progress | None = None
) -> Index:
    """`Index.load`, under the name its callers (the CLI, the bot, the admin commands) know."""
    return Index.load(corpus_dir, cache_dir, previous, progress)
