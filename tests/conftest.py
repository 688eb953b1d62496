"""Shared fixtures: the shipped corpus and its index are built once per test session."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from botapi import BotAPIEmulator
from telegram.ext import Application

from bot.config import Settings, shipped_corpus_dir
from bot.corpus import Corpus, load_corpus
from bot.index import Index
from bot.telegram import build_application

DATA = Path(__file__).parent / "data"
PAPERS = DATA / "papers"
QUESTIONS = DATA / "questions"


@pytest.fixture(scope="session", autouse=True)
def console_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The console's default data folder (the user's cache, platformdirs honours XDG_CACHE_HOME) is
    a temporary one: the commands the tests run never write into the developer's home or the repo."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    return cache


@pytest.fixture(scope="session")
def shipped_corpus() -> Corpus:
    return load_corpus(shipped_corpus_dir())


@pytest.fixture(scope="session")
def index(shipped_corpus: Corpus) -> Index:
    return Index.build(shipped_corpus)


@pytest.fixture(scope="session")
def papers_index() -> Index:
    return Index.build(load_corpus(PAPERS))


# -- the bot against the Bot API emulator ------------------------------------------------------

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstu"
ADMIN = 900
BOT = "DatongDailyBot"
NEW_ISSUE = (
    "\n晋北日报社区新闻\n\n本报讯(记者 王五)昨日,城南社区新建的图书角正式开放,"
    "藏书共计3200册,居民可免费借阅。\n\n图书角每天上午9时至下午5时开放,周一闭馆。\n"
)


@dataclass
class Harness:
    emu: BotAPIEmulator
    app: Application
    corpus: Path
    admin: dict
    alice: dict

    def replies(self, chat_id: int) -> list[dict]:
        return self.emu.bot_messages(chat_id)

    async def idle(self, timeout: float = 30.0) -> None:
        """Updates are handled concurrently: wait until none is queued or in progress."""
        processor = self.app.update_processor
        await self.emu.wait_for(
            lambda: self.emu.pending_updates == 0 and self.app.update_queue.empty() and processor.current_concurrent_updates == 0,
            timeout=timeout,
            description="every update handled",
        )

    async def ask_private(self, user: dict, text: str, count: int = 1) -> dict:
        """Send a private message and wait until the bot has sent `count` new messages there."""
        before = len(self.replies(user["id"]))
        self.emu.private_message(user, text)
        sent = await self.emu.wait_for(lambda: len(self.replies(user["id"])) >= before + count and self.replies(user["id"]))
        return sent[before + count - 1]


@pytest_asyncio.fixture
async def harness(tmp_path: Path, index: Index) -> AsyncIterator[Harness]:
    corpus = tmp_path / "corpus"
    shutil.copytree(shipped_corpus_dir(), corpus, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    emu = BotAPIEmulator(token=TOKEN, bot_username=BOT).start()
    settings = Settings(
        token=TOKEN,
        api_base_url=emu.base_url,
        file_base_url=emu.base_file_url,
        admin_ids=frozenset({ADMIN}),
        corpus_dir=corpus,
        data_dir=tmp_path / "data",
    )
    app = build_application(settings, index)  # the shipped corpus' index: same files as the copy
    async with app:
        await app.post_init(app)  # what run_polling does after initialize
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield Harness(emu, app, corpus, emu.user(ADMIN, "Admin"), emu.user(1001, "Alice", "alice"))
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)  # as run_polling does
    emu.stop()
    assert not emu.rejected, "\n".join(c.summary() for c in emu.rejected)


@pytest.fixture
def tokenized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the issue files tokenized during the test (in this process)."""
    from bot import postings as builder

    seen: list[str] = []
    original = builder.issue_postings
    monkeypatch.setattr(builder, "PARALLEL_MIN_PARAGRAPHS", 10**9)  # count in this process

    def counting(tokenizer, issue):
        seen.append(issue.name)
        return original(tokenizer, issue)

    monkeypatch.setattr(builder, "issue_postings", counting)
    return seen
