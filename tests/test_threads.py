"""One serving index, many threads: the bot answers questions in the event loop's thread while
subscription matching (`plan_new`) runs in a worker thread, on the same index. What an index
fills in lazily — BM25's per-term ceilings, the passages' article offsets, the per-index memo
(intents' titles, examples), cached properties — is written by whichever thread asks first.
Each of those is idempotent (the same value whoever computes it, each element written whole),
so the worst a race does is compute a value twice. These tests hold the answers and matches
computed from many threads at once, with the interpreter switching threads as often as it can,
to what one thread computes on a fresh index, to the last bit."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
from conftest import QUESTIONS

from bot.corpus import Corpus
from bot.index import Index
from bot.subscriptions import issue_keys, matches, topic_of


def fresh(index: Index, corpus: Corpus) -> Index:
    """The same postings and tokenizer, every lazily filled cache empty (as after a reload)."""
    return Index.build(corpus, previous=index.postings, tokenizer=index.tokenizer)


@contextmanager
def switching_often() -> Iterator[None]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def answer_of(index: Index, question: str) -> tuple:
    answer = index.ask(question)
    return answer.outcome, [(h.passage, h.score, h.highlight) for h in answer.hits]


def matches_of(index: Index, key: str, keyword: str) -> list:
    return [(h.passage, h.score, h.highlight) for h in matches(index, key, keyword)]


def test_answers_and_matches_from_many_threads_at_once_are_those_of_one_thread(index: Index, shipped_corpus: Corpus):
    lines = (QUESTIONS / "datong-daily-2024-11-02.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines][:60]
    keywords = sorted({k for q in questions if (k := topic_of(index, q))})[:20]
    [key] = issue_keys(index)

    alone = fresh(index, shipped_corpus)
    expected_answers = [answer_of(alone, q) for q in questions]
    expected_matches = [matches_of(alone, key, k) for k in keywords]
    assert any(expected_matches), "some keyword matches: the matching path is exercised"

    shared = fresh(index, shipped_corpus)
    assert np.isnan(shared.bm25._ceiling).all()
    with switching_often(), ThreadPoolExecutor(max_workers=8) as pool:
        # Every question and keyword several times over, interleaved, from 8 threads.
        answers = [pool.submit(answer_of, shared, q) for q in questions * 3]
        found = [pool.submit(matches_of, shared, key, k) for k in keywords * 3]
        got_answers = [f.result() for f in answers]
        got_matches = [f.result() for f in found]
    assert got_answers == expected_answers * 3
    assert got_matches == expected_matches * 3
    filled = ~np.isnan(shared.bm25._ceiling)
    assert filled.any()
    assert np.array_equal(shared.bm25._ceiling[filled], alone.bm25._ceiling[filled])  # bitwise: idempotent
