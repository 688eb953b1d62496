"""A Telegram Bot API emulator for end-to-end tests, built on the standard library only.

Why it exists: Telegram cannot be reached from the machines the tests run on, yet the bot
must be tested the way it really runs -- python-telegram-bot (PTB) speaking HTTP to a server
that refuses what Telegram refuses. ``BotAPIEmulator`` is that server. It listens on an
ephemeral loopback port, answers the Bot API methods the bot uses with Telegram-shaped
results, validates requests with Telegram's rules and wording (HTML parse mode, length
limits, inline keyboards, inline and callback queries, ...), lets a test create incoming
updates, records every call for assertions and can inject network faults.

Typical use in an async test (the bot runs in the test's event loop, the emulator in
threads, so waiting is done with the async ``wait_for``/``wait_for_call``)::

    with BotAPIEmulator() as emu:
        app = (Application.builder().token(emu.token).base_url(emu.base_url)
               .base_file_url(emu.base_file_url).build())
        ...  # add handlers, start the application and its updater
        alice = emu.user(1001, "Alice")
        emu.private_message(alice, "/start")
        call = await emu.wait_for_call("sendMessage")
        assert emu.rejected == []

Known limits, on purpose: parse modes Markdown and MarkdownV2 are accepted but not
validated; only the methods the bot and its tests use, listed in ``BotAPIEmulator.__init__``,
exist (others get 404, which shows up in ``rejected``); and a bare ``&`` that is not an entity
is *rejected*, as the Bot API documentation demands, although real Telegram prints such text
verbatim.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import http.server
import json
import re
import select
import socket
import struct
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = [
    "DEFAULT_TOKEN",
    "NOT_MODIFIED",
    "QUERY_TOO_OLD",
    "APIError",
    "BotAPIEmulator",
    "CallRecord",
    "HTMLParseError",
    "UploadedFile",
    "bad_request",
    "check_reply_markup",
    "format_text",
    "parse_html",
    "utf16_len",
]

T = TypeVar("T")
JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST-fake-token"

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_KEYBOARD_BUTTONS = 100
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64
MAX_NEXT_OFFSET_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_BOT_COMMANDS = 100
MAX_COMMAND_DESCRIPTION_LENGTH = 256
MAX_LONG_POLL_SECONDS = 50
LONG_POLL_CHECK_SECONDS = 0.05
CONFLICT_GRACE_SECONDS = 0.25

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
NGINX_502_BODY = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
TRUNCATED_JSON_BODY = b'{"ok":true,"result":{"message_id":'

# Fault kind -> keyword options that ``inject`` accepts for it.
FAULT_OPTIONS: dict[str, frozenset[str]] = {
    "429": frozenset({"retry_after"}),
    "500": frozenset(),
    "502": frozenset(),
    "timeout": frozenset({"seconds", "process"}),
    "reset": frozenset(),
    "bad_json": frozenset(),
}

# Update types Telegram does not send unless ``allowed_updates`` asks for them.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# Update fields that carry a Message, so ``queue_update`` can remember the message.
MESSAGE_UPDATE_FIELDS = ("message", "edited_message", "channel_post", "edited_channel_post")
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
INLINE_RESULT_TYPES = frozenset(
    {
        "article", "photo", "gif", "mpeg4_gif", "video", "audio", "voice", "document",
        "location", "venue", "contact", "game", "sticker",
    }
)  # fmt: skip
COMMAND_SCOPE_TYPES = frozenset(
    {
        "default", "all_private_chats", "all_group_chats", "all_chat_administrators",
        "chat", "chat_administrators", "chat_member",
    }
)  # fmt: skip
# Parameters whose values are free text or opaque string ids: never JSON-decoded, so that
# e.g. a message text "42" stays the string "42" in the recorded call.
RAW_STRING_PARAMS = frozenset(
    {
        "text", "caption", "query", "title", "description", "short_description",
        "name", "url", "message_text", "next_offset", "callback_query_id", "inline_query_id",
        "inline_message_id", "result_id", "file_id", "language_code", "parse_mode",
        "secret_token", "switch_pm_text", "switch_pm_parameter", "custom_emoji_id",
        "business_connection_id", "message_effect_id", "document",
    }
)  # fmt: skip

_COMMAND_PATTERN = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?!\w)")
_MENTION_PATTERN = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{5,32}(?!\w)")
_BOT_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts offsets and limits in."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _now() -> int:
    return int(time.time())


# --------------------------------------------------------------------------------------
# Errors


class APIError(Exception):
    """An error answer of the Bot API: the HTTP status and Telegram's description."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        """The JSON object Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> APIError:
    """A 400 answer; ``detail`` is Telegram's text after "Bad Request: "."""
    return APIError(400, f"Bad Request: {detail}")


class _ClientGone(Exception):
    """The client closed the connection while its long poll was waiting."""


# --------------------------------------------------------------------------------------
# Telegram's HTML parse mode (a port of tdlib's parser, stricter only about "&")


class HTMLParseError(ValueError):
    """Text is not valid Telegram HTML; the message uses tdlib's wording."""


_HTML_SPACES = frozenset(" \t\n\r\f\v")
_HTML_TAG_END = _HTML_SPACES | {">"}
_HTML_ATTRIBUTE_NAME_END = _HTML_SPACES | {"=", ">"}
_HTML_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
        "tg-spoiler", "tg-emoji", "code", "pre", "blockquote",
    }
)  # fmt: skip
_SIMPLE_TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_CHARACTER_REFERENCE = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));?")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.-]*")


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    piece_index: int


@dataclass
class _Entity:
    type: str
    offset: int
    length: int
    argument: str = ""

    def to_dict(self) -> JSONDict:
        entity: JSONDict = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.type == "text_link":
            entity["url"] = self.argument
        elif self.type == "pre" and self.argument:
            entity["language"] = self.argument
        elif self.type == "custom_emoji":
            entity["custom_emoji_id"] = self.argument
        return entity


