"""Hostile input: every bad message, button, inline query and upload gets a clear result.

Over the Bot API emulator (real application, real HTTP): no crash, no apology, no call Telegram
would refuse, exactly the expected number of replies (0 or 1), and a normal question is still
answered afterwards. Uploads are also fed straight to bot.serving / bot.uploads / bot.corpus.

The application handles updates one at a time, in order, so a normal question from a fresh user
("the sentinel") answered last proves every earlier update has been handled.

Inputs tried are counted in INPUTS_TRIED and printed by `test_zz_summary` (run with -s to see it).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import random
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import opencc
import pytest
from conftest import ADMIN, BOT, NEW_ISSUE, Harness

from bot import messages as msg
from bot.corpus import MAX_FILE_BYTES, CorpusError, Issue, load_corpus, parse_issue
from bot.index import Index
from bot.layout import parse_text
from bot.serving import IndexHolder, add_issue
from bot.telegram.callbacks import parse_callback
from bot.uploads import UploadError, check_upload, safe_issue_name, write_atomically

_S2T = opencc.OpenCC("s2t")

pytestmark = pytest.mark.timeout(120)

SENTINEL_Q = "云冈今年去了多少人？"
SENTINEL_A = "1575万人次"

INPUTS_TRIED: dict[str, int] = {}
FINDINGS: dict[str, int] = {"crashes": 0, "html_rejections": 0}


def tried(category: str, n: int) -> None:
    INPUTS_TRIED[category] = INPUTS_TRIED.get(category, 0) + n


_ids = itertools.count(20_000)


def fresh_user(emu, name: str = "Tester", **extra) -> dict:
    return emu.user(next(_ids), name, **extra)


def kind_of(text: str) -> str:
    """What a reply is, from the bot's fixed sentences."""
    if text.startswith(msg.ERROR):
        return "error"
    if text.startswith(msg.THROTTLED[:6]):
        return "throttled"
    if text.startswith(msg.EMPTY_QUESTION[:8]):
        return "empty"
    if text.startswith(msg.NOT_FOUND):
        return "not_found"
    if text.startswith(msg.UNSURE_INTRO):
        return "unsure"
    if "第" in text and "篇 第" in text:
        return "answer"
    if text.startswith((msg.OTHER_LANGUAGE[:12], msg.GREETING[:6], msg.WHO[:6], msg.THANKS[:3], msg.GOODBYE[:3])):
        return "talk"  # small talk, or "please ask in Chinese" (bot.intents)
    return "other"


CLEAR = {"empty", "not_found", "unsure", "answer", "talk"}


async def settle(h: Harness, timeout: float = 30.0) -> None:
    """Ask a normal question from a new user and wait for its answer (see the module doc)."""
    user = fresh_user(h.emu, "Sentinel")
    h.emu.private_message(user, SENTINEL_Q)
    replies = await h.emu.wait_for(lambda: h.replies(user["id"]), timeout=timeout, description="the sentinel's answer")
    assert SENTINEL_A in replies[0]["text"], "a normal question is still answered"
    await h.idle(timeout)


