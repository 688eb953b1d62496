"""Telegram's checks on what a bot sends, with Telegram's limits and wording.

Text after its parse mode (HTML is parsed like tdlib does; Markdown and MarkdownV2 are
accepted but not validated), lengths in UTF-16 code units, inline keyboards (callback data
at most 64 UTF-8 bytes), inline query results, bot commands and their scopes, and the
types of plain parameters. Every check raises ``APIError`` with Telegram's description.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .parse_mode import HTMLParseError, parse_html, utf16_len

JSONDict = dict[str, Any]

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

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)

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

_COMMAND_PATTERN = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?!\w)")
_MENTION_PATTERN = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{5,32}(?!\w)")
_BOT_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_INTEGER = re.compile(r"-?\d+")


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


def text_fields(text: str, entities: list[JSONDict], *, caption: bool = False) -> JSONDict:
    """The Message fields for a text (or caption) and its entities."""
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


def callback_data_of(markup: JSONDict | None) -> list[str]:
    """The callback_data of every button of an inline keyboard."""
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


def incoming_text(text: str, *, caption: bool = False) -> JSONDict:
    """The Message fields of a text a user sends, with the entities Telegram adds."""
    return text_fields(text, _auto_entities(text), caption=caption)


def int_param(params: JSONDict, name: str) -> int | None:
    """An Integer parameter, None when absent."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    raise bad_request(f'parameter "{name}" must be an Integer')


def number_param(params: JSONDict, name: str, default: float) -> float:
    """A Number parameter, ``default`` when absent."""
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise bad_request(f'parameter "{name}" must be a Number')


def str_param(params: JSONDict, name: str) -> str | None:
    """A String parameter (numbers are accepted as their text), None when absent."""
    value = params.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise bad_request(f'parameter "{name}" must be a String')


def flag(params: JSONDict, name: str) -> bool:
    """A Boolean parameter, False when absent."""
    return params.get(name) in (True, 1, "true", "True", "1")


def check_inline_result(result: object) -> tuple[str, JSONDict]:
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
            content = text_fields(text, entities)
    markup = check_reply_markup(result.get("reply_markup"), inline_only=True)
    if markup is not None:
        content["reply_markup"] = markup
    return result["id"], content


def command_key(params: JSONDict) -> tuple[str, str]:
    """The (scope, language) a command list is stored under; refuse malformed scopes."""
    scope = params.get("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    if scope["type"].startswith("chat") and "chat_id" not in scope:
        raise bad_request("can't parse BotCommandScope: Can't find field \"chat_id\"")
    if scope["type"] == "chat_member" and "user_id" not in scope:
        raise bad_request("can't parse BotCommandScope: Can't find field \"user_id\"")
    language_code = str_param(params, "language_code") or ""
    return json.dumps(scope, sort_keys=True), language_code


def check_bot_commands(params: JSONDict) -> list[JSONDict]:
    """Validate setMyCommands' list; return it as stored (descriptions trimmed)."""
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
    return cleaned
