"""Added issues as segments beside the base: ranked exactly as one merged index, saved without
rewriting the base, merged (inline when small, in the background when large), and removals."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot import bm25 as scoring
from bot import postings as builder
from bot import store
from bot.bm25 import BM25
from bot.config import shipped_corpus_dir
from bot.corpus import USER_DICT
from bot.index import load_index
from bot.postings import Postings, count_terms, extend
from bot.serving import IndexHolder
from bot.store import STORE_DIR

PAPERS = Path(__file__).parent / "data" / "papers"
QUESTIONS = ["云冈今年去了多少人", "比萨斜塔拯救工程哪年开始", "天镇县风速多少", "汽柴油降价多少", "国土绿化要怎样"]
ADDED = ["renmin-ribao-2001-06-06.txt", "renmin-ribao-2002-01-01.txt", "renmin-ribao-2003-11-21.txt"]


def _corpus(rng: np.random.Generator, n_docs: int, vocab: int) -> list[list[str]]:
    """Zipf-distributed words (a few very common ones), short and long paragraphs, repeats."""
    docs = [[f"t{w}" for w in rng.zipf(1.3, rng.integers(1, 30)) if w < vocab] or ["t1"] for _ in range(n_docs)]
    return docs + [docs[int(i)] for i in rng.integers(0, n_docs, n_docs // 10)]


def _segmented(docs: list[list[str]], cuts: list[int]) -> Postings:
    """The first `cuts[0]` documents as a base, each following run up to the next cut a segment."""
    postings = Postings.from_token_lists(docs[: cuts[0]])
    for i, (start, end) in enumerate(zip(cuts, [*cuts[1:], len(docs)], strict=True)):
        postings = extend(postings, [(f"part{i}", count_terms(docs[start:end]))], {})
    return postings


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("prune", [False, True])
def test_segments_rank_exactly_as_one_merged_index(seed: int, prune: bool, monkeypatch):
    """Base + segments against the same documents counted at once: the same vocabulary ids, the
    same scores to the last bit, and `best` the same ids, order and scores, pruned or not."""
    if prune:  # make MaxScore skip postings on corpora this small (see test_search)
        monkeypatch.setattr(scoring, "FULL_SCORING_POSTINGS", 0)
        monkeypatch.setattr(scoring, "SEED_SHARE", 0.0)
        monkeypatch.setattr(scoring, "SEED_POSTINGS", 1)
        monkeypatch.setattr(scoring, "SEED_DOCS", 20)
    rng = np.random.default_rng(seed)
    docs = _corpus(rng, 400, 500)
    cuts = sorted({int(c) for c in rng.integers(1, len(docs), 3)} | {200})
    segmented, merged = BM25(postings=_segmented(docs, cuts)), BM25(docs)
    assert len(segmented.segments) == len(cuts) >= 1
    assert segmented.vocab == merged.vocab and segmented.n_docs == merged.n_docs
    assert np.array_equal(segmented.idf, merged.idf) and np.array_equal(segmented.norm, merged.norm)
    pruned = 0
    for _ in range(60):
        query = {f"t{w}": float(rng.choice([0.3, 1.0, 1.5])) for w in rng.zipf(1.2, rng.integers(1, 12)) if w < 550}
        factor = [None, 1 + 0.25 * (rng.random(merged.n_docs) < 0.3)][int(rng.integers(0, 2))]
        prefer = rng.integers(0, 3, merged.n_docs) if rng.random() < 0.5 else None
        k = int(rng.integers(1, 12))
        assert segmented.scores(query).tolist() == merged.scores(query).tolist()
        ids, scores = segmented.best(query, k, factor, prefer)
        want_ids, want_scores = merged.best(query, k, factor, prefer)
        assert ids.tolist() == want_ids.tolist() and scores.tolist() == want_scores.tolist()
        pruned += len(ids) == k and sum(t in merged.vocab for t in query) > 1
    assert pruned > 10  # not all trivial


@pytest.mark.parametrize("chunk", [1, 7, 1 << 23])
def test_flat_is_the_merged_arrays_whatever_the_chunk(chunk: int, monkeypatch):
    """Merging base and segments a term range at a time (into given arrays, as a merge into
    memory-mapped files does) gives exactly the arrays of counting everything at once."""
    monkeypatch.setattr(builder, "MERGE_CHUNK", chunk)
    docs = _corpus(np.random.default_rng(7), 300, 400)
    segmented, merged = _segmented(docs, [120, 200, 290]), Postings.from_token_lists(docs)
    out_docs, out_tf = np.full(segmented.n_postings, -1, np.int32), np.zeros(segmented.n_postings, np.uint16)
    flat = segmented.flat(out_docs, out_tf)
    assert flat.docs is out_docs and not flat.segments
    assert flat.vocab == merged.vocab
    for name in ("ptr", "docs", "tf", "doc_len"):
        assert np.array_equal(getattr(flat, name), getattr(merged, name)), name


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(shipped_corpus_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder


@pytest.fixture
def no_inline_merge(monkeypatch) -> None:
    """Keep the segments of a store this small (it would be merged at once)."""
    monkeypatch.setattr(store, "INLINE_MERGE_POSTINGS", 0)


def ranking(index, question: str) -> list[tuple[str, int, int, float]]:
    return [(h.passage.issue, h.passage.article, h.passage.paragraph, h.score) for h in index.ask(question).hits]


def grown(corpus: Path, data: Path, names: list[str]):
    """The index of `corpus` saved under `data`, then each file of `names` added to it in turn."""
    serving = load_index(corpus, data)
    for name in names:
        shutil.copy(PAPERS / name, corpus)
        serving = load_index(corpus, data, previous=serving)
    return serving


def assert_same_arrays(postings: Postings, fresh: Postings) -> None:
    flat = postings.flat()
    assert flat.vocab == fresh.vocab and flat.spans == fresh.spans
    for name in ("ptr", "docs", "tf", "doc_len"):
        assert np.array_equal(getattr(flat, name), getattr(fresh, name)), name


def assert_same_passages(index, fresh) -> None:
    """Every paragraph, its text read from the store's texts files, and where it comes from."""
    assert list(index.passages) == list(fresh.passages)