def error_records(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


def check_clean(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    """No call refused by 'Telegram', no handler exception, no apology anywhere."""
    rejected = [c.summary() for c in h.emu.rejected]
    FINDINGS["html_rejections"] += sum("parse entities" in r for r in rejected)
    errors = error_records(caplog)
    FINDINGS["crashes"] += len(errors)
    apologies = [m for m in h.emu.bot_messages() if m.get("text", "").startswith(msg.ERROR)]
    assert not rejected, rejected
    assert not errors, errors
    assert not apologies, apologies


# -- text messages in a private chat ----------------------------------------------------------

# (label, text, expected reply kind; "clear" = any of CLEAR, "answer" = the sentinel's paragraph,
# None = no reply at all)
PRIVATE_TEXTS: list[tuple[str, str, str | None]] = [
    ("only spaces", "     ", "empty"),
    ("tabs, newlines, ideographic space", "\t\n \u3000 \r\n", "empty"),
    ("emoji only", "😀🎉🏯👍🏻👨‍👩‍👧🇨🇳", "clear"),
    ("ASCII punctuation only", "?!.,;:'\"-()[]{}<>/\\|@#$%^&*_+=~`", "clear"),
    ("CJK punctuation only", "？！。，、；：“”‘’（）《》【】……——·", "clear"),
    ("exactly 4096 characters", "云冈" * 2048, "clear"),
    ("over 4096 characters", "天镇县风速多少" * 700, "clear"),
    ("4096 astral characters", "𠀀" * 4096, "clear"),
    ("one CJK character", "云", "clear"),
    ("one Latin letter", "a", "clear"),
    ("one digit", "7", "clear"),
    ("a slash alone", "/", "clear"),
    ("<b>", "<b>", "clear"),
    ("&amp;", "&amp;", "clear"),
    ("</", "</", "clear"),
    ("bare ampersand and lt", "& < > \" '", "clear"),
    ("HTML soup", "<b>云冈</b><i>游客&lt;&#x27;&#0;&#xD800;</i><a href='javascript:alert(1)'>x</a><script>", "clear"),
    ("unclosed tags", "<b><i><u><s><code><pre><tg-spoiler>云冈", "clear"),
    ("Markdown", "*云冈* _石窟_ `游客` [多少](http://x.y) ~~人~~ ||次|| # 标题\n> 引用\n```py\nx\n```", "clear"),
    ("MarkdownV2 escapes", r"\*\_\[\]\(\)\~\`\>\#\+\-\=\|\{\}\.\!", "clear"),
    ("zero-width inside a real question", "云\u200b冈\u200c今\u200d年\u2060去了多少人\ufeff？", "answer"),
    ("bidi controls around a real question", "\u202e云冈今年去了多少人\u202c？\u2066\u2069\u200f", "answer"),
    ("only invisible characters", "\u200b\u200c\u200d\u2060\ufeff\u202e", "clear"),
    ("NUL and control characters", "云冈\x00今年\x01去了\x07多少\x1b人\x7f？\x08", "answer"),
    ("only control characters", "\x00\x01\x02\x1b\x7f", "clear"),
    ("ANSI escape sequences", "\x1b[31m云冈\x1b[0m\x1b]0;title\x07", "clear"),
    ("mixed scripts", "Yungang 云冈 グロッタ 석굴 пещеры كهوف 🏯 今年多少游客", "clear"),
    ("right-to-left script only", "مرحبا كم عدد الزوار", "clear"),
    ("combining marks", "云̀冈́今̃年̄多少人̈", "clear"),
    ("mathematical alphanumerics", "𝐲𝐮𝐧𝐠𝐚𝐧𝐠 𝟏𝟓𝟕𝟓", "clear"),
    ("full-width Latin and digits", "ＹＵＮＧＡＮＧ　１５７５万人次", "clear"),
    ("Traditional script", "雲岡今年去了多少人？", "answer"),
    ("stopwords only: 你好吗", "你好吗", "clear"),
    ("stopwords only: 请问一下这个是什么呢", "请问一下这个是什么呢", "clear"),
    ("question words only", "什么时候？多少？谁？哪里？", "clear"),
    ("500 newlines then a question", "\n" * 500 + SENTINEL_Q, "answer"),
    ("4096 full stops", "。" * 4096, "clear"),
    ("SQL injection", "'; DROP TABLE unanswered; --", "clear"),
    ("format strings", "{0} {question} %s %(x)s {{}} {.__class__}", "clear"),
    ("JSON", '{"ok": false, "error_code": 500}', "clear"),
    ("a URL", "https://example.com/?q=<云冈>&a=1", "clear"),
    ("a mention of another user", "@someone_else 云冈今年去了多少人", "clear"),
    ("a mention of the bot in private", f"@{BOT} 云冈今年去了多少人？", "answer"),
    ("unknown command", "/foo 云冈", None),
    ("a command for another bot", "/start@OtherBot", None),
    ("the bot's token-like text", "123456:ABCdefGHIjklMNOpqrSTUvwxYZ", "clear"),
]


@pytest.mark.asyncio
async def test_hostile_private_texts_get_one_clear_reply_each(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    sent = []
    for label, text, expected in PRIVATE_TEXTS:
        user = fresh_user(harness.emu)
        harness.emu.private_message(user, text)
        sent.append((label, user, expected))
    tried("private texts", len(PRIVATE_TEXTS))
    await settle(harness)
    problems = []
    for label, user, expected in sent:
        replies = harness.replies(user["id"])
        if expected is None:
            if replies:
                problems.append(f"{label}: expected no reply, got {[r['text'][:60] for r in replies]}")
            continue
        if len(replies) != 1:
            problems.append(f"{label}: expected one reply, got {len(replies)}")
            continue
        kind = kind_of(replies[0]["text"])
        ok = kind in CLEAR if expected == "clear" else kind == expected or (expected == "answer" and kind == "unsure")
        if expected == "answer":
            ok = ok and SENTINEL_A in replies[0]["text"]
        if not ok:
            problems.append(f"{label}: expected {expected}, got {kind}: {replies[0]['text'][:80]!r}")
    assert not problems, "\n".join(problems)
    check_clean(harness, caplog)
    # The SQL text was stored as a question, and the table is still there.
    unanswered = await harness.ask_private(harness.admin, "/unanswered")
    assert "DROP TABLE" in unanswered["text"]


GROUP_TEXTS: list[tuple[str, str, str | None]] = [
    ("mention alone", f"@{BOT}", "empty"),
    ("mention and spaces", f"@{BOT}    \u3000", "empty"),
    ("mention with HTML", f"@{BOT} <b>&amp;</ <i>云冈", "clear"),
    ("mention with zero-width", f"@{BOT} 云\u200b冈今年去了多少人？", "answer"),
    ("mention, upper case", f"@{BOT.upper()} 云冈今年去了多少人？", "answer"),
    ("/ask with nothing", "/ask", "usage"),
    ("/ask with spaces", "/ask      ", "usage"),
    ("/ask with markup", "/ask <script>alert(1)</script>", "clear"),
    ("/ask with 4096+ characters", "/ask " + "云冈" * 2100, "clear"),
    ("/ask for another bot", "/ask@OtherBot 云冈今年去了多少人", None),
    ("chatter", "今天天气不错，大家去云冈玩了吗", None),
    ("mention of someone else", "@someone_else 云冈今年去了多少人", None),
    ("mention inside a word", f"abc@{BOT} 云冈", None),
]


@pytest.mark.asyncio
async def test_hostile_group_texts(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    sent = []
    for n, (label, text, expected) in enumerate(GROUP_TEXTS):
        chat = -100_500_000 - n
        harness.emu.group_message(chat, fresh_user(harness.emu), text)
        sent.append((label, chat, expected))
    tried("group texts", len(GROUP_TEXTS))
    await settle(harness)
    problems = []
    for label, chat, expected in sent:
        replies = harness.replies(chat)
        want = 0 if expected is None else 1
        if len(replies) != want:
            problems.append(f"{label}: expected {want} replies, got {[r['text'][:60] for r in replies]}")
            continue
        if expected == "usage":
            ok = replies[0]["text"].startswith(msg.GROUP_ASK_USAGE[:6])
        elif expected == "answer":
            ok = SENTINEL_A in replies[0]["text"]
        elif expected == "clear":
            ok = kind_of(replies[0]["text"]) in CLEAR
        else:
            ok = expected is None or kind_of(replies[0]["text"]) == expected
        if not ok:
            problems.append(f"{label}: expected {expected}, got {replies[0]['text'][:80]!r}")
    assert not problems, "\n".join(problems)
    check_clean(harness, caplog)


# -- updates that are not new text messages from people ----------------------------------------

_message_ids = itertools.count(50_000)


def raw_message(chat: dict, user: dict | None, **content) -> dict:
    message = {"message_id": next(_message_ids), "chat": chat, "date": int(time.time()), **content}
    if user is not None:
        message["from"] = user
    return message


def private_chat(user: dict) -> dict:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


PHOTO = [{"file_id": "AgACph1", "file_unique_id": "ph1", "width": 90, "height": 90, "file_size": 1000}]
NON_TEXT_CONTENT: list[tuple[str, dict]] = [
    (
        "sticker",
        {
            "sticker": {
                "file_id": "CAACst1",
                "file_unique_id": "st1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "😀",
            }
        },
    ),
    ("photo", {"photo": PHOTO}),
    ("photo with a question as caption", {"photo": PHOTO, "caption": SENTINEL_Q}),
    ("voice", {"voice": {"file_id": "AwACvo1", "file_unique_id": "vo1", "duration": 3, "mime_type": "audio/ogg"}}),
    ("video note", {"video_note": {"file_id": "DQACvn1", "file_unique_id": "vn1", "length": 240, "duration": 2}}),
    ("audio", {"audio": {"file_id": "CQACau1", "file_unique_id": "au1", "duration": 60}}),
    ("location", {"location": {"latitude": 40.1, "longitude": 113.3}}),
    ("contact", {"contact": {"phone_number": "+8612345678901", "first_name": "X"}}),
    ("dice", {"dice": {"emoji": "🎲", "value": 4}}),
    ("empty text", {"text": ""}),
    ("no content at all", {}),
]


@pytest.mark.asyncio
async def test_messages_without_text_get_no_reply(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    users = []
    for label, content in NON_TEXT_CONTENT:
        user = fresh_user(harness.emu)
        harness.emu.queue_update({"message": raw_message(private_chat(user), user, **content)})
        users.append((label, user))
    # The same in a group, where nobody asked the bot anything.
    group = {"id": -100_600_001, "type": "supergroup", "title": "G"}
    member = fresh_user(harness.emu)
    for _label, content in NON_TEXT_CONTENT:
        harness.emu.queue_update({"message": raw_message(group, member, **content)})
    service = [
        {"new_chat_members": [harness.emu.bot_user, member]},
        {"left_chat_member": member},
        {"new_chat_title": "<b>新群名</b>"},
        {"pinned_message": raw_message(group, member, text="云冈")},
        {"group_chat_created": True},
    ]
    for content in service:
        harness.emu.queue_update({"message": raw_message(group, member, **content)})
    tried("messages without text", 2 * len(NON_TEXT_CONTENT) + len(service))
    await settle(harness)
    noisy = [label for label, user in users if harness.replies(user["id"])]
    assert not noisy, f"replied to: {noisy}"
    assert harness.replies(group["id"]) == []
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_forwarded_messages_are_answered_like_any_question(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    now = int(time.time())
    origins = [
        {"type": "user", "date": now, "sender_user": {"id": 77, "is_bot": False, "first_name": "Orig"}},
        {"type": "hidden_user", "date": now, "sender_user_name": "<b>Hidden & Co</b>"},
        {"type": "channel", "date": now, "chat": {"id": -100_700_001, "type": "channel", "title": "大同日报"}, "message_id": 5},
        {"type": "user", "date": now, "sender_user": {"id": 78, "is_bot": True, "first_name": "SomeBot"}},
    ]
    users = []
    for origin in origins:
        user = fresh_user(harness.emu)
        harness.emu.private_message(user, SENTINEL_Q, forward_origin=origin)
        users.append(user)
    tried("forwarded messages", len(origins))
    await settle(harness)
    for user in users:
        replies = harness.replies(user["id"])
        assert len(replies) == 1 and SENTINEL_A in replies[0]["text"]
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_channel_posts_bots_and_edits_are_ignored(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    channel = {"id": -100_800_001, "type": "channel", "title": "频道"}
    inputs = 0
    for text in (SENTINEL_Q, f"@{BOT} {SENTINEL_Q}", f"/ask {SENTINEL_Q}", "/reload", "/start"):
        emu.queue_update({"channel_post": raw_message(channel, None, sender_chat=channel, text=text)})
        emu.queue_update(
            {"edited_channel_post": raw_message(channel, None, sender_chat=channel, text=text, edit_date=int(time.time()))}
        )
        inputs += 2
    # Other bots, in private and in a group, even mentioning or replying to us.
    robot = fresh_user(emu, "Robot", is_bot=True, username="other_bot")
    for text in (SENTINEL_Q, "/start", "/reload", f"@{BOT} {SENTINEL_Q}"):
        emu.private_message(robot, text)
        emu.group_message(-100_800_002, robot, text)
        inputs += 2
    # An anonymous group admin and a linked channel's automatic forward speak as bots.
    group = {"id": -100_800_003, "type": "supergroup", "title": "G"}
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
    emu.queue_update({"message": raw_message(group, anonymous, sender_chat=group, text=f"@{BOT} {SENTINEL_Q}")})
    channel_bot = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
    emu.queue_update({"message": raw_message(group, channel_bot, sender_chat=channel, text=f"@{BOT} {SENTINEL_Q}")})
    auto = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
    emu.queue_update({"message": raw_message(group, auto, sender_chat=channel, is_automatic_forward=True, text=SENTINEL_Q)})
    inputs += 3
    # Edits of messages that were already answered, including an admin editing to /reload.
    alice = fresh_user(emu, "Editor")
    original = emu.private_message(alice, SENTINEL_Q)["message"]
    await emu.wait_for(lambda: harness.replies(alice["id"]))
    for text in ("天镇县的年平均风速是多少？", "", "<b>", f"@{BOT} 天镇县风速"):
        emu.edited_message(original, text)
        inputs += 1
    admin_message = emu.private_message(harness.admin, "你好")["message"]
    await emu.wait_for(lambda: harness.replies(ADMIN))
    emu.edited_message(admin_message, "/reload")
    inputs += 1
    tried("channel posts, bots, edits", inputs)
    await settle(harness)

    assert harness.replies(channel["id"]) == []
    assert harness.replies(robot["id"]) == [] and harness.replies(-100_800_002) == []
    assert harness.replies(group["id"]) == []
    assert len(harness.replies(alice["id"])) == 1
    assert len(harness.replies(ADMIN)) == 1, "the edit to /reload did nothing"
    check_clean(harness, caplog)


# -- buttons ------------------------------------------------------------------------------------


def button_data(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def callback_answers(h: Harness) -> list:
    return [c for c in h.emu.calls if c.method == "answerCallbackQuery"]


@pytest.mark.asyncio
async def test_forged_and_truncated_callback_data_is_stale_never_a_crash(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    emu, alice = harness.emu, harness.alice
    reply = await harness.ask_private(alice, "天镇县的年平均风速是多少？")
    real = button_data(reply)[msg.BUTTON_NEXT]
    key = real.split(":")[1]
    forged = [
        "n:zzzzzzzz:1",
        f"n:{key}:99",
        f"n:{key}:100",
        f"n:{key}:-1",
        f"n:{key}:1:9",
        f"n:{key}",
        f"n:{key}:",
        f"f:{key}:42",
        "f::0",
        "n::",
        "n:::",
        f"x:{key}:1",
        "🙂",
        "n:🙂:1",
        "n:<b>:1",
        f"n:{key}: 1",
        "n:" + "A" * 61,
        "f:" + "&amp;" * 12,
        "n:\x00:1",
        f"N:{key}:1",
        f" n:{key}:1",
    ]
    truncated = [real[:i] for i in range(1, len(real))]
    presses = list(dict.fromkeys(forged + truncated))
    for data in presses:
        emu.callback_query(alice, reply, data, check_button=False)
    tried("forged or truncated callback data", len(presses))
    await settle(harness)
    answers = callback_answers(harness)
    assert len(answers) <= len(presses)
    assert all(a.ok and a.params.get("text") in (None, msg.STALE_BUTTON) for a in answers), [a.summary() for a in answers]
    history = emu.message_history(alice["id"], reply["message_id"])
    assert len(history) == 1, "no forged press edited the answer"
    assert len(harness.replies(alice["id"])) == 1, "no forged press sent a message"
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_callback_data_with_unicode_digits_is_stale(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    reply = await harness.ask_private(harness.alice, "天镇县的年平均风速是多少？")
    key = button_data(reply)[msg.BUTTON_NEXT].split(":")[1]
    presses = [f"n:{key}:²", f"f:{key}:①", f"n:{key}:١"]
    tried("callback data with Unicode digits", len(presses))
    for data in presses:
        harness.emu.callback_query(harness.alice, reply, data, check_button=False)
    await settle(harness)
    answers = callback_answers(harness)
    assert [a.params.get("text") for a in answers] != [msg.ERROR] * len(answers)
    check_clean(harness, caplog)


def test_parse_callback_never_raises():
    samples = ["", "n", "n:", "n:a:1", "n:a:²", "f:a:①", "n:a:١", "n:a:𝟙", "n:a:٣٣", "n:a:99", "n:a:100", None]
    tried("parse_callback direct", len(samples))
    crashed = []
    for data in samples:
        try:
            kind, _key, position = parse_callback(data)
        except Exception as exc:
            crashed.append(f"{data!r}: {exc!r}")
            continue
        assert kind in (None, "n", "f") and isinstance(position, int)
    assert not crashed, crashed


@pytest.mark.asyncio
async def test_callback_data_from_another_chat(harness: Harness, caplog: pytest.LogCaptureFixture):
    """Alice's button data pressed under Bob's message (a forged client, or a forwarded copy):
    Bob's own message may change, Alice's never does; the press is answered once."""
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    alice_reply = await harness.ask_private(harness.alice, "天镇县的年平均风速是多少？")
    bob = fresh_user(emu, "Bob")
    bob_reply = await harness.ask_private(bob, "城南社区图书角藏书多少册？")
    data = button_data(alice_reply)
    before = len(callback_answers(harness))
    emu.callback_query(bob, bob_reply, data[msg.BUTTON_NEXT], check_button=False)
    emu.callback_query(bob, bob_reply, data[msg.BUTTON_FULL], check_button=False)
    # And a press in a group on the group's answer with data from a private chat.
    group = -100_900_001
    emu.group_message(group, bob, f"/ask {SENTINEL_Q}")
    group_reply = (await emu.wait_for(lambda: harness.replies(group)))[0]
    emu.callback_query(bob, group_reply, data[msg.BUTTON_NEXT], check_button=False)
    tried("callback data from another chat", 3)
    await settle(harness)
    assert len(callback_answers(harness)) - before == 3
    assert len(emu.message_history(harness.alice["id"], alice_reply["message_id"])) == 1
    assert all(m["chat"]["id"] != harness.alice["id"] for m in emu.bot_messages()[-3:])
    check_clean(harness, caplog)


async def pressed_twice(harness: Harness, button: str) -> dict:
    """Alice's answer to a question with buttons, after one of them was pressed twice at once
    (the same message as it was: both presses before any edit)."""
    reply = await harness.ask_private(harness.alice, "天镇县的年平均风速是多少？")
    data = button_data(reply)[button]
    harness.emu.callback_query(harness.alice, reply, data)
    harness.emu.callback_query(harness.alice, reply, data)
    await settle(harness)
    return reply


@pytest.mark.asyncio
async def test_next_button_pressed_twice_quickly(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    tried("button pressed twice quickly", 1)
    reply = await pressed_twice(harness, msg.BUTTON_NEXT)
    answers = callback_answers(harness)
    assert len(answers) == 2 and all(a.ok for a in answers)
    assert len(harness.emu.message_history(harness.alice["id"], reply["message_id"])) == 2
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_full_text_button_pressed_twice_sends_the_article_twice_cleanly(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    tried("full-text button pressed twice", 1)
    await pressed_twice(harness, msg.BUTTON_FULL)
    sent = harness.replies(harness.alice["id"])[1:]
    assert sent and len(sent) % 2 == 0, "each press sends the whole article once"
    half = len(sent) // 2
    assert [m["text"] for m in sent[:half]] == [m["text"] for m in sent[half:]]
    assert len(callback_answers(harness)) == 2
    check_clean(harness, caplog)


# -- inline mode --------------------------------------------------------------------------------

INLINE_QUERIES = [
    ("empty", "", 0),
    ("spaces", "     ", 0),
    ("256 CJK characters", ("云冈石窟游客" * 50)[:256], None),
    ("256 characters of markup", ("<b>&amp;</" * 30)[:256], None),
    ("256 astral characters", "𠀀" * 256, None),
    ("emoji", "🏯🏯🏯", None),
    ("zero-width", "\u200b\u200b", None),
    ("control characters", "\x00\x01云冈", None),
    ("a real question", "云冈石窟游客多少", None),
    ("Markdown", "*云冈* _游客_", None),
]


@pytest.mark.asyncio
async def test_inline_queries(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    ids = [emu.inline_query(fresh_user(emu), query)["inline_query"]["id"] for _label, query, _n in INLINE_QUERIES]
    tried("inline queries", len(INLINE_QUERIES))
    await emu.wait_for(lambda: len([c for c in emu.calls if c.method == "answerInlineQuery"]) >= len(INLINE_QUERIES))
    await settle(harness)
    by_id = {c.params["inline_query_id"]: c for c in emu.calls if c.method == "answerInlineQuery"}
    answers = [by_id[i] for i in ids]  # updates are handled concurrently: match answers by query id
    assert len(by_id) == len(INLINE_QUERIES) and all(a.ok for a in answers)
    for (label, _query, expected), call in zip(INLINE_QUERIES, answers, strict=True):
        results = call.params["results"]
        if expected is not None:
            assert len(results) == expected, label
        for result in results:
            assert 1 <= len(result["title"]) <= 100 and result["input_message_content"]["message_text"]
    check_clean(harness, caplog)


# -- uploads ------------------------------------------------------------------------------------


def issue_text(place: str, books: int) -> str:
    return NEW_ISSUE.replace("城南社区", f"{place}社区").replace("3200册", f"{books}册")


_TINY_PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n"
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R "
    b"/MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 44 >>\nstream\n"
    b"BT /F1 24 Tf 100 700 Td (Hello World) Tj ET\nendstream\nendobj\nxref\n0 5\n"
    b"0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
)
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
_RANDOM = bytes(b for b in random.Random(7).randbytes(20_000) if b)  # no NUL, not text

# (label, file name, content, expected reply) — all sent by the admin in a private chat.
REFUSED_UPLOADS: list[tuple[str, str, bytes, str]] = [
    ("empty file", "jinbei-daily-2024-12-01.txt", b"", "没有通过检查"),
    ("whitespace only", "jinbei-daily-2024-12-01.txt", b" \r\n\t\n\xe3\x80\x80\n", "没有通过检查"),
    ("binary", "jinbei-daily-2024-12-01.txt", b"\x00\xff\x00\xfe" * 100, "没有通过检查"),
    ("PNG renamed .txt", "jinbei-daily-2024-12-01.txt", _PNG, "没有通过检查"),
    ("random bytes without NUL", "jinbei-daily-2024-12-01.txt", _RANDOM, "没有通过检查"),
    ("UTF-16 without BOM", "jinbei-daily-2024-12-01.txt", issue_text("城北", 1).encode("utf-16-le"), "没有通过检查"),
    ("invalid UTF-8, not GB either", "jinbei-daily-2024-12-01.txt", b"\xc0\xaf\xfd" * 50, "没有通过检查"),
    ("no article: headlines only", "jinbei-daily-2024-12-01.txt", "标题一\n\n标题二\n\n".encode(), "没有通过检查"),
    ("only ignored lines", "jinbei-daily-2024-12-01.txt", "// 版头\n// 广告\n".encode(), "没有通过检查"),
    ("only a source note", "jinbei-daily-2024-12-01.txt", "(新华社电)\n".encode(), "没有通过检查"),
    ("invalid date in the name", "jinbei-daily-2024-13-45.txt", NEW_ISSUE.encode(), "没有通过检查"),
    (
        "invalid date in the header",
        "jinbei-daily-2024-12-01.txt",
        ("date: 2024-02-30\n---\n" + NEW_ISSUE).encode(),
        "没有通过检查",
    ),
    ("../ in the name", "../jinbei-daily-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("../../ deep", "../../../../tmp/jinbei-daily-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("backslash path", "..\\..\\jinbei-daily-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("absolute path", "/etc/jinbei-daily-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("Windows absolute path", "C:\\jinbei-daily-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("NUL in the name", "jinbei\x00-daily-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("NUL before .txt", "jinbei-daily-2024-12-01\x00.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("shell $()", "$(touch pwned)-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("shell ;", "x;rm -rf ~-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("shell backticks", "`id`-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("shell pipe", "a|b-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("hidden file", ".jinbei-daily-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("double extension", "jinbei-daily-2024-12-01.txt.exe", NEW_ISSUE.encode(), "文件名不对"),
    ("trailing slash", "jinbei-daily-2024-12-01.txt/", NEW_ISSUE.encode(), "文件名不对"),
    ("upper case", "JINBEI-2024-12-01.TXT", NEW_ISSUE.encode(), "文件名不对"),
    ("space in the name", "jinbei daily-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("Chinese name", "晋北日报-2024-12-01.txt", NEW_ISSUE.encode(), "文件名不对"),
    ("papers.txt", "papers.txt", b"datong-daily = <b>x</b>\n", "文件名不对"),
    ("userdict.txt", "userdict.txt", "云冈 100 ns\n".encode(), "文件名不对"),
    ("empty name", "", NEW_ISSUE.encode(), "文件名不对"),
    ("a .pdf name", "jinbei-daily-2024-12-01.pdf", NEW_ISSUE.encode(), "文件名不对"),
]


async def upload(h: Harness, user: dict, name: str, content: bytes, chat: dict | None = None) -> list[dict]:
    """Send a document, then wait until it has been handled; the replies it got."""
    chat = chat or h.emu.private_chat(user)
    before = len(h.replies(chat["id"]))
    h.emu.document_message(chat, user, name, content)
    await settle(h)
    return h.replies(chat["id"])[before:]


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if "data" not in p.relative_to(root).parts[:1])


@pytest.mark.asyncio
async def test_refused_uploads_write_nothing(harness: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    before = tree(tmp_path)
    problems = []
    for label, name, content, expected in REFUSED_UPLOADS:
        replies = await upload(harness, harness.admin, name, content)
        if len(replies) != 1:
            problems.append(f"{label}: {len(replies)} replies")
        elif expected is not None and expected not in replies[0]["text"]:
            problems.append(f"{label}: {replies[0]['text'][:80]!r}")
        elif not any(s in replies[0]["text"] for s in ("文件名不对", "没有通过检查", "文件太大")):
            problems.append(f"{label}: not refused: {replies[0]['text'][:80]!r}")
    tried("refused uploads", len(REFUSED_UPLOADS))
    assert not problems, "\n".join(problems)
    assert tree(tmp_path) == before, "a refused upload left a file behind"
    assert not list(Path("/tmp").glob("jinbei-daily-2024-12-01.txt")) and not Path("pwned").exists()
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_good_uploads_in_any_encoding_are_answerable(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    variants = [
        ("GB18030", "城东", 3301, lambda t: t.encode("gb18030")),
        ("GB18030 with its BOM", "城西", 3302, lambda t: b"\x84\x31\x95\x33" + t.encode("gb18030")),
        ("UTF-16 LE with BOM", "河东", 3303, lambda t: b"\xff\xfe" + t.encode("utf-16-le")),
        ("UTF-16 BE with BOM", "河西", 3304, lambda t: b"\xfe\xff" + t.encode("utf-16-be")),
        ("UTF-8 with BOM and CRLF", "山南", 3305, lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode()),
    ]
    problems = []
    for n, (label, place, books, encode) in enumerate(variants, start=1):
        name = f"jinbei-daily-2024-12-{n:02d}.txt"
        replies = await upload(harness, harness.admin, name, encode(issue_text(place, books)))
        if len(replies) != 1 or "已保存" not in replies[0]["text"]:
            problems.append(f"{label}: {[r['text'][:80] for r in replies]}")
            continue
        answer = await harness.ask_private(harness.alice, f"{place}社区图书角藏书多少册？")
        if f"{books}册" not in answer["text"] and f"{books}冊" not in answer["text"]:
            problems.append(f"{label}: answer {answer['text'][:80]!r}")
    tried("uploads in other encodings", len(variants))
    assert not problems, "\n".join(problems)
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_markup_in_an_uploaded_issue_cannot_break_replies(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    text = (
        "paper: <b>晋北&amp;日报</b> </\ndate: 2024-12-20\n---\n"
        "# <i>图书角</i> & <a href=x>开放</a>\n## &lt;副题&gt; </b>\n\n"
        "本报讯(记者 王五)昨日,<b>城中村</b>社区新建的图书角正式开放,藏书共计4321册,居民&amp;可免费借阅。\n\n"
        "图书角每天上午9时至下午5时开放,周一闭馆<script>。\n"
    )
    replies = await upload(harness, harness.admin, "jinbei-daily-2024-12-20.txt", text.encode())
    assert "已保存" in replies[0]["text"]
    answer = await harness.ask_private(harness.alice, "城中村社区图书角藏书多少册？")
    # The file's HTML tags are read as a page's source (bot.corpus: "<script>" goes too); what is left
    # of markup ("</", "<副题>" from its entities, "&") is the text's and shows as it is.
    assert "4321册" in answer["text"] and "晋北&日报 </" in answer["text"] and "<副题>" in answer["text"]
    harness.emu.callback_query(harness.alice, answer, button_data(answer)[msg.BUTTON_FULL])
    await settle(harness)
    assert any("周一闭馆。" in m["text"] and "<副题>" in m["text"] for m in harness.replies(harness.alice["id"]))
    harness.emu.inline_query(harness.alice, "城中村社区图书角藏书多少册")
    await harness.emu.wait_for_call("answerInlineQuery")
    listing = await harness.ask_private(harness.alice, "/list")
    assert "图书角 & 开放" in listing["text"]
    tried("issue with HTML in header, headline and text", 1)
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_a_50_mb_upload_is_refused_by_its_size_without_downloading(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    chat = harness.emu.private_chat(harness.admin)
    document = {
        "file_name": "jinbei-daily-2024-12-01.txt",
        "mime_type": "text/plain",
        "file_id": "BQACbig",
        "file_unique_id": "big",
        "file_size": 50 * 1024 * 1024,
    }
    harness.emu.queue_update({"message": raw_message(chat, harness.admin, document=document)})
    await settle(harness)
    reply = harness.replies(ADMIN)[-1]
    assert "文件太大" in reply["text"] and str(MAX_FILE_BYTES) in reply["text"]
    assert not [c for c in harness.emu.calls if c.method in ("getFile", "file_download")]
    # No file_size given (Telegram may omit it): downloaded, then refused by the real size.
    big = b"\xe5\x86\x85" * (MAX_FILE_BYTES // 3 + 1000)
    replies = await upload(harness, harness.admin, "jinbei-daily-2024-12-02.txt", big)
    assert len(replies) == 1 and "文件太大" in replies[0]["text"]
    # A document with no file name at all.
    document = {"mime_type": "text/plain", "file_id": "BQACnoname", "file_unique_id": "noname", "file_size": 10}
    harness.emu.queue_update({"message": raw_message(chat, harness.admin, document=document)})
    await settle(harness)
    assert "文件名不对" in harness.replies(ADMIN)[-1]["text"]
    tried("oversized uploads and nameless document", 3)
    assert not (harness.corpus / "jinbei-daily-2024-12-01.txt").exists()
    assert not (harness.corpus / "jinbei-daily-2024-12-02.txt").exists()
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_uploads_by_non_admins_and_in_groups(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    emu = harness.emu
    good = issue_text("城中", 3400).encode()
    # A non-admin in private: told so, nothing written.
    replies = await upload(harness, harness.alice, "jinbei-daily-2024-12-01.txt", good)
    assert [r["text"] for r in replies] == [msg.NOT_ADMIN]
    # A non-admin in a group: silence. The admin in a group: asked to use a private chat.
    group = emu.group_chat(-100_950_001)
    replies = await upload(harness, harness.alice, "jinbei-daily-2024-12-01.txt", good, chat=group)
    assert replies == []
    replies = await upload(harness, harness.admin, "jinbei-daily-2024-12-01.txt", good, chat=group)
    assert [r["text"] for r in replies] == [msg.UPLOAD_NOT_PRIVATE]
    # A non-admin whose name and username copy the admin's.
    impostor = emu.user(4242, harness.admin["first_name"], "admin")
    replies = await upload(harness, impostor, "jinbei-daily-2024-12-01.txt", good)
    assert [r["text"] for r in replies] == [msg.NOT_ADMIN]
    tried("uploads by non-admins and in groups", 4)
    assert not (harness.corpus / "jinbei-daily-2024-12-01.txt").exists()
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_a_pdf_renamed_txt_is_refused(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    tried("PDF renamed .txt", 1)
    replies = await upload(harness, harness.admin, "jinbei-daily-2024-12-01.txt", _TINY_PDF)
    assert len(replies) == 1 and "没有通过检查" in replies[0]["text"], replies[0]["text"][:120]
    assert not (harness.corpus / "jinbei-daily-2024-12-01.txt").exists()


@pytest.mark.asyncio
async def test_a_file_name_with_a_trailing_newline_is_refused(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    tried("file name with trailing newline", 1)
    emu = harness.emu
    # The emulator would derive a broken download path from such a name, so the file is registered
    # under a plain name (sent by a non-admin, refused without a download) and the admin's message
    # carries the same file with the hostile name.
    carrier = emu.document_message(
        emu.private_chat(harness.alice), harness.alice, "carrier.txt", issue_text("城中", 3500).encode()
    )
    document = dict(carrier["message"]["document"], file_name="jinbei-daily-2024-12-01.txt\n")
    emu.queue_update({"message": raw_message(emu.private_chat(harness.admin), harness.admin, document=document)})
    await settle(harness)
    reply = harness.replies(ADMIN)[-1]["text"]
    written = sorted(p.name for p in harness.corpus.iterdir())
    assert "文件名不对" in reply, reply[:120]
    assert "jinbei-daily-2024-12-01.txt\n" not in written


@pytest.mark.asyncio
async def test_a_duplicate_of_a_loaded_issue_is_refused_or_harmless(harness: Harness, caplog: pytest.LogCaptureFixture):
    """Sensible: refuse the copy (naming the file it duplicates) — or accept it and keep answering
    confidently (a reprinted paragraph is shown once). Either is fine; a bot unsure of everything is not."""
    caplog.set_level(logging.WARNING)
    tried("duplicate of a loaded issue", 1)
    shipped = (harness.corpus / "datong-daily-2024-11-02.txt").read_bytes()
    replies = await upload(harness, harness.admin, "datong-daily-2024-11-09.txt", shipped)
    assert len(replies) == 1 and any(s in replies[0]["text"] for s in ("已保存", "没有通过检查", "重复"))
    # Two questions the shipped issue answers confidently (the flagship is only hedged with it).
    for question in ("大同市目前建成了几座智能化煤矿？", "天镇县80米高度的年平均风速是多少？"):
        answer = await harness.ask_private(harness.alice, question)
        assert kind_of(answer["text"]) == "answer", "a copy must not make the bot unsure of everything"
    check_clean(harness, caplog)


@pytest.mark.asyncio
async def test_a_file_name_too_long_for_the_file_system_is_refused(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    tried("1000-character file name", 1)
    replies = await upload(harness, harness.admin, "a" * 985 + "-2024-12-01.txt", issue_text("城中", 3600).encode())
    assert len(replies) == 1 and "文件名不对" in replies[0]["text"], replies[0]["text"][:80]
    check_clean(harness, caplog)


# -- uploads through bot.serving, bot.uploads and bot.corpus directly ----------------------------

HOSTILE_NAMES = [
    "../jinbei-daily-2024-12-01.txt",
    "../../etc/passwd",
    "/etc/jinbei-daily-2024-12-01.txt",
    "..",
    ".",
    "",
    "jinbei\x00-daily-2024-12-01.txt",
    "$(reboot)-2024-12-01.txt",
    "a;b-2024-12-01.txt",
    "`id`-2024-12-01.txt",
    "a b-2024-12-01.txt",
    "a\\b-2024-12-01.txt",
    ".hidden-2024-12-01.txt",
    "papers.txt",
    "userdict.txt",
    "jinbei-daily-2024-12-01.txt/..",
    "jinbei-daily-2024-12-01.txt\r",
    "～/x-2024-12-01.txt",
    "x-2024-12-01.tx",
    "x-24-12-01.txt",
    "-2024-12-01.txt",
    "x--y-2024-12-01.txt",
    "\u202ejinbei-2024-12-01.txt",
]


def test_safe_issue_name_refuses_every_hostile_name(tmp_path: Path):
    tried("hostile names to safe_issue_name/write_atomically", len(HOSTILE_NAMES))
    for name in HOSTILE_NAMES:
        with pytest.raises(UploadError):
            safe_issue_name(name)
        with pytest.raises(UploadError):
            write_atomically(tmp_path, name, b"x")
    assert list(tmp_path.iterdir()) == []
    assert safe_issue_name("jinbei-daily-2024-12-01.txt") == "jinbei-daily-2024-12-01.txt"
    assert safe_issue_name("jinbei-daily-2024-12-01-p2.txt") == "jinbei-daily-2024-12-01-p2.txt"


def test_safe_issue_name_refuses_a_trailing_newline(tmp_path: Path):
    with pytest.raises(UploadError):
        safe_issue_name("jinbei-daily-2024-12-01.txt\n")


HOSTILE_BYTES: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("NUL only", b"\x00" * 100),
    ("binary", bytes(range(256)) * 10),
    ("PNG", _PNG),
    ("random bytes without NUL", _RANDOM),
    ("BOM only", b"\xef\xbb\xbf"),
    ("UTF-16 BOM only", b"\xff\xfe"),
    ("UTF-16 BOM and odd length", b"\xff\xfe" + "云冈".encode("utf-16-le") + b"\x00"),
    ("UTF-16 BOM and lone surrogate", b"\xff\xfe\x00\xd8a\x00"),
    ("invalid UTF-8 after a UTF-8 BOM", b"\xef\xbb\xbf\xff\xfe\xfd" * 10),
    ("header only", "paper: 大同日报\ndate: 2024-11-02\n---\n".encode()),
    ("header with a bad date", "date: yesterday\n---\n正文第一段。\n".encode()),
    ("header with a huge year", "date: 99999-01-01\n---\n# 标题\n正文第一段。\n".encode()),
    ("markup only", b"# \n## \n// \n+ \n> \n! \n"),
    ("markers only", "(下转二版)\n(上接一版)\n（转第3版）\n".encode()),
    ("a single very long line", ("很长的一句话，" * 100_000 + "。").encode()),
    ("many short lines", ("短行\n" * 1_000).encode()),
    ("deep indentation", ("\u3000" * 10_000 + "正文。\n").encode() * 10),
    ("control characters", "标题\n\n正文\x00\x01\x02\x1b\x7f内容。\n".encode()),
    ("lone CR pairs", b"\r\r\r\r" * 1000 + "标题\r\r正文。\r".encode()),
    ("form feeds and vertical tabs", "标题\f\v\n\n正文。\x0b\x0c\n".encode()),
    ("at the size limit", ("测" * (MAX_FILE_BYTES // 3 - 10)).encode()),
    ("just over the size limit", b"a" * (MAX_FILE_BYTES + 1)),
]


def test_parse_issue_gives_an_issue_or_a_corpus_error(tmp_path: Path):
    tried("hostile bytes to parse_issue/parse_text/check_upload", len(HOSTILE_BYTES))
    for label, data in HOSTILE_BYTES:
        small = len(data) < 100_000
        started = time.perf_counter()
        for name in ("jinbei-daily-2024-12-01.txt", "no-date.txt")[: 2 if small else 1]:
            try:
                issue = parse_issue(data, name)
            except CorpusError as exc:
                assert exc.reason and name in str(exc), label
            else:
                assert isinstance(issue, Issue) and issue.articles, label
                assert all(p.strip() for a in issue.articles for p in a.paragraphs), label
        if small:
            with contextlib.suppress(UploadError, CorpusError):
                check_upload("jinbei-daily-2024-12-01.txt", data, tmp_path)
            articles, warnings = parse_text(data.decode("utf-8", "replace"))
            assert isinstance(articles, list) and isinstance(warnings, list)
        assert time.perf_counter() - started < 10, f"{label}: too slow"


NOT_TEXT = [
    ("a PDF renamed .txt", _TINY_PDF),
    ("garbage after a UTF-16 BOM", b"\xff\xfe" + b"\xfd\xff" * 10 + b"\xc0\xaf" * 50),
]


@pytest.mark.parametrize(("label", "data"), NOT_TEXT, ids=[x[0] for x in NOT_TEXT])
def test_parse_issue_refuses_what_is_not_text(label: str, data: bytes):
    tried("not text but accepted by decode()", 1)
    with pytest.raises(CorpusError):
        issue = parse_issue(data, "jinbei-daily-2024-12-01.txt")
        print(label, [(a.headline, a.paragraphs[:1]) for a in issue.articles])


def test_a_too_long_name_raises_upload_error_not_os_error(tmp_path: Path):
    tried("too long name to write_atomically", 1)
    try:
        with pytest.raises(UploadError):
            write_atomically(tmp_path, "a" * 985 + "-2024-12-01.txt", b"x")
    finally:
        assert list(tmp_path.iterdir()) == [], "nothing is left behind"


_MANY_LINES = """
import time
from bot.corpus import parse_issue
data = ("标题\\n\\n正文开始，没有结束\\n" + "短行\\n" * 12_000).encode()
started = time.perf_counter()
parse_issue(data, "jinbei-daily-2024-12-01.txt")
print(round(time.perf_counter() - started, 2))
"""


def test_many_short_lines_parse_in_linear_time():
    tried("12,000 short lines", 1)
    try:
        done = subprocess.run(
            [sys.executable, "-c", _MANY_LINES],
            capture_output=True,
            text=True,
            timeout=4,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("parsing 12,000 short lines took more than 4 s")
    assert done.returncode == 0, done.stderr[-500:]
    assert float(done.stdout) < 2


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("old Mac CR line ends", issue_text("山北", 3306).replace("\n", "\r").encode()),
        ("Big5 (Traditional)", _S2T.convert(issue_text("湖東", 3307)).encode("big5")),
        ("GBK", issue_text("湖西", 3308).encode("gbk")),
        ("UTF-8 with BOM, CR and LF mixed", b"\xef\xbb\xbf" + issue_text("湖南", 3309).replace("\n\n", "\r\n\n").encode()),
    ],
    ids=lambda x: x if isinstance(x, str) else None,
)
def test_other_encodings_and_line_ends_load_the_same_paragraphs(label: str, data: bytes):
    tried("encodings and line ends to parse_issue", 1)
    issue = parse_issue(data, "jinbei-daily-2024-12-01.txt")
    paragraphs = [p for a in issue.articles for p in a.paragraphs]
    assert len(paragraphs) == 2, (label, paragraphs)
    assert any(re.search(r"33\d\d[册冊]", p) for p in paragraphs), (label, paragraphs)


def test_load_corpus_with_hostile_files_fails_whole_naming_each(tmp_path: Path):
    (tmp_path / "good-paper-2024-12-01.txt").write_text(NEW_ISSUE, encoding="utf-8")
    (tmp_path / "bad-paper-2024-12-02.txt").write_bytes(b"\x00\x01" * 50)
    (tmp_path / "empty-paper-2024-12-03.txt").write_bytes(b"")
    (tmp_path / "papers.txt").write_bytes(b"\xff\xfe\x00\x00 garbage")
    from bot.corpus import LoadErrors

    with pytest.raises(LoadErrors) as caught:
        load_corpus(tmp_path)
    names = " ".join(e.name for e in caught.value.errors)
    assert "bad-paper-2024-12-02.txt" in names and "empty-paper-2024-12-03.txt" in names
    tried("corpus folders with hostile files", 1)


@pytest.mark.asyncio
async def test_add_issue_with_a_duplicate_keeps_answers_confident(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "jinbei-daily-2024-12-01.txt").write_text(NEW_ISSUE, encoding="utf-8")
    holder = IndexHolder(Index.build(load_corpus(corpus)), corpus)
    question = "城南社区新建的图书角藏书共计多少册？"  # (one the model answers, at its cut-off 0.98)
    assert holder.index.ask(question).answered
    try:
        await add_issue(holder, "jinbei-daily-2024-12-09.txt", NEW_ISSUE.encode())
    except (UploadError, CorpusError):
        assert not (corpus / "jinbei-daily-2024-12-09.txt").exists()
    assert holder.index.ask(question).answered


# -- a headline longer than a message: found through uploads, checked in a child process --------

_LONG_HEAD = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, {tests!r})
    from botapi import parse_html, utf16_len
    from bot.corpus import Corpus, parse_issue
    from bot.reply import answer_html, article_html_parts
    from bot.index import Index
    out = {{}}
    for label, text in json.load(sys.stdin):
        issue = parse_issue(text.encode("utf-8"), "jinbei-daily-2024-12-01.txt")
        index = Index.build(Corpus((issue,)))
        answer = index.ask("图书角藏书多少册")
        sizes = [utf16_len(parse_html(answer_html(answer, index.headlines()))[0])]
        sizes += [utf16_len(parse_html(part)[0])
                  for part in article_html_parts(issue.articles[0], issue.paper, issue.date.isoformat())]
        out[label] = max(sizes)
    print(json.dumps(out))
    """
)

_BODY = NEW_ISSUE.split("\n\n", 2)[2]
LONG_HEADS = [
    ("a '# ' headline of 5,000 characters", "# " + "长" * 5000 + "\n\n" + _BODY),
    ("a '## ' subtitle of 5,000 characters", "# 图书角开放\n## " + "副" * 5000 + "\n\n" + _BODY),
    ("a paper name of 5,000 characters", "paper: " + "报" * 5000 + "\n---\n" + NEW_ISSUE),
]


def test_an_answer_with_a_huge_headline_fits_one_message():
    tried("huge headline, subtitle or paper name", len(LONG_HEADS))
    code = _LONG_HEAD.format(tests=str(Path(__file__).parent))
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(LONG_HEADS),
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("answer_html did not return within 30 s (infinite loop in reply._window)")
    assert done.returncode == 0, done.stderr[-800:]
    longest = json.loads(done.stdout)
    assert all(size <= 4096 for size in longest.values()), longest


# -- the bot keeps serving after all of this -----------------------------------------------------


@pytest.mark.asyncio
async def test_a_flood_of_hostile_input_is_throttled_politely(harness: Harness, caplog: pytest.LogCaptureFixture):
    """One user floods 40 hostile messages: at most 6 answers and one throttle notice; others are served."""
    caplog.set_level(logging.WARNING)
    flooder = fresh_user(harness.emu, "Flood")
    texts = [t for _l, t, e in PRIVATE_TEXTS if e is not None][:40]
    for text in texts:
        harness.emu.private_message(flooder, text)
    tried("flood of hostile messages from one user", 1)
    await settle(harness)
    kinds = [kind_of(m["text"]) for m in harness.replies(flooder["id"])]
    assert kinds.count("throttled") == 1 and len(kinds) <= 7, kinds
    check_clean(harness, caplog)


def test_zz_summary(capsys: pytest.CaptureFixture[str]):
    """The count of distinct inputs tried by this module (run the whole module to fill it)."""
    total = sum(INPUTS_TRIED.values())
    with capsys.disabled():
        print(
            f"\n[hostile input] {total} distinct inputs tried; crashes seen: {FINDINGS['crashes']}; "
            f"HTML rejections: {FINDINGS['html_rejections']}"
        )
        for category, n in INPUTS_TRIED.items():
            print(f"    {n:4d}  {category}")
