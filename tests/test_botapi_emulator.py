"""Tests of the Bot API emulator that the end-to-end tests run the bot against.

The emulator stands in for Telegram, so these tests pin down the behaviour the bot's tests
rely on: requests encoded the way PTB encodes them are understood, Telegram's rules reject
what Telegram rejects (with Telegram's wording), long polling really waits and wakes, faults
fire exactly as often as asked, and a real python-telegram-bot Application works against it.
"""

from __future__ import annotations

import asyncio
import json
import struct
import threading
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from botapi import NOT_MODIFIED, QUERY_TOO_OLD, BotAPIEmulator
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

pytestmark = pytest.mark.timeout(30)

ALICE_ID = 1001
GROUP_ID = -1001234567890


@pytest.fixture
def emu() -> Iterator[BotAPIEmulator]:
    with BotAPIEmulator() as emulator:
        yield emulator


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as http_client:
        yield http_client


def api(client: httpx.Client, emu: BotAPIEmulator, method: str, **params: Any) -> httpx.Response:
    """POST as PTB does: form fields, with everything that is not a string JSON-encoded."""
    data = {name: value if isinstance(value, str) else json.dumps(value) for name, value in params.items()}
    return client.post(f"{emu.base_url}{emu.token}/{method}", data=data)


def result_of(response: httpx.Response) -> Any:
    body = response.json()
    assert response.status_code == 200 and body["ok"], body
    return body["result"]


def error_of(response: httpx.Response, status: int = 400) -> str:
    body = response.json()
    assert response.status_code == status and body == {
        "ok": False,
        "error_code": status,
        "description": body["description"],
    }, body
    return body["description"]


