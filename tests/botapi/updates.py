"""The test side: users and chats, and the updates they send the bot.

Updates are queued for getUpdates; messages are stored, so the bot can reply to them and
edit its own, and message ids keep increasing per chat like Telegram's.
"""

from __future__ import annotations

import copy
from typing import Any

from .models import StoredMessage, now
from .store import BotState
from .validate import callback_data_of, incoming_text

JSONDict = dict[str, Any]

# Update fields that carry a Message, so ``queue_update`` can remember the message.
MESSAGE_UPDATE_FIELDS = ("message", "edited_message", "channel_post", "edited_channel_post")


class UpdateControls(BotState):
    """Make incoming updates: messages, edits, documents, button presses, inline queries."""

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

    def migrate_group(self, chat_id: int, new_chat_id: int, user: JSONDict, title: str = "Test group") -> JSONDict:
        """``user`` upgrades a basic group to a supergroup, as Telegram does it: the new chat
        exists, two service messages are queued (``migrate_to_chat_id`` in the old chat,
        ``migrate_from_chat_id`` in the new one), and from then on a send to the old id fails with
        400 and ``parameters.migrate_to_chat_id``. Returns the new chat."""
        with self._cond:
            old = self.group_chat(chat_id, "group", title)
            new = self.group_chat(new_chat_id, "supergroup", title)
            self._migrated[chat_id] = new_chat_id
            self._chat_roles.setdefault(new_chat_id, dict(self._chat_roles.get(chat_id, {})))
            self._queue({"message": self._incoming(old, user, {"migrate_to_chat_id": new_chat_id}, None, {})})
            self._queue({"message": self._incoming(new, user, {"migrate_from_chat_id": chat_id}, None, {})})
            return dict(new)

    def block_user(self, user_id: int, blocked: bool = True) -> None:
        """Simulate the user blocking (or unblocking) the bot: sends then get 403."""
        with self._cond:
            (self._blocked.add if blocked else self._blocked.discard)(user_id)

    def set_chat_admins(self, chat_id: int, admins: list[int], creator: int | None = None) -> None:
        """Who administers a group (getChatMember answers "administrator", "creator" or "member")."""
        with self._cond:
            roles = {user_id: "administrator" for user_id in admins}
            if creator is not None:
                roles[creator] = "creator"
            self._chat_roles[chat_id] = roles

    def private_message(self, user: JSONDict, text: str, reply_to: JSONDict | None = None, **extra: Any) -> JSONDict:
        """Queue a private text message from ``user``; entities are added like Telegram."""
        with self._cond:
            chat = self.private_chat(user)
            message = self._incoming(chat, user, incoming_text(text), reply_to, extra)
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
            message = self._incoming(chat, user, incoming_text(text), reply_to, extra)
            return self._queue({"message": message})

    def edited_message(self, message: JSONDict, text: str, **extra: Any) -> JSONDict:
        """Queue an edit of a message a test user sent earlier."""
        with self._cond:
            stored = self._stored_or_fail(message)
            if stored.from_bot:
                raise ValueError("users can only edit their own messages, not the bot's")
            edited = {key: value for key, value in stored.message.items() if key not in ("text", "entities", "edit_date")}
            edited.update(incoming_text(text), edit_date=now(), **extra)
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
                fields.update(incoming_text(caption, caption=True))
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
            buttons = callback_data_of(current.get("reply_markup"))
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
                self._inline_messages[inline_message_id] = StoredMessage(message, True)
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
            "date": now(),
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
