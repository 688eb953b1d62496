"""When a message is meant for the bot, and what the question is — plain functions, plainly tested.

In a private chat everything is a question. In a group the bot answers only when asked: `/ask`,
a mention of its @username, or a reply to one of its messages; it never speaks unasked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_QUESTION = 300  # characters of a question kept; longer text is no question a paper answers


def clean_question(text: str | None) -> str:
    """Whitespace folded, length capped; what is left may be empty."""
    if not text:
        return ""
    text = re.sub(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b", " ", text)  # @usernames are not the question
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUESTION]


def strip_mention(text: str, bot_username: str) -> str:
    """The message without the bot's @username in it."""
    return re.sub(rf"@{re.escape(bot_username)}\b", " ", text, flags=re.IGNORECASE)


def group_question(
    text: str | None,
    *,
    bot_username: str,
    mentions: Iterable[str] = (),
    text_mention_ids: Iterable[int] = (),
    bot_id: int | None = None,
    reply_to_bot: bool = False,
) -> str | None:
    """The question of a group message addressed to the bot, or None when it is not addressed.

    `mentions` are the texts of the message's mention entities ("@name"), `text_mention_ids` the
    user ids of its text_mention entities.
    """
    if text is None:
        return None
    named = any(m.lstrip("@").lower() == bot_username.lower() for m in mentions)
    named = named or (bot_id is not None and bot_id in set(text_mention_ids))
    if not (named or reply_to_bot):
        return None
    return clean_question(strip_mention(text, bot_username))


def command_question(args: Iterable[str]) -> str:
    """The question after `/ask` (PTB has already removed the command and `@BotName`)."""
    return clean_question(" ".join(args))
