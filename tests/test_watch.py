"""The watched corpus folder: when a change counts (bot.watch), and the real application noticing
files a newsroom's script drops into CORPUS_DIR, against the Bot API emulator."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import pytest
from botapi import BotAPIEmulator
from conftest import ADMIN, BOT, NEW_ISSUE, TOKEN
from test_subscriptions import corpus_copy, running

from bot import messages as msg
from bot import serving as serving_module
from bot.config import DEFAULT_WATCH_INTERVAL, ConfigError, Settings
from bot.index import Index
from bot.serving import IndexHolder
from bot.telegram.watch import Watcher
from bot.watch import FolderWatch

SHIPPED = "datong-daily-2024-11-02.txt"
NEW = "jinbei-daily-2024-11-03.txt"


def hashes(index: Index) -> dict[str, str]:
    return {i.name: i.sha256 for i in index.corpus.issues}


# -- when a change counts ---------------------------------------------------------------------------


def test_a_new_file_is_due_once_it_has_settled_and_only_once(tmp_path: Path, index: Index):
    corpus = corpus_copy(tmp_path)
    watch = FolderWatch(corpus)
    serving = hashes(index)
    assert not watch.due(serving)  # the first look has nothing to compare with
    assert not watch.due(serving)  # settled, and the same as what serves
    (corpus / NEW).write_text(NEW_ISSUE[:40], encoding="utf-8")
    assert not watch.due(serving)  # new since the last look: maybe still being written
    with (corpus / NEW).open("a", encoding="utf-8") as f:
        f.write(NEW_ISSUE[40:])  # it was: it grew
    assert not watch.due(serving)
    assert watch.due(serving)  # the same twice in a row: settled, and not what serves
    watch.loaded()
    assert not watch.due(serving)  # acted on: not again, even though `serving` was not reloaded here
    (corpus / NEW).unlink()
    assert not watch.due(serving)
    assert not watch.due(serving)  # gone again: the folder is what serves


def test_a_touched_file_or_one_the_loader_does_not_read_is_not_a_change(tmp_path: Path, index: Index):
    corpus = corpus_copy(tmp_path)
    watch = FolderWatch(corpus)
    serving = hashes(index)
    watch.due(serving)
    watch.due(serving)
    later = time.time() + 60
    os.utime(corpus / SHIPPED, (later, later))  # mtime moved, content the same
    (corpus / "notes.md").write_text("编辑部备忘", encoding="utf-8")
    (corpus / f"{NEW}.part").write_text(NEW_ISSUE, encoding="utf-8")  # a script's temporary name
    assert not watch.due(serving)
    assert not watch.due(serving)
    (corpus / SHIPPED).write_text((corpus / SHIPPED).read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    watch.due(serving)
    assert watch.due(serving)  # an edit of an issue file is a change


def test_papers_txt_and_the_dictionary_count_too(tmp_path: Path, index: Index):
    corpus = corpus_copy(tmp_path)
    watch = FolderWatch(corpus)
    serving = hashes(index)
    watch.due(serving)
    assert not watch.due(serving)
    with (corpus / "papers.txt").open("a", encoding="utf-8") as f:
        f.write("\njinbei-daily = 晋北日报\n")
    watch.due(serving)
    assert watch.due(serving)
    watch.loaded()
    with (corpus / "userdict.txt").open("a", encoding="utf-8") as f:
        f.write("\n图书角 5 n\n")
    watch.due(serving)
    assert watch.due(serving)


def test_watch_interval_is_read_in_config():
    assert Settings.from_env({}, dotenv=None).watch_interval == DEFAULT_WATCH_INTERVAL
    assert Settings.from_env({"WATCH_INTERVAL": "2.5"}, dotenv=None).watch_interval == 2.5
    assert Settings.from_env({"WATCH_INTERVAL": "0"}, dotenv=None).watch_interval == 0
    for bad in ("-1", "soon", "nan"):
        with pytest.raises(ConfigError, match="WATCH_INTERVAL"):
            Settings.from_env({"WATCH_INTERVAL": bad}, dotenv=None)


@pytest.mark.asyncio
async def test_the_watcher_never_loads_at_the_same_time_as_a_reload(tmp_path: Path, index: Index, monkeypatch):
    """/reload and an upload go through the serving index's lock; the watcher's reloads do too."""
    corpus = corpus_copy(tmp_path)
    guard, active, most = threading.Lock(), [0], [0]
    real = serving_module.load_warm

    def slow_load(*args):  # type: ignore[no-untyped-def]
        with guard:
            active[0] += 1
            most[0] = max(most[0], active[0])
        try:
            time.sleep(0.2)
            return real(*args)
        finally:
            with guard:
                active[0] -= 1

    monkeypatch.setattr(serving_module, "load_warm", slow_load)
    holder = IndexHolder(index, corpus)
    kicks: list[None] = []
    notes: list[str] = []

    async def notify(text: str) -> None:
        notes.append(text)

    async def until(condition) -> None:  # type: ignore[no-untyped-def]
        for _ in range(500):
            if condition():
                return
            await asyncio.sleep(0.01)
        raise TimeoutError

    watcher = Watcher(holder, 0.02, lambda: kicks.append(None))
    watcher.start(notify)
    try:
        (corpus / NEW).write_text(NEW_ISSUE, encoding="utf-8")
        await until(lambda: active[0] == 1)  # the watcher is loading the new file…
        await holder.reload()  # …when an admin sends /reload: it waits its turn
        assert len(kicks) == 1 and NEW in notes[0]
        admins = asyncio.create_task(holder.reload())  # and the other way round
        await until(lambda: active[0] == 1)
        (corpus / "jinbei-daily-2024-11-04.txt").write_text(NEW_ISSUE, encoding="utf-8")
        await admins
        await until(lambda: "jinbei-daily-2024-11-04.txt" in hashes(holder.index))
    finally:
        await watcher.stop()
    assert most[0] == 1


@pytest.mark.asyncio
async def test_a_watcher_reload_that_finds_nothing_new_tells_nobody(tmp_path: Path, index: Index):
    """A /reload or an upload may load the change between the watcher's look and its load."""
    holder = IndexHolder(index, corpus_copy(tmp_path))
    kicks: list[None] = []
    notes: list[str] = []

    async def notify(text: str) -> None:
        notes.append(text)

    watcher = Watcher(holder, 1.0, lambda: kicks.append(None))
    watcher.folder.due = lambda serving: True  # type: ignore[method-assign]  # the look saw a change the load no longer finds
    await watcher.look(notify)
    assert holder.index is not index  # it did load
    assert notes == [] and kicks == []


