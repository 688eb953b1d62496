"""Security: admins are Telegram user ids and nothing else; the webhook wants its secret token;
the bot token never reaches a log line, an error message or /stats; stored questions carry no
identity and the statistics file is readable by its owner only.

The webhook tests run the real bot as a subprocess (`python -m bot run --webhook-url …`) against
a Bot API emulator started here. The emulator accepts only https:// webhook URLs (as Telegram
does), so the URL given is https://127.0.0.1:PORT/hook while the bot listens on plain HTTP at that
port — as behind a TLS-terminating proxy — and the test posts to http://127.0.0.1:PORT/hook.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from botapi import BotAPIEmulator
from conftest import ADMIN, TOKEN, Harness

from bot import messages as msg
from bot.config import ConfigError, Settings
from bot.telegram.admin import is_admin
from bot.telegram.context import SEND_RETRIES

pytestmark = pytest.mark.timeout(120)

SECRET = "s3cret-Webhook_token-42"
TOKEN_SECRET_PART = TOKEN.split(":", 1)[1]


def button_data(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


# -- admins are user ids ------------------------------------------------------------------------


def test_is_admin_is_by_user_id_only():
    admins = frozenset({ADMIN})
    assert is_admin(ADMIN, admins)
    assert not is_admin(None, admins)
    assert not is_admin(-ADMIN, admins)
    assert not is_admin(ADMIN + 1, admins)
    with pytest.raises(ConfigError):
        Settings.from_env({"BOT_ADMIN_IDS": "@admin"}, dotenv=None)
    with pytest.raises(ConfigError):
        Settings.from_env({"BOT_ADMIN_IDS": "900,admin"}, dotenv=None)
    assert Settings.from_env({"BOT_ADMIN_IDS": " 900, 901 "}, dotenv=None).admin_ids == {900, 901}


def _snapshot(h: Harness) -> tuple:
    files = sorted((p.name, p.stat().st_size) for p in h.corpus.iterdir())
    return files, id(h.app.bot_data.serving.index), h.app.bot_data.stats.totals()


async def _settle(h: Harness) -> None:
    user = h.emu.user(77_777, "Sentinel")
    before = len(h.replies(user["id"]))
    h.emu.private_message(user, "云冈今年去了多少人？")
    await h.emu.wait_for(lambda: len(h.replies(user["id"])) > before)
    await h.idle()


@pytest.mark.asyncio
async def test_impostors_of_the_admin_are_refused_and_nothing_changes(harness: Harness):
    emu = harness.emu
    admin = emu.user(ADMIN, "Boss", "the_boss")  # the real admin, with a name and a username
    await harness.ask_private(admin, "/stats")  # the admin may: proves the commands work
    before = _snapshot(harness)
    same_name = emu.user(4242, "Boss", "the_boss")  # same first name and username, another id
    emu.private_message(same_name, "/reload")
    emu.private_message(same_name, "/stats")
    emu.private_message(same_name, "/unanswered")
    emu.document_message(emu.private_chat(same_name), same_name, "jinbei-daily-2024-12-01.txt", "标题\n\n正文。\n".encode())
    # A message from someone else in the admin's private chat (chat id = the admin's user id).
    admin_chat = {"id": ADMIN, "type": "private", "first_name": "Boss", "username": "the_boss"}
    for n, text in enumerate(("/reload", "/stats", "/unanswered")):
        emu.queue_update(
            {
                "message": {
                    "message_id": 9000 + n,
                    "from": same_name,
                    "chat": admin_chat,
                    "date": int(time.time()),
                    "text": text,
                    "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
                }
            }
        )
    # In a group: a member who is a group administrator (author signature) and an anonymous admin.
    group = {"id": -100_123_456, "type": "supergroup", "title": "G"}
    member = emu.user(4343, "Owner", "group_owner")
    emu.queue_update(
        {
            "message": {
                "message_id": 9100,
                "from": member,
                "chat": group,
                "date": int(time.time()),
                "text": "/reload",
                "author_signature": "群主",
                "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
            }
        }
    )
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
    emu.queue_update(
        {
            "message": {
                "message_id": 9101,
                "from": anonymous,
                "sender_chat": group,
                "chat": group,
                "date": int(time.time()),
                "text": "/reload",
                "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
            }
        }
    )
    await _settle(harness)

    impostor_replies = [m["text"] for m in harness.replies(same_name["id"])]
    assert impostor_replies == [msg.NOT_ADMIN] * 4
    in_admin_chat = [m.get("text") for m in harness.replies(ADMIN)][1:]  # after the admin's own /stats (a photo)
    assert in_admin_chat == [msg.NOT_ADMIN] * 3
    assert [m["text"] for m in harness.replies(group["id"])] == [msg.NOT_ADMIN]
    files, index_id, totals = _snapshot(harness)
    assert (files, index_id) == before[:2], "no reload, no upload"
    assert totals.asked == before[2].asked + 1  # only the sentinel's question
    assert not any("已重新加载" in m["text"] or "提问：" in m["text"] for m in emu.bot_messages()[2:])


# -- nothing identifying is stored; the file is private -----------------------------------------


@pytest.mark.asyncio
async def test_unanswered_questions_hold_no_identity_and_the_database_is_private(
    harness: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="datong_bot")
    emu = harness.emu
    uid = 987_654_321
    person = emu.user(uid, "Zhangsanfeng", "secret_user_xyz", last_name="Lisiwu", language_code="zh-hans")
    questions = ["明年春节放几天假", "火星上有没有大同日报", "云冈今年去了多少人？"]
    for question in questions:
        await harness.ask_private(person, question)
    group = -100_222_333
    emu.group_message(group, person, "/ask 月球背面有几座山")
    await emu.wait_for(lambda: harness.replies(group))
    unanswered = (await harness.ask_private(harness.admin, "/unanswered"))["text"]
    assert "明年春节放几天假" in unanswered and "月球背面有几座山" in unanswered

    db = tmp_path / "data" / "stats.sqlite3"
    assert db.is_file()
    files = [p for p in db.parent.iterdir() if p.name.startswith("stats.sqlite3")]
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, f"{path.name} mode {oct(path.stat().st_mode & 0o777)}"
    identity = ["Zhangsanfeng", "secret_user_xyz", "Lisiwu", str(uid)]
    raw = b"".join(p.read_bytes() for p in files)
    for value in identity:
        assert value.encode() not in raw, f"{value} stored"
    assert uid.to_bytes(4, "big") not in raw and uid.to_bytes(8, "big") not in raw
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = [row for t in tables for row in con.execute(f"SELECT * FROM {t}")]
        columns = {t: [c[1] for c in con.execute(f"PRAGMA table_info({t})")] for t in tables}
    assert any("明年春节放几天假" in str(v) for row in rows for v in row), "the check is not vacuous"
    assert not any(v == uid or (isinstance(v, str) and any(i in v for i in identity)) for row in rows for v in row)
    assert not any(re.search(r"user|name|from|chat_id", c) for cols in columns.values() for c in cols), columns
    logged = " ".join(r.getMessage() + json.dumps(vars(r), default=str) for r in caplog.records)
    for value in identity:
        assert value not in logged, f"{value} logged"


# -- the token never leaks ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_stats_replies_and_error_messages_carry_no_token(harness: Harness):
    emu = harness.emu
    await harness.ask_private(harness.alice, "云冈今年去了多少人？")
    emu.inject("sendMessage", "500", count=SEND_RETRIES + 1)  # more failures than the bot retries
    emu.private_message(harness.alice, "天镇县的年平均风速是多少？")  # its answer fails: the apology goes out
    await emu.wait_for(lambda: any(m["text"] == msg.ERROR for m in harness.replies(harness.alice["id"])))
    for command in ("/stats", "/unanswered", "/help", "/list", "/reload"):
        await harness.ask_private(harness.admin, command)
    texts = [json.dumps(m, ensure_ascii=False) for m in emu.bot_messages()]
    texts += [json.dumps(c.params, ensure_ascii=False) for c in emu.calls]
    for text in texts:
        assert TOKEN not in text and TOKEN_SECRET_PART not in text


# -- webhook mode, the real bot in a subprocess -------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_bot(tmp_path: Path, emu: BotAPIEmulator, *args: str, token: str = TOKEN) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_", "WEBHOOK_", "CORPUS_", "LOG_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=emu.base_url,
        TELEGRAM_FILE_BASE_URL=emu.base_file_url,
        BOT_DATA_DIR=str(tmp_path / "data"),
        BOT_ADMIN_IDS=str(ADMIN),
        LOG_QUESTIONS="1",  # the most a log can hold
        PYTHONUNBUFFERED="1",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_bot(proc: subprocess.Popen) -> tuple[str, str]:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            return proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.communicate(timeout=5)


def wait_for(predicate, timeout: float, proc: subprocess.Popen, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if proc.poll() is not None:
            _out, err = proc.communicate()
            raise AssertionError(f"the bot exited ({proc.returncode}) before {what}:\n{err[-3000:]}")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def question_update(update_id: int, user: dict, text: str) -> dict:
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "from": user, "chat": chat, "date": int(time.time()), "text": text},
    }


def assert_no_token(text: str, where: str) -> None:
    assert TOKEN not in text, f"the token is in {where}"
    assert TOKEN_SECRET_PART not in text, f"the token's secret part is in {where}"


def test_webhook_requires_the_secret_token_and_logs_no_token(tmp_path: Path):
    port = free_port()
    with BotAPIEmulator(token=TOKEN, bot_username="DatongDailyBot") as emu:
        user = emu.user(5150, "Webhook")
        emu.private_chat(user)
        proc = start_bot(
            tmp_path,
            emu,
            "--webhook-url",
            f"https://127.0.0.1:{port}/hook",
            "--listen",
            "127.0.0.1",
            "--port",
            str(port),
            "--secret-token",
            SECRET,
        )
        try:
            set_hook = wait_for(
                lambda: next((c for c in emu.calls if c.method == "setWebhook" and c.ok), None), 60, proc, "setWebhook"
            )
            assert set_hook.params.get("secret_token") == SECRET
            url = f"http://127.0.0.1:{port}/hook"
            wait_for(lambda: _listening(port), 15, proc, "the webhook server")

            def sends() -> int:
                return sum(c.method == "sendMessage" for c in emu.calls)

            assert post(url, question_update(1, user, "云冈今年去了多少人？"), None) == 403
            assert post(url, question_update(2, user, "云冈今年去了多少人？"), "wrong-" + SECRET) == 403
            assert post(url, question_update(3, user, "云冈今年去了多少人？"), SECRET[:-1]) == 403
            assert post(url, question_update(4, user, "云冈今年去了多少人？"), "") == 403
            time.sleep(1.0)
            assert sends() == 0, "a request without the right secret was answered"
            assert post(url, question_update(5, user, "云冈今年去了多少人？"), SECRET) == 200
            wait_for(lambda: sends() >= 1, 15, proc, "the answer")
            reply = next(c for c in emu.calls if c.method == "sendMessage")
            assert "1575万人次" in reply.params["text"]
            # An answer that fails to send even after the retries: the error goes to the log.
            emu.inject("sendMessage", "500", count=SEND_RETRIES + 1)
            assert post(url, question_update(6, user, "天镇县的年平均风速是多少？"), SECRET) == 200
            wait_for(lambda: sends() >= 1 + SEND_RETRIES + 1 + 1, 30, proc, "the apology")
        finally:
            out, err = stop_bot(proc)
    assert "error while handling an update" in err, "the failed send was logged"
    assert "云冈今年去了多少人" in err, "LOG_QUESTIONS=1 logs questions: the log is as full as it gets"
    for n, line in enumerate((out + err).splitlines(), 1):
        assert_no_token(line, f"output line {n}: {line[:120]}")
    status = tmp_path / "data" / "status.json"
    if status.exists():
        assert_no_token(status.read_text(), "status.json")


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("mode", ["webhook", "polling"])
def test_a_rejected_token_is_not_printed(tmp_path: Path, mode: str):
    port = free_port()
    args = (
        [
            "--webhook-url",
            f"https://127.0.0.1:{port}/hook",
            "--listen",
            "127.0.0.1",
            "--port",
            str(port),
            "--secret-token",
            SECRET,
        ]
        if mode == "webhook"
        else []
    )
    with BotAPIEmulator(token="999999:another-token-abcdefghijklmnopq") as emu:
        proc = start_bot(tmp_path, emu, *args)
        try:
            proc.wait(timeout=60)
        finally:
            out, err = stop_bot(proc)
    assert proc.returncode != 0
    assert "Unauthorized" in err or "rejected" in err or "InvalidToken" in err, err[-2000:]
    for n, line in enumerate((out + err).splitlines(), 1):
        assert_no_token(line, f"stderr line {n}: {line[:160]}")
