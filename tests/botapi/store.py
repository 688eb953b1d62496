"""The emulator's state: one bot's view of Telegram (users, chats, messages, files, queued
updates, open queries, command lists) behind one condition variable, and the helpers that
Bot API methods and test-side controls share to read and change it."""

from __future__ import annotations

import copy
import threading
from typing import Any

from .models import CallRecord, StoredFile, StoredMessage, now
from .validate import NOT_MODIFIED, APIError, bad_request, flag, int_param, str_param

JSONDict = dict[str, Any]


class BotState:
    """All state; every method here expects the caller to hold ``self._cond``.

    HTTP requests run in server threads while tests and the bot run in the test's thread
    and event loop, so everything is read and changed under the one condition variable.
    """

    def __init__(self, token: str, bot_id: int | None, bot_username: str, bot_first_name: str) -> None:
        prefix = token.split(":", 1)[0]
        self.token = token
        self.bot_id = bot_id if bot_id is not None else int(prefix) if prefix.isdigit() else 1
        self.bot_user: JSONDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._stopping = threading.Event()
        self._cond = threading.Condition()
        self._calls: list[CallRecord] = []

        self._updates: list[JSONDict] = []
        self._next_update_id = 1000
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._webhook_url = ""

        self._users: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}  # a basic group's id -> the supergroup it became
        self._chat_roles: dict[int, dict[int, str]] = {}  # group id -> user id -> "creator" | "administrator"
        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[int, dict[int, StoredMessage]] = {}
        self._last_message_id: dict[int, int] = {}
        self._bot_sent: list[StoredMessage] = []
        self._inline_messages: dict[str, StoredMessage] = {}
        self._inline_results: dict[str, JSONDict] = {}
        self._open_queries: dict[str, str] = {}  # query id -> "callback" | "inline"
        self._next_query_id = 1
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}

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
        if isinstance(raw, int) and raw in self._migrated:
            raise APIError(
                400, "Bad Request: group chat was upgraded to a supergroup chat", {"migrate_to_chat_id": self._migrated[raw]}
            )
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

    def _store(self, message: JSONDict, *, from_bot: bool) -> StoredMessage:
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        stored = StoredMessage(copy.deepcopy(message), from_bot)
        self._messages.setdefault(chat_id, {})[message_id] = stored
        if message_id > self._last_message_id.get(chat_id, 0):
            self._last_message_id[chat_id] = message_id
        return stored

    def _lookup(self, chat_id: int, message_id: int | None) -> StoredMessage | None:
        stored = self._messages.get(chat_id, {}).get(message_id) if message_id else None
        return None if stored is None or stored.deleted else stored

    def _stored_or_fail(self, message: JSONDict) -> StoredMessage:
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
            if not isinstance(reply, dict) or int_param(reply, "message_id") is None:
                raise bad_request("can't parse reply parameters JSON object")
            message_id = int_param(reply, "message_id")
            allow_missing = flag(reply, "allow_sending_without_reply")
            if reply.get("chat_id") not in (None, chat["id"]):
                chat = self._target_chat({"chat_id": reply["chat_id"]})
        else:
            message_id = int_param(params, "reply_to_message_id")
            allow_missing = flag(params, "allow_sending_without_reply")
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
            "date": now(),
            **content,
        }
        thread_id = int_param(params, "message_thread_id")
        if thread_id is not None:
            message["message_thread_id"] = thread_id
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if markup is not None:
            message["reply_markup"] = markup
        self._bot_sent.append(self._store(message, from_bot=True))
        return copy.deepcopy(message)

    def _edit_target(self, params: JSONDict) -> StoredMessage:
        inline_message_id = str_param(params, "inline_message_id")
        if inline_message_id:
            stored = self._inline_messages.get(inline_message_id)
            if stored is None:
                raise bad_request("MESSAGE_ID_INVALID")
            return stored
        chat = self._target_chat(params)
        message_id = int_param(params, "message_id")
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
        stored: StoredMessage,
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
        edited["edit_date"] = now()
        stored.history.append(current)
        stored.message = edited
        return True if "inline_message_id" in edited else copy.deepcopy(edited)

    def _register_file(self, content: bytes, file_name: str, mime_type: str, folder: str = "documents") -> StoredFile:
        number = len(self._files) + 1
        suffix = "." + file_name.rsplit(".", 1)[1] if "." in file_name else ""
        stored = StoredFile(
            file_id=f"BQACAgEmu{number:06d}-{self.bot_id}",
            file_unique_id=f"AgADEmu{number:06d}",
            file_path=f"{folder}/file_{number}{suffix}",
            file_name=file_name,
            mime_type=mime_type,
            content=bytes(content),
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored
