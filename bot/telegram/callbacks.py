"""The one owner of callback data: what the buttons carry, how it is read back, what routes it.

On the wire (keep it: buttons already sent must keep working across a restart or an upgrade):

    n:<key>:<position>   下一条 — show the answer's passage at <position> (0–99)
    f:<key>:<position>   全文 — send the whole article of that passage
    l:<page>             ◀/▶ — show that page of /list (0–999999)

<key> is an AnswerCache key (button state lives there, not here); all far below Telegram's 64 bytes.
Anything else — forged, truncated, from an old version — parses as nothing and reads as stale.
"""

from __future__ import annotations

import re
from typing import Literal, TypeAlias

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from .. import messages as msg
from ..decide import Answer

AnswerButton: TypeAlias = Literal["n", "f"]
NEXT: AnswerButton = "n"
FULL: AnswerButton = "f"
_LIST = "l"

ANSWER_BUTTON_PATTERN = r"^[nf]:"  # for the CallbackQueryHandler of 下一条 / 全文
LIST_PAGE_PATTERN = r"^l:"  # for the CallbackQueryHandler of /list's pages


def answer_buttons(key: str, position: int, answer: Answer) -> InlineKeyboardMarkup | None:
    """下一条 / 全文 under an answer that shows the passage at `position`."""
    if not answer.results:
        return None
    row = []
    if position + 1 < len(answer.results):
        row.append(InlineKeyboardButton(msg.BUTTON_NEXT, callback_data=f"{NEXT}:{key}:{position + 1}"))
    row.append(InlineKeyboardButton(msg.BUTTON_FULL, callback_data=f"{FULL}:{key}:{position}"))
    return InlineKeyboardMarkup([row])


def parse_callback(data: str | None) -> tuple[AnswerButton | None, str, int]:
    """(NEXT or FULL, key, position) from an answer button's data; (None, "", 0) for anything forged."""
    parts = (data or "").split(":")
    if len(parts) == 3 and re.fullmatch(r"[0-9]{1,2}", parts[2]):
        if parts[0] == NEXT:
            return NEXT, parts[1], int(parts[2])
        if parts[0] == FULL:
            return FULL, parts[1], int(parts[2])
    return None, "", 0


def page_buttons(page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀ / ▶ under a page of /list; none when there is only one page."""
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(msg.BUTTON_PREV_PAGE, callback_data=f"{_LIST}:{page - 1}"))
    if page + 1 < pages:
        row.append(InlineKeyboardButton(msg.BUTTON_NEXT_PAGE, callback_data=f"{_LIST}:{page + 1}"))
    return InlineKeyboardMarkup([row]) if row else None


def parse_list_page(data: str | None) -> int | None:
    """The page a /list button asks for; None for anything forged."""
    wanted = (data or "").removeprefix(f"{_LIST}:")
    return int(wanted) if re.fullmatch(r"[0-9]{1,6}", wanted) else None
