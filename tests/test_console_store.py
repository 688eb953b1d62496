"""The console's saved index: one store per corpus in the data folder, shared with `run`, built
once (by `datong-bot index` or the first `ask`), locked against two builders, untouched by a bad file."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot import store
from bot.config import shipped_corpus_dir
from bot.index import load_index
from bot.progress import Progress

DATA = Path(__file__).parent / "data"
PAPERS = DATA / "papers"
QUESTION = "比萨斜塔拯救工程哪年开始"

# `python -m bot`, with every tokenized issue file's name appended to $TOKENIZED_LOG (one process,
# no workers, so the count is exact): what a second `ask` must not do, and what two builders
# starting together must do only once.
COUNTING = """
import os, sys
from bot import postings
postings.PARALLEL_MIN_PARAGRAPHS = 10**9
original = postings.issue_postings
def counting(tokenizer, issue):
    with open(os.environ["TOKENIZED_LOG"], "a", encoding="utf-8") as log:
        log.write(issue.name + "\\n")
    return original(tokenizer, issue)
postings.issue_postings = counting
from bot.cli import main
sys.exit(main(sys.argv[1:]))
"""


def command(*args: str) -> list[str]:
    return [sys.executable, "-c", COUNTING, *args]


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CORPUS_DIR", "BOT_DATA_DIR")}
    return {**env, "TOKENIZED_LOG": str(tmp_path / "tokenized.log"), **extra}


def run(tmp_path: Path, *args: str, stdin: str | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
    env = environment(tmp_path, **extra)
    return subprocess.run(
        command(*args),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def tokenized(tmp_path: Path) -> list[str]:
    log = tmp_path / "tokenized.log"
    names = log.read_text(encoding="utf-8").split() if log.exists() else []
    log.unlink(missing_ok=True)
    return names


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(PAPERS, folder, ignore=shutil.ignore_patterns("*.md", "*.py"))
    return folder


def stored(cache: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((cache / store.STORE_DIR).iterdir())}


def test_a_second_ask_reads_the_saved_store_instead_of_tokenizing(tmp_path: Path, corpus: Path):
    data = tmp_path / "data"
    first = run(tmp_path, "ask", "--json", "--corpus", str(corpus), "--data-dir", str(data), QUESTION)
    assert first.returncode == 0, first.stderr
    assert sorted(tokenized(tmp_path)) == sorted(p.name for p in corpus.glob("*-*.txt"))
    (cache,) = (data / store.OTHER_CORPORA).iterdir()  # not the data folder's own corpus: a subfolder
    assert (cache / "corpus.txt").read_text(encoding="utf-8").strip() == str(corpus.resolve())
    saved = store.stamp(cache)
    assert saved is not None
    second = run(tmp_path, "ask", "--json", "--corpus", str(corpus), "--data-dir", str(data), QUESTION)
    assert second.returncode == 0, second.stderr
    assert tokenized(tmp_path) == []  # loaded, nothing tokenized
    assert store.stamp(cache) == saved  # and nothing saved
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert not second.stderr  # a small corpus: no progress, no log lines


def test_console_and_run_share_the_data_folders_own_store(tmp_path: Path, corpus: Path):
    """With CORPUS_DIR and BOT_DATA_DIR as the bot has them, `ask` uses BOT_DATA_DIR/index, where
    `run` saves it: the bot's saved index is the console's, and the other way round."""
    data = tmp_path / "data"
    load_index(corpus, data)  # what `run` does at start
    tokenized(tmp_path)
    out = run(tmp_path, "ask", "--json", QUESTION, CORPUS_DIR=str(corpus), BOT_DATA_DIR=str(data))
    assert out.returncode == 0, out.stderr
    assert tokenized(tmp_path) == []
    assert not (data / store.OTHER_CORPORA).exists()
    assert json.loads(out.stdout)["results"][0]["paper"] == "renmin-ribao"


def test_without_a_data_folder_the_console_uses_the_users_cache(tmp_path: Path, console_cache: Path):
    """No BOT_DATA_DIR and no ./data of the bot: the shipped issue's store goes to the user's cache
    folder (XDG_CACHE_HOME here), never into the folder the console runs in."""
    out = run(tmp_path, "ask", "--json", "云冈今年去了多少人？")
    assert out.returncode == 0, out.stderr
    assert set(tmp_path.iterdir()) <= {tmp_path / "tokenized.log"}  # nothing written here
    assert (console_cache / "datong-bot" / store.STORE_DIR / "meta.pickle").is_file()
    tokenized(tmp_path)
    again = run(tmp_path, "ask", "--json", "--corpus", str(shipped_corpus_dir()), "云冈今年去了多少人？")
    assert again.returncode == 0 and tokenized(tmp_path) == []


def test_index_command_says_what_it_did(tmp_path: Path, corpus: Path):
    data = tmp_path / "data"
    args = ("index", "--corpus", str(corpus), "--data-dir", str(data))
    out = run(tmp_path, *args)
    assert out.returncode == 0, out.stderr
    assert "added: 3" in out.stdout and "renmin-ribao-2001-06-06.txt" in out.stdout and "tokenized 49 paragraphs" in out.stdout

    (corpus / "renmin-ribao-2001-06-06.txt").unlink()
    edited = (corpus / "renmin-ribao-2003-11-21.txt").read_bytes().replace("回良玉".encode(), "某副总理".encode())
    (corpus / "renmin-ribao-2003-11-21.txt").write_bytes(edited)
    shutil.copy(shipped_corpus_dir() / "datong-daily-2024-11-02.txt", corpus)
    tokenized(tmp_path)
    out = run(tmp_path, *args)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "  added: 1 (datong-daily-2024-11-02.txt)" in lines
    assert "  changed: 1 (renmin-ribao-2003-11-21.txt)" in lines
    assert "  removed: 1 (renmin-ribao-2001-06-06.txt)" in lines
    assert sorted(tokenized(tmp_path)) == ["datong-daily-2024-11-02.txt", "renmin-ribao-2003-11-21.txt"]

    out = run(tmp_path, *args)
    assert out.returncode == 0 and "up to date" in out.stdout and tokenized(tmp_path) == []


def test_a_broken_file_exits_2_and_leaves_the_store_untouched(tmp_path: Path, corpus: Path):
    data = tmp_path / "data"
    assert run(tmp_path, "index", "--corpus", str(corpus), "--data-dir", str(data)).returncode == 0
    (cache,) = (data / store.OTHER_CORPORA).iterdir()
    before = stored(cache)
    (corpus / "bad-paper-2024-01-01.txt").write_bytes(b"\x00\x01\x02" * 100)
    for args in (("index",), ("ask", QUESTION)):
        out = run(tmp_path, *args, "--corpus", str(corpus), "--data-dir", str(data))
        assert out.returncode == 2 and "bad-paper-2024-01-01.txt" in out.stderr
    assert stored(cache) == before


def test_check_never_writes_a_store(tmp_path: Path, corpus: Path):
    data = tmp_path / "data"
    out = run(tmp_path, "check", str(corpus), BOT_DATA_DIR=str(data))
    assert out.returncode == 0, out.stdout
    assert not data.exists() and tokenized(tmp_path) == []


def test_two_processes_building_one_store_at_once(tmp_path: Path, corpus: Path):
    """The bot starting and an admin's `ask` on a new archive at the same moment: both answer,
    the files are tokenized once (the second waits for the first's store), the store is whole."""
    data = tmp_path / "data"
    shutil.copy(shipped_corpus_dir() / "datong-daily-2024-11-02.txt", corpus)
    env = environment(tmp_path)
    args = ("ask", "--json", "--corpus", str(corpus), "--data-dir", str(data), QUESTION)
    procs = [
        subprocess.Popen(command(*args), env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e.decode() for _, e in outs]
    answers = [json.loads(o) for o, _ in outs]
    assert answers[0] == answers[1] and answers[0]["results"][0]["paper"] == "renmin-ribao"
    names = tokenized(tmp_path)
    assert sorted(names) == sorted(p.name for p in corpus.glob("*-*.txt"))  # each file once, not twice
    (cache,) = (data / store.OTHER_CORPORA).iterdir()
    assert not list(cache.glob(".index-*")) and not list(cache.glob(".old-*"))
    loaded = store.load(cache, store.tokenizer_key([]))
    assert loaded is not None and len(loaded.spans) == 4


def test_an_index_reading_the_old_arrays_keeps_answering_after_a_writer_replaces_them(tmp_path: Path, corpus: Path):
    """The bot memory-maps the saved arrays; a console `ask` that adds a file swaps the store:
    the old files are unlinked, not overwritten, and the serving index answers as before."""
    data = tmp_path / "data"
    load_index(corpus, data)
    serving = load_index(corpus, data)  # memory-mapped from the store
    before = [(h.passage.text, h.score) for h in serving.ask(QUESTION).hits]
    shutil.copy(shipped_corpus_dir() / "datong-daily-2024-11-02.txt", corpus)
    grown = load_index(corpus, data)
    assert len(grown.passages) > len(serving.passages)
    assert [(h.passage.text, h.score) for h in serving.ask(QUESTION).hits] == before


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_log_lines_elsewhere_and_nothing_for_quick_work(caplog):
    bar = Terminal()
    progress = Progress(stream=bar, delay=0)
    assert list(progress.track(range(5), "tokenizing", 5, "paragraphs", lambda _: 1)) == [0, 1, 2, 3, 4]
    assert "tokenizing" in bar.getvalue() and "paragraphs/s" in bar.getvalue()

    with caplog.at_level(logging.INFO, logger="datong_bot.progress"):
        list(Progress(stream=io.StringIO(), delay=0).track(range(100), "evaluating", 100, "questions", lambda _: 1))
        lines = [r.getMessage() for r in caplog.records]
        assert len(lines) == 10 and lines[0].startswith("evaluating: 10/100 questions (10%)") and "s left" in lines[0]
        caplog.clear()
        quiet = Terminal()
        for stream in (io.StringIO(), quiet):  # done within the default second: silent
            list(Progress(stream=stream).track(range(100), "evaluating", 100, "questions", lambda _: 1))
        assert not caplog.records and quiet.getvalue() == ""


def test_a_reload_after_the_console_indexed_the_new_files_tokenizes_nothing(tmp_path: Path, corpus: Path, monkeypatch):
    """The admin's way with many files: copy them, `datong-bot index`, then /reload: the bot's
    reload starts from the store the console saved, not from its serving index."""
    from bot import postings

    data = tmp_path / "data"
    serving = load_index(corpus, data)  # the bot at start
    shutil.copy(shipped_corpus_dir() / "datong-daily-2024-11-02.txt", corpus)
    assert run(tmp_path, "index", CORPUS_DIR=str(corpus), BOT_DATA_DIR=str(data)).returncode == 0
    assert tokenized(tmp_path) == ["datong-daily-2024-11-02.txt"]
    seen: list[str] = []
    original = postings.issue_postings
    monkeypatch.setattr(postings, "PARALLEL_MIN_PARAGRAPHS", 10**9)
    monkeypatch.setattr(postings, "issue_postings", lambda tok, issue: seen.append(issue.name) or original(tok, issue))
    reloaded = load_index(corpus, data, previous=serving)  # /reload
    assert seen == [] and len(reloaded.corpus.issues) == 4
    assert reloaded.ask("云冈今年去了多少人").hits[0].passage.issue == "datong-daily-2024-11-02.txt"