class _HTMLParser:
    """One pass over the text, as tdlib does it: tags open and close entities."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.pos = 0
        self.pieces: list[str] = []
        self.utf16_offset = 0
        self.open_tags: list[_OpenTag] = []
        self.entities: list[_Entity] = []

    def parse(self) -> tuple[str, list[JSONDict]]:
        html = self.html
        while self.pos < len(html):
            char = html[self.pos]
            if char == "&":
                decoded, self.pos = self._character_reference(self.pos)
                self._emit(decoded)
            elif char != "<":
                self._emit(char)
                self.pos += 1
            elif html.startswith("</", self.pos):
                self._end_tag()
            else:
                self._start_tag()
        if self.open_tags:
            name = self.open_tags[-1].name
            raise HTMLParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        entities = sorted(self.entities, key=lambda e: (e.offset, -e.length))
        return "".join(self.pieces), [entity.to_dict() for entity in entities]

    def _emit(self, text: str) -> None:
        self.pieces.append(text)
        self.utf16_offset += utf16_len(text)

    def _byte_offset(self, index: int) -> int:
        return len(self.html[:index].encode("utf-8", "surrogatepass"))

    def _error(self, message: str, index: int, detail: str = "") -> HTMLParseError:
        return HTMLParseError(f"{message} at byte offset {self._byte_offset(index)}{detail}")

    def _character_reference(self, start: int) -> tuple[str, int]:
        match = _CHARACTER_REFERENCE.match(self.html, start)
        decoded = _decode_character_reference(match) if match else None
        if match is None or decoded is None:
            snippet = match.group(0) if match else "&"
            raise self._error(
                f'Unsupported HTML entity "{snippet}"',
                start,
                ' (only &lt; &gt; &amp; &quot; and numeric entities exist; write a literal "&" as "&amp;")',
            )
        return decoded, match.end()

    def _start_tag(self) -> None:
        html, begin = self.html, self.pos
        end = len(html)
        i = begin + 1
        while i < end and html[i] not in _HTML_TAG_END:
            i += 1
        if i == end:
            raise self._error("Unclosed start tag", begin)
        name = html[begin + 1 : i].lower()
        if name not in _HTML_TAGS:
            raise self._error(f'Unsupported start tag "{name}"', begin)

        argument = ""
        while True:
            while i < end and html[i] in _HTML_SPACES:
                i += 1
            if i == end:
                raise self._error("Unclosed start tag", begin)
            if html[i] == ">":
                break
            attribute_begin = i
            while i < end and html[i] not in _HTML_ATTRIBUTE_NAME_END:
                i += 1
            attribute = html[attribute_begin:i].lower()
            if not attribute:
                raise self._error(f'Empty attribute name in the tag "{name}"', begin)
            while i < end and html[i] in _HTML_SPACES:
                i += 1
            if i < end and html[i] != "=":
                if name == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                    continue
                raise self._error(f'Expected equal sign in declaration of an attribute of the tag "{name}"', begin)
            i += 1
            while i < end and html[i] in _HTML_SPACES:
                i += 1
            if i >= end:
                raise self._error(f'Unclosed start tag "{name}"', begin)
            if html[i] in "\"'":
                value, i = self._quoted_value(i, begin)
            else:
                token = _NAME_TOKEN.match(html, i)
                assert token is not None  # the pattern also matches the empty string
                value = token.group(0).lower()
                if token.end() < end and html[token.end()] not in _HTML_TAG_END:
                    raise self._error("Unexpected end of name token", i)
                i = token.end()
            argument = _tag_argument(name, attribute, value, argument)
        self.pos = i + 1
        if name == "span" and argument != "spoiler":
            raise self._error('Tag "span" must have class "tg-spoiler"', begin)
        self.open_tags.append(_OpenTag(name, argument, self.utf16_offset, len(self.pieces)))

    def _quoted_value(self, i: int, tag_begin: int) -> tuple[str, int]:
        html, quote = self.html, self.html[i]
        parts: list[str] = []
        i += 1
        while i < len(html) and html[i] != quote:
            if html[i] == "&":
                decoded, i = self._character_reference(i)
                parts.append(decoded)
            else:
                parts.append(html[i])
                i += 1
        if i == len(html):
            raise self._error("Unclosed start tag", tag_begin)
        return "".join(parts), i + 1

    def _end_tag(self) -> None:
        html, begin = self.html, self.pos
        if not self.open_tags:
            raise self._error("Unexpected end tag", begin)
        i = begin + 2
        while i < len(html) and html[i] not in _HTML_TAG_END:
            i += 1
        end_name = html[begin + 2 : i].lower()
        while i < len(html) and html[i] in _HTML_SPACES:
            i += 1
        if i == len(html) or html[i] != ">":
            raise self._error("Unclosed end tag", begin)
        tag = self.open_tags[-1]
        if end_name and end_name != tag.name:
            raise self._error("Unmatched end tag", begin, f', expected "</{tag.name}>", found "</{end_name}>"')
        self.open_tags.pop()
        self.pos = i + 1
        self._close(tag)

    def _close(self, tag: _OpenTag) -> None:
        if tag.name == "tg-emoji" and not tag.argument.isdigit():
            raise HTMLParseError("Invalid custom emoji identifier specified")
        offset, length = tag.utf16_offset, self.utf16_offset - tag.utf16_offset
        if length == 0:
            return
        if tag.name in _SIMPLE_TAG_ENTITIES:
            self.entities.append(_Entity(_SIMPLE_TAG_ENTITIES[tag.name], offset, length))
        elif tag.name == "a":
            url = tag.argument or "".join(self.pieces[tag.piece_index :])
            self.entities.append(_Entity("text_link", offset, length, url))
        elif tag.name == "code":
            self.entities.append(_Entity("code", offset, length, tag.argument))
        elif tag.name == "pre":
            last = self.entities[-1] if self.entities else None
            if last and last.type == "code" and (last.offset, last.length) == (offset, length):
                last.type = "pre"  # <pre><code class="language-x">: keeps the language
            else:
                self.entities.append(_Entity("pre", offset, length))
        elif tag.name == "blockquote":
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self.entities.append(_Entity(kind, offset, length))
        else:  # tg-emoji
            self.entities.append(_Entity("custom_emoji", offset, length, tag.argument))


def _decode_character_reference(match: re.Match[str]) -> str | None:
    hex_digits, decimal_digits, name = match.groups()
    if name is not None:
        return _NAMED_ENTITIES.get(name)
    if len(match.group(0).rstrip(";")) >= 10:
        return None
    code = int(hex_digits, 16) if hex_digits is not None else int(decimal_digits)
    if 0 < code < 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return chr(code)
    return None


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "expandable"
    return current


def parse_html(html: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram HTML into (plain text, message entities); raise ``HTMLParseError``."""
    return _HTMLParser(html).parse()


# --------------------------------------------------------------------------------------
# Text, entity and markup validation shared by several methods