def test_added_issues_are_saved_as_segments_and_the_base_is_not_rewritten(
    corpus: Path, tmp_path: Path, tokenized: list[str], no_inline_merge
):
    data = tmp_path / "data"
    serving = load_index(corpus, data)
    base_files = {p.name: p.stat().st_ino for p in (data / STORE_DIR).glob("*.npy")}
    for n, name in enumerate(ADDED[:2], start=1):
        shutil.copy(PAPERS / name, corpus)
        tokenized.clear()
        serving = load_index(corpus, data, previous=serving)
        assert tokenized == [name]
        assert len(serving.postings.segments) == n
        assert store.stamp(data) is not None and len(store.stamp(data)[2]) == n  # type: ignore[index]
    assert {p.name: p.stat().st_ino for p in (data / STORE_DIR).glob("*.npy")} == base_files  # untouched
    tokenized.clear()
    restarted = load_index(corpus, data)  # base and both segments from disk
    assert tokenized == [] and len(restarted.postings.segments) == 2
    fresh = load_index(corpus)  # everything from scratch, one base
    assert not fresh.postings.segments
    for question in QUESTIONS:
        assert ranking(serving, question) == ranking(fresh, question)
        assert ranking(restarted, question) == ranking(fresh, question)
    assert_same_arrays(restarted.postings, fresh.postings)
    assert_same_passages(restarted, fresh)


