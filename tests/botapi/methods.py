"""The Bot API methods the bot and its tests use, with Telegram-shaped results.

Each method takes the decoded ``Request`` and runs with the emulator's lock held; it returns
the ``result`` of a successful answer or raises ``APIError``. Subclasses may override one
(tests/test_deploy.py slows ``_send_message`` down), as the method table is built from the
bound methods.
"""

from __future__ import annotations

import copy
import struct
import time
from collections.abc import Callable
from typing import Any

from .models import Request, StoredFile, UploadedFile
from .store import BotState
from .validate import (
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_CAPTION_LENGTH,
    MAX_INLINE_RESULTS,
    MAX_NEXT_OFFSET_BYTES,
    QUERY_TOO_OLD,
    APIError,
    bad_request,
    check_bot_commands,
    check_inline_result,
    check_reply_markup,
    command_key,
    flag,
    format_text,
    int_param,
    number_param,
    str_param,
    text_fields,
)

JSONDict = dict[str, Any]

MAX_LONG_POLL_SECONDS = 50
LONG_POLL_CHECK_SECONDS = 0.05
CONFLICT_GRACE_SECONDS = 0.25

MAX_PHOTO_SIDES = 10000  # width + height, as Telegram's sendPhoto documents
MAX_PHOTO_RATIO = 20

OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class ClientGone(Exception):
    """The client closed the connection while its long poll was waiting."""