def keyboard(*callback_data: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": f"button {i}", "callback_data": data} for i, data in enumerate(callback_data)]]}


def alice_chat(emu: BotAPIEmulator) -> int:
    """Alice has written to the bot, so the bot may write to her."""
    emu.private_message(emu.user(ALICE_ID, "Alice", "alice_x"), "hi")
    return ALICE_ID


# ---- basics ---------------------------------------------------------------------------


def test_get_me_describes_the_configured_bot(client: httpx.Client) -> None:
    """getMe is the first thing PTB calls; names are case-insensitive and GET works too."""
    with BotAPIEmulator(token="42:other-token", bot_username="SomeBot", bot_first_name="Some") as emu:
        me = result_of(client.get(f"{emu.base_url}{emu.token}/getme"))
    assert me["id"] == 42 and me["is_bot"] is True
    assert (me["username"], me["first_name"]) == ("SomeBot", "Some")
    assert [call.method for call in emu.calls] == ["getMe"]


def test_wrong_token_is_unauthorized(emu: BotAPIEmulator, client: httpx.Client) -> None:
    response = client.post(f"{emu.base_url}123456:wrong/getMe")
    assert error_of(response, 401) == "Unauthorized"
    assert [call.status for call in emu.rejected] == [401]


def test_unknown_method_is_not_found(emu: BotAPIEmulator, client: httpx.Client) -> None:
    assert error_of(api(client, emu, "sendTelepathy"), 404) == "Not Found"


# ---- getUpdates ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_long_poll_wakes_as_soon_as_an_update_is_queued(emu: BotAPIEmulator) -> None:
    """A long poll must not sleep out its timeout: the bot would answer 10 s late."""
    async with httpx.AsyncClient(timeout=15) as http_client:
        url = f"{emu.base_url}{emu.token}/getUpdates"
        started = time.monotonic()
        poll = asyncio.create_task(http_client.post(url, data={"timeout": "10"}))
        await asyncio.sleep(0.3)
        update = emu.private_message(emu.user(ALICE_ID), "wake up")
        response = await poll
    assert time.monotonic() - started < 2
    assert result_of(response) == [update]


def test_offset_confirms_and_drops_earlier_updates(emu: BotAPIEmulator, client: httpx.Client) -> None:
    alice = emu.user(ALICE_ID)
    ids = [emu.private_message(alice, text)["update_id"] for text in ("one", "two", "three")]
    assert [u["update_id"] for u in result_of(api(client, emu, "getUpdates"))] == ids
    assert [u["update_id"] for u in result_of(api(client, emu, "getUpdates", offset=ids[1]))] == ids[1:]
    assert [u["update_id"] for u in result_of(api(client, emu, "getUpdates", limit=1))] == ids[1:2]
    assert result_of(api(client, emu, "getUpdates", offset=ids[2] + 1)) == []
    assert result_of(api(client, emu, "getWebhookInfo"))["pending_update_count"] == emu.pending_updates == 0


def test_long_poll_with_nothing_queued_returns_empty_after_timeout(emu: BotAPIEmulator, client: httpx.Client) -> None:
    started = time.monotonic()
    assert result_of(api(client, emu, "getUpdates", timeout=1)) == []
    assert 0.9 <= time.monotonic() - started < 2


def test_opt_in_update_types_need_allowed_updates(emu: BotAPIEmulator, client: httpx.Client) -> None:
    """Like Telegram, chat_member updates only arrive when allowed_updates asks for them."""
    emu.queue_update({"chat_member": {"chat": {"id": GROUP_ID, "type": "supergroup"}}})
    assert result_of(api(client, emu, "getUpdates")) == []
    member_update = emu.queue_update({"chat_member": {"chat": {"id": GROUP_ID, "type": "supergroup"}}})
    assert result_of(api(client, emu, "getUpdates", allowed_updates=["chat_member"])) == [member_update]


def test_newer_poll_ends_an_older_connected_one_with_conflict(emu: BotAPIEmulator, client: httpx.Client) -> None:
    """Two pollers mean two bot instances; Telegram answers the older one 409."""
    answers: list[httpx.Response] = []
    older = threading.Thread(target=lambda: answers.append(api(client, emu, "getUpdates", timeout=5)))
    older.start()
    time.sleep(0.3)
    with httpx.Client(timeout=5) as second_client:
        assert result_of(api(second_client, emu, "getUpdates")) == []
    older.join(timeout=2)
    assert "terminated by other getUpdates request" in error_of(answers[0], 409)


def test_stop_ends_a_pending_long_poll_quickly() -> None:
    """Test teardown must not wait for a bot's 30 s long poll to run out."""
    emu = BotAPIEmulator().start()
    outcome: list[object] = []

    def poll() -> None:
        with httpx.Client(timeout=35) as http_client:
            try:
                outcome.append(api(http_client, emu, "getUpdates", timeout=30).status_code)
            except httpx.TransportError as error:  # the connection may close before the answer
                outcome.append(error)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    time.sleep(0.3)
    started = time.monotonic()
    emu.stop()
    poller.join(timeout=2)
    assert time.monotonic() - started < 2 and outcome


# ---- sendMessage validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        (
            "<b>bold <i>and italic</i></b> <u>u</u> <s>s</s>",
            "bold and italic u s",
            [
                {"type": "bold", "offset": 0, "length": 15},
                {"type": "italic", "offset": 5, "length": 10},
                {"type": "underline", "offset": 16, "length": 1},
                {"type": "strikethrough", "offset": 18, "length": 1},
            ],
        ),
        ("&lt;b&gt;&amp; &quot;&#60;&#x3E;", '<b>& "<>', []),
        (
            '<a href="https://example.org/?a=1&amp;b=2">link</a>',
            "link",
            [{"type": "text_link", "offset": 0, "length": 4, "url": "https://example.org/?a=1&b=2"}],
        ),
        (
            '<pre><code class="language-python">print(1)</code></pre><code>x</code>',
            "print(1)x",
            [
                {"type": "pre", "offset": 0, "length": 8, "language": "python"},
                {"type": "code", "offset": 8, "length": 1},
            ],
        ),
        (
            '<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span><blockquote expandable>c</blockquote>',
            "abc",
            [
                {"type": "spoiler", "offset": 0, "length": 1},
                {"type": "spoiler", "offset": 1, "length": 1},
                {"type": "expandable_blockquote", "offset": 2, "length": 1},
            ],
        ),
        ("😀 <b>x</b>", "😀 x", [{"type": "bold", "offset": 3, "length": 1}]),
    ],
)
def test_html_accepts_telegram_markup(
    emu: BotAPIEmulator, client: httpx.Client, html: str, text: str, entities: list[dict[str, Any]]
) -> None:
    """Entity offsets are in UTF-16 code units, so the emoji counts twice."""
    message = result_of(api(client, emu, "sendMessage", chat_id=alice_chat(emu), text=html, parse_mode="HTML"))
    assert message["text"] == text
    assert message.get("entities", []) == entities


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("&foo;", 'Unsupported HTML entity "&foo;" at byte offset 0'),
        ("Tom & Jerry", 'Unsupported HTML entity "&" at byte offset 4'),
        ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ('<span class="big">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_html_rejects_what_telegram_rejects(emu: BotAPIEmulator, client: httpx.Client, html: str, error: str) -> None:
    response = api(client, emu, "sendMessage", chat_id=alice_chat(emu), text=html, parse_mode="HTML")
    assert error_of(response).startswith(f"Bad Request: can't parse entities: {error}")
    assert len(emu.rejected) == 1


@pytest.mark.parametrize(
    ("text", "parse_mode", "fits"),
    [
        ("x" * 4096, None, True),
        ("x" * 4097, None, False),
        ("😀" * 2048, None, True),  # 4096 UTF-16 code units
        ("😀" * 2048 + "x", None, False),
        ("<b>" + "x" * 4096 + "</b>", "HTML", True),  # tags do not count
        ("&lt;" * 4096, "HTML", True),  # an entity is one character
        ("&lt;" * 4097, "HTML", False),
    ],
)
def test_message_length_counts_utf16_after_parsing(
    emu: BotAPIEmulator, client: httpx.Client, text: str, parse_mode: str | None, fits: bool
) -> None:
    params = {"parse_mode": parse_mode} if parse_mode else {}
    response = api(client, emu, "sendMessage", chat_id=alice_chat(emu), text=text, **params)
    if fits:
        result_of(response)
    else:
        assert error_of(response) == "Bad Request: message is too long"


@pytest.mark.parametrize(("text", "parse_mode"), [("", None), (" \n ", None), ("<b> </b>", "HTML")])
def test_blank_text_is_empty(emu: BotAPIEmulator, client: httpx.Client, text: str, parse_mode: str | None) -> None:
    params = {"parse_mode": parse_mode} if parse_mode else {}
    response = api(client, emu, "sendMessage", chat_id=alice_chat(emu), text=text, **params)
    assert error_of(response) == "Bad Request: message text is empty"


@pytest.mark.parametrize(
    ("data", "valid"),
    [("x" * 64, True), ("x" * 65, False), ("é" * 32, True), ("é" * 33, False), ("", False)],
)
def test_callback_data_is_limited_to_64_bytes(emu: BotAPIEmulator, client: httpx.Client, data: str, valid: bool) -> None:
    """The limit is in UTF-8 bytes: 33 × "é" is 66 bytes although only 33 characters."""
    response = api(client, emu, "sendMessage", chat_id=alice_chat(emu), text="pick", reply_markup=keyboard(data))
    if valid:
        assert result_of(response)["reply_markup"] == keyboard(data)
    else:
        assert error_of(response) == "Bad Request: BUTTON_DATA_INVALID"


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ({"inline_keyboard": [[{"text": "no action"}]]}, "Text buttons are unallowed in the inline keyboard"),
        ({"inline_keyboard": [[{"text": "two", "url": "https://a.b", "callback_data": "x"}]]}, "exactly one"),
        ({"inline_keyboard": [[{"callback_data": "x"}]]}, 'Can\'t find field "text"'),
        (keyboard(*[str(i) for i in range(101)]), "reply markup is too long"),
        ({"inline_keyboard": [{"text": "row is not a list"}]}, "must be an Array of Arrays"),
    ],
)
def test_inline_keyboard_shape_is_checked(emu: BotAPIEmulator, client: httpx.Client, markup: dict[str, Any], error: str) -> None:
    response = api(client, emu, "sendMessage", chat_id=alice_chat(emu), text="pick", reply_markup=markup)
    assert error in error_of(response)