# -- the running bot -----------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.timeout(90)
async def test_a_good_file_dropped_in_is_loaded_and_a_broken_one_reported(tmp_path: Path, index: Index):
    corpus = corpus_copy(tmp_path)
    emu = BotAPIEmulator(token=TOKEN, bot_username=BOT).start()
    try:
        admin = emu.user(ADMIN, "Admin")
        emu.private_chat(admin)
        alice = emu.user(1001, "Alice")
        async with running(emu, tmp_path, index, watch_interval=0.1) as app:
            serving = app.bot_data.serving  # type: ignore[attr-defined]
            emu.private_message(alice, "/subscribe 图书角")
            await emu.wait_for(lambda: emu.bot_messages(alice["id"]))

            (corpus / NEW).write_text(NEW_ISSUE, encoding="utf-8")  # tomorrow's issue, dropped by a script
            [report] = await emu.wait_for(lambda: emu.bot_messages(ADMIN), timeout=30)
            assert report["text"].startswith("报纸目录有变化，已自动加载")
            assert msg.WATCH_ADDED.format(name=NEW, paper="jinbei-daily", date="2024-11-03", articles=1) in report["text"]
            assert NEW in hashes(serving.index)
            [_, note] = await emu.wait_for(lambda: emu.bot_messages(alice["id"])[1:] and emu.bot_messages(alice["id"]))
            assert note["text"].startswith(msg.MATCH_HEADER.format(paper="jinbei-daily", date="2024-11-03"))

            before = serving.index
            broken = "jinbei-daily-2024-11-04.txt"
            (corpus / broken).write_bytes(b"%PDF-1.7\n\x00\x01binary")
            [_, failed] = await emu.wait_for(lambda: emu.bot_messages(ADMIN)[1:] and emu.bot_messages(ADMIN), timeout=30)
            assert failed["text"].startswith("报纸目录有变化，但有文件加载失败，继续使用原来的报纸")
            assert f"• {broken}: 这是 PDF" in failed["text"]
            assert serving.index is before  # the serving index stays as it was
            await asyncio.sleep(0.5)
            assert len(emu.bot_messages(ADMIN)) == 2  # reported once, not at every look

            (corpus / broken).unlink()  # taken back out: the folder is what serves again
            (corpus / NEW).write_text(NEW_ISSUE.replace("3200册", "3300册"), encoding="utf-8")
            [*_, edited] = await emu.wait_for(lambda: emu.bot_messages(ADMIN)[2:] and emu.bot_messages(ADMIN), timeout=30)
            assert msg.WATCH_CHANGED.format(name=NEW, paper="jinbei-daily", date="2024-11-03", articles=1) in edited["text"]
            assert "3300册" in serving.index.ask("图书角藏书多少册").hits[0].passage.text
            await asyncio.sleep(0.5)
            assert len(emu.bot_messages(ADMIN)) == 3
            emu.private_message(admin, "/help")  # admins are told the folder is watched
            [*_, help_reply] = await emu.wait_for(lambda: emu.bot_messages(ADMIN)[3:] and emu.bot_messages(ADMIN))
            assert help_reply["text"].endswith(msg.ADMIN_HELP + msg.ADMIN_HELP_WATCH)
    finally:
        emu.stop()
    assert not emu.rejected, "\n".join(c.summary() for c in emu.rejected)