class BotAPIMethods(BotState):
    """The HTTP side's Bot API methods, on top of the emulator's state."""

    def bot_api_methods(self) -> dict[str, Callable[[Request], Any]]:
        """Bot API method name -> its implementation; any other method gets 404 Not Found."""
        return {
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
            "sendPhoto": self._send_photo,
            "getFile": self._get_file,
            "getChatMember": self._get_chat_member,
        }

    def _get_me(self, request: Request) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, request: Request) -> bool:
        self._webhook_url = ""
        if flag(request.params, "drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, request: Request) -> bool:
        params = request.params
        url = str_param(params, "url") or ""
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self._set_allowed_updates(params.get("allowed_updates"))
        if flag(params, "drop_pending_updates"):
            self._updates.clear()
        self._webhook_url = url
        return True

    def _get_webhook_info(self, request: Request) -> JSONDict:
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

    def _get_updates(self, request: Request) -> list[JSONDict]:
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
        offset = int_param(params, "offset")
        limit = min(max(int_param(params, "limit") or 100, 1), 100)
        timeout = min(max(number_param(params, "timeout", 0.0), 0.0), MAX_LONG_POLL_SECONDS)
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
                raise ClientGone
            if generation != self._poll_generation:
                if self._client_leaves(request):
                    raise ClientGone
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

    def _client_leaves(self, request: Request) -> bool:
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

    def _set_my_commands(self, request: Request) -> bool:
        commands = check_bot_commands(request.params)
        key = command_key(request.params)
        if commands:
            self._commands[key] = commands
        else:
            self._commands.pop(key, None)
        return True

    def _get_my_commands(self, request: Request) -> list[JSONDict]:
        return copy.deepcopy(self._commands.get(command_key(request.params), []))

    def _delete_my_commands(self, request: Request) -> bool:
        self._commands.pop(command_key(request.params), None)
        return True

    def _send_message(self, request: Request) -> JSONDict:
        params = request.params
        chat = self._target_chat(params)
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = check_reply_markup(params.get("reply_markup"))
        return self._send_bot_message(chat, text_fields(text, entities), params, markup)

    def _edit_message_text(self, request: Request) -> JSONDict | bool:
        params = request.params
        stored = self._edit_target(params)
        if "text" not in stored.message:
            raise bad_request("there is no text in the message to edit")
        text, entities = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = check_reply_markup(params.get("reply_markup"), inline_only=True)
        content = text_fields(text, entities)
        return self._apply_edit(stored, content, ("text", "entities"), markup)

    def _edit_message_reply_markup(self, request: Request) -> JSONDict | bool:
        params = request.params
        stored = self._edit_target(params)
        markup = check_reply_markup(params.get("reply_markup"), inline_only=True)
        return self._apply_edit(stored, {}, (), markup)

    def _delete_message(self, request: Request) -> bool:
        params = request.params
        chat = self._target_chat(params)
        stored = self._lookup(chat["id"], int_param(params, "message_id"))
        if stored is None:
            raise bad_request("message to delete not found")
        stored.deleted = True
        return True

    def _open_query_id(self, params: JSONDict, name: str, kind: str) -> str:
        """The query id in ``params`` if that query may still be answered."""
        query_id = str_param(params, name)
        if query_id is None or self._open_queries.get(query_id) != kind:
            raise bad_request(QUERY_TOO_OLD)
        return query_id

    def _answer_callback_query(self, request: Request) -> bool:
        params = request.params
        query_id = self._open_query_id(params, "callback_query_id", "callback")
        if len(str_param(params, "text") or "") > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        del self._open_queries[query_id]
        return True

    def _answer_inline_query(self, request: Request) -> bool:
        params = request.params
        query_id = self._open_query_id(params, "inline_query_id", "inline")
        results = params.get("results")
        if not isinstance(results, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        if len((str_param(params, "next_offset") or "").encode("utf-8")) > MAX_NEXT_OFFSET_BYTES:
            raise bad_request("NEXT_OFFSET_INVALID")
        contents: dict[str, JSONDict] = {}
        for result in results:
            result_id, content = check_inline_result(result)
            if result_id in contents:
                raise bad_request("RESULT_ID_DUPLICATE")
            contents[result_id] = content
        del self._open_queries[query_id]
        self._inline_results.update(contents)
        return True

    def _send_document(self, request: Request) -> JSONDict:
        params = request.params
        chat = self._target_chat(params)
        caption = self._caption(params)
        markup = check_reply_markup(params.get("reply_markup"))
        upload = self._upload(request, "document")
        if upload is not None:
            stored = self._register_file(upload.content, upload.filename, upload.content_type)
        else:
            stored = self._known_file(params.get("document"), "there is no document in the request")
        content = {"document": stored.document(), **caption}
        return self._send_bot_message(chat, content, params, markup)

    def _send_photo(self, request: Request) -> JSONDict:
        """A photo uploaded (multipart) or sent again by file id. Telegram recompresses photos and
        returns several sizes; this keeps the bytes as sent (so a test can check them) and returns
        one PhotoSize of the image's own dimensions. What is not a PNG, JPEG, GIF or WebP image is
        refused as Telegram refuses it."""
        params = request.params
        chat = self._target_chat(params)
        caption = self._caption(params)
        markup = check_reply_markup(params.get("reply_markup"))
        upload = self._upload(request, "photo")
        if upload is not None:
            width, height = image_size(upload.content)
            if width + height > MAX_PHOTO_SIDES or max(width, height) > MAX_PHOTO_RATIO * max(min(width, height), 1):
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            stored = self._register_file(upload.content, upload.filename, "image/" + image_kind(upload.content), "photos")
        else:
            stored = self._known_file(params.get("photo"), "there is no photo in the request")
            width, height = image_size(stored.content)
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "width": width,
            "height": height,
        }
        return self._send_bot_message(chat, {"photo": [size], **caption}, params, markup)

    def _caption(self, params: JSONDict) -> JSONDict:
        caption, entities = format_text(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            limit=MAX_CAPTION_LENGTH,
            caption=True,
        )
        return text_fields(caption, entities, caption=True)

    @staticmethod
    def _upload(request: Request, field: str) -> UploadedFile | None:
        """The file part a multipart request sent for ``field`` (directly or as attach://name)."""
        value = request.params.get(field)
        upload = request.files.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = request.files.get(value.removeprefix("attach://"))
        if upload is not None and not upload.content:
            raise bad_request("file must be non-empty")
        return upload

    def _known_file(self, value: object, missing: str) -> StoredFile:
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if value is None:
            raise bad_request(missing)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _get_file(self, request: Request) -> JSONDict:
        stored = self._files.get(str_param(request.params, "file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _get_chat_member(self, request: Request) -> JSONDict:
        """A member's status in a group: "creator", "administrator" (``set_chat_admins``) or
        "member"; users the emulator never saw are "user not found", as on Telegram."""
        params = request.params
        chat = self._target_chat(params)
        user_id = int_param(params, "user_id")
        if user_id is None:
            raise bad_request("user_id is empty")
        user = self._users.get(user_id)
        if user is None:
            raise bad_request("PARTICIPANT_ID_INVALID" if chat["type"] != "private" else "user not found")
        status = self._chat_roles.get(chat["id"], {}).get(user_id, "member")
        member: JSONDict = {"status": status, "user": copy.deepcopy(user)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            rights = [
                "can_be_edited",
                "is_anonymous",
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_promote_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
            ]
            member.update({right: right not in ("can_be_edited", "is_anonymous") for right in rights})
        return member


def image_kind(data: bytes) -> str:
    """png, jpeg, gif or webp by the file's signature; anything else is refused as Telegram does."""
    for signature, kind in ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif")):
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    raise bad_request("IMAGE_PROCESS_FAILED")


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR, a JPEG's frame header or a GIF's screen descriptor;
    (0, 0) for WebP. A truncated header is refused like an image that is not one."""
    kind = image_kind(data)
    try:
        if kind == "png":
            return struct.unpack(">II", data[16:24]) if data[12:16] == b"IHDR" else _broken()
        if kind == "gif":
            return struct.unpack("<HH", data[6:10])
        if kind == "jpeg":
            at = 2
            while at + 9 <= len(data) and data[at] == 0xFF:
                marker = data[at + 1]
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    height, width = struct.unpack(">HH", data[at + 5 : at + 9])
                    return width, height
                at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
            return _broken()
    except struct.error:
        return _broken()
    return 0, 0


def _broken() -> tuple[int, int]:
    raise bad_request("IMAGE_PROCESS_FAILED")
