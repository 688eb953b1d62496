"""The one owner of callback data: what the buttons carry, how it is read back, what routes it.

On the wire (keep it: buttons already sent must keep working across a restart or an upgrade):

    n:<key>:<position>   下一条 — show the answer's passage at <position> (0–99)
    f:<key>:<position>   全文 — send the whole article of that passage
    l:<page>             ◀/▶ — show that page of /list (0–999999)
    e:<digest>           an example question of /start, /help or a greeting — ask it; <digest> is
                         10 hex digits of the question's SHA-1, looked up among the examples of
                         the corpus serving when it is pressed

    s:<key>              订阅 under an answer — subscribe to the answered question's words (the
                         question is found in the AnswerCache under <key>)
    u:<digest>           取消 under /subscriptions — remove the chat's keyword whose
                         subscriptions.keyword_digest is <digest> (10 hex digits)
    a:<issue>:<article>  全文 under a delivered notification or digest — send that article whole;
                         <issue> is 10 hex digits of the SHA-1 of the issue's file name, <article>
                         its 0-based position (0–999): stable across reloads and restarts, since a
                         notification may be pressed days later

A headline of an issue's list ("今天的报纸有什么新闻") is an f: button: the list is an answer whose
hits are the articles' leads, so 全文 of hit <position> is that article.
<key> is an AnswerCache key (button state lives there, not here); all far below Telegram's 64 bytes.
Anything else — forged, truncated, from an old version — parses as nothing and reads as stale.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Literal, TypeAlias

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from .. import messages as msg
from ..decide import Answer
from ..subscriptions import keyword_digest

AnswerButton: TypeAlias = Literal["n", "f"]
NEXT: AnswerButton = "n"
FULL: AnswerButton = "f"
_LIST = "l"
_EXAMPLE = "e"
_SUBSCRIBE = "s"
_UNSUBSCRIBE = "u"
_ARTICLE = "a"
ARTICLE_BUTTONS = 30  # headlines of an issue with a button (the list names them all)
BUTTON_TITLE = 24  # characters of a headline on its button

ANSWER_BUTTON_PATTERN = r"^[nf]:"  # for the CallbackQueryHandler of 下一条 / 全文
LIST_PAGE_PATTERN = r"^l:"  # for the CallbackQueryHandler of /list's pages
EXAMPLE_PATTERN = r"^e:"  # for the CallbackQueryHandler of the example questions
SUBSCRIBE_PATTERN = r"^s:"  # 订阅 under an answer
UNSUBSCRIBE_PATTERN = r"^u:"  # 取消 under /subscriptions
ARTICLE_PATTERN = r"^a:"  # 全文 under a delivered notification or digest


def answer_buttons(key: str, position: int, answer: Answer, subscribe: bool = False) -> InlineKeyboardMarkup | None:
    """下一条 / 全文 under an answer that shows the passage at `position`; 订阅 too when asked."""
    if not answer.results:
        return None
    row = []
    if position + 1 < len(answer.results):
        row.append(InlineKeyboardButton(msg.BUTTON_NEXT, callback_data=f"{NEXT}:{key}:{position + 1}"))
    row.append(InlineKeyboardButton(msg.BUTTON_FULL, callback_data=f"{FULL}:{key}:{position}"))
    if subscribe:
        row.append(InlineKeyboardButton(msg.BUTTON_SUBSCRIBE, callback_data=f"{_SUBSCRIBE}:{key}"))
    return InlineKeyboardMarkup([row])


def parse_subscribe(data: str | None) -> str | None:
    """The AnswerCache key a 订阅 button carries; None for anything forged."""
    key = (data or "").removeprefix(f"{_SUBSCRIBE}:")
    return key if (data or "").startswith(f"{_SUBSCRIBE}:") and re.fullmatch(r"[A-Za-z0-9_-]{8}", key) else None


def unsubscribe_buttons(keywords: Iterable[str]) -> InlineKeyboardMarkup | None:
    """One 取消 button per keyword of /subscriptions."""
    rows = []
    for keyword in keywords:
        shown = keyword if len(keyword) <= BUTTON_TITLE else keyword[: BUTTON_TITLE - 1] + "…"
        data = f"{_UNSUBSCRIBE}:{keyword_digest(keyword)}"
        rows.append([InlineKeyboardButton(msg.BUTTON_UNSUBSCRIBE.format(keyword=shown), callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


def parse_unsubscribe(data: str | None) -> str | None:
    """The keyword digest a 取消 button carries; None for anything forged."""
    digest = (data or "").removeprefix(f"{_UNSUBSCRIBE}:")
    return digest if (data or "").startswith(f"{_UNSUBSCRIBE}:") and re.fullmatch(r"[0-9a-f]{10}", digest) else None


def issue_digest(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def delivered_buttons(answer: Answer, label: str = "", limit: int = ARTICLE_BUTTONS) -> InlineKeyboardMarkup | None:
    """One button per article of a delivered notification or digest, numbered as the message is;
    pressing it sends the article whole (`label`, e.g. 全文, goes before the number)."""
    rows = []
    for n, hit in enumerate(answer.results[: min(limit, 100)]):
        p = hit.passage
        title = p.headline if len(p.headline) <= BUTTON_TITLE else p.headline[: BUTTON_TITLE - 1] + "…"
        text = f"{label} {n + 1}. {title}".strip()
        rows.append([InlineKeyboardButton(text, callback_data=f"{_ARTICLE}:{issue_digest(p.issue)}:{p.article - 1}")])
    return InlineKeyboardMarkup(rows) if rows else None


def parse_article(data: str | None) -> tuple[str, int] | None:
    """(issue digest, 0-based article) of a delivered article's button; None for anything forged."""
    found = re.fullmatch(r"a:([0-9a-f]{10}):([0-9]{1,3})", data or "")
    return (found.group(1), int(found.group(2))) if found else None


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


def article_buttons(key: str, answer: Answer, limit: int = ARTICLE_BUTTONS) -> InlineKeyboardMarkup | None:
    """One button per article of an issue's list, numbered as the list is: 全文 of that article."""
    rows = []
    for n, hit in enumerate(answer.results[: min(limit, 100)]):
        title = hit.passage.headline
        title = title if len(title) <= BUTTON_TITLE else title[: BUTTON_TITLE - 1] + "…"
        rows.append([InlineKeyboardButton(f"{n + 1}. {title}", callback_data=f"{FULL}:{key}:{n}")])
    return InlineKeyboardMarkup(rows) if rows else None


def example_digest(question: str) -> str:
    return hashlib.sha1(question.encode("utf-8")).hexdigest()[:10]


def example_buttons(questions: Iterable[str]) -> InlineKeyboardMarkup | None:
    """One button per example question; pressing it asks it."""
    rows = [[InlineKeyboardButton(q, callback_data=f"{_EXAMPLE}:{example_digest(q)}")] for q in questions]
    return InlineKeyboardMarkup(rows) if rows else None


def parse_example(data: str | None) -> str | None:
    """The digest an example button carries; None for anything forged."""
    digest = (data or "").removeprefix(f"{_EXAMPLE}:")
    return digest if (data or "").startswith(f"{_EXAMPLE}:") and re.fullmatch(r"[0-9a-f]{10}", digest) else None