def test_chats_and_reply_targets_must_exist(emu: BotAPIEmulator, client: httpx.Client) -> None:
    chat_id = alice_chat(emu)
    assert error_of(api(client, emu, "sendMessage", chat_id=777, text="hi")) == "Bad Request: chat not found"
    emu.user(2002, "Bob")  # known to Telegram but never wrote to the bot
    forbidden = api(client, emu, "sendMessage", chat_id=2002, text="hi")
    assert error_of(forbidden, 403) == "Forbidden: bot can't initiate conversation with a user"

    missing = {"message_id": 999}
    response = api(client, emu, "sendMessage", chat_id=chat_id, text="re", reply_parameters=missing)
    assert error_of(response) == "Bad Request: message to be replied not found"
    lenient = {**missing, "allow_sending_without_reply": True}
    assert "reply_to_message" not in result_of(
        api(client, emu, "sendMessage", chat_id=chat_id, text="re", reply_parameters=lenient)
    )
    first = result_of(api(client, emu, "sendMessage", chat_id=chat_id, text="first"))
    reply = result_of(api(client, emu, "sendMessage", chat_id=chat_id, text="re", reply_to_message_id=first["message_id"]))
    assert reply["reply_to_message"]["text"] == "first"
    assert reply["message_id"] > first["message_id"]


