"""The postings of a corpus — its tokenized paragraphs by term — built in memory, incrementally.

Postings are kept per term (CSR): for term t, `docs[ptr[t]:ptr[t+1]]` are the paragraphs that
hold it and `tf[...]` how often. Each issue file's paragraphs are one contiguous range of doc
ids, found by (file name, content hash), so adding an issue tokenizes only that file and removing
one renumbers the rest without tokenizing anything. `store` saves and loads them.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
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
class Postings:
    """Tokenized paragraphs of a corpus, by term, plus what a query needs per paragraph."""

    key: str  # tokenizer_key the tokens were made with
    vocab: list[str]
    ptr: np.ndarray  # int64, len(vocab) + 1
    docs: np.ndarray  # int32 doc id per posting
    tf: np.ndarray  # uint16 term frequency per posting
    doc_len: np.ndarray  # float32 tokens per paragraph (headline tokens included)
    spans: dict[str, tuple[int, int]]  # issue_key -> [first doc, end doc)
    pinyin: dict[str, str]  # toneless pinyin -> CJK terms of the vocabulary, space-separated (unpickles 5× faster than lists)
    issues: dict[str, Issue]  # issue_key -> the parsed issue (saves parsing at start)
    _term_ids: dict[str, int] | None = dataclasses.field(default=None, repr=False, compare=False)
    origin: tuple[int, int] | None = dataclasses.field(
        default=None, repr=False, compare=False
    )  # store.stamp of the saved store these are

    @property
    def n_docs(self) -> int:
        return len(self.doc_len)

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
        if len(self.ptr) != len(self.vocab) + 1 or int(self.ptr[-1]) != len(self.docs) or len(self.tf) != len(self.docs):
            raise ValueError("postings arrays disagree")
        if len(self.docs) and (int(self.docs.min()) < 0 or int(self.docs.max()) >= n):
            raise ValueError("posting points past the last paragraph")
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
    local: dict[str, int] = {}
    flat = np.fromiter((local.setdefault(t, len(local)) for d in docs for t in d), dtype=np.int64)
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


def assemble(
    corpus: Corpus, tokenizer: Tokenizer, key: str, previous: Postings | None = None, progress: Progress | None = None
) -> Postings:
    """Postings for `corpus`, reusing `previous` for every file it already holds unchanged;
    `progress` is advanced by each tokenized file's paragraphs."""
    if previous is not None and previous.key != key:
        previous = None
    wanted = {issue_key(i): i for i in corpus.issues}
    if previous is not None and set(previous.spans) == set(wanted):  # nothing changed: reuse as is
        return dataclasses.replace(previous, issues=wanted)
    vocab = list(previous.vocab) if previous else []
    term_id = dict(previous.term_ids) if previous else {}  # a copy: the serving index still reads the old one

    # Paragraphs of unchanged files keep their postings; only a removal renumbers them.
    spans: dict[str, tuple[int, int]] = {}
    n = 0
    old_ptr = np.zeros(1, dtype=np.int64)
    old_docs = np.zeros(0, dtype=np.int32)
    old_tf = np.zeros(0, dtype=np.uint16)
    doc_len_parts: list[np.ndarray] = []
    if previous is not None and set(previous.spans) <= set(wanted):  # only additions: keep all as is
        spans, n = dict(previous.spans), previous.n_docs
        old_ptr, old_docs, old_tf = previous.ptr, previous.docs, previous.tf
        doc_len_parts.append(previous.doc_len)
    elif previous is not None:
        remap = np.full(previous.n_docs, -1, dtype=np.int64)
        for k, (s, e) in sorted(previous.spans.items(), key=lambda kv: kv[1]):
            if k in wanted:
                remap[s:e] = np.arange(n, n + e - s)
                spans[k] = (n, n + e - s)
                doc_len_parts.append(previous.doc_len[s:e])
                n += e - s
        new_docs = remap[previous.docs]
        keep = new_docs >= 0
        old_terms = np.repeat(np.arange(len(previous.vocab)), np.diff(previous.ptr))[keep]
        old_ptr = np.zeros(len(previous.vocab) + 1, dtype=np.int64)
        old_ptr[1:] = np.cumsum(np.bincount(old_terms, minlength=len(previous.vocab)))
        old_docs, old_tf = new_docs[keep].astype(np.int32), previous.tf[keep]

    # New or changed files are tokenized (in worker processes when there are many).
    fresh = [k for k in wanted if k not in spans]
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    parts = _tokenize_all(tokenizer, [wanted[k] for k in fresh])
    if progress is not None:
        total = sum(wanted[k].paragraph_count for k in fresh)
        parts = progress.track(parts, f"tokenizing {len(fresh)} files", total, "paragraphs", lambda p: len(p.doc_len))
    for k, part in zip(fresh, parts, strict=True):
        count = len(part.doc_len)
        spans[k] = (n, n + count)
        doc_len_parts.append(part.doc_len)
        to_global = np.fromiter((term_id.setdefault(t, len(term_id)) for t in part.terms), dtype=np.int32)
        vocab.extend(part.terms[i] for i in np.flatnonzero(to_global >= len(vocab)))
        rows.append(to_global[part.term])
        cols.append(part.doc + np.int32(n))
        tfs.append(part.tf)
        n += count

    # int32 throughout and each list freed once joined: at a million paragraphs these are
    # hundreds of millions of postings, and every extra copy is gigabytes.
    new_terms = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
    rows.clear()
    order = np.argsort(new_terms, kind="stable")
    new_terms = new_terms[order]
    new_docs = np.concatenate(cols)[order] if cols else np.zeros(0, dtype=np.int32)
    cols.clear()
    new_tf = np.concatenate(tfs)[order] if tfs else np.zeros(0, dtype=np.uint16)
    tfs.clear()
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

    pinyin = dict(previous.pinyin) if previous else {}
    keyed = (TokenKind.WORD, TokenKind.BIGRAM)
    for term in vocab[len(previous.vocab) if previous else 0 :]:
        kind, _, body = term.partition(":")
        if kind in keyed and len(body) >= 2 and all(is_cjk(ch) for ch in body):
            sound = pinyin_key(body)
            pinyin[sound] = f"{pinyin[sound]} {body}" if sound in pinyin else body

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