def test_a_merge_writes_one_base_that_answers_the_same(corpus: Path, tmp_path: Path, tokenized: list[str], no_inline_merge):
    """And an index still reading the old segments' files keeps answering after the swap."""
    data = tmp_path / "data"
    serving = grown(corpus, data, ADDED[:2])
    before = [ranking(serving, q) for q in QUESTIONS]
    assert store.needs_merge(serving.postings)  # two segments, far more than a tenth of the base
    assert store.merge_saved(serving.postings, data)
    assert store.stamp(data)[2] == ()  # type: ignore[index]
    assert not list(data.glob(".index-*")) and not list(data.glob(".old-*"))
    assert [ranking(serving, q) for q in QUESTIONS] == before  # its unlinked files still read
    fresh = load_index(corpus)
    assert_same_passages(serving, fresh)
    tokenized.clear()
    merged = load_index(corpus, data)
    assert tokenized == [] and not merged.postings.segments
    assert [ranking(merged, q) for q in QUESTIONS] == before
    assert_same_arrays(merged.postings, fresh.postings)
    assert_same_passages(merged, fresh)
    assert not store.merge_saved(serving.postings, data)  # the store is no longer the one it grew from


def test_a_small_store_is_merged_at_once(corpus: Path, tmp_path: Path):
    data = tmp_path / "data"
    serving = load_index(corpus, data)
    shutil.copy(PAPERS / ADDED[0], corpus)
    grown = load_index(corpus, data, previous=serving)
    assert len(grown.postings.segments) == 1  # in memory it is still base + segment …
    assert store.stamp(data)[2] == ()  # type: ignore[index]  # … on disk one base
    assert [ranking(load_index(corpus, data), q) for q in QUESTIONS] == [ranking(grown, q) for q in QUESTIONS]


@pytest.mark.parametrize("edit", ["remove-segment-file", "remove-base-file", "change-segment-file"])
def test_removing_or_changing_a_file_after_segments(
    corpus: Path, tmp_path: Path, tokenized: list[str], no_inline_merge, edit: str
):
    """A removal or change renumbers what follows it: the result is one base again, the same
    as a build from scratch; only a changed file is tokenized."""
    data = tmp_path / "data"
    shutil.copy(PAPERS / ADDED[0], corpus)
    serving = load_index(corpus, data)
    for name in ADDED[1:]:
        shutil.copy(PAPERS / name, corpus)
        serving = load_index(corpus, data, previous=serving)
    assert len(serving.postings.segments) == 2
    tokenized.clear()
    if edit == "remove-segment-file":
        (corpus / ADDED[1]).unlink()
    elif edit == "remove-base-file":
        (corpus / ADDED[0]).unlink()
    else:
        path = corpus / ADDED[2]
        path.write_bytes(path.read_bytes().replace("回良玉".encode(), "某副总理".encode()))
    updated = load_index(corpus, data, previous=serving)
    assert tokenized == ([ADDED[2]] if edit == "change-segment-file" else [])
    assert not updated.postings.segments and store.stamp(data)[2] == ()  # type: ignore[index]
    fresh = load_index(corpus)
    # Terms only the removed paragraphs held are gone, as if never seen (questions read by them).
    assert sorted(updated.postings.vocab) == sorted(fresh.postings.vocab)
    assert {k: sorted(v.split()) for k, v in updated.postings.pinyin.items()} == {
        k: sorted(v.split()) for k, v in fresh.postings.pinyin.items()
    }
    for question in [*QUESTIONS, "某副总理说国土绿化要怎样"]:
        assert ranking(updated, question) == ranking(fresh, question)
        assert ranking(load_index(corpus, data), question) == ranking(fresh, question)


@pytest.mark.parametrize("damage", ["arrays", "meta", "checksum", "missing-first"])
def test_a_damaged_segment_is_never_trusted(corpus: Path, tmp_path: Path, tokenized: list[str], no_inline_merge, damage: str):
    data = tmp_path / "data"
    serving = grown(corpus, data, ADDED[:2])
    expected = [ranking(serving, q) for q in QUESTIONS]
    first = data / STORE_DIR / "seg-000001"
    if damage == "arrays":
        (first / "docs.npy").write_bytes(b"not numpy")
    elif damage == "meta":
        (first / "meta.pickle").write_bytes(b"\x80\x04garbage")
    elif damage == "checksum":
        ptr = np.load(first / "ptr.npy")
        ptr[1] += 1
        np.save(first / "ptr.npy", ptr)
    else:
        shutil.rmtree(first)  # the second one no longer starts where the base ends
    assert store.load(data, serving.postings.key) is None
    tokenized.clear()
    rebuilt = load_index(corpus, data)
    assert sorted(tokenized) == sorted(["datong-daily-2024-11-02.txt", *ADDED[:2]])
    assert [ranking(rebuilt, q) for q in QUESTIONS] == expected


