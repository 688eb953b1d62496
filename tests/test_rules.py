"""Plain rules: group addressing, admin checks, upload names, callback data, configuration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from telegram import InlineKeyboardMarkup

from bot.addressing import clean_question, command_question, group_question
from bot.config import DEFAULT_API_BASE_URL, ConfigError, Settings
from bot.decide import NOT_FOUND, Answer
from bot.telegram.admin import is_admin
from bot.telegram.callbacks import (
    ANSWER_BUTTON_PATTERN,
    FULL,
    LIST_PAGE_PATTERN,
    NEXT,
    answer_buttons,
    page_buttons,
    parse_callback,
    parse_list_page,
)
from bot.uploads import UploadError, safe_issue_name

BOT = "DatongDailyBot"


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("@DatongDailyBot 云冈游客多少", {"mentions": ["@DatongDailyBot"]}, "云冈游客多少"),
        ("云冈游客多少 @datongdailybot", {"mentions": ["@datongdailybot"]}, "云冈游客多少"),
        ("那恒山呢", {"reply_to_bot": True}, "那恒山呢"),
        ("问问 机器人 云冈", {"text_mention_ids": [42], "bot_id": 42}, "问问 机器人 云冈"),
        ("大家好，云冈好玩吗", {}, None),
        ("@someone 云冈游客多少", {"mentions": ["@someone"]}, None),
        (None, {"reply_to_bot": True}, None),
    ],
)
def test_group_question(text, kwargs, expected):
    assert group_question(text, bot_username=BOT, **kwargs) == expected


def test_questions_are_cleaned_and_capped():
    assert clean_question("  云冈\n\t游客  ") == "云冈 游客"
    assert len(clean_question("问" * 5000)) == 300
    assert command_question(["云冈", "游客"]) == "云冈 游客"
    assert command_question([]) == ""


def test_admins_are_user_ids_only():
    assert is_admin(7, {7, 8})
    assert not is_admin(9, {7, 8})
    assert not is_admin(None, {7})


@pytest.mark.parametrize(
    "name",
    [
        "../datong-daily-2024-11-03.txt",
        "/etc/datong-daily-2024-11-03.txt",
        "a/b-2024-11-03.txt",
        "x\x00-2024-11-03.txt",
        ".hidden-2024-11-03.txt",
        "datong-daily-2024-11-03.pdf",
        "rm -rf; x-2024-11-03.txt",
        "",
        None,
        "..\\x-2024-11-03.txt",
    ],
)
def test_unsafe_upload_names_are_refused(name):
    with pytest.raises(UploadError):
        safe_issue_name(name)


def test_safe_upload_name():
    assert safe_issue_name("datong-daily-2024-11-03.txt") == "datong-daily-2024-11-03.txt"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("n:abc:1", ("n", "abc", 1)),
        ("f:k:0", ("f", "k", 0)),
        ("n:abc", (None, "", 0)),
        ("x:a:1", (None, "", 0)),
        ("n:a:-1", (None, "", 0)),
        ("n:a:999", (None, "", 0)),
        (None, (None, "", 0)),
        ("n:a:1:2", (None, "", 0)),
    ],
)
def test_callback_data_parsing(data, expected):
    assert parse_callback(data) == expected


def callback_data(markup: InlineKeyboardMarkup | None) -> list[str]:
    return [str(b.callback_data) for row in (markup.inline_keyboard if markup else ()) for b in row]


def test_answer_buttons_round_trip_and_keep_their_wire_format(index):
    answer = index.ask("天镇县的年平均风速是多少？", top=5)
    assert len(answer.results) >= 2
    assert callback_data(answer_buttons("Ab_1-x", 0, answer)) == ["n:Ab_1-x:1", "f:Ab_1-x:0"]
    last = len(answer.results) - 1
    assert callback_data(answer_buttons("k", last, answer)) == [f"f:k:{last}"]  # no 下一条 after the last
    for position in range(len(answer.results)):
        for data in callback_data(answer_buttons("Ab_1-x", position, answer)):
            assert re.match(ANSWER_BUTTON_PATTERN, data) and not re.match(LIST_PAGE_PATTERN, data)
            kind, key, shown = parse_callback(data)
            assert key == "Ab_1-x" and (kind, shown) in ((NEXT, position + 1), (FULL, position))
            assert len(data.encode()) <= 64
    assert answer_buttons("k", 0, Answer("问题", NOT_FOUND, answer.hits)) is None  # nothing shown, no buttons


def test_list_page_buttons_round_trip_and_keep_their_wire_format():
    assert page_buttons(0, 1) is None
    assert callback_data(page_buttons(0, 3)) == ["l:1"]
    assert callback_data(page_buttons(1, 3)) == ["l:0", "l:2"]
    assert callback_data(page_buttons(2, 3)) == ["l:1"]
    for data in callback_data(page_buttons(41, 99)):
        assert re.match(LIST_PAGE_PATTERN, data) and not re.match(ANSWER_BUTTON_PATTERN, data)
        assert parse_list_page(data) in (40, 42)
    for forged in ("l:", "l:x", "l:-1", "l:1234567", "l:²", "l:1:2", None):
        assert parse_list_page(forged) is None


def test_settings_only_reads_what_a_command_needs(tmp_path: Path):
    bad = {"LOG_FORMAT": "xml", "BOT_ADMIN_IDS": "alice", "TELEGRAM_BOT_TOKEN": "nope", "CORPUS_DIR": str(tmp_path)}
    settings = Settings.from_env(bad, dotenv=None, only={"CORPUS_DIR"})
    assert settings.corpus_dir == tmp_path and settings.log_format == "text" and settings.token is None
    with pytest.raises(ConfigError) as info:
        Settings.from_env(bad | {"CORPUS_DIR": str(tmp_path / "missing")}, dotenv=None, only={"CORPUS_DIR"})
    assert info.value.problems == [f"CORPUS_DIR 不是目录 (is not a folder): {tmp_path / 'missing'}"]


GOOD_TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ_-12"


def test_settings_from_env_defaults_and_values(tmp_path: Path):
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "BOT_ADMIN_IDS": "1, 2,3"}, dotenv=None, need_token=True)
    assert settings.admin_ids == {1, 2, 3} and settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.corpus_dir is None and not settings.corpus_writable and settings.corpus_path.is_dir()
    assert GOOD_TOKEN not in repr(settings)
    env_file = tmp_path / ".env"
    env_file.write_text(f"TELEGRAM_BOT_TOKEN={GOOD_TOKEN}\nCORPUS_DIR={tmp_path}\nLOG_FORMAT=json\n", encoding="utf-8")
    from_file = Settings.from_env({}, dotenv=env_file, need_token=True)
    assert from_file.corpus_dir == tmp_path and from_file.log_format == "json"


def test_settings_name_every_problem(tmp_path: Path):
    with pytest.raises(ConfigError) as info:
        Settings.from_env(
            {
                "BOT_ADMIN_IDS": "12,alice",
                "CORPUS_DIR": str(tmp_path / "missing"),
                "TELEGRAM_API_BASE_URL": "ftp://x",
                "LOG_FORMAT": "xml",
            },
            dotenv=None,
            need_token=True,
        )
    text = str(info.value)
    for name in ("TELEGRAM_BOT_TOKEN", "BOT_ADMIN_IDS", "CORPUS_DIR", "TELEGRAM_API_BASE_URL", "LOG_FORMAT"):
        assert name in text
    with pytest.raises(ConfigError) as bad:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "123:secretsecret"}, dotenv=None)
    assert "secretsecret" not in str(bad.value)


def test_run_without_a_token_exits_with_a_clear_message(tmp_path: Path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    out = subprocess.run([sys.executable, "-m", "bot", "run"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert out.returncode == 2 and "TELEGRAM_BOT_TOKEN" in out.stderr