def test_edits_keep_history_and_no_op_edits_are_refused(emu: BotAPIEmulator, client: httpx.Client) -> None:
    chat_id = alice_chat(emu)
    sent = result_of(api(client, emu, "sendMessage", chat_id=chat_id, text="draft", reply_markup=keyboard("ok")))
    target = {"chat_id": chat_id, "message_id": sent["message_id"]}
    edited = result_of(api(client, emu, "editMessageText", **target, text="<b>final</b>", parse_mode="HTML"))
    assert edited["text"] == "final" and "reply_markup" not in edited  # no markup given: keyboard removed
    same = api(client, emu, "editMessageText", **target, text="<b>final</b>", parse_mode="HTML")
    assert error_of(same) == f"Bad Request: {NOT_MODIFIED}"
    result_of(api(client, emu, "editMessageReplyMarkup", **target, reply_markup=keyboard("again")))

    assert [m["text"] for m in emu.message_history(chat_id, sent["message_id"])] == ["draft", "final", "final"]
    (current,) = emu.bot_messages(chat_id)
    assert current["reply_markup"] == keyboard("again")
    result_of(api(client, emu, "deleteMessage", **target))
    assert emu.bot_messages(chat_id) == []
    assert "message to edit not found" in error_of(api(client, emu, "editMessageText", **target, text="late"))


def test_callback_queries_are_answered_once(emu: BotAPIEmulator, client: httpx.Client) -> None:
    chat_id = alice_chat(emu)
    alice = emu.user(ALICE_ID, "Alice", "alice_x")
    sent = result_of(api(client, emu, "sendMessage", chat_id=chat_id, text="pick", reply_markup=keyboard("a", "b")))
    with pytest.raises(ValueError, match="no button"):
        emu.callback_query(alice, sent, "c")

    query_id = emu.callback_query(alice, sent, "a")["callback_query"]["id"]
    too_long = api(client, emu, "answerCallbackQuery", callback_query_id=query_id, text="x" * 201)
    assert error_of(too_long) == "Bad Request: MESSAGE_TOO_LONG"
    assert result_of(api(client, emu, "answerCallbackQuery", callback_query_id=query_id, text="x" * 200)) is True
    again = api(client, emu, "answerCallbackQuery", callback_query_id=query_id)
    assert error_of(again) == f"Bad Request: {QUERY_TOO_OLD}"