def _strip_formatted(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace like Telegram does, moving entities along."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        stop = min(entity["offset"] + entity["length"] - lead, size)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


def format_text(
    text: object,
    parse_mode: object,
    entities: object,
    *,
    limit: int = MAX_TEXT_LENGTH,
    caption: bool = False,
) -> tuple[str, list[JSONDict]]:
    """Apply the parse mode and Telegram's limits; return (text, entities) as stored.

    Message texts must not be empty after parsing and trimming; captions may be.
    """
    if text is None:
        text = ""
    if not isinstance(text, str):
        text = str(text)
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if entities:
        if not isinstance(entities, list) or not all(_is_entity(e) for e in entities):
            raise bad_request("can't parse entities JSON object")
        plain, parsed = text, list(entities)
    elif mode == "html":
        try:
            plain, parsed = parse_html(text)
        except HTMLParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif mode in ("", "markdown", "markdownv2"):
        plain, parsed = text, []  # Markdown is not validated by the emulator
    else:
        raise bad_request("unsupported parse_mode")
    plain, parsed = _strip_formatted(plain, parsed)
    if not plain and not caption:
        raise bad_request("message text is empty")
    if utf16_len(plain) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return plain, parsed


def _is_entity(entity: object) -> bool:
    return (
        isinstance(entity, dict)
        and isinstance(entity.get("type"), str)
        and isinstance(entity.get("offset"), int)
        and isinstance(entity.get("length"), int)
    )


def _text_fields(text: str, entities: list[JSONDict], *, caption: bool = False) -> JSONDict:
    key, entities_key = ("caption", "caption_entities") if caption else ("text", "entities")
    fields: JSONDict = {key: text} if text or not caption else {}
    if entities:
        fields[entities_key] = entities
    return fields


def check_reply_markup(markup: object, *, inline_only: bool = False) -> JSONDict | None:
    """Validate reply_markup; return what Telegram echoes in the Message (inline keyboards)."""
    if markup is None or markup == "":
        return None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            raise bad_request("can't parse reply keyboard markup JSON object") from None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
        return {"inline_keyboard": markup["inline_keyboard"]}
    if inline_only:
        raise bad_request("inline keyboard expected")
    if any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
        return None
    raise bad_request("can't parse reply keyboard markup JSON object")


def _check_inline_keyboard(rows: object) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    if sum(len(row) for row in rows) > MAX_INLINE_KEYBOARD_BUTTONS:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            _check_inline_button(button)


def _check_inline_button(button: object) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise bad_request(prefix + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [action for action in INLINE_BUTTON_ACTIONS if action in button]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(prefix + f"exactly one of the optional fields must be used, got {', '.join(actions)}")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise bad_request(prefix + 'Field "callback_data" must be of type String')
        if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url or any(char.isspace() for char in url):
            raise bad_request("BUTTON_URL_INVALID")


def _callback_data_of(markup: JSONDict | None) -> list[str]:
    rows = (markup or {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row if "callback_data" in button]


def _auto_entities(text: str) -> list[JSONDict]:
    """The entities Telegram adds to a user's plain text: bot commands and @mentions."""
    entities = []
    for entity_type, pattern in (("bot_command", _COMMAND_PATTERN), ("mention", _MENTION_PATTERN)):
        for match in pattern.finditer(text):
            entities.append(
                {
                    "type": entity_type,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group(0)),
                }
            )
    return sorted(entities, key=lambda e: e["offset"])


def _incoming_text(text: str, *, caption: bool = False) -> JSONDict:
    return _text_fields(text, _auto_entities(text), caption=caption)


# --------------------------------------------------------------------------------------
# Request parameters


def _decode_value(name: str, value: object) -> object:
    """Decode a form value the way PTB encoded it: objects, arrays, numbers, booleans as JSON."""
    if not isinstance(value, str) or name in RAW_STRING_PARAMS:
        return value
    if value.startswith(("{", "[")) or value in ("true", "false") or _NUMBER.fullmatch(value):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _int_param(params: JSONDict, name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    raise bad_request(f'parameter "{name}" must be an Integer')


def _number_param(params: JSONDict, name: str, default: float) -> float:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise bad_request(f'parameter "{name}" must be a Number')


def _str_param(params: JSONDict, name: str) -> str | None:
    value = params.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise bad_request(f'parameter "{name}" must be a String')


def _flag(params: JSONDict, name: str) -> bool:
    return params.get(name) in (True, 1, "true", "True", "1")


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request."""

    filename: str
    content_type: str
    content: bytes


def _never_gone() -> bool:
    return False


@dataclass
class _Request:
    """One decoded request; ``client_gone`` tells whether its client hung up meanwhile."""

    params: JSONDict
    files: dict[str, UploadedFile] = field(default_factory=dict)
    received: float = field(default_factory=time.monotonic)
    client_gone: Callable[[], bool] = _never_gone


def _read_body(handler: http.server.BaseHTTPRequestHandler) -> bytes:
    """The request body; httpx (PTB's client) always sends a Content-Length."""
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def _parse_request(
    handler: http.server.BaseHTTPRequestHandler, query: str, body: bytes
) -> tuple[JSONDict, dict[str, UploadedFile]]:
    """Collect parameters from the query string and a JSON, urlencoded or multipart body."""
    raw: JSONDict = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    content_type = handler.headers.get_content_type()
    if content_type == "application/json" and body:
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        raw.update(decoded)
    elif content_type == "multipart/form-data":
        fields, files = _parse_multipart(body, handler.headers.get_param("boundary") or "")
        raw.update(fields)
    elif body:
        raw.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {name: _decode_value(name, value) for name, value in raw.items()}, files


def _unescape_form_param(value: str) -> str:
    """Undo httpx's HTML5 escaping of multipart header parameters."""
    value = re.sub(r"%(22|[01][0-9A-Fa-f])", lambda m: chr(int(m.group(1), 16)), value)
    return value.replace("\\\\", "\\")


def _parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    if not boundary:
        raise ValueError("multipart body without boundary")
    for part in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        disposition, content_type = "", "application/octet-stream"
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-disposition":
                disposition = value
            elif key.strip().lower() == "content-type":
                content_type = value.strip()
        attributes = {
            key.lower(): _unescape_form_param(value) for key, value in re.findall(r';\s*([\w*]+)="([^"]*)"', disposition)
        }
        name = attributes.get("name")
        if name is None:
            continue
        if "filename" in attributes:
            files[name] = UploadedFile(attributes["filename"], content_type, content)
        else:
            fields[name] = content.decode("utf-8")
    return fields, files


# --------------------------------------------------------------------------------------
# Records and state


@dataclass(frozen=True)
class CallRecord:
    """One request the emulator received, as tests see it.

    ``method`` is the canonical Bot API name (``"sendMessage"`` even if the request said
    ``sendmessage``), or ``"file_download"`` for GET /file/bot<token>/<path>. ``params`` are
    decoded (nested JSON objects are dicts). ``time`` is ``time.monotonic()`` on arrival.
    ``status`` is the HTTP status sent, 0 when no response was sent. ``injected`` names
    the injected fault that answered this call, if any.
    """

    method: str
    params: JSONDict
    ok: bool
    status: int
    error: str | None
    result: Any
    time: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    injected: str | None = None

    def summary(self) -> str:
        """A one-line description for failure messages."""
        arguments = ", ".join(f"{name}={_shorten(value)}" for name, value in self.params.items())
        outcome = "ok" if self.ok else f"{self.status} {self.error}"
        tag = f" [injected {self.injected}]" if self.injected else ""
        return f"{self.method}({arguments}) -> {outcome}{tag}"


def _shorten(value: object, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


@dataclass
class _StoredMessage:
    message: JSONDict
    from_bot: bool
    history: list[JSONDict] = field(default_factory=list)
    deleted: bool = False


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    content: bytes

    def document(self) -> JSONDict:
        return {
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }


@dataclass
class _Fault:
    method: str  # lower-case method name, or "*"
    kind: str
    remaining: int
    options: JSONDict


# --------------------------------------------------------------------------------------
# HTTP plumbing


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, emulator: BotAPIEmulator) -> None:
        self.emulator = emulator
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self) -> None:
        """End kept-alive connections so no handler thread outlives ``stop``."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def do_GET(self) -> None:
        self.server.emulator._handle(self)

    def do_POST(self) -> None:
        self.server.emulator._handle(self)

    def log_message(self, *args: Any) -> None:
        """Stay quiet: every request is in ``BotAPIEmulator.calls`` instead."""


def _send(handler: _Handler, status: int, payload: bytes, content_type: str) -> None:
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
    except OSError:
        handler.close_connection = True


def _send_json(handler: _Handler, status: int, body: JSONDict) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    _send(handler, status, payload, "application/json")


def _client_gone(connection: socket.socket) -> bool:
    """True when the peer has closed the connection (readable, and reading gives EOF)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _reset_connection(handler: _Handler) -> None:
    """Abort the TCP connection with an RST instead of answering."""
    handler.close_connection = True
    with contextlib.suppress(OSError):
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()


# --------------------------------------------------------------------------------------
# The emulator


class BotAPIEmulator:
    """A Bot API server on 127.0.0.1 for one bot, with test-side controls.

    Three faces:

    * the HTTP side the bot talks to (``base_url``/``base_file_url``);
    * the test side that makes incoming updates (``user``, ``private_message``,
      ``group_message``, ``callback_query``, ``inline_query``, ...);
    * the observation side (``calls``, ``rejected``, ``bot_messages``, ``wait_for``...).

    All state sits behind one condition variable: HTTP requests run in server threads
    while tests and the bot run in the test's thread and event loop.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_id: int | None = None,
        bot_username: str = "DatongDailyBot",
        bot_first_name: str = "Datong Daily",
    ) -> None:
        prefix = token.split(":", 1)[0]
        self.token = token
        self.bot_id = bot_id if bot_id is not None else int(prefix) if prefix.isdigit() else 1
        self.bot_user: JSONDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.port = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._cond = threading.Condition()

        self._calls: list[CallRecord] = []
        self._faults: list[_Fault] = []
        self._injected = 0

        self._updates: list[JSONDict] = []
        self._next_update_id = 1000
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._webhook_url = ""

        self._users: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[int, dict[int, _StoredMessage]] = {}
        self._last_message_id: dict[int, int] = {}
        self._bot_sent: list[_StoredMessage] = []
        self._inline_messages: dict[str, _StoredMessage] = {}
        self._inline_results: dict[str, JSONDict] = {}
        self._open_queries: dict[str, str] = {}  # query id -> "callback" | "inline"
        self._next_query_id = 1
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}

        self._methods: dict[str, Callable[[_Request], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "sendDocument": self._send_document,
            "getFile": self._get_file,
        }
        self._method_names = {name.lower(): name for name in self._methods}

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> BotAPIEmulator:
        """Bind an ephemeral port on 127.0.0.1 and serve in a background thread."""
        if self._server is not None:
            raise RuntimeError("BotAPIEmulator is already running")
        self._stopping.clear()
        self._server = _Server(self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"BotAPIEmulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; pending long polls answer at once, held requests are dropped."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.server_close()
        server.close_connections()
        thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> BotAPIEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``; PTB appends the token."""
        return f"http://127.0.0.1:{self._running_port()}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``; PTB appends the token."""
        return f"http://127.0.0.1:{self._running_port()}/file/bot"

    def _running_port(self) -> int:
        if self._server is None:
            raise RuntimeError("start() the BotAPIEmulator first")
        return self.port

    # ---- fault injection -------------------------------------------------------------

    def inject(self, method: str, fault: str, count: int = 1, **options: Any) -> None:
        """Make the next ``count`` calls of ``method`` ("*" = any method) fail with ``fault``.

        Faults: "429" (``retry_after``=seconds, default 1), "500", "502" (nginx's HTML page,
        as Telegram's front end sends it), "timeout" (hold the request ``seconds``, default
        10, then drop it; ``process=True`` executes it first, like a send whose answer got
        lost), "reset" (TCP reset instead of an answer), "bad_json" (200 with a truncated
        body). Faults queue in order; the bot's retries then see normal service again.
        """
        if fault not in FAULT_OPTIONS:
            raise ValueError(f"unknown fault {fault!r}; choose one of {sorted(FAULT_OPTIONS)}")
        unknown = set(options) - FAULT_OPTIONS[fault]
        if unknown:
            raise TypeError(f"fault {fault!r} takes no option(s) {sorted(unknown)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._cond:
            self._faults.append(_Fault(method.lower(), fault, count, dict(options)))

    @property
    def injected(self) -> int:
        """How many injected faults have fired so far."""
        with self._cond:
            return self._injected

    def _take_fault(self, method: str) -> _Fault | None:
        with self._cond:
            for fault in self._faults:
                if fault.method in ("*", method.lower()):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    self._injected += 1
                    return fault
        return None

    # ---- request handling ------------------------------------------------------------

    def _handle(self, handler: _Handler) -> None:
        received = time.monotonic()
        try:
            body = _read_body(handler)
        except (OSError, ValueError):
            handler.close_connection = True
            return
        url = urllib.parse.urlsplit(handler.path)
        path = urllib.parse.unquote(url.path)
        if path.startswith("/file/bot"):
            self._serve_file(handler, path.removeprefix("/file/bot"), received)
            return
        if not path.startswith("/bot"):
            _send_json(handler, 404, APIError(404, "Not Found").body())
            return
        token, _, method_name = path.removeprefix("/bot").partition("/")
        method = self._method_names.get(method_name.lower(), method_name)
        try:
            params, files = _parse_request(handler, url.query, body)
        except (ValueError, UnicodeDecodeError):
            self._reply_error(handler, method, _Request({}, {}, received), bad_request("can't parse request"))
            return
        request = _Request(params, files, received, lambda: _client_gone(handler.connection))
        if token != self.token:
            self._reply_error(handler, method, request, APIError(401, "Unauthorized"))
            return
        fault = self._take_fault(method)
        if fault is not None:
            self._apply_fault(handler, fault, method, request)
        elif method not in self._methods:
            self._reply_error(handler, method, request, APIError(404, "Not Found"))
        else:
            answer = self._execute(method, request)
            if answer is None:
                handler.close_connection = True
            else:
                _send_json(handler, *answer)

    def _reply_error(self, handler: _Handler, method: str, request: _Request, error: APIError) -> None:
        self._record(method, request, error=error)
        _send_json(handler, error.status, error.body())

    def _execute(self, method: str, request: _Request, injected: str | None = None) -> tuple[int, JSONDict] | None:
        """Run one Bot API method; record it; return (status, body), None if nobody listens."""
        try:
            with self._cond:
                result = self._methods[method](request)
        except _ClientGone:
            error = APIError(0, "client closed the connection while waiting")
            self._record(method, request, error=error, injected=injected)
            return None
        except APIError as error:
            self._record(method, request, error=error, injected=injected)
            return error.status, error.body()
        except Exception as exc:  # an emulator bug must fail the test loudly, not hang it
            error = APIError(500, f"emulator crashed: {exc!r}")
            self._record(method, request, error=error, injected=injected)
            return 500, error.body()
        self._record(method, request, result=result, injected=injected)
        return 200, {"ok": True, "result": result}

    def _apply_fault(self, handler: _Handler, fault: _Fault, method: str, request: _Request) -> None:
        kind = fault.kind
        if kind == "timeout":
            if fault.options.get("process") and method in self._methods:
                self._execute(method, request, injected=kind)
            else:
                self._record(method, request, error=APIError(0, "injected timeout: no response"), injected=kind)
            self._stopping.wait(float(fault.options.get("seconds", 10.0)))
            handler.close_connection = True
        elif kind == "reset":
            self._record(method, request, error=APIError(0, "injected reset: connection aborted"), injected=kind)
            _reset_connection(handler)
        elif kind == "429":
            retry_after = int(fault.options.get("retry_after", 1))
            error = APIError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
            self._record(method, request, error=error, injected=kind)
            _send_json(handler, 429, error.body())
        elif kind == "500":
            error = APIError(500, "Internal Server Error")
            self._record(method, request, error=error, injected=kind)
            _send_json(handler, 500, error.body())
        elif kind == "502":
            self._record(method, request, error=APIError(502, "Bad Gateway"), injected=kind)
            _send(handler, 502, NGINX_502_BODY, "text/html")
        else:  # bad_json
            self._record(method, request, error=APIError(200, "injected malformed JSON body"), injected=kind)
            _send(handler, 200, TRUNCATED_JSON_BODY, "application/json")

    def _serve_file(self, handler: _Handler, rest: str, received: float) -> None:
        token, _, file_path = rest.partition("/")
        request = _Request({"file_path": file_path}, received=received)
        if token != self.token:
            self._reply_error(handler, "file_download", request, APIError(401, "Unauthorized"))
            return
        with self._cond:
            stored = self._files_by_path.get(file_path)
        if stored is None:
            self._reply_error(handler, "file_download", request, APIError(404, "Not Found"))
            return
        self._record("file_download", request, result=len(stored.content))
        _send(handler, 200, stored.content, stored.mime_type or "application/octet-stream")

    def _record(
        self,
        method: str,
        request: _Request,
        *,
        result: Any = None,
        error: APIError | None = None,
        injected: str | None = None,
    ) -> None:
        """Remember a call; an error's status is what was sent (0: nothing was sent)."""
        record = CallRecord(
            method=method,
            params=copy.deepcopy(request.params),
            ok=error is None,
            status=error.status if error else 200,
            error=error.description if error else None,
            result=copy.deepcopy(result),
            time=request.received,
            files=dict(request.files),
            injected=injected,
        )
        with self._cond:
            self._calls.append(record)
            self._cond.notify_all()

    # ---- chats, messages, files --------------------------------------------------------

    def _register_chat(self, chat: JSONDict) -> JSONDict:
        chat = dict(chat)
        self._chats[chat["id"]] = chat
        return chat

    def _target_chat(self, params: JSONDict) -> JSONDict:
        """Resolve chat_id like Telegram: unknown chats and unreachable users fail."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        chat = self._chats.get(raw) if isinstance(raw, int) and not isinstance(raw, bool) else None
        if chat is None:
            if isinstance(raw, int) and raw in self._users:
                raise APIError(403, "Forbidden: bot can't initiate conversation with a user")
            raise bad_request("chat not found")
        if chat["type"] == "private" and chat["id"] in self._blocked:
            raise APIError(403, "Forbidden: bot was blocked by the user")
        return dict(chat)

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _store(self, message: JSONDict, *, from_bot: bool) -> _StoredMessage:
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        stored = _StoredMessage(copy.deepcopy(message), from_bot)
        self._messages.setdefault(chat_id, {})[message_id] = stored
        if message_id > self._last_message_id.get(chat_id, 0):
            self._last_message_id[chat_id] = message_id
        return stored

    def _lookup(self, chat_id: int, message_id: int | None) -> _StoredMessage | None:
        stored = self._messages.get(chat_id, {}).get(message_id) if message_id else None
        return None if stored is None or stored.deleted else stored

    def _stored_or_fail(self, message: JSONDict) -> _StoredMessage:
        """Find the emulator's copy of a message dict a test passed in."""
        stored = self._lookup(message["chat"]["id"], message.get("message_id"))
        if stored is None:
            raise ValueError(
                f"message {message.get('message_id')} in chat {message['chat']['id']} is unknown to the emulator (or deleted)"
            )
        return stored

    @staticmethod
    def _as_reply(message: JSONDict) -> JSONDict:
        """A message as it appears in reply_to_message: without its own reply."""
        snapshot = copy.deepcopy(message)
        snapshot.pop("reply_to_message", None)
        return snapshot

    def _reply_target(self, chat: JSONDict, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        if reply is not None:
            if not isinstance(reply, dict) or _int_param(reply, "message_id") is None:
                raise bad_request("can't parse reply parameters JSON object")
            message_id = _int_param(reply, "message_id")
            allow_missing = _flag(reply, "allow_sending_without_reply")
            if reply.get("chat_id") not in (None, chat["id"]):
                chat = self._target_chat({"chat_id": reply["chat_id"]})
        else:
            message_id = _int_param(params, "reply_to_message_id")
            allow_missing = _flag(params, "allow_sending_without_reply")
            if message_id is None:
                return None
        stored = self._lookup(chat["id"], message_id)
        if stored is None:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return self._as_reply(stored.message)

    def _send_bot_message(self, chat: JSONDict, content: JSONDict, params: JSONDict, markup: JSONDict | None) -> JSONDict:
        """Store a message the bot sends and return it as Telegram would."""
        reply_to = self._reply_target(chat, params)
        sender = {"sender_chat": chat} if chat["type"] == "channel" else {"from": self.bot_user}
        message: JSONDict = {
            "message_id": self._next_message_id(chat["id"]),
            **sender,
            "chat": chat,
            "date": _now(),
            **content,
        }
        thread_id = _int_param(params, "message_thread_id")
        if thread_id is not None:
            message["message_thread_id"] = thread_id
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if markup is not None:
            message["reply_markup"] = markup
        self._bot_sent.append(self._store(message, from_bot=True))
        return copy.deepcopy(message)

    def _edit_target(self, params: JSONDict) -> _StoredMessage:
        inline_message_id = _str_param(params, "inline_message_id")
        if inline_message_id:
            stored = self._inline_messages.get(inline_message_id)
            if stored is None:
                raise bad_request("MESSAGE_ID_INVALID")
            return stored
        chat = self._target_chat(params)
        message_id = _int_param(params, "message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        stored = self._lookup(chat["id"], message_id)
        if stored is None:
            raise bad_request("message to edit not found")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        return stored

    @staticmethod
    def _apply_edit(
        stored: _StoredMessage,
        content: JSONDict,
        content_keys: tuple[str, ...],
        markup: JSONDict | None,
    ) -> JSONDict | bool:
        """Replace content and markup; refuse a no-op edit; keep the old version."""
        current = stored.message
        replaced = {*content_keys, "reply_markup", "edit_date"}
        edited = {key: value for key, value in current.items() if key not in replaced}
        edited.update(copy.deepcopy(content))
        if markup is not None:
            edited["reply_markup"] = markup
        compared = (*content_keys, "reply_markup")
        if all(edited.get(key) == current.get(key) for key in compared):
            raise bad_request(NOT_MODIFIED)
        edited["edit_date"] = _now()
        stored.history.append(current)
        stored.message = edited
        return True if "inline_message_id" in edited else copy.deepcopy(edited)

    def _register_file(self, content: bytes, file_name: str, mime_type: str) -> _StoredFile:
        number = len(self._files) + 1
        suffix = "." + file_name.rsplit(".", 1)[1] if "." in file_name else ""
        stored = _StoredFile(
            file_id=f"BQACAgEmu{number:06d}-{self.bot_id}",
            file_unique_id=f"AgADEmu{number:06d}",
            file_path=f"documents/file_{number}{suffix}",
            file_name=file_name,
            mime_type=mime_type,
            content=bytes(content),
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    # ---- Bot API methods (called with the lock held) -----------------------------------

    def _get_me(self, request: _Request) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, request: _Request) -> bool:
        self._webhook_url = ""
        if _flag(request.params, "drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, request: _Request) -> bool:
        params = request.params
        url = _str_param(params, "url") or ""
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self._set_allowed_updates(params.get("allowed_updates"))
        if _flag(params, "drop_pending_updates"):
            self._updates.clear()
        self._webhook_url = url
        return True

    def _get_webhook_info(self, request: _Request) -> JSONDict:
        info: JSONDict = {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._allowed_updates is not None:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    def _set_allowed_updates(self, allowed: object) -> None:
        if allowed is None:
            return
        if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
            raise bad_request("can't parse allowed updates JSON object")
        self._allowed_updates = list(allowed) or None  # [] means "the default set"

    def _wanted(self, update: JSONDict) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self._allowed_updates is None:
            return kind not in OPT_IN_UPDATE_TYPES
        return kind in self._allowed_updates

    def _get_updates(self, request: _Request) -> list[JSONDict]:
        """Long polling: confirm by offset, then wait until updates exist or time runs out.

        A newer getUpdates ends an older one that is still connected with 409 Conflict, as
        Telegram does when two bot instances poll; a poll whose client went away (PTB
        cancels its request when it stops) is dropped silently instead.
        """
        params = request.params
        if self._webhook_url:
            raise APIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            )
        offset = _int_param(params, "offset")
        limit = min(max(_int_param(params, "limit") or 100, 1), 100)
        timeout = min(max(_number_param(params, "timeout", 0.0), 0.0), MAX_LONG_POLL_SECONDS)
        self._set_allowed_updates(params.get("allowed_updates"))
        if offset is not None and offset < 0:
            self._updates = self._updates[offset:]
        elif offset is not None:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()
        deadline = time.monotonic() + timeout
        while True:
            if request.client_gone():
                raise _ClientGone
            if generation != self._poll_generation:
                if self._client_leaves(request):
                    raise _ClientGone
                raise APIError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
            self._updates = [update for update in self._updates if self._wanted(update)]
            if self._updates or self._stopping.is_set():
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self._cond.wait(min(remaining, LONG_POLL_CHECK_SECONDS))

    def _client_leaves(self, request: _Request) -> bool:
        """Whether a superseded poll's client hangs up within a short grace period.

        PTB cancels its pending getUpdates when it stops and at once sends a last one; the
        cancelled connection may close a moment after the new request arrives. Only a
        client still connected after the grace period is a second bot instance.
        """
        deadline = time.monotonic() + CONFLICT_GRACE_SECONDS
        while not request.client_gone():
            if time.monotonic() >= deadline:
                return False
            self._cond.wait(0.01)
        return True

    def _command_key(self, params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPE_TYPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"].startswith("chat") and "chat_id" not in scope:
            raise bad_request("can't parse BotCommandScope: Can't find field \"chat_id\"")
        if scope["type"] == "chat_member" and "user_id" not in scope:
            raise bad_request("can't parse BotCommandScope: Can't find field \"user_id\"")
        language_code = _str_param(params, "language_code") or ""
        return json.dumps(scope, sort_keys=True), language_code

    def _set_my_commands(self, request: _Request) -> bool:
        params = request.params
        commands = params.get("commands")
        if commands is None:
            commands = []  # Telegram treats a missing list as an empty one
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > MAX_BOT_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        cleaned = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand: BotCommand must be an Object")
            for key in ("command", "description"):
                if not isinstance(command.get(key), str):
                    raise bad_request(f"can't parse BotCommand: Can't find field \"{key}\"")
            if not _BOT_COMMAND_NAME.fullmatch(command["command"]):
                raise bad_request("BOT_COMMAND_INVALID")
            description = command["description"].strip()
            if not description:
                raise bad_request("command description must be non-empty")
            if len(description) > MAX_COMMAND_DESCRIPTION_LENGTH:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command["command"], "description": description})
        key = self._command_key(params)
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    def _get_my_commands(self, request: _Request) -> list[JSONDict]:
        return copy.deepcopy(self._commands.get(self._command_key(request.params), []))

    def _delete_my_commands(self, request: _Request) -> bool:
        self._commands.pop(self._command_key(request.params), None)
        return True

    def _send_message(self, request: _Request) -> JSONDict:
        params = request.params
        chat = self._target_chat(params)
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = check_reply_markup(params.get("reply_markup"))
        return self._send_bot_message(chat, _text_fields(text, entities), params, markup)

    def _edit_message_text(self, request: _Request) -> JSONDict | bool:
        params = request.params
        stored = self._edit_target(params)
        if "text" not in stored.message:
            raise bad_request("there is no text in the message to edit")
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = check_reply_markup(params.get("reply_markup"), inline_only=True)
        content = _text_fields(text, entities)
        return self._apply_edit(stored, content, ("text", "entities"), markup)

    def _edit_message_reply_markup(self, request: _Request) -> JSONDict | bool:
        params = request.params
        stored = self._edit_target(params)
        markup = check_reply_markup(params.get("reply_markup"), inline_only=True)
        return self._apply_edit(stored, {}, (), markup)

    def _delete_message(self, request: _Request) -> bool:
        params = request.params
        chat = self._target_chat(params)
        stored = self._lookup(chat["id"], _int_param(params, "message_id"))
        if stored is None:
            raise bad_request("message to delete not found")
        stored.deleted = True
        return True

    def _open_query_id(self, params: JSONDict, name: str, kind: str) -> str:
        """The query id in ``params`` if that query may still be answered."""
        query_id = _str_param(params, name)
        if query_id is None or self._open_queries.get(query_id) != kind:
            raise bad_request(QUERY_TOO_OLD)
        return query_id

    def _answer_callback_query(self, request: _Request) -> bool:
        params = request.params
        query_id = self._open_query_id(params, "callback_query_id", "callback")
        if len(_str_param(params, "text") or "") > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        del self._open_queries[query_id]
        return True

    def _answer_inline_query(self, request: _Request) -> bool:
        params = request.params
        query_id = self._open_query_id(params, "inline_query_id", "inline")
        results = params.get("results")
        if not isinstance(results, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        if len((_str_param(params, "next_offset") or "").encode("utf-8")) > MAX_NEXT_OFFSET_BYTES:
            raise bad_request("NEXT_OFFSET_INVALID")
        contents: dict[str, JSONDict] = {}
        for result in results:
            result_id, content = self._check_inline_result(result)
            if result_id in contents:
                raise bad_request("RESULT_ID_DUPLICATE")
            contents[result_id] = content
        del self._open_queries[query_id]
        self._inline_results.update(contents)
        return True

    @staticmethod
    def _check_inline_result(result: object) -> tuple[str, JSONDict]:
        """Validate one InlineQueryResult; return its id and the message it would send."""
        prefix = "can't parse inline query result: "
        if not isinstance(result, dict):
            raise bad_request(prefix + "InlineQueryResult must be an Object")
        for key in ("type", "id"):
            if not isinstance(result.get(key), str):
                raise bad_request(prefix + f'Can\'t find field "{key}"')
        if result["type"] not in INLINE_RESULT_TYPES:
            raise bad_request(prefix + f'Unsupported result type "{result["type"]}"')
        if not 1 <= len(result["id"].encode("utf-8")) <= MAX_INLINE_RESULT_ID_BYTES:
            raise bad_request("RESULT_ID_INVALID")
        if result["type"] == "article":
            for key in ("title", "input_message_content"):
                if key not in result:
                    raise bad_request(prefix + f'Can\'t find field "{key}"')
            if not isinstance(result["title"], str):
                raise bad_request(prefix + 'Field "title" must be of type String')
        content: JSONDict = {}
        message_content = result.get("input_message_content")
        if message_content is not None:
            if not isinstance(message_content, dict):
                raise bad_request(prefix + "InputMessageContent must be an Object")
            if "message_text" in message_content:
                text, entities = format_text(
                    message_content["message_text"],
                    message_content.get("parse_mode"),
                    message_content.get("entities"),
                )
                content = _text_fields(text, entities)
        markup = check_reply_markup(result.get("reply_markup"), inline_only=True)
        if markup is not None:
            content["reply_markup"] = markup
        return result["id"], content

    def _send_document(self, request: _Request) -> JSONDict:
        params = request.params
        chat = self._target_chat(params)
        caption, entities = format_text(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            limit=MAX_CAPTION_LENGTH,
            caption=True,
        )
        markup = check_reply_markup(params.get("reply_markup"))
        document = params.get("document")
        upload = request.files.get("document")
        if isinstance(document, str) and document.startswith("attach://"):
            upload = request.files.get(document.removeprefix("attach://"))
        if upload is not None:
            if not upload.content:
                raise bad_request("file must be non-empty")
            stored = self._register_file(upload.content, upload.filename, upload.content_type)
        elif isinstance(document, str) and document in self._files:
            stored = self._files[document]
        elif document is None:
            raise bad_request("there is no document in the request")
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        content = {"document": stored.document(), **_text_fields(caption, entities, caption=True)}
        return self._send_bot_message(chat, content, params, markup)

    def _get_file(self, request: _Request) -> JSONDict:
        stored = self._files.get(_str_param(request.params, "file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # ---- test side: making incoming updates -------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        username: str | None = None,
        is_bot: bool = False,
        **extra: Any,
    ) -> JSONDict:
        """A Telegram User dict (extra fields such as language_code pass through)."""
        user: JSONDict = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        if username:
            user["username"] = username
        user.update(extra)
        with self._cond:
            self._users[user_id] = user
        return dict(user)

    def private_chat(self, user: JSONDict) -> JSONDict:
        """The private chat with ``user``, registered so the bot may write to it."""
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        chat.update({key: user[key] for key in ("last_name", "username") if key in user})
        with self._cond:
            self._users.setdefault(user["id"], dict(user))
            return self._register_chat(chat)

    def group_chat(
        self,
        chat_id: int,
        chat_type: str = "supergroup",
        title: str = "Test group",
        username: str | None = None,
    ) -> JSONDict:
        """A group, supergroup or channel chat dict, registered as one the bot is in."""
        chat: JSONDict = {"id": chat_id, "type": chat_type, "title": title}
        if username:
            chat["username"] = username
        with self._cond:
            return self._register_chat(chat)

    def block_user(self, user_id: int, blocked: bool = True) -> None:
        """Simulate the user blocking (or unblocking) the bot: sends then get 403."""
        with self._cond:
            (self._blocked.add if blocked else self._blocked.discard)(user_id)

    def private_message(self, user: JSONDict, text: str, reply_to: JSONDict | None = None, **extra: Any) -> JSONDict:
        """Queue a private text message from ``user``; entities are added like Telegram."""
        with self._cond:
            chat = self.private_chat(user)
            message = self._incoming(chat, user, _incoming_text(text), reply_to, extra)
            return self._queue({"message": message})

    def group_message(
        self,
        chat_id: int,
        user: JSONDict,
        text: str,
        reply_to: JSONDict | None = None,
        chat_type: str = "supergroup",
        title: str = "Test group",
        **extra: Any,
    ) -> JSONDict:
        """Queue a group text message; ``reply_to`` is a message dict (e.g. the bot's)."""
        with self._cond:
            chat = self.group_chat(chat_id, chat_type, title)
            message = self._incoming(chat, user, _incoming_text(text), reply_to, extra)
            return self._queue({"message": message})

    def edited_message(self, message: JSONDict, text: str, **extra: Any) -> JSONDict:
        """Queue an edit of a message a test user sent earlier."""
        with self._cond:
            stored = self._stored_or_fail(message)
            if stored.from_bot:
                raise ValueError("users can only edit their own messages, not the bot's")
            edited = {key: value for key, value in stored.message.items() if key not in ("text", "entities", "edit_date")}
            edited.update(_incoming_text(text), edit_date=_now(), **extra)
            stored.history.append(stored.message)
            stored.message = edited
            return self._queue({"edited_message": copy.deepcopy(edited)})

    def document_message(
        self,
        chat: JSONDict,
        user: JSONDict,
        file_name: str,
        content: bytes,
        mime_type: str = "text/plain",
        caption: str | None = None,
    ) -> JSONDict:
        """Queue a document message; the file becomes available to getFile and download."""
        with self._cond:
            stored = self._register_file(content, file_name, mime_type)
            fields: JSONDict = {"document": stored.document()}
            if caption is not None:
                fields.update(_incoming_text(caption, caption=True))
            message = self._incoming(self._register_chat(chat), user, fields, None, {})
            return self._queue({"message": message})

    def callback_query(self, user: JSONDict, message: JSONDict, data: str, check_button: bool = True) -> JSONDict:
        """Queue a button press on a message the bot sent (its current version is used).

        With ``check_button`` the message must really carry a button with this
        callback_data, as only such presses can happen in Telegram.
        """
        with self._cond:
            stored = self._stored_or_fail(message)
            current = stored.message
            buttons = _callback_data_of(current.get("reply_markup"))
            if check_button and data not in buttons:
                raise ValueError(
                    f"message {current['message_id']} has no button with callback_data {data!r}; its buttons carry {buttons}"
                )
            query_id = self._open_query("callback")
            payload = {
                "id": query_id,
                "from": user,
                "message": copy.deepcopy(current),
                "chat_instance": f"ci{current['chat']['id']}",
                "data": data,
            }
            return self._queue({"callback_query": payload})

    def inline_query(self, user: JSONDict, query: str, offset: str = "", chat_type: str | None = None) -> JSONDict:
        """Queue an inline query; its id can be answered once with answerInlineQuery."""
        with self._cond:
            payload: JSONDict = {
                "id": self._open_query("inline"),
                "from": user,
                "query": query,
                "offset": offset,
            }
            if chat_type is not None:
                payload["chat_type"] = chat_type
            return self._queue({"inline_query": payload})

    def chosen_inline_result(
        self,
        user: JSONDict,
        result_id: str,
        query: str = "",
        inline_message_id: str | None = None,
    ) -> JSONDict:
        """Queue the user's pick of an inline result.

        With ``inline_message_id`` the sent message exists (holding the content the bot
        answered for ``result_id``), so the bot may edit it by that id.
        """
        with self._cond:
            payload: JSONDict = {"result_id": result_id, "from": user, "query": query}
            if inline_message_id is not None:
                payload["inline_message_id"] = inline_message_id
                message = {
                    "inline_message_id": inline_message_id,
                    **copy.deepcopy(self._inline_results.get(result_id, {})),
                }
                self._inline_messages[inline_message_id] = _StoredMessage(message, True)
            return self._queue({"chosen_inline_result": payload})

    def queue_update(self, update: JSONDict) -> JSONDict:
        """Queue any raw update; a given update_id is replaced by the next one.

        Messages inside (message, channel_post, ...) are remembered, so the bot can reply
        to them and message ids keep increasing.
        """
        with self._cond:
            update = copy.deepcopy(update)
            update.pop("update_id", None)
            for key in MESSAGE_UPDATE_FIELDS:
                message = update.get(key)
                if isinstance(message, dict) and "chat" in message and "message_id" in message:
                    self._register_chat(message["chat"])
                    self._store(message, from_bot=False)
            return self._queue(update)

    def _incoming(
        self,
        chat: JSONDict,
        user: JSONDict,
        content: JSONDict,
        reply_to: JSONDict | None,
        extra: JSONDict,
    ) -> JSONDict:
        self._users.setdefault(user["id"], dict(user))
        message: JSONDict = {
            "message_id": self._next_message_id(chat["id"]),
            "from": user,
            "chat": chat,
            "date": _now(),
            **content,
        }
        if reply_to is not None:
            if reply_to["chat"]["id"] != chat["id"]:
                raise ValueError("reply_to must be a message of the same chat")
            message["reply_to_message"] = self._as_reply(self._stored_or_fail(reply_to).message)
        message.update(extra)
        self._store(message, from_bot=False)
        return message

    def _open_query(self, kind: str) -> str:
        query_id = str(4_000_000_000_000 + self._next_query_id)
        self._next_query_id += 1
        self._open_queries[query_id] = kind
        return query_id

    def _queue(self, update: JSONDict) -> JSONDict:
        update = {"update_id": self._next_update_id, **copy.deepcopy(update)}
        self._next_update_id += 1
        self._updates.append(update)
        self._cond.notify_all()
        return copy.deepcopy(update)

    # ---- observation -------------------------------------------------------------------

    @property
    def calls(self) -> list[CallRecord]:
        """Every request received, oldest first."""
        with self._cond:
            return list(self._calls)

    @property
    def rejected(self) -> list[CallRecord]:
        """Calls answered with an error the test did not inject.

        That is what real Telegram would refuse (4xx) plus emulator crashes (500); tests
        of a correct bot assert it is empty. Long polls abandoned by their client are not
        errors and are not listed.
        """
        return [c for c in self.calls if not c.ok and c.injected is None and c.status != 0]

    @property
    def pending_updates(self) -> int:
        """How many queued updates the bot has not yet confirmed (by a later offset)."""
        with self._cond:
            return len(self._updates)

    def bot_messages(self, chat_id: int | None = None) -> list[JSONDict]:
        """Messages the bot sent and did not delete, in sending order, as they are now."""
        with self._cond:
            return [
                copy.deepcopy(stored.message)
                for stored in self._bot_sent
                if not stored.deleted and (chat_id is None or stored.message["chat"]["id"] == chat_id)
            ]

    def message_history(self, chat_id: int, message_id: int) -> list[JSONDict]:
        """All versions of a message, oldest first, the current one last."""
        with self._cond:
            stored = self._messages.get(chat_id, {}).get(message_id)
            if stored is None:
                raise KeyError(f"no message {message_id} in chat {chat_id}")
            return copy.deepcopy([*stored.history, stored.message])

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The command list the bot set for this scope and language."""
        with self._cond:
            key = self._command_key({"scope": scope, "language_code": language_code})
            return copy.deepcopy(self._commands.get(key, []))

    def file_content(self, file_id: str) -> bytes:
        """The bytes behind a file id (uploaded by the bot or registered by the test)."""
        with self._cond:
            return self._files[file_id].content

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0, description: str = "") -> T:
        """Poll ``predicate`` (under the emulator's lock) until it returns something truthy.

        Async on purpose: the bot runs in the same event loop, so waiting must yield to it.
        On timeout, raise TimeoutError listing the recent calls.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                raise TimeoutError(self._timeout_report(description or "the predicate to hold", timeout))
            await asyncio.sleep(0.01)

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[CallRecord], bool] | None = None,
        timeout: float = 10.0,
    ) -> CallRecord:
        """Wait for the first recorded call of ``method`` (any case) matching ``predicate``."""
        wanted = method.lower()

        def matching_call() -> CallRecord | None:
            return next(
                (call for call in self._calls if call.method.lower() == wanted and (predicate is None or predicate(call))),
                None,
            )

        return await self.wait_for(matching_call, timeout, f"a call of {method}")

    def _timeout_report(self, what: str, timeout: float, shown: int = 20) -> str:
        with self._cond:
            recent, total, queued = self._calls[-shown:], len(self._calls), len(self._updates)
        lines = [
            f"timed out after {timeout:g}s waiting for {what}",
            f"{queued} update(s) queued and not yet confirmed by the bot",
            f"last {len(recent)} of {total} call(s):",
        ]
        lines.extend(_indent(call.summary() for call in recent) or ["  (no calls at all)"])
        return "\n".join(lines)


def _indent(lines: Iterable[str]) -> list[str]:
    return [f"  {line}" for line in lines]
