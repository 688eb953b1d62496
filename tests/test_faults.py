"""Telegram faults (429, 500, 502, timeouts, resets, malformed JSON) injected by the emulator.

Under every fault the bot keeps running and every question gets exactly one answer: none lost,
none twice. python-telegram-bot's AIORateLimiter retries 429 (RetryAfter); the updater retries
failed long polls without confirming updates, so nothing is lost there. A failed *send* is
another matter: PTB does not retry 5xx, resets or timeouts, and the bot's error handler then
sends an apology instead of the answer — those tests are expected failures documenting the bug.

Figures (faults injected, answers lost or doubled, apologies) are printed by `test_zz_summary`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time

import pytest
from conftest import Harness

from bot import messages as msg

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.timeout(90),
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),  # PTB's own RetryAfter
]

QUESTIONS = [
    ("云冈今年去了多少人？", "1575万人次"),
    ("天镇县的年平均风速是多少？", "风速"),
    ("教师资格考试成绩什么时候发布", "成绩"),
    ("恒山景区接待游客多少", "300万人次"),
]

FIGURES: dict[str, dict[str, int]] = {}
_ids = itertools.count(30_000)


def button_data(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def is_answer(text: str) -> bool:
    return not text.startswith((msg.ERROR, msg.THROTTLED[:6]))


async def ask_many(h: Harness, n: int) -> list[tuple[dict, str]]:
    """n questions from n new users, queued at once; returns (user, expected text)."""
    asked = []
    for i in range(n):
        user = h.emu.user(next(_ids), f"U{i}")
        question, expected = QUESTIONS[i % len(QUESTIONS)]
        h.emu.private_message(user, question)
        asked.append((user, expected))
    return asked


async def outcome(h: Harness, label: str, asked: list[tuple[dict, str]], timeout: float = 30.0) -> dict[str, int]:
    """Wait until every asker has had a reply (or time runs out, then a grace second for
    doubles), count answers per question, record and return the figures."""
    deadline = time.monotonic() + timeout

    def all_replied() -> bool:
        return all(h.replies(user["id"]) for user, _ in asked)

    with contextlib.suppress(TimeoutError):
        await h.emu.wait_for(all_replied, timeout=max(0.1, deadline - time.monotonic()))
    await h.emu.wait_for(lambda: not h.emu.pending_updates, timeout=10)
    await _pause(1.0)  # a late duplicate would show up now
    answers = [sum(is_answer(m["text"]) for m in h.replies(user["id"])) for user, _ in asked]
    apologies = sum(m["text"].startswith(msg.ERROR) for user, _ in asked for m in h.replies(user["id"]))
    right = sum(any(expected in m["text"] for m in h.replies(user["id"])) for user, expected in asked)
    figures = {
        "questions": len(asked),
        "faults injected": h.emu.injected,
        "answered once": answers.count(1),
        "answers lost": answers.count(0),
        "answered twice or more": sum(a > 1 for a in answers),
        "apologies": apologies,
        "right paragraph": right,
    }
    FIGURES[label] = figures
    return figures


async def _pause(seconds: float) -> None:
    await asyncio.sleep(seconds)


def handler_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("datong_bot") and r.levelno >= logging.ERROR]


def assert_exactly_once(figures: dict[str, int]) -> None:
    assert figures["answers lost"] == 0, figures
    assert figures["answered twice or more"] == 0, figures
    assert figures["answered once"] == figures["questions"], figures
    assert figures["apologies"] == 0, figures


# -- faults the bot rides out -------------------------------------------------------------------


async def test_429_on_sends_is_retried_and_every_question_answered_once(harness: Harness, caplog):
    caplog.set_level(logging.WARNING)
    harness.emu.inject("sendMessage", "429", count=3, retry_after=1)
    asked = await ask_many(harness, 6)
    figures = await outcome(harness, "429 on sendMessage x3 (retry_after=1)", asked)
    assert_exactly_once(figures)
    assert figures["right paragraph"] == 6
    assert harness.emu.injected == 3
    assert not handler_errors(caplog)


async def test_429_on_buttons_and_inline_is_retried(harness: Harness, caplog):
    caplog.set_level(logging.WARNING)
    emu, alice = harness.emu, harness.alice
    reply = await harness.ask_private(alice, "天镇县的年平均风速是多少？")
    for method in ("answerCallbackQuery", "editMessageText", "answerInlineQuery"):
        emu.inject(method, "429", count=1, retry_after=1)
    emu.callback_query(alice, reply, button_data(reply)[msg.BUTTON_NEXT])
    await emu.wait_for_call("editMessageText", lambda c: c.ok, timeout=15)
    emu.inline_query(alice, "云冈石窟游客")
    await emu.wait_for_call("answerInlineQuery", lambda c: c.ok, timeout=15)
    await emu.wait_for_call("answerCallbackQuery", lambda c: c.ok, timeout=15)
    assert emu.injected == 3
    assert len(emu.message_history(alice["id"], reply["message_id"])) == 2
    FIGURES["429 on answerCallbackQuery, editMessageText, answerInlineQuery"] = {
        "faults injected": 3,
        "answers lost": 0,
        "questions": 2,
    }
    assert not handler_errors(caplog)


@pytest.mark.parametrize(
    ("fault", "options"),
    [  # reset, 500, 502 and bad_json on getUpdates are in the storm below
        ("429", {"retry_after": 1}),
        ("timeout", {"seconds": 0.5}),  # the connection drops mid-poll
        ("timeout", {"seconds": 2, "process": True}),  # updates handed out, the answer lost
    ],
    ids=["429", "dropped mid-poll", "response lost"],
)
async def test_faults_on_get_updates_lose_no_update(harness: Harness, caplog, fault: str, options: dict):
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    await harness.ask_private(harness.alice, "云冈今年去了多少人？")  # polling is running
    emu.inject("getUpdates", fault, count=1, **options)
    asked = await ask_many(harness, 4)
    figures = await outcome(harness, f"{fault} {options or ''} on getUpdates".strip(), asked)
    assert emu.injected == 1
    assert_exactly_once(figures)
    assert figures["right paragraph"] == 4
    assert not handler_errors(caplog)


async def test_a_storm_of_recoverable_faults(harness: Harness, caplog):
    """A reset, a 500, malformed JSON, a 502 and a dropped poll on getUpdates, and 429s on sends,
    interleaved with 30 questions. (Four 429s in a row on one send exceed AIORateLimiter's
    max_retries=3: that answer is lost — a setting, see the report.)"""
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    emu.inject("sendMessage", "429", count=3, retry_after=1)  # one send retried three times: the limit
    asked = []
    for fault, options in [("reset", {}), ("500", {}), ("bad_json", {}), ("502", {}), ("timeout", {"seconds": 0.3})]:
        emu.inject("getUpdates", fault, count=1, **options)
        asked += await ask_many(harness, 6)
        await emu.wait_for(lambda: not emu.pending_updates, timeout=15)
    figures = await outcome(harness, "storm: 5 getUpdates faults + 3x 429 on sendMessage", asked, timeout=60)
    assert emu.injected == 8
    assert_exactly_once(figures)
    assert not handler_errors(caplog)
    # …and the bot is still answering afterwards.
    reply = await harness.ask_private(harness.alice, "云冈今年去了多少人？")
    assert "1575万人次" in reply["text"]


# -- faults on a send: the answer must still arrive exactly once --------------------------------

SEND_FAULTS = [
    pytest.param("500", {}, id="500"),
    pytest.param("502", {}, id="502"),
    pytest.param("reset", {}, id="reset"),
    pytest.param("bad_json", {}, id="bad_json"),
    pytest.param("timeout", {"seconds": 1}, id="held 1 s then dropped, not delivered"),
]


@pytest.mark.parametrize(("fault", "options"), SEND_FAULTS)
async def test_a_failed_send_is_retried_so_the_answer_is_not_lost(harness: Harness, caplog, fault: str, options: dict):
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    emu.inject("sendMessage", fault, count=1, **options)
    asked = await ask_many(harness, 3)
    figures = await outcome(harness, f"{fault} {options or ''} on sendMessage".strip(), asked)
    assert emu.injected == 1
    assert_exactly_once(figures)


async def test_a_send_whose_response_is_lost_is_not_followed_by_an_apology(harness: Harness, caplog):
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    emu.inject("sendMessage", "timeout", count=1, seconds=6, process=True)
    asked = await ask_many(harness, 2)
    figures = await outcome(harness, "timeout (delivered) on sendMessage", asked)
    assert figures["answers lost"] == 0 and figures["answered twice or more"] == 0, figures
    assert figures["apologies"] == 0, figures


async def test_a_failed_edit_is_retried_or_reported_once(harness: Harness, caplog):
    caplog.set_level(logging.WARNING)
    emu, alice = harness.emu, harness.alice
    reply = await harness.ask_private(alice, "天镇县的年平均风速是多少？")
    emu.inject("editMessageText", "500", count=1)
    emu.callback_query(alice, reply, button_data(reply)[msg.BUTTON_NEXT])
    await emu.wait_for(lambda: len([c for c in emu.calls if c.method == "answerCallbackQuery"]) >= 1)
    await _pause(1.5)
    refused = [c.summary() for c in emu.rejected]
    FIGURES["500 on editMessageText"] = {"faults injected": emu.injected, "refused follow-up calls": len(refused)}
    edited = len(emu.message_history(alice["id"], reply["message_id"])) == 2
    assert edited, "the edit was lost"
    assert not refused, refused


async def test_zz_summary(capsys: pytest.CaptureFixture[str]):
    with capsys.disabled():
        print("\n[faults] per scenario:")
        for label, figures in FIGURES.items():
            print(f"    {label}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
        total = sum(f.get("faults injected", 0) for f in FIGURES.values())
        lost = sum(f.get("answers lost", 0) for f in FIGURES.values())
        doubled = sum(f.get("answered twice or more", 0) for f in FIGURES.values())
        print(f"    total: faults injected={total}, answers lost={lost}, answered twice={doubled}")