def test_inline_query_answers_are_validated(emu: BotAPIEmulator, client: httpx.Client) -> None:
    def article(result_id: str, text: str = "hi", **extra: Any) -> dict[str, Any]:
        content = {"message_text": text, **extra}
        return {"type": "article", "id": result_id, "title": "T", "input_message_content": content}

    query_id = emu.inline_query(emu.user(ALICE_ID), "news")["inline_query"]["id"]

    def answer(results: list[dict[str, Any]], inline_query_id: str = query_id) -> httpx.Response:
        return api(client, emu, "answerInlineQuery", inline_query_id=inline_query_id, results=results)

    assert error_of(answer([article("1")], "424242")) == f"Bad Request: {QUERY_TOO_OLD}"
    assert error_of(answer([article(str(i)) for i in range(51)])) == "Bad Request: RESULTS_TOO_MUCH"
    assert error_of(answer([article("1"), article("1")])) == "Bad Request: RESULT_ID_DUPLICATE"
    assert error_of(answer([article("x" * 65)])) == "Bad Request: RESULT_ID_INVALID"
    untitled = {"type": "article", "id": "1", "input_message_content": {"message_text": "hi"}}
    assert 'Can\'t find field "title"' in error_of(answer([untitled]))
    assert "can't parse entities" in error_of(answer([article("1", "<b>oops", parse_mode="HTML")]))

    assert result_of(answer([article("1", "<b>ok</b>", parse_mode="HTML")])) is True
    assert error_of(answer([article("1")])) == f"Bad Request: {QUERY_TOO_OLD}"


