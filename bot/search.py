"""Index the paragraphs, rank them with BM25, and decide: answer, not sure, or not in the paper.

Ranking is BM25 (rank_bm25's Okapi family: same k1, b and term-frequency saturation) over
paragraph tokens of three kinds — jieba words, whole quantities and character bigrams — with the
article's headline and subtitle counted in each of its paragraphs.  The IDF is Lucene's
`log(1 + (N - n + 0.5) / (n + 0.5))`, which stays positive: rank_bm25's `log((N - n + 0.5) /
(n + 0.5))` is zero for a term in half the paragraphs, which on one issue silences real words.

Ranking only orders paragraphs; whether the first one *answers* is decided separately, from
how much of the question's content it covers, whether a specific name in the question is
missing from it, and whether it holds the kind of thing asked for (a number, a date, a person…).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .bm25 import BM25
from .corpus import Corpus
from .dates import date_scope
from .passages import Passage, Passages
from .postings import Postings, assemble
from .store import tokenizer_key
from .text import Tokenizer, TokenKind, arabic_numerals, bigrams, is_cjk, is_function_word, make_token, normalize, pinyin_key

TOKEN_WEIGHTS = {TokenKind.WORD: 1.0, TokenKind.QUANTITY: 1.5, TokenKind.BIGRAM: 0.6}
TYPO_WEIGHT = 0.8
SINGLE_CHAR_WEIGHT = 0.3
RERANK_DEPTH = 10
COVERAGE_FLOOR = 0.3
PROPER_MAX_FREQ = 5000  # jieba dictionary frequency above which a "name" is an everyday word
CORPUS_FLOOR = 0.3  # the least a content word weighs, however common in the corpus
MIN_COVERAGE = 0.7  # share of the question's content a confident answer must hold
NOT_FOUND_COVERAGE = 0.35  # below this, nothing in the paper is about the question
DATE_BOOST = 0.25  # how much a date named without "报纸" favours that day's issues
TIE_RATIO = 0.85  # a runner-up this close, covering as much, makes the first a guess


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    coverage: float
    highlight: tuple[tuple[int, int], ...]  # character spans of the answering sentence(s)
    holds_kind: bool = True  # has what the question asks for (a number, a date…) near its words
    rank_score: float = 0.0  # BM25 relative to the best, times coverage: what orders the hits


# Outcomes
ANSWERED = "answered"
UNSURE = "unsure"
NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Answer:
    question: str
    outcome: str
    hits: tuple[Hit, ...]
    reasons: tuple[str, ...] = ()
    elapsed_ms: float = 0.0

    @property
    def answered(self) -> bool:
        return self.outcome == ANSWERED

    @property
    def results(self) -> tuple[Hit, ...]:
        """What people are shown: nothing when the paper has nothing relevant."""
        return () if self.outcome == NOT_FOUND else self.hits


# ---------------------------------------------------------------------------------------------
# What the question asks for


@dataclass(frozen=True)
class AnswerType:
    name: str
    asks: re.Pattern[str]
    holds: re.Pattern[str]  # what a clause must contain to answer it…
    pos: str = ""  # …or a word of this jieba part of speech (nr person, ns place)


_NUMERAL = r"(?:\d|[一二两三四五六七八九十百千万亿]{1,4}[个名项家座条次倍成%])"
ANSWER_TYPES = (
    AnswerType(
        "money",
        re.compile(r"多少钱|价格|票价|价钱|收费|费用|花了多少|多少元|几块钱|贵不贵|要钱"),
        re.compile(r"\d[\d.,]*\s*[万亿千百]*\s*(?:元|美元|块)|免费|免票"),
    ),
    AnswerType(
        "date",
        re.compile(r"什么时候|啥时候|何时|哪天|哪一天|几月|几号|哪年|哪一年|几点|日期|时间是|多会儿"),
        re.compile(
            r"\d{1,4}\s*[年月日号时点]|[昨今明前后]日|[昨今明去前]年|近日|日前|月底|月初|年底|上午|下午|\d+:\d+|世纪|年代|公元"
        ),
    ),
    # "Who" is answered by a named person, a titled office holder or an institution.
    AnswerType(
        "person",
        re.compile(r"是谁|谁是|谁[^\s]{0,6}$|哪位|什么人|哪个人|叫什么名字|姓什么|^谁"),
        re.compile(
            r"(?:市长|书记|主任|总裁|会长|局长|县长|区长|省长|部长|主席|院长|校长|经理|董事长|记者)"
            r"|[\u4e00-\u9fff]{2,}(?:大学|研究院|研究所|公司|集团|协会|委员会|政府|中心|局|厅|部|院)"
        ),
        pos="nr",
    ),
    AnswerType(
        "place",
        re.compile(r"哪里|哪儿|在哪|什么地方|何地|何处|哪个地方|位于|地点"),
        re.compile(
            r"[\u4e00-\u9fff]{1,8}(?:省|市|县|区|乡|镇|村|街|路|馆|寺|园|基地|中心|广场|景区|遗址|宾馆|酒店|大厦|学校|大学|公司|集团|港|厂|站)"
        ),
        pos="ns",
    ),
    AnswerType(
        "number",
        re.compile(
            r"多少|几[个名项家座条次倍年天人万亿千百十]?|多大|多高|多长|多远|多重|多久|比例|占比|百分之|第几|排名|增长了|增速"
        ),
        re.compile(_NUMERAL + r"|第[一二三四五六七八九十\d]|[一二两三四五六七八九十]+[大项个家]|首"),
    ),
)


def answer_type(question: str) -> AnswerType | None:
    """The kind of thing a question asks for, the most specific first (money before number)."""
    for kind in ANSWER_TYPES:
        if kind.asks.search(question):
            return kind
    return None


SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*[”’」』)）]*")
CLAUSE = re.compile(r"[^。！？!?；;，,：:]+[。！？!?；;，,：:]*[”’」』)）]*")


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a paragraph."""
    return [(m.start(), m.end()) for m in SENTENCE.finditer(text) if m.group(0).strip()]