def test_the_bot_merges_in_the_background_after_a_reload(corpus: Path, tmp_path: Path, monkeypatch, no_inline_merge):
    data = tmp_path / "data"
    holder = IndexHolder(load_index(corpus, data), corpus, data)

    async def add_and_reload() -> None:
        shutil.copy(PAPERS / ADDED[0], corpus)
        await holder.reload()

    asyncio.run(add_and_reload())
    assert len(holder.index.postings.segments) == 1  # serving from base + segment
    assert holder.merging is not None
    holder.merging.join(timeout=60)
    assert store.stamp(data)[2] == ()  # type: ignore[index]  # merged on disk meanwhile
    merged = load_index(corpus, data)
    assert [ranking(merged, q) for q in QUESTIONS] == [ranking(holder.index, q) for q in QUESTIONS]


def test_the_index_command_merges_grown_segments(corpus: Path, tmp_path: Path, no_inline_merge, capsys):
    from bot.cli import main

    data = tmp_path / "data"
    args = ["index", "--corpus", str(corpus), "--data-dir", str(data)]
    assert main(args) == 0
    shutil.copy(PAPERS / ADDED[0], corpus)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "added: 1" in out and "merged 1 segments" in out
    (cache,) = (data / store.OTHER_CORPORA).iterdir()
    assert store.stamp(cache)[2] == ()  # type: ignore[index]
    user_dict = corpus / USER_DICT
    loaded = store.load(cache, store.tokenizer_key([user_dict] if user_dict.is_file() else []))
    assert loaded is not None and not loaded.segments and len(loaded.spans) == 2


def test_segments_past_the_limit_need_a_merge_however_small(monkeypatch):
    docs = _corpus(np.random.default_rng(3), 2000, 300)
    postings = Postings.from_token_lists(docs)
    for i in range(store.MAX_SEGMENTS):
        assert not store.needs_merge(postings)  # each one tiny beside the base
        postings = extend(postings, [(f"one{i}", count_terms([["t1", "t2"]]))], {})
    assert store.needs_merge(postings)


def test_pinyin_keys_after_terms_leave_are_those_made_afresh(corpus: Path):
    """Only the keys of the terms that left are made again, each its remaining terms in order."""
    shutil.copy(PAPERS / ADDED[0], corpus)
    postings = load_index(corpus).postings
    rng = np.random.default_rng(5)
    for share in (0.0, 0.01, 0.3):
        alive = rng.random(len(postings.vocab)) >= share
        fresh: dict[str, str] = {}
        builder.add_pinyin(fresh, builder._pinyin_of([t for t, a in zip(postings.vocab, alive, strict=True) if a]))
        assert builder._pinyin_within(postings, alive) == fresh


def test_a_merge_that_fails_halfway_leaves_the_store_as_it_was(corpus: Path, tmp_path: Path, no_inline_merge, monkeypatch):
    data = tmp_path / "data"
    serving = grown(corpus, data, ADDED[:1])
    before = store.stamp(data)
    original = Postings.flat

    def failing(self, docs_out=None, tf_out=None):
        original(self, docs_out, tf_out)  # the arrays are written …
        raise OSError("disk full")  # … and then the metadata cannot be

    monkeypatch.setattr(Postings, "flat", failing)
    assert not store.merge_saved(serving.postings, data)  # logged, not raised
    assert store.stamp(data) == before and not list(data.glob(".index-*"))
    monkeypatch.setattr(Postings, "flat", original)
    again = load_index(corpus, data)
    assert len(again.postings.segments) == 1
    assert [ranking(again, q) for q in QUESTIONS] == [ranking(serving, q) for q in QUESTIONS]
