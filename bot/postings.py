"""The postings of a corpus — its tokenized paragraphs by term — built in memory, incrementally.

Postings are kept per term (CSR): for term t, `docs[ptr[t]:ptr[t+1]]` are the paragraphs that
hold it and `tf[...]` how often. Each issue file's paragraphs are one contiguous range of doc
ids, found by (file name, content hash), so adding an issue tokenizes only that file and removing
one renumbers the rest without tokenizing anything. `store` saves and loads them.

Added issues do not touch those arrays: they become a small `Segment` beside them (doc ids after
the base's, new terms' ids after the base's vocabulary), so adding one issue to a million
paragraphs neither reads nor copies the base. A term's postings are the base's followed by each
segment's, which is exactly the run one merged array would hold; `flat` merges them (what a
removal and a background merge start from).
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .corpus import Corpus, Issue
from .progress import Progress
from .text import Tokenizer, TokenKind, is_cjk, pinyin_key

log = logging.getLogger("datong_bot.store")  # the name its lines had when the builder was part of the store


def issue_key(issue: Issue) -> str:
    return f"{issue.name}:{issue.sha256}"


@dataclass
class Segment:
    """Postings of issues added after the base, by global term id: only the terms they hold."""

    terms: np.ndarray  # int32 global term ids with postings here, ascending
    ptr: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32 global doc id per posting
    tf: np.ndarray  # uint16
    first_doc: int  # its paragraphs are [first_doc, first_doc + len(doc_len))
    first_term: int  # the terms it added to the vocabulary start at this id
    doc_len: np.ndarray  # float32, its own paragraphs'
    vocab: list[str]  # the terms it added, in id order
    spans: dict[str, tuple[int, int]]  # its issue files
    pinyin: list[tuple[str, str]]  # (pinyin key, term) it added, in order
    name: str | None = None  # its folder in the saved store, once saved

    @property
    def n_postings(self) -> int:
        return len(self.docs)

    def check(self, n_terms: int) -> None:
        """Raise ValueError unless its arrays agree with each other and with where it starts."""
        if len(self.ptr) != len(self.terms) + 1 or int(self.ptr[-1]) != len(self.docs) or len(self.tf) != len(self.docs):
            raise ValueError("segment arrays disagree")
        if len(self.terms) and (np.any(np.diff(self.terms) <= 0) or int(self.terms[0]) < 0 or int(self.terms[-1]) >= n_terms):
            raise ValueError("segment terms out of order or range")
        if np.any(np.diff(self.ptr) <= 0):
            raise ValueError("segment pointers do not rise")
        end = self.first_doc + len(self.doc_len)
        if len(self.docs) and (int(self.docs.min()) < self.first_doc or int(self.docs.max()) >= end):
            raise ValueError("segment posting outside its paragraphs")
        if sum(e - s for s, e in self.spans.values()) != len(self.doc_len):
            raise ValueError("segment spans disagree with its paragraphs")


@dataclass
class Postings:
    """Tokenized paragraphs of a corpus, by term, plus what a query needs per paragraph.

    `ptr`/`docs`/`tf` are the base (the first `len(ptr) - 1` terms, the first paragraphs);
    `segments` hold the issues added since; `vocab`, `doc_len`, `spans`, `pinyin` and `issues`
    cover all of them."""

    key: str  # tokenizer_key the tokens were made with
    vocab: list[str]
    ptr: np.ndarray  # int64, base terms + 1
    docs: np.ndarray  # int32 doc id per posting
    tf: np.ndarray  # uint16 term frequency per posting
    doc_len: np.ndarray  # float32 tokens per paragraph (headline tokens included)
    spans: dict[str, tuple[int, int]]  # issue_key -> [first doc, end doc)
    pinyin: dict[str, str]  # toneless pinyin -> CJK terms of the vocabulary, space-separated (unpickles 5× faster than lists)
    issues: dict[str, Issue]  # issue_key -> the parsed issue (saves parsing at start)
    segments: tuple[Segment, ...] = ()
    _term_ids: dict[str, int] | None = dataclasses.field(default=None, repr=False, compare=False)
    origin: tuple | None = dataclasses.field(default=None, repr=False, compare=False)  # store.stamp of the saved store these are

    @property
    def n_docs(self) -> int:
        return len(self.doc_len)

    @property
    def base_docs(self) -> int:
        """Paragraphs in the base arrays (the segments' come after)."""
        return self.segments[0].first_doc if self.segments else self.n_docs

    @property
    def n_postings(self) -> int:
        return len(self.docs) + sum(s.n_postings for s in self.segments)

    def df(self) -> np.ndarray:
        """Paragraphs holding each term (int64, one per vocabulary term), base and segments."""
        df = np.zeros(len(self.vocab), dtype=np.int64)
        df[: len(self.ptr) - 1] = np.diff(self.ptr)
        for seg in self.segments:
            df[seg.terms] += np.diff(seg.ptr)
        return df

    def flat(self, docs_out: np.ndarray | None = None, tf_out: np.ndarray | None = None) -> Postings:
        """The same postings as one base with no segments: each term's base postings, then each
        segment's (rising doc ids), exactly the arrays `assemble` makes when it adds the same
        files to the base at once. Written into `docs_out`/`tf_out` when given (memory-mapped
        files, for a merge that must not hold everything in memory), a term range at a time."""
        if not self.segments:
            return self
        n_terms, base_terms = len(self.vocab), len(self.ptr) - 1
        ptr = np.zeros(n_terms + 1, dtype=np.int64)
        ptr[1:] = np.cumsum(self.df())
        total = int(ptr[-1])
        docs = np.empty(total, dtype=np.int32) if docs_out is None else docs_out
        tf = np.empty(total, dtype=np.uint16) if tf_out is None else tf_out
        a = 0
        while a < n_terms:
            b = min(n_terms, max(a + 1, int(np.searchsorted(ptr, ptr[a] + MERGE_CHUNK, side="right")) - 1))
            terms, doc_parts, tf_parts = [], [], []
            lo_t, hi_t = min(a, base_terms), min(b, base_terms)
            if hi_t > lo_t:
                lo, hi = int(self.ptr[lo_t]), int(self.ptr[hi_t])
                terms.append(np.repeat(np.arange(lo_t, hi_t, dtype=np.int32), np.diff(self.ptr[lo_t : hi_t + 1])))
                doc_parts.append(self.docs[lo:hi])
                tf_parts.append(self.tf[lo:hi])
            for seg in self.segments:
                i, j = np.searchsorted(seg.terms, [a, b])
                if j > i:
                    lo, hi = int(seg.ptr[i]), int(seg.ptr[j])
                    terms.append(np.repeat(seg.terms[i:j], np.diff(seg.ptr[i : j + 1])))
                    doc_parts.append(seg.docs[lo:hi])
                    tf_parts.append(seg.tf[lo:hi])
            if terms:
                order = np.argsort(np.concatenate(terms), kind="stable")  # by term; within one, base then segments
                docs[ptr[a] : ptr[b]] = np.concatenate(doc_parts)[order]
                tf[ptr[a] : ptr[b]] = np.concatenate(tf_parts)[order]
            a = b
        return dataclasses.replace(self, ptr=ptr, docs=docs, tf=tf, segments=(), origin=None)

    @property
    def term_ids(self) -> dict[str, int]:
        """term -> its id (its row in `ptr`): made once, shared by the ranker and the next update."""
        if self._term_ids is None:
            self._term_ids = dict(zip(self.vocab, range(len(self.vocab)), strict=True))
        return self._term_ids

    @classmethod
    def from_token_lists(cls, docs: Sequence[Sequence[str]]) -> Postings:
        """Postings of token lists, counted as an issue's paragraphs are: the small-corpus path
        (tests, benchmarks) of `BM25(docs)`. Not from files, so no spans, issues or pinyin."""
        part = count_terms(docs)
        order = np.argsort(part.term, kind="stable")  # by term; within one, by paragraph
        ptr = np.zeros(len(part.terms) + 1, dtype=np.int64)
        ptr[1:] = np.cumsum(np.bincount(part.term, minlength=len(part.terms)))
        return cls(
            key="",
            vocab=part.terms,
            ptr=ptr,
            docs=part.doc[order],
            tf=part.tf[order],
            doc_len=part.doc_len,
            spans={},
            pinyin={},
            issues={},
        )

    def check(self) -> None:
        """Raise ValueError unless every part agrees with every other."""
        n = self.n_docs
        base_terms = len(self.vocab) - sum(len(s.vocab) for s in self.segments)
        if len(self.ptr) != base_terms + 1 or int(self.ptr[-1]) != len(self.docs) or len(self.tf) != len(self.docs):
            raise ValueError("postings arrays disagree")
        if len(self.docs) and (int(self.docs.min()) < 0 or int(self.docs.max()) >= self.base_docs):
            raise ValueError("posting points past the last paragraph")
        first_doc, first_term = self.base_docs, base_terms
        for seg in self.segments:
            if seg.first_doc != first_doc or seg.first_term != first_term:
                raise ValueError("segments out of order")
            seg.check(first_term + len(seg.vocab))
            first_doc, first_term = first_doc + len(seg.doc_len), first_term + len(seg.vocab)
        if first_doc != n:
            raise ValueError("segments disagree with paragraphs")
        if np.any(np.diff(self.ptr) < 0):
            raise ValueError("pointers go backwards")
        covered = sorted(self.spans.values())
        if sum(e - s for s, e in covered) != n or set(self.spans) != set(self.issues):
            raise ValueError("file spans disagree with paragraphs")


@dataclass
class IssuePostings:
    """One issue's paragraphs, tokenized and counted: compact enough to pass between processes."""

    terms: list[str]  # the issue's own vocabulary
    term: np.ndarray  # int32 index into `terms`, one per (paragraph, term)
    doc: np.ndarray  # int32 paragraph number within the issue
    tf: np.ndarray  # uint16
    doc_len: np.ndarray  # float32 tokens per paragraph


def issue_postings(tokenizer: Tokenizer, issue: Issue) -> IssuePostings:
    """Tokenize one issue's paragraphs (headline tokens added to each) and count the terms."""
    docs: list[list[str]] = []
    for article in issue.articles:
        head_tokens = tokenizer.index_tokens(" ".join(x for x in (article.headline, article.subtitle) if x))
        docs.extend(tokenizer.index_tokens(text) + head_tokens for text in article.paragraphs)
    return count_terms(docs)


def count_terms(docs: Sequence[Sequence[str]]) -> IssuePostings:
    """Token lists counted, one paragraph each: an issue's, or a small corpus given as tokens."""
    tokens = [t for d in docs for t in d]
    local = dict(zip(dict.fromkeys(tokens), itertools.count()))  # ids in order of first appearance
    flat = np.fromiter(map(local.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    lengths = np.array([len(d) for d in docs], dtype=np.int64)
    pairs = np.repeat(np.arange(len(docs), dtype=np.int64), lengths) * (1 << 32) + flat
    unique, counts = np.unique(pairs, return_counts=True)
    return IssuePostings(
        terms=list(local),
        term=(unique & 0xFFFFFFFF).astype(np.int32),
        doc=(unique >> 32).astype(np.int32),
        tf=np.minimum(counts, 65535).astype(np.uint16),
        doc_len=lengths.astype(np.float32),
    )


MERGE_CHUNK = 1 << 23  # postings merged at a time: memory of a merge stays this, whatever the base

PARALLEL_MIN_PARAGRAPHS = 4000  # below this, starting worker processes costs more than it saves


def _tokenize_all(tokenizer: Tokenizer, issues: list[Issue]) -> Iterator[IssuePostings]:
    """Each issue's postings, in order, as they are ready; spread over the cores for large batches."""
    workers = min(os.cpu_count() or 1, len(issues))
    if workers < 2 or sum(i.paragraph_count for i in issues) < PARALLEL_MIN_PARAGRAPHS:
        yield from (issue_postings(tokenizer, issue) for issue in issues)
        return
    context = multiprocessing.get_context("spawn")  # no fork of a threaded process
    done = 0
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(tokenizer.user_dicts, tokenizer.extra_words)
        ) as pool:
            for result in pool.map(_worker_postings, issues, chunksize=1):
                yield result
                done += 1
    except (BrokenProcessPool, OSError) as exc:  # e.g. a main module workers cannot import
        log.warning("tokenizing in one process (%s)", exc)
        yield from (issue_postings(tokenizer, issue) for issue in issues[done:])


_worker_tokenizer: Tokenizer | None = None


def _start_worker(user_dicts: tuple[Path, ...], extra_words: tuple[str, ...]) -> None:
    global _worker_tokenizer
    _worker_tokenizer = Tokenizer(user_dicts, extra_words)


def _worker_postings(issue: Issue) -> IssuePostings:
    assert _worker_tokenizer is not None
    return issue_postings(_worker_tokenizer, issue)


def _tokenized(tokenizer: Tokenizer, issues: list[Issue], progress: Progress | None) -> Iterator[IssuePostings]:
    """`_tokenize_all`, advancing `progress` by each file's paragraphs."""
    parts = _tokenize_all(tokenizer, issues)
    if progress is not None:
        total = sum(i.paragraph_count for i in issues)
        parts = progress.track(parts, f"tokenizing {len(issues)} files", total, "paragraphs", lambda p: len(p.doc_len))
    return parts


def _keyed(terms: Iterable[str]) -> Iterator[str]:
    """The bodies of the CJK words and bigrams (2+ characters) among vocabulary terms, in order:
    those a question's typo may be matched to by sound."""
    keyed = (TokenKind.WORD, TokenKind.BIGRAM)
    for term in terms:
        kind, _, body = term.partition(":")
        if kind in keyed and len(body) >= 2 and all(is_cjk(ch) for ch in body):
            yield body


def _pinyin_of(terms: Sequence[str]) -> list[tuple[str, str]]:
    """(pinyin key, body) of the new vocabulary terms that have one, in order."""
    return [(pinyin_key(body), body) for body in _keyed(terms)]


def _pinyin_within(previous: Postings, alive: np.ndarray) -> dict[str, str]:
    """The pinyin keys of `previous`'s vocabulary less the terms not `alive`: the same as made
    afresh for what is left. A key's list is its terms in vocabulary order, so only the keys of
    terms that left are made again, from their terms still there."""
    pinyin = dict(previous.pinyin)
    gone = [previous.vocab[i] for i in np.flatnonzero(~alive).tolist()]
    ids = previous.term_ids
    for sound in {pinyin_key(body) for body in _keyed(gone)}:
        bodies = set(pinyin.get(sound, "").split(" "))
        held = sorted(
            t
            for body in bodies
            for kind in (TokenKind.WORD, TokenKind.BIGRAM)
            if (t := ids.get(f"{kind}:{body}")) is not None and alive[t]
        )
        if held:
            pinyin[sound] = " ".join(previous.vocab[t].partition(":")[2] for t in held)
        else:
            pinyin.pop(sound, None)
    return pinyin


def add_pinyin(pinyin: dict[str, str], added: Iterable[tuple[str, str]]) -> None:
    for sound, body in added:
        pinyin[sound] = f"{pinyin[sound]} {body}" if sound in pinyin else body


def _joined(
    parts: Iterable[tuple[str, IssuePostings]], vocab: list[str], term_id: dict[str, int], first_doc: int
) -> tuple[dict[str, tuple[int, int]], list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Files' postings with global term ids (terms new to `vocab`/`term_id` appended to both) and
    doc ids from `first_doc` on, joined in file order: (spans, paragraph lengths, terms, docs,
    tf). int32 throughout and each list freed once joined: at a million paragraphs these are
    hundreds of millions of postings, and every extra copy is gigabytes."""
    n = first_doc
    spans: dict[str, tuple[int, int]] = {}
    lengths: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    for k, part in parts:
        count = len(part.doc_len)
        spans[k] = (n, n + count)
        lengths.append(part.doc_len)
        new = [t for t in part.terms if t not in term_id]  # an issue's terms are distinct: ids in its order
        term_id.update(zip(new, range(len(term_id), len(term_id) + len(new)), strict=True))
        vocab.extend(new)
        to_global = np.fromiter(map(term_id.__getitem__, part.terms), dtype=np.int32, count=len(part.terms))
        rows.append(to_global[part.term])
        cols.append(part.doc + np.int32(n))
        tfs.append(part.tf)
        n += count
    terms = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
    rows.clear()
    docs = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int32)
    cols.clear()
    tf = np.concatenate(tfs) if tfs else np.zeros(0, dtype=np.uint16)
    return spans, lengths, terms, docs, tf


def extend(previous: Postings, parts: Iterable[tuple[str, IssuePostings]], issues: dict[str, Issue]) -> Postings:
    """`previous` with the given files' postings as one new segment after it; its arrays are
    neither read nor copied (only its vocabulary and paragraph lengths are). `issues` is every
    file of the result."""
    vocab = list(previous.vocab)
    term_id = dict(previous.term_ids)  # a copy: the serving index still reads the old one
    first_term, first_doc = len(vocab), previous.n_docs
    spans, lengths, terms, docs, tf = _joined(parts, vocab, term_id, first_doc)
    order = np.argsort(terms, kind="stable")  # by term; within one, by paragraph
    terms = terms[order]
    ids, counts = np.unique(terms, return_counts=True)
    ptr = np.zeros(len(ids) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(counts)
    added = _pinyin_of(vocab[first_term:])
    pinyin = dict(previous.pinyin)
    add_pinyin(pinyin, added)
    doc_len = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.float32)
    segment = Segment(
        terms=ids.astype(np.int32),
        ptr=ptr,
        docs=docs[order].astype(np.int32, copy=False),
        tf=tf[order].astype(np.uint16, copy=False),
        first_doc=first_doc,
        first_term=first_term,
        doc_len=doc_len.astype(np.float32, copy=False),
        vocab=vocab[first_term:],
        spans=spans,
        pinyin=added,
    )
    return dataclasses.replace(
        previous,
        vocab=vocab,
        doc_len=np.concatenate((np.asarray(previous.doc_len), segment.doc_len)),
        spans={**previous.spans, **spans},
        pinyin=pinyin,
        issues=issues,
        segments=(*previous.segments, segment),
        _term_ids=term_id,
        origin=previous.origin,
    )


def assemble(
    corpus: Corpus, tokenizer: Tokenizer, key: str, previous: Postings | None = None, progress: Progress | None = None
) -> Postings:
    """Postings for `corpus`, reusing `previous` for every file it already holds unchanged;
    `progress` is advanced by each tokenized file's paragraphs. Files only added become a new
    segment; a file removed or changed makes one base again, renumbering what follows it."""
    if previous is not None and previous.key != key:
        previous = None
    wanted = {issue_key(i): i for i in corpus.issues}
    if previous is not None and set(previous.spans) == set(wanted):  # nothing changed: reuse as is
        return dataclasses.replace(previous, issues=wanted)
    if previous is not None and set(previous.spans) <= set(wanted):  # only additions: a segment beside the rest
        fresh = [k for k in wanted if k not in previous.spans]
        postings = extend(previous, zip(fresh, _tokenized(tokenizer, [wanted[k] for k in fresh], progress), strict=True), wanted)
        postings.check()
        return postings
    if previous is not None:
        previous = previous.flat()
    vocab: list[str] = []
    pinyin: dict[str, str] = {}

    # Paragraphs of unchanged files keep their postings, renumbered past the removed ones; terms
    # no paragraph holds any more leave the vocabulary (and the pinyin keys), as if never seen.
    spans: dict[str, tuple[int, int]] = {}
    n = 0
    old_ptr = np.zeros(1, dtype=np.int64)
    old_docs = np.zeros(0, dtype=np.int32)
    old_tf = np.zeros(0, dtype=np.uint16)
    doc_len_parts: list[np.ndarray] = []
    if previous is not None:
        remap = np.full(previous.n_docs, -1, dtype=np.int64)
        for k, (s, e) in sorted(previous.spans.items(), key=lambda kv: kv[1]):
            if k in wanted:
                remap[s:e] = np.arange(n, n + e - s)
                spans[k] = (n, n + e - s)
                doc_len_parts.append(previous.doc_len[s:e])
                n += e - s
        new_docs = remap[previous.docs]
        keep = new_docs >= 0
        counts = np.bincount(
            np.repeat(np.arange(len(previous.vocab)), np.diff(previous.ptr))[keep], minlength=len(previous.vocab)
        )
        alive = counts > 0
        vocab = [term for term, held in zip(previous.vocab, alive.tolist(), strict=True) if held]
        old_ptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        old_ptr[1:] = np.cumsum(counts[alive])
        old_docs, old_tf = new_docs[keep].astype(np.int32), previous.tf[keep]
        pinyin = _pinyin_within(previous, alive)
    term_id = dict(zip(vocab, range(len(vocab)), strict=True))
    known_terms = len(vocab)

    # New or changed files are tokenized (in worker processes when there are many).
    fresh = [k for k in wanted if k not in spans]
    parts = zip(fresh, _tokenized(tokenizer, [wanted[k] for k in fresh], progress), strict=True)
    fresh_spans, lengths, new_terms, new_docs, new_tf = _joined(parts, vocab, term_id, n)
    spans.update(fresh_spans)
    doc_len_parts.extend(lengths)
    order = np.argsort(new_terms, kind="stable")
    new_terms = new_terms[order]  # one at a time: each old array is freed before the next copy
    new_docs = new_docs[order]
    new_tf = new_tf[order]
    del order
    # Both runs are sorted by term: each new posting goes after its term's old ones.
    known = len(old_ptr) - 1
    if len(old_docs):
        at = np.where(new_terms < known, old_ptr[np.minimum(new_terms, known - 1) + 1] if known else 0, old_ptr[-1])
        docs_arr = np.insert(old_docs, at, new_docs)
        tf_arr = np.insert(old_tf, at, new_tf)
        del at
    else:
        docs_arr, tf_arr = new_docs, new_tf
    counts = np.bincount(new_terms, minlength=len(vocab))
    counts[:known] += np.diff(old_ptr)
    ptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(counts)

    add_pinyin(pinyin, _pinyin_of(vocab[known_terms:]))

    postings = Postings(
        key=key,
        vocab=vocab,
        ptr=ptr,
        docs=docs_arr.astype(np.int32, copy=False),
        tf=tf_arr.astype(np.uint16, copy=False),
        doc_len=np.concatenate(doc_len_parts) if doc_len_parts else np.zeros(0, dtype=np.float32),
        spans=spans,
        pinyin=pinyin,
        issues=wanted,
        _term_ids=term_id,
    )
    postings.check()
    return postings