# ---------------------------------------------------------------------------------------------
# The index


@dataclass(frozen=True)
class _Unit:
    """A content word of the question, with how much it says about the topic."""

    text: str
    weight: float
    specific: bool  # a name, place or rare word: if the passage lacks it, it is about something else
    alternatives: tuple[str, ...] = ()  # corpus words that sound the same (input-method typos)
    pairs: tuple[str, ...] = field(init=False)  # its bigrams, for partial matches of longer words
    abbreviation: re.Pattern[str] | None = field(init=False)  # 教资 ← 教师资格

    def __post_init__(self) -> None:
        object.__setattr__(self, "pairs", tuple(bigrams(self.text)) if len(self.text) >= 3 else ())
        short_cjk = 2 <= len(self.text) <= 4 and all(is_cjk(ch) for ch in self.text)
        pattern = re.compile(".{0,3}".join(map(re.escape, self.text))) if short_cjk else None
        object.__setattr__(self, "abbreviation", pattern)


@dataclass
class Index:
    """Everything needed to answer from one corpus: passages, tokenizer, BM25 and postings."""

    corpus: Corpus
    passages: Passages
    tokenizer: Tokenizer
    bm25: BM25
    postings: Postings
    doc_days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32), repr=False)

    def __post_init__(self) -> None:
        self.doc_days = self.passages.issue_days()

    @cached_property
    def newest(self) -> dt.date:
        """The newest issue's date: relative dates in questions count from it."""
        return max(i.date for i in self.corpus.issues)

    def context(self, d: int) -> str:
        """A paragraph with its headline and subtitle, normalised: what coverage is checked on."""
        p = self.passages[d]
        return normalize(" ".join(x for x in (p.headline, p.subtitle) if x) + "\n" + p.text)

    @classmethod
    def build(cls, corpus: Corpus, previous: Postings | None = None, tokenizer: Tokenizer | None = None) -> Index:
        """Index a corpus; files already tokenized in `previous` are not tokenized again.

        A `tokenizer` of the same user dictionaries (the serving index's) is reused, with the new
        bylines' names added, instead of loading jieba's dictionary again.
        """
        names = corpus.reporter_names
        if tokenizer is None or tokenizer.user_dicts != tuple(corpus.user_dicts):
            tokenizer = Tokenizer(corpus.user_dicts, extra_words=names)
        else:
            tokenizer.add_words(names)
        postings = assemble(corpus, tokenizer, tokenizer_key(corpus.user_dicts), previous)
        spans = sorted(postings.spans.items(), key=lambda kv: kv[1])
        passages = Passages([postings.issues[k] for k, _ in spans], [s for _, (s, _) in spans], postings.n_docs)
        bm25 = BM25(postings=postings)
        return cls(
            corpus=corpus,
            passages=passages,
            tokenizer=tokenizer,
            bm25=bm25,
            postings=postings,
        )

    def headlines(self, limit: int = 10) -> list[str]:
        """Article headlines of the newest issues first: topics to suggest to people."""
        out: list[str] = []
        for issue in sorted(self.corpus.issues, key=lambda i: i.date, reverse=True):
            out.extend(a.headline for a in issue.articles if a.kind == "article")
            if len(out) >= limit:
                break
        return out[:limit]

    # -- querying ---------------------------------------------------------------------------

    def ask(self, question: str, top: int = 3) -> Answer:
        """Rank paragraphs for a question and decide whether the best one answers it."""
        started = time.perf_counter()
        normalized = normalize(question)
        scope = date_scope(normalized, self.newest) if self.passages else None
        if scope is not None and scope.strict:  # "11月2日的报纸": picks issues, not words to find
            normalized = normalized.replace(scope.said, " ", 1)
        terms = self.tokenizer.query(normalized)
        query: dict[str, float] = {}
        for token in terms.tokens:
            kind, _, body = token.partition(":")
            # One character says little ("人", "去"): bigrams and words carry the topic.
            query[token] = TOKEN_WEIGHTS[kind] * (SINGLE_CHAR_WEIGHT if len(body) == 1 else 1.0)
            if kind in (TokenKind.WORD, TokenKind.BIGRAM) and token not in self.bm25.vocab and all(is_cjk(ch) for ch in body):
                for alt in self._sounds_like(body):
                    query.setdefault(make_token(kind, alt), TOKEN_WEIGHTS[kind] * TYPO_WEIGHT)
        factor: np.ndarray | None = None
        reasons: list[str] = []
        if scope is not None:
            inside = (self.doc_days >= scope.start.toordinal()) & (self.doc_days <= scope.end.toordinal())
            factor = inside.astype(np.float64) if scope.strict else 1 + DATE_BOOST * inside
            reasons.append(f"date {scope.start}..{scope.end} {'only' if scope.strict else 'favoured'}")
        units = self._units(terms.normalized)
        kind = answer_type(terms.normalized)
        # BM25 finds candidates; how much of the question each one covers orders them; on a tie
        # the newer issue wins; a paragraph reprinted in several issues is shown once.
        found, found_scores = self.bm25.best(query, max(top, RERANK_DEPTH), factor, prefer=self.doc_days)
        scores = dict(zip(found.tolist(), found_scores.tolist(), strict=True))
        best = float(found_scores[0]) if len(found) else 1.0
        contexts = {d: self.context(d) for d in scores}
        covered = {d: self._coverage(units, contexts[d])[0] for d in contexts}
        final = {d: scores[d] / best * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * covered[d]) for d in covered}
        ranked: list[int] = []
        seen: set[str] = set()
        for d in sorted(final, key=lambda d: (-round(final[d], 9), -self.doc_days[d], d)):
            if self.passages[d].text not in seen:
                seen.add(self.passages[d].text)
                ranked.append(d)
        ranked = ranked[: max(top, 1)]
        hits = []
        for d in ranked:
            span, kind_ok = self._locate(units, self.passages[d].text, kind)
            hits.append(
                Hit(
                    passage=self.passages[d],
                    score=float(scores[d]),
                    coverage=covered[d],
                    highlight=(span,) if span else (),
                    holds_kind=kind_ok,
                    rank_score=float(final[d]),
                )
            )
        outcome, why = self._decide(units, kind, hits, contexts[ranked[0]] if ranked else "")
        return Answer(
            question=question,
            outcome=outcome,
            hits=tuple(hits[:top]),
            reasons=tuple(reasons + why),
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    def _idf_share(self, word: str) -> float:
        """The word's IDF in this corpus relative to the rarest term's; 1 for words it lacks."""
        t = self.bm25.vocab.get(make_token(TokenKind.WORD, word))
        if t is None or not len(self.bm25.idf):
            return 1.0
        return float(self.bm25.idf[t] / self.bm25.max_idf)

    def _sounds_like(self, chars: str) -> list[str]:
        return self.postings.pinyin.get(pinyin_key(chars), "").split()

    def _units(self, normalized: str) -> list[_Unit]:
        """The question's content words, weighted by how specific they are in general Chinese."""
        freq = self.tokenizer._jieba.FREQ
        total = self.tokenizer._jieba.total
        units: dict[str, _Unit] = {}
        for pair in self.tokenizer.pos.lcut(normalized):
            word, flag = pair.word, pair.flag
            if is_function_word(word) or not any(ch.isalnum() for ch in word) or word in units:
                continue
            general = freq.get(word, 0)
            rarity = math.log(total / (general + 1))
            weight = min(1.0, max(0.05, (rarity - 7.0) / 5.0))
            cjk = all(is_cjk(ch) for ch in word)
            known = make_token(TokenKind.WORD, word) in self.bm25.vocab or make_token(TokenKind.BIGRAM, word) in self.bm25.vocab
            # A name (jieba's POS, but not an everyday word it mistags — unless this corpus never
            # has it), a longer word jieba never saw (two-character unknowns are mostly
            # segmentation debris), or a number stated.
            named = flag in ("nr", "ns", "nt", "nz") and len(word) >= 2
            proper = named and (general < PROPER_MAX_FREQ or not known)
            specific = proper or (general == 0 and cjk and len(word) >= 3) or word.isdigit()
            # A word in nearly every paragraph (the city in its own daily) is little evidence either way.
            weight *= CORPUS_FLOOR + (1 - CORPUS_FLOOR) * self._idf_share(word)
            alternatives: tuple[str, ...] = ()
            if cjk and len(word) >= 2 and not known:
                alternatives = tuple(dict.fromkeys(a for a in self._sounds_like(word) if a != word))
            if arabic_numerals(word) != word:
                alternatives += (arabic_numerals(word),)
            units[word] = _Unit(word, max(weight, 0.6) if proper else weight, specific, alternatives)
        return list(units.values())

    @staticmethod
    def _matched(unit: _Unit, context: str) -> float:
        """1 when the unit (or a same-sounding corpus word) is in the context; partial by bigrams."""
        if unit.text in context or any(a in context for a in unit.alternatives):
            return 1.0
        # An abbreviation keeps the first character of each word: 教资 ← 教师资格.
        if unit.abbreviation is not None and unit.abbreviation.search(context):
            return 0.8
        if unit.pairs:
            found = sum(1 for p in unit.pairs if p in context) / len(unit.pairs)
            return found if found >= 0.5 else 0.0
        return 0.0

    def _coverage(self, units: list[_Unit], context: str) -> tuple[float, list[_Unit]]:
        """Weighted share of the question's content found in a passage, and what is missing."""
        total = sum(u.weight for u in units)
        if not total:
            return 0.0, []
        got = 0.0
        missing: list[_Unit] = []
        for unit in units:
            m = self._matched(unit, context)
            got += unit.weight * m
            if m < 1.0:
                missing.append(unit)
        return got / total, missing

    def _rarity(self, unit: _Unit) -> float:
        """How telling a question word is here: rare in this corpus and specific in general."""
        t = self.bm25.vocab.get(make_token(TokenKind.WORD, unit.text))
        return (float(self.bm25.idf[t]) if t is not None else 1.0) * unit.weight

    def _locate(self, units: list[_Unit], text: str, kind: AnswerType | None) -> tuple[tuple[int, int] | None, bool]:
        """The answering sentence of a paragraph, and whether it holds what the question asks for.

        The anchor is the rarest question word the paragraph has; the asked-for kind (a number,
        a date, a person…) must stand within two clauses of it — "一等奖是谁" is not answered by
        a name three sentences away from 一等奖.
        """
        clauses = [(m.start(), m.end()) for m in CLAUSE.finditer(text) if m.group(0).strip()]
        if not clauses:
            return None, kind is None
        whole = normalize(text)  # one conversion per paragraph; clause by clause only if lengths moved
        norm = [whole[s:e] for s, e in clauses] if len(whole) == len(text) else [normalize(text[s:e]) for s, e in clauses]
        found = [[self._matched(u, c) for c in norm] for u in units]  # unit × clause
        present = [i for i, row in enumerate(found) if any(row)]
        anchor = max(present, key=lambda i: self._rarity(units[i]), default=None)
        near = [j for j, m in enumerate(found[anchor]) if m] if anchor is not None else []
        window = sorted({j for i in near for j in range(i - 2, i + 3) if 0 <= j < len(norm)})
        if kind is None:
            kind_ok, good = True, set(near)
        else:
            holds = {j for j in (window or range(len(norm))) if self._holds(kind, norm[j])}
            kind_ok, good = bool(holds), {i for i in near if any(abs(i - j) <= 2 for j in holds)}
        best: tuple[float, tuple[int, int]] | None = None
        for span in sentences(text):
            inside = [i for i, (c_start, _) in enumerate(clauses) if span[0] <= c_start < span[1]]
            content = sum(u.weight * max((found[n][i] for i in inside), default=0.0) for n, u in enumerate(units))
            score = content + (1.0 if good.intersection(inside) else 0.0)
            if best is None or score > best[0]:
                best = (score, span)
        return (best[1] if best else None), kind_ok

    def _holds(self, kind: AnswerType, clause: str) -> bool:
        if kind.holds.search(clause):
            return True
        return bool(kind.pos) and any(p.flag == kind.pos and len(p.word) >= 2 for p in self.tokenizer.pos.lcut(clause))

    def _decide(self, units: list[_Unit], kind: AnswerType | None, hits: list[Hit], top_context: str) -> tuple[str, list[str]]:
        """Three outcomes; a confident wrong paragraph is the worst, so doubt goes to "unsure"."""
        if not hits or not units:
            return NOT_FOUND, ["no content words matched"]
        top = hits[0]
        coverage, missing = self._coverage(units, top_context)
        reasons = [f"coverage={coverage:.2f}"]
        if coverage < NOT_FOUND_COVERAGE:
            return NOT_FOUND, [*reasons, "too little of the question is in the paper"]
        lacking = [u.text for u in missing if u.specific and self._matched(u, top_context) == 0]
        if lacking:
            reasons.append("missing specific: " + ",".join(lacking))
        if not top.holds_kind:
            reasons.append(f"asks for {kind.name if kind else '?'}, none near the question's words")
        rival = hits[1] if len(hits) > 1 else None
        tied = rival is not None and rival.rank_score >= TIE_RATIO * top.rank_score and rival.coverage >= top.coverage
        if tied:
            reasons.append("another paragraph fits as well")
        if coverage >= MIN_COVERAGE and not lacking and top.holds_kind and not tied:
            return ANSWERED, reasons
        return UNSURE, reasons
