"""The persisted index: reuse by content hash, incremental updates, invalidation, corruption."""

from __future__ import annotations

import logging
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot import store, texts
from bot.config import shipped_corpus_dir
from bot.index import load_index
from bot.store import STORE_DIR

PAPERS = Path(__file__).parent / "data" / "papers"
QUESTIONS = ["云冈今年去了多少人", "比萨斜塔拯救工程哪年开始", "天镇县风速多少", "汽柴油降价多少"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(shipped_corpus_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder


def assert_postings_in_doc_order(postings) -> None:
    """Each term's postings in rising document order: the ranker binary-searches them."""
    docs = postings.docs.astype(np.int64)
    first = np.zeros(len(docs), dtype=bool)
    first[postings.ptr[:-1][postings.ptr[:-1] < len(docs)]] = True
    assert (np.diff(docs)[~first[1:]] > 0).all()


def ranking(index, question: str) -> list[tuple[str, int, int, float]]:
    return [(h.passage.issue, h.passage.article, h.passage.paragraph, round(h.score, 6)) for h in index.ask(question).hits]


def test_restart_loads_instead_of_tokenizing(corpus: Path, tmp_path: Path, tokenized: list[str]):
    first = load_index(corpus, tmp_path / "data")
    assert tokenized == ["datong-daily-2024-11-02.txt"]
    again = load_index(corpus, tmp_path / "data")
    assert tokenized == ["datong-daily-2024-11-02.txt"]  # nothing tokenized the second time
    assert [ranking(first, q) for q in QUESTIONS] == [ranking(again, q) for q in QUESTIONS]


def test_adding_an_issue_tokenizes_only_that_file_and_matches_a_fresh_build(corpus: Path, tmp_path: Path, tokenized: list[str]):
    serving = load_index(corpus, tmp_path / "data")
    shutil.copy(PAPERS / "renmin-ribao-2001-06-06.txt", corpus)
    shutil.copy(PAPERS / "renmin-ribao-2002-01-01.txt", corpus)
    tokenized.clear()
    grown = load_index(corpus, tmp_path / "data", previous=serving)
    assert sorted(tokenized) == ["renmin-ribao-2001-06-06.txt", "renmin-ribao-2002-01-01.txt"]
    fresh = load_index(corpus)  # no cache, no previous: everything from scratch
    for question in QUESTIONS:
        assert ranking(grown, question) == ranking(fresh, question)
    assert_postings_in_doc_order(grown.postings)


def test_removed_and_changed_files(corpus: Path, tmp_path: Path, tokenized: list[str]):
    for name in ("renmin-ribao-2001-06-06.txt", "renmin-ribao-2003-11-21.txt"):
        shutil.copy(PAPERS / name, corpus)
    serving = load_index(corpus, tmp_path / "data")
    (corpus / "renmin-ribao-2001-06-06.txt").unlink()
    edited = (corpus / "renmin-ribao-2003-11-21.txt").read_bytes().replace("回良玉".encode(), "某副总理".encode())
    (corpus / "renmin-ribao-2003-11-21.txt").write_bytes(edited)
    tokenized.clear()
    updated = load_index(corpus, tmp_path / "data", previous=serving)
    assert tokenized == ["renmin-ribao-2003-11-21.txt"]
    assert {p.issue for p in updated.passages} == {"datong-daily-2024-11-02.txt", "renmin-ribao-2003-11-21.txt"}
    assert not any("回良玉" in p.text for p in updated.passages)
    fresh = load_index(corpus)
    for question in [*QUESTIONS, "某副总理说国土绿化要怎样"]:
        assert ranking(updated, question) == ranking(fresh, question)
    assert len(updated.postings.docs) == len(fresh.postings.docs)
    assert_postings_in_doc_order(updated.postings)


@pytest.mark.parametrize("damage", ["arrays", "pointers", "meta", "truncate", "texts", "format", "inconsistent"])
def test_damaged_or_stale_store_is_rebuilt_never_trusted(corpus: Path, tmp_path: Path, tokenized: list[str], damage: str, caplog):
    data = tmp_path / "data"
    expected = [ranking(load_index(corpus, data), q) for q in QUESTIONS]
    folder = data / STORE_DIR
    if damage == "arrays":
        (folder / "docs.npy").write_bytes(b"not numpy at all")
    elif damage == "pointers":
        ptr = np.load(folder / "ptr.npy")
        ptr[len(ptr) // 2] += 1  # same shape, wrong content
        np.save(folder / "ptr.npy", ptr)
    elif damage == "meta":
        (folder / "meta.pickle").write_bytes(b"\x80\x04garbage")
    elif damage == "truncate":
        raw = (folder / "meta.pickle").read_bytes()
        (folder / "meta.pickle").write_bytes(raw[: len(raw) // 2])
    elif damage == "texts":
        raw = (folder / texts.TEXTS).read_bytes()
        (folder / texts.TEXTS).write_bytes(raw[:-10])
    else:
        meta = store.read_meta(folder)  # its paragraphs pickle back as plain tuples
        if damage == "format":
            meta["format"] = store.FORMAT - 1
        else:
            first = next(iter(meta["spans"]))
            meta["spans"][first] = (0, meta["spans"][first][1] + 1)  # one paragraph more than the arrays
        (folder / "meta.pickle").write_bytes(pickle.dumps(meta))
    tokenized.clear()
    with caplog.at_level(logging.INFO, logger="datong_bot.store"):
        rebuilt = load_index(corpus, data)
    assert tokenized == ["datong-daily-2024-11-02.txt"]
    assert [ranking(rebuilt, q) for q in QUESTIONS] == expected
    assert caplog.records  # it said why


def test_a_new_user_dictionary_invalidates_the_tokens(corpus: Path, tmp_path: Path, tokenized: list[str]):
    load_index(corpus, tmp_path / "data")
    with open(corpus / "userdict.txt", "a", encoding="utf-8") as handle:
        handle.write("热三期 1000 nz\n")
    tokenized.clear()
    load_index(corpus, tmp_path / "data")
    assert tokenized == ["datong-daily-2024-11-02.txt"]


def test_saved_arrays_are_compact(corpus: Path, tmp_path: Path):
    index = load_index(corpus, tmp_path / "data")
    assert index.postings.docs.dtype == np.int32 and index.postings.tf.dtype == np.uint16
    assert index.postings.doc_len.dtype == np.float32


def test_a_restart_takes_display_names_from_papers_txt_but_a_header_wins(corpus: Path, tmp_path: Path):
    shutil.copy(PAPERS / "renmin-ribao-2003-11-21.txt", corpus)
    body = (corpus / "datong-daily-2024-11-02.txt").read_bytes()
    (corpus / "other-2024-11-03.txt").write_bytes("paper: 头条报\n---\n".encode() + body)
    load_index(corpus, tmp_path / "data")
    (corpus / "papers.txt").write_text("datong-daily = 大同日报社\nother = 别的名字\n", encoding="utf-8")
    again = load_index(corpus, tmp_path / "data")
    names = {p.issue: p.paper for p in again.passages}
    assert names == {
        "datong-daily-2024-11-02.txt": "大同日报社",
        "renmin-ribao-2003-11-21.txt": "renmin-ribao",
        "other-2024-11-03.txt": "头条报",
    }


def test_paragraph_texts_are_read_from_the_store_and_equal_the_parsed(corpus: Path, tmp_path: Path, tokenized: list[str]):
    """A restart does not unpickle the paragraphs: they stay in texts.bin until a question reads them."""
    shutil.copy(PAPERS / "renmin-ribao-2003-11-21.txt", corpus)
    built = load_index(corpus, tmp_path / "data")
    restarted = load_index(corpus, tmp_path / "data")
    assert tokenized == ["datong-daily-2024-11-02.txt", "renmin-ribao-2003-11-21.txt"]
    article = restarted.corpus.issues[0].articles[0]
    assert isinstance(article.paragraphs, texts.StoredParagraphs)
    assert isinstance(built.corpus.issues[0].articles[0].paragraphs, tuple)
    assert restarted.corpus.issues == built.corpus.issues  # equal to the tuples parsed, and hashed alike
    assert hash(article) == hash(built.corpus.issues[0].articles[0])
    assert list(restarted.passages) == list(built.passages)
    assert article.paragraphs[-1] == built.corpus.issues[0].articles[0].paragraphs[-1]
    assert article.paragraphs[:2] == tuple(built.corpus.issues[0].articles[0].paragraphs[:2])
    copied = pickle.loads(pickle.dumps(restarted.corpus.issues[0]))  # what a worker process is sent
    assert isinstance(copied.articles[0].paragraphs, tuple) and copied == built.corpus.issues[0]
    meta = (tmp_path / "data" / STORE_DIR / "meta.pickle").read_bytes()
    long = [p for p in built.passages if len(p.text) > 40]
    assert long and not any(p.text.encode() in meta for p in long)  # the text is not in the metadata


def test_a_store_of_the_previous_format_is_rebuilt_not_misread(corpus: Path, tmp_path: Path, tokenized: list[str], caplog):
    """Format 7 pickled the paragraphs in meta.pickle and had no texts file."""
    data = tmp_path / "data"
    expected = [ranking(load_index(corpus, data), q) for q in QUESTIONS]
    folder = data / STORE_DIR
    meta = store.read_meta(folder)  # its paragraphs pickle back as plain tuples, as format 7 held them
    meta["format"] = 7
    (folder / "meta.pickle").write_bytes(pickle.dumps(meta))
    (folder / texts.TEXTS).unlink()
    (folder / texts.TEXT_PTR).unlink()
    tokenized.clear()
    with caplog.at_level(logging.INFO, logger="datong_bot.store"):
        rebuilt = load_index(corpus, data)
    assert tokenized == ["datong-daily-2024-11-02.txt"]
    assert "from another version" in caplog.text and "damaged" not in caplog.text
    assert [ranking(rebuilt, q) for q in QUESTIONS] == expected
    assert (folder / texts.TEXTS).is_file()


def test_another_segmenter_version_invalidates_the_tokens(corpus: Path, tmp_path: Path, tokenized: list[str], monkeypatch):
    """Tokens cut by one segmenter (or version) are never read with questions cut by another."""
    load_index(corpus, tmp_path / "data")
    assert "rjieba" in store.segmenter() and "jieba" in store.segmenter().replace("rjieba", "")
    monkeypatch.setattr(store, "segmenter", lambda: "rjieba 0.0.1, jieba 0.42.1")
    tokenized.clear()
    load_index(corpus, tmp_path / "data")
    assert tokenized == ["datong-daily-2024-11-02.txt"]


def test_a_change_to_the_reading_code_invalidates_the_store(corpus: Path, tmp_path: Path, tokenized: list[str], monkeypatch):
    """A loader fix shipped in an upgrade re-reads the files: a store keeps no parse of older code."""
    load_index(corpus, tmp_path / "data")
    assert len(store.reading_code()) == 16 and "layout.py" in store.READING_CODE
    tokenized.clear()
    load_index(corpus, tmp_path / "data")
    assert tokenized == []  # the same code: the saved store serves
    monkeypatch.setattr(store, "reading_code", lambda: "0" * 16)
    load_index(corpus, tmp_path / "data")
    assert tokenized == ["datong-daily-2024-11-02.txt"]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the issue files read during the test."""
    names: list[str] = []
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        if self.suffix == ".txt" and self.name not in ("papers.txt", "userdict.txt"):
            names.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return names


def test_a_restart_does_not_read_files_whose_stat_is_unchanged(corpus: Path, tmp_path: Path, reads: list[str], monkeypatch):
    from bot import corpus as loader

    shutil.copy(PAPERS / "renmin-ribao-2003-11-21.txt", corpus)
    data = tmp_path / "data"
    load_index(corpus, data)
    assert sorted(reads) == ["datong-daily-2024-11-02.txt", "renmin-ribao-2003-11-21.txt"]
    reads.clear()
    load_index(corpus, data)  # files written just now: their times could hide a change, so read again
    assert len(reads) == 2
    monkeypatch.setattr(loader, "RACY_NS", 0)  # as if they were written long before
    load_index(corpus, data)  # records them again, now settled
    reads.clear()
    again = load_index(corpus, data)
    assert reads == []
    assert (data / store.SEEN_FILE).is_file()
    assert {i.name for i in again.corpus.issues} == {"datong-daily-2024-11-02.txt", "renmin-ribao-2003-11-21.txt"}


def test_a_file_rewritten_with_its_size_and_mtime_kept_is_read_again(corpus: Path, tmp_path: Path, monkeypatch):
    """Any write changes the file's change time, which no tool sets back: the new content is served."""
    from bot import corpus as loader

    monkeypatch.setattr(loader, "RACY_NS", 0)
    data = tmp_path / "data"
    path = corpus / "datong-daily-2024-11-02.txt"
    load_index(corpus, data)
    load_index(corpus, data)  # the stats recorded, settled
    before = path.stat()
    body = path.read_bytes()
    edited = body.replace("云冈".encode(), "云岗".encode())  # same length in UTF-8
    assert edited != body and len(edited) == len(body)
    path.write_bytes(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    index = load_index(corpus, data)
    assert any("云岗" in p.text for p in index.passages) and not any("云冈" in p.text for p in index.passages)


def test_a_stat_record_is_believed_while_it_vouches_for_the_file(corpus: Path, tmp_path: Path, reads: list[str]):
    """The documented limit: a record whose size, times and inode all match the file now is taken
    for the content it hashed, unread. Only a clock set back, or a file system without change
    times, can make a changed file look so; deleting the index folder's files.json (or touching
    the file) makes the next load read everything."""
    from bot.corpus import Seen, load_corpus, parse_issue

    path = corpus / "datong-daily-2024-11-02.txt"
    other = parse_issue((PAPERS / "renmin-ribao-2003-11-21.txt").read_bytes(), path.name)
    reads.clear()
    st = path.stat()
    forged = {path.name: Seen.of(st, max(st.st_mtime_ns, st.st_ctime_ns) + 10**10, other.sha256)}
    loaded = load_corpus(corpus, known={f"{path.name}:{other.sha256}": other}, seen=forged)
    assert reads == [] and loaded.issues[0].sha256 == other.sha256
    assert load_corpus(corpus, known={f"{path.name}:{other.sha256}": other}).issues[0].sha256 != other.sha256


def test_the_stat_record_of_another_folder_is_not_used(corpus: Path, tmp_path: Path):
    from bot.corpus import load_corpus

    seen = load_corpus(corpus).seen
    store.write_seen(tmp_path, corpus, seen)
    assert store.read_seen(tmp_path, corpus) == seen
    assert store.read_seen(tmp_path, tmp_path) == {}
    (tmp_path / store.SEEN_FILE).write_text("{not json", encoding="utf-8")
    assert store.read_seen(tmp_path, corpus) == {}