def test_bot_commands_are_validated_and_stored_per_scope(emu: BotAPIEmulator, client: httpx.Client) -> None:
    good = [{"command": "today", "description": "Today's paper"}]
    group_scope = {"type": "all_group_chats"}
    assert result_of(api(client, emu, "setMyCommands", commands=good, scope=group_scope, language_code="zh")) is True
    assert emu.commands(group_scope, "zh") == good
    assert emu.commands() == []
    assert result_of(api(client, emu, "getMyCommands", scope=group_scope, language_code="zh")) == good

    for commands, error in [
        ([{"command": "Today", "description": "x"}], "BOT_COMMAND_INVALID"),
        ([{"command": "x" * 33, "description": "x"}], "BOT_COMMAND_INVALID"),
        ([{"command": "today", "description": ""}], "command description must be non-empty"),
        ([{"command": "today", "description": "x" * 257}], "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([{"command": f"c{i}", "description": "x"} for i in range(101)], "BOT_COMMANDS_TOO_MUCH"),
    ]:
        assert error_of(api(client, emu, "setMyCommands", commands=commands)) == f"Bad Request: {error}"

    result_of(api(client, emu, "deleteMyCommands", scope=group_scope, language_code="zh"))
    assert emu.commands(group_scope, "zh") == []


def test_incoming_messages_carry_telegram_entities(emu: BotAPIEmulator) -> None:
    """Offsets are UTF-16: the emoji before the mention takes two code units."""
    alice = emu.user(ALICE_ID)
    update = emu.group_message(GROUP_ID, alice, "/today@DatongDailyBot 😀 @someone_else")
    message = update["message"]
    assert message["chat"] == {"id": GROUP_ID, "type": "supergroup", "title": "Test group"}
    assert message["entities"] == [
        {"type": "bot_command", "offset": 0, "length": 21},
        {"type": "mention", "offset": 25, "length": 13},
    ]
    assert "entities" not in emu.private_message(alice, "see https://a.b/c and a/b")["message"]


def test_document_upload_and_download(emu: BotAPIEmulator, client: httpx.Client) -> None:
    """sendDocument takes multipart uploads; getFile paths download under /file/bot<token>/."""
    chat_id = alice_chat(emu)
    response = client.post(
        f"{emu.base_url}{emu.token}/sendDocument",
        data={"chat_id": str(chat_id), "caption": "<i>report</i>", "parse_mode": "HTML"},
        files={"document": ("report.txt", b"line 1\n", "text/plain")},
    )
    message = result_of(response)
    assert message["caption"] == "report" and message["document"]["file_name"] == "report.txt"
    file_id = message["document"]["file_id"]
    assert emu.file_content(file_id) == b"line 1\n"

    file_path = result_of(api(client, emu, "getFile", file_id=file_id))["file_path"]
    assert client.get(f"{emu.base_file_url}{emu.token}/{file_path}").content == b"line 1\n"
    assert client.get(f"{emu.base_file_url}{emu.token}/documents/nope.txt").status_code == 404
    assert error_of(api(client, emu, "getFile", file_id="nope")) == "Bad Request: invalid file_id"


def png(width: int, height: int) -> bytes:
    """A real (blank, greyscale) PNG of that size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_photo_upload_keeps_the_bytes_and_refuses_what_is_not_an_image(emu: BotAPIEmulator, client: httpx.Client) -> None:
    chat_id = alice_chat(emu)
    image = png(30, 20)
    response = client.post(
        f"{emu.base_url}{emu.token}/sendPhoto",
        data={"chat_id": str(chat_id), "caption": "<b>chart</b>", "parse_mode": "HTML"},
        files={"photo": ("chart.png", image, "image/png")},
    )
    message = result_of(response)
    [size] = message["photo"]
    assert (size["width"], size["height"], size["file_size"]) == (30, 20, len(image))
    assert message["caption"] == "chart" and message["caption_entities"][0]["type"] == "bold"
    assert emu.file_content(size["file_id"]) == image
    file_path = result_of(api(client, emu, "getFile", file_id=size["file_id"]))["file_path"]
    assert file_path.startswith("photos/") and client.get(f"{emu.base_file_url}{emu.token}/{file_path}").content == image
    again = result_of(api(client, emu, "sendPhoto", chat_id=chat_id, photo=size["file_id"]))  # by file id
    assert again["photo"][0]["file_id"] == size["file_id"] and "caption" not in again

    def refused(content: bytes) -> str:
        files = {"photo": ("x.png", content, "image/png")}
        return error_of(client.post(f"{emu.base_url}{emu.token}/sendPhoto", data={"chat_id": str(chat_id)}, files=files))

    assert refused(b"%PDF-1.7 not a picture") == "Bad Request: IMAGE_PROCESS_FAILED"
    assert refused(image[:14]) == "Bad Request: IMAGE_PROCESS_FAILED"  # cut short
    assert refused(png(2000, 50)) == "Bad Request: PHOTO_INVALID_DIMENSIONS"  # ratio above 20
    assert error_of(api(client, emu, "sendPhoto", chat_id=chat_id)) == "Bad Request: there is no photo in the request"
    assert len(emu.bot_messages(chat_id)) == 2


def test_a_migrated_group_queues_both_service_messages_and_refuses_sends_to_its_old_id(
    emu: BotAPIEmulator, client: httpx.Client
) -> None:
    owner = emu.user(ALICE_ID, "Alice")
    new = emu.migrate_group(-5, -1005, owner)
    assert new["type"] == "supergroup"
    updates = result_of(api(client, emu, "getUpdates"))
    assert [
        (u["message"]["chat"]["id"], u["message"].get("migrate_to_chat_id"), u["message"].get("migrate_from_chat_id"))
        for u in updates
    ] == [
        (-5, -1005, None),
        (-1005, None, -5),
    ]
    response = api(client, emu, "sendMessage", chat_id=-5, text="hi")
    assert response.status_code == 400 and response.json()["parameters"] == {"migrate_to_chat_id": -1005}
    assert result_of(api(client, emu, "sendMessage", chat_id=-1005, text="hi"))["chat"]["id"] == -1005


# ---- fault injection ------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["429", "500", "502", "timeout", "reset", "bad_json"])
def test_each_fault_fires_once_then_service_resumes(emu: BotAPIEmulator, fault: str) -> None:
    options: dict[str, Any] = {"retry_after": 3} if fault == "429" else {"seconds": 3} if fault == "timeout" else {}
    emu.inject("getMe", fault, **options)
    with httpx.Client(timeout=0.5) as http_client:
        try:
            response: httpx.Response | None = api(http_client, emu, "getMe")
        except httpx.TransportError:
            response = None
        if fault in ("timeout", "reset"):
            assert response is None
        elif fault == "bad_json":
            assert response is not None and response.status_code == 200
            with pytest.raises(json.JSONDecodeError):
                response.json()
        else:
            assert response is not None and response.status_code == int(fault)
        if fault == "429":
            assert response is not None and response.json()["parameters"] == {"retry_after": 3}
        assert result_of(api(http_client, emu, "getMe"))["username"] == "DatongDailyBot"
    assert emu.injected == 1
    assert [call.injected for call in emu.calls] == [fault, None]
    assert emu.rejected == []


def test_timeout_with_process_executes_the_call_but_loses_the_answer(emu: BotAPIEmulator) -> None:
    """The nastiest real failure: Telegram sent the message, the bot never heard back."""
    chat_id = alice_chat(emu)
    emu.inject("sendMessage", "timeout", seconds=2, process=True)
    with httpx.Client(timeout=0.5) as impatient, pytest.raises(httpx.ReadTimeout):
        api(impatient, emu, "sendMessage", chat_id=chat_id, text="sent anyway")
    assert [message["text"] for message in emu.bot_messages(chat_id)] == ["sent anyway"]


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")  # PTB's own access
@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("429", RetryAfter),
        ("500", NetworkError),
        ("502", NetworkError),
        ("timeout", TimedOut),
        ("reset", NetworkError),
        ("bad_json", TelegramError),
    ],
)
async def test_python_telegram_bot_sees_faults_as_telegram_errors(
    emu: BotAPIEmulator, fault: str, error: type[TelegramError]
) -> None:
    """Hardening tests rely on PTB turning each fault into the error real trouble causes."""
    emu.inject("getWebhookInfo", fault, **({"seconds": 2} if fault == "timeout" else {}))
    request = HTTPXRequest(read_timeout=0.5)
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url, request=request) as bot:
        with pytest.raises(error):
            await bot.get_webhook_info()
        assert (await bot.get_webhook_info()).url == ""


# ---- python-telegram-bot against the emulator -------------------------------------------


@asynccontextmanager
async def running_bot(emu: BotAPIEmulator, *handlers: BaseHandler[Any, Any, Any]) -> AsyncIterator[Application]:
    """Run a PTB Application against the emulator exactly as the real bot is run."""
    app = Application.builder().token(emu.token).base_url(emu.base_url).base_file_url(emu.base_file_url).build()
    for handler in handlers:
        app.add_handler(handler)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


@pytest.mark.asyncio
async def test_python_telegram_bot_round_trip(emu: BotAPIEmulator) -> None:
    """Echo with a button, press it, see the edit; commands in groups reach CommandHandler."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        button = InlineKeyboardButton("Shout", callback_data="shout")
        await update.effective_message.reply_text(update.effective_message.text, reply_markup=InlineKeyboardMarkup([[button]]))

    async def shout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer("Shouting")
        await query.edit_message_text(query.message.text.upper())

    async def today(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("<b>Today</b> &amp; always", parse_mode="HTML")

    handlers = (
        CommandHandler("today", today),
        MessageHandler(filters.TEXT & ~filters.COMMAND, echo),
        CallbackQueryHandler(shout),
    )
    async with running_bot(emu, *handlers):
        alice = emu.user(ALICE_ID, "Alice", "alice_x")
        emu.private_message(alice, "hello <world> & co")
        echoed = await emu.wait_for_call("sendMessage", lambda call: call.ok)
        assert echoed.params["text"] == "hello <world> & co"

        emu.callback_query(alice, echoed.result, "shout")
        edit = await emu.wait_for_call("editMessageText")
        assert edit.result["text"] == "HELLO <WORLD> & CO"
        answer = await emu.wait_for_call("answerCallbackQuery")
        assert answer.params["text"] == "Shouting"

        emu.group_message(GROUP_ID, alice, "/today@DatongDailyBot")
        reply = await emu.wait_for(lambda: emu.bot_messages(GROUP_ID), description="the /today reply")
        assert reply[0]["text"] == "Today & always"
    assert emu.rejected == []


@pytest.mark.asyncio
async def test_python_telegram_bot_downloads_and_uploads_documents(emu: BotAPIEmulator) -> None:
    """A handler downloads the user's file through base_file_url and sends back a new one."""

    async def shout_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        file = await context.bot.get_file(update.effective_message.document.file_id)
        content = await file.download_as_bytearray()
        await update.effective_message.reply_document(bytes(content).upper(), filename="loud.txt")

    async with running_bot(emu, MessageHandler(filters.Document.ALL, shout_file)) as app:
        alice = emu.user(ALICE_ID, "Alice")
        update = emu.document_message(emu.private_chat(alice), alice, "note.txt", b"quiet words")
        sent = await emu.wait_for_call("sendDocument", lambda call: call.ok)
        assert emu.file_content(sent.result["document"]["file_id"]) == b"QUIET WORDS"
        assert sent.result["document"]["file_name"] == "loud.txt"

        file_id = update["message"]["document"]["file_id"]
        assert await (await app.bot.get_file(file_id)).download_as_bytearray() == bytearray(b"quiet words")
    assert emu.rejected == []


# ---- test-side helpers -----------------------------------------------------------------------


def test_update_helpers_for_edits_inline_results_channels_and_blocking(emu: BotAPIEmulator, client: httpx.Client) -> None:
    alice = emu.user(ALICE_ID, "Alice")
    original = emu.private_message(alice, "typo")["message"]
    edited = emu.edited_message(original, "fixed /help")["edited_message"]
    assert (edited["message_id"], edited["text"]) == (original["message_id"], "fixed /help")
    assert edited["entities"] == [{"type": "bot_command", "offset": 6, "length": 5}] and "edit_date" in edited

    query_id = emu.inline_query(alice, "x")["inline_query"]["id"]
    result = {"type": "article", "id": "r1", "title": "T", "input_message_content": {"message_text": "picked"}}
    result_of(api(client, emu, "answerInlineQuery", inline_query_id=query_id, results=[result]))
    emu.chosen_inline_result(alice, "r1", "x", inline_message_id="inline-1")
    assert result_of(api(client, emu, "editMessageText", inline_message_id="inline-1", text="changed")) is True
    unchanged = api(client, emu, "editMessageText", inline_message_id="inline-1", text="changed")
    assert error_of(unchanged) == f"Bad Request: {NOT_MODIFIED}"

    channel = {"id": -100777, "type": "channel", "title": "News"}
    emu.queue_update({"channel_post": {"message_id": 50, "date": 0, "chat": channel, "text": "post"}})
    comment = result_of(api(client, emu, "sendMessage", chat_id=-100777, text="comment", reply_to_message_id=50))
    assert comment["message_id"] == 51 and comment["sender_chat"] == channel

    emu.block_user(ALICE_ID)
    blocked = api(client, emu, "sendMessage", chat_id=ALICE_ID, text="hi")
    assert error_of(blocked, 403) == "Forbidden: bot was blocked by the user"


@pytest.mark.asyncio
async def test_wait_for_timeout_lists_the_recent_calls(emu: BotAPIEmulator, client: httpx.Client) -> None:
    """A test that times out must say what the bot did instead."""
    api(client, emu, "sendMessage", chat_id=12345, text="to nowhere")
    with pytest.raises(TimeoutError) as caught:
        await emu.wait_for_call("editMessageText", timeout=0.2)
    report = str(caught.value)
    assert "waiting for a call of editMessageText" in report
    assert "sendMessage(chat_id=12345, text='to nowhere') -> 400 Bad Request: chat not found" in report


def test_get_chat_member_tells_a_groups_admins(emu: BotAPIEmulator, client: httpx.Client) -> None:
    owner, admin, member = emu.user(3001, "Owner"), emu.user(3002, "Admin"), emu.user(3003, "Member")
    emu.group_chat(-100900)
    emu.set_chat_admins(-100900, [admin["id"]], creator=owner["id"])
    statuses = [
        result_of(api(client, emu, "getChatMember", chat_id=-100900, user_id=u["id"]))["status"] for u in (owner, admin, member)
    ]
    assert statuses == ["creator", "administrator", "member"]
    as_ptb = result_of(api(client, emu, "getChatMember", chat_id=-100900, user_id=admin["id"]))
    assert as_ptb["user"]["id"] == admin["id"] and as_ptb["can_manage_chat"] is True
    assert error_of(api(client, emu, "getChatMember", chat_id=-100900, user_id=4040)) == "Bad Request: PARTICIPANT_ID_INVALID"
    assert error_of(api(client, emu, "getChatMember", chat_id=-100901, user_id=owner["id"])) == "Bad Request: chat not found"
    assert error_of(api(client, emu, "getChatMember", chat_id=-100900)) == "Bad Request: user_id is empty"
