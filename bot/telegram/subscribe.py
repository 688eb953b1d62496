"""Subscriptions and the digest on Telegram: the commands and buttons, and the delivery of what a
new issue owes (bot.subscriptions holds the store, the matching and the exactly-once plan).

Delivery runs as one background task (`Deliverer`): woken at start-up and after every reload or
upload, it plans the issues the store has not seen, then sends what is pending — a few at a time
(one slow chat holds one slot, never the rest), paced below Telegram's broadcast limit, through the
bot's rate limiter (which waits out 429s), so answers to questions always find room.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import logging
from collections.abc import Callable, Sequence

from aiolimiter import AsyncLimiter
from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError, TimedOut

from .. import messages as msg
from ..decide import ANSWERED, Answer, Hit
from ..front import Intent, Reply, lead_hit
from ..index import Index
from ..reply import BUDGET, reply_html, tg_len
from ..serving import IndexHolder
from ..subscriptions import (
    BLOCKED,
    DIGEST,
    EMPTY,
    FAILED,
    MAX_KEYWORD,
    MAX_PER_CHAT,
    MIN_KEYWORD,
    SENT,
    UNKNOWN,
    Delivery,
    KeywordError,
    LimitReached,
    Subscriptions,
    keyword_digest,
    matches,
    normalize_keyword,
    plan_new,
    topic_of,
)
from .callbacks import delivered_buttons, issue_digest, parse_article, parse_subscribe, parse_unsubscribe, unsubscribe_buttons
from .context import Context
from .handlers import send_article

log = logging.getLogger("datong_bot")

CONCURRENCY = 4  # deliveries in flight at once
BROADCAST_RATE = 25.0  # deliveries per second: below Telegram's ~30/s, leaving room for answers
RETRY_PAUSE = 5.0  # seconds before pending deliveries that failed transiently are tried again
PENDING_BATCH = 1000  # deliveries read from the store at a time
MATCHES_SHOWN = 10  # articles listed in one notification
SENTENCE = 120  # characters of the matching sentence shown


# -- what is sent ---------------------------------------------------------------------------------


def sentence_of(hit: Hit) -> str:
    """The matching sentence of a hit (its highlight), else the start of the paragraph."""
    text = hit.passage.text
    start, end = hit.highlight[0] if hit.highlight else (0, len(text))
    sentence = text[start:end].strip()
    return sentence if len(sentence) <= SENTENCE else sentence[: SENTENCE - 1] + "…"


Find = Callable[[Index, str, str], list[Hit]]  # (index, issue key, keyword) → confident matches


def matched_articles(index: Index, key: str, keywords: Sequence[str], find: Find = matches) -> dict[int, tuple[Hit, list[str]]]:
    """article (1-based) → its best matching paragraph and the keywords it matched, in article order."""
    found: dict[int, tuple[Hit, list[str]]] = {}
    for keyword in keywords:
        for hit in find(index, key, keyword):
            found.setdefault(hit.passage.article, (hit, []))[1].append(keyword)
    return dict(sorted(found.items()))


def match_lines(found: dict[int, tuple[Hit, list[str]]], head: str, numbered: bool) -> tuple[str, list[Hit]]:
    """`head` (HTML) followed by a block per matching article — its number and headline (or, under
    a digest that lists the headlines, its number alone), the keywords, the matching sentence —
    as many as fit in one message, and how many more there are."""
    lines: list[str] = [head]
    shown: list[Hit] = []
    for article, (hit, words) in list(found.items())[:MATCHES_SHOWN]:
        number = f"{len(shown) + 1}. <b>{html.escape(hit.passage.headline[:200])}</b>\n" if numbered else f"{article}. "
        block = f"\n{number}{html.escape(msg.MATCH_ITEM.format(keywords='」「'.join(words)))} {html.escape(sentence_of(hit))}"
        if tg_len("\n".join(lines) + block) > BUDGET:
            break
        lines.append(block)
        shown.append(hit)
    if len(shown) < len(found):
        lines.append("\n" + html.escape(msg.MATCH_MORE.format(count=len(found) - len(shown))))
    return "\n".join(lines), shown


def match_message(index: Index, key: str, keywords: list[str], find: Find = matches) -> tuple[str, Answer] | None:
    """The notification for one chat: the issue's articles matching any of its keywords, each with
    its headline, the keywords it matched and its matching sentence. None when nothing matches."""
    found = matched_articles(index, key, keywords, find)
    if not found:
        return None
    issue = index.postings.issues[key]
    head = html.escape(msg.MATCH_HEADER.format(paper=issue.paper, date=issue.date.isoformat()))
    text, shown = match_lines(found, head, numbered=True)
    return text, Answer(msg.MATCH_HEADER, ANSWERED, tuple(shown))


def digest_message(index: Index, key: str, keywords: Sequence[str] = (), find: Find = matches) -> tuple[str, Answer] | None:
    """The new issue's headlines, numbered, as "what is in the paper" shows them, a button each;
    then, for a chat that also subscribes to keywords, its matches by those numbers — one message."""
    issue = index.postings.issues.get(key)
    if issue is None or not issue.articles:
        return None
    leads = tuple(lead_hit(issue, n) for n in range(len(issue.articles)))
    answer = Answer(msg.DIGEST_HEADER, ANSWERED, leads)
    reply = Reply(msg.DIGEST_HEADER, Intent.ISSUE, answer, issues=(issue,))
    text = f"<b>{html.escape(msg.DIGEST_HEADER)}</b>\n" + reply_html(reply, index)
    found = matched_articles(index, key, keywords, find) if keywords else {}
    if found:
        text, _ = match_lines(found, text + "\n\n" + html.escape(msg.DIGEST_MATCHES), numbered=False)
    return text, answer


# -- delivery ---------------------------------------------------------------------------------------


class Deliverer:
    """The background task that plans new issues and sends what they owe, exactly once (see
    bot.subscriptions for the crash window)."""

    def __init__(
        self,
        store: Subscriptions,
        serving: IndexHolder,
        concurrency: int = CONCURRENCY,
        rate: float = BROADCAST_RATE,
    ) -> None:
        self.store, self.serving = store, serving
        self.concurrency, self.rate = concurrency, rate
        self.send: Callable[..., object] | None = None  # the bot's send_message, set by `start`
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._stopping = False
        self._found: dict[tuple[str, str, str], list[Hit]] = {}  # (corpus version, issue, keyword) → matches

    def _matches(self, index: Index, key: str, keyword: str) -> list[Hit]:
        """`matches`, once per keyword and issue however many chats share the keyword."""
        wanted = (index.corpus.version, key, keyword)
        if wanted not in self._found:
            if len(self._found) > 10_000:
                self._found.clear()
            self._found[wanted] = matches(index, key, keyword)
        return self._found[wanted]

    def start(self, send: Callable[..., object]) -> None:
        self.send = send
        self._task = asyncio.create_task(self._run(), name="deliveries")
        self.kick()

    def kick(self) -> None:
        """Something changed (start, reload, upload): plan new issues and deliver."""
        self._wake.set()

    async def stop(self, grace: float = 10.0) -> None:
        """Take nothing new; let the sends in flight finish (so nothing is lost or sent twice)."""
        self._stopping = True
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=grace)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        pacer = AsyncLimiter(self.rate, 1.0)
        slots = asyncio.Semaphore(self.concurrency)
        while not self._stopping:
            with contextlib.suppress(asyncio.TimeoutError, TimeoutError):  # distinct on Python 3.10
                await asyncio.wait_for(self._wake.wait(), RETRY_PAUSE)
            self._wake.clear()
            try:
                planned = await asyncio.to_thread(plan_new, self.store, self.serving.index)
                if planned:
                    log.info("deliveries planned: %d", planned)
                if await self._drain(pacer, slots) == PENDING_BATCH:
                    self._wake.set()  # more than one batch pending: go on at once
            except Exception:  # the loop must survive anything: the next wake tries again
                log.exception("delivery round failed")

    async def _drain(self, pacer: AsyncLimiter, slots: asyncio.Semaphore) -> int:
        """Send a batch of pending deliveries once (failures stay pending for the next round);
        returns how many were pending in the batch."""
        batch = await asyncio.to_thread(self.store.pending, PENDING_BATCH)
        for delivery in batch:
            if self._stopping:
                return 0
            await slots.acquire()
            await pacer.acquire()
            if self._stopping or not self.store.claim(delivery):
                slots.release()
                continue
            task = asyncio.create_task(self._deliver(delivery))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
            task.add_done_callback(lambda _: slots.release())
        if self._in_flight:
            await asyncio.wait(set(self._in_flight))
        return len(batch)

    async def _deliver(self, delivery: Delivery) -> None:
        try:
            await self._send_one(delivery)
        except Exception:  # a bug: not left "sending" for ever, not retried blindly either
            log.exception("delivery to %s failed", delivery.chat_id)
            self.store.mark(delivery, FAILED)

    async def _send_one(self, delivery: Delivery) -> None:
        """Make the message and send it; the delivery's state says how it went."""
        index = self.serving.index
        if delivery.kind == DIGEST:  # with the chat's matches: one message per chat and issue
            made = digest_message(index, delivery.issue, self.store.of(delivery.chat_id), self._matches)
        else:
            made = match_message(index, delivery.issue, self.store.of(delivery.chat_id), self._matches)
        if made is None:  # the issue was removed, or the chat unsubscribed meanwhile
            self.store.mark(delivery, EMPTY)
            return
        text, answer = made
        markup = delivered_buttons(answer, "" if delivery.kind == DIGEST else msg.BUTTON_FULL)
        assert self.send is not None
        try:
            await self.send(delivery.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)  # type: ignore[misc]
        except Forbidden:
            log.info("chat %s blocked the bot: unsubscribed", delivery.chat_id)
            self.store.forget(delivery.chat_id)
            self.store.mark(delivery, BLOCKED)
        except ChatMigrated as exc:  # the group became a supergroup: follow it, and send there
            log.info("chat %s is now %s: its subscriptions follow", delivery.chat_id, exc.new_chat_id)
            self.store.move(delivery.chat_id, exc.new_chat_id)
            self.store.release(dataclasses.replace(delivery, chat_id=exc.new_chat_id))
        except TimedOut:  # Telegram may have it: at-most-once, not sent again
            log.warning("delivery to %s timed out; not retried", delivery.chat_id)
            self.store.mark(delivery, UNKNOWN)
        except BadRequest as exc:  # refused for good (chat gone, …)
            log.warning("delivery to %s refused: %s", delivery.chat_id, exc)
            self.store.mark(delivery, FAILED)
        except TelegramError as exc:  # surely not delivered (429s beyond the limiter's retries, 5xx)
            log.warning("delivery to %s failed (%s); will retry", delivery.chat_id, exc)
            self.store.release(delivery)

        else:
            self.store.mark(delivery, SENT)


# -- commands and buttons ------------------------------------------------------------------------


async def may_manage(update: Update, context: Context) -> bool:
    """Anyone in a private chat; in a group only its Telegram admins (or the group itself, for
    anonymous admins). Others are told so."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True
    if user is not None:
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
        except TelegramError as exc:
            log.warning("could not check the admins of %s: %s", chat.id, exc)
        else:
            if member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR):
                return True
    if update.callback_query is not None:
        await update.callback_query.answer(msg.GROUP_ADMINS_ONLY, show_alert=True)
    elif message is not None:
        await message.reply_text(msg.GROUP_ADMINS_ONLY)
    return False


def subscribe_text(store: Subscriptions, chat_id: int, raw: str) -> str:
    """Subscribe a chat to a keyword and say how it went."""
    try:
        keyword = normalize_keyword(raw)
    except KeywordError as exc:
        return msg.KEYWORD_BAD.format(low=MIN_KEYWORD, high=MAX_KEYWORD, length=len(str(exc)))
    try:
        added = store.add(chat_id, keyword)
    except LimitReached:
        return msg.SUBSCRIPTION_LIMIT.format(limit=MAX_PER_CHAT)
    return (msg.SUBSCRIBED if added else msg.ALREADY_SUBSCRIBED).format(keyword=keyword)


def list_text(store: Subscriptions, chat_id: int) -> str:
    keywords = store.of(chat_id)
    digest = msg.SUBSCRIPTIONS_DIGEST.format(state=msg.DIGEST_ON_TEXT if store.digest_on(chat_id) else msg.DIGEST_OFF_TEXT)
    if not keywords:
        return msg.SUBSCRIPTIONS_EMPTY + "\n" + digest
    lines = [msg.SUBSCRIPTIONS_HEADER.format(count=len(keywords))] + [f"• {k}" for k in keywords]
    return "\n".join(lines) + "\n\n" + digest


async def subscribe_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    raw = " ".join(context.args or [])
    if not raw.strip():
        await message.reply_text(msg.SUBSCRIBE_USAGE.format(low=MIN_KEYWORD, high=MAX_KEYWORD))
        return
    if not await may_manage(update, context):
        return
    await message.reply_text(subscribe_text(context.bot_data.subscriptions, message.chat.id, raw))


async def subscriptions_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    store = context.bot_data.subscriptions
    await message.reply_text(list_text(store, message.chat.id), reply_markup=unsubscribe_buttons(store.of(message.chat.id)))


async def unsubscribe_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    raw = " ".join(context.args or [])
    if not raw.strip():
        await subscriptions_command(update, context)
        return
    if not await may_manage(update, context):
        return
    try:
        keyword = normalize_keyword(raw)
    except KeywordError:
        keyword = raw.strip()[:MAX_KEYWORD]
    removed = context.bot_data.subscriptions.remove(message.chat.id, keyword)
    await message.reply_text((msg.UNSUBSCRIBED if removed else msg.NOT_SUBSCRIBED).format(keyword=keyword))


async def digest_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    store = context.bot_data.subscriptions
    wanted = (context.args or [""])[0].lower()
    if wanted not in ("on", "off"):
        state = msg.DIGEST_ON_TEXT if store.digest_on(message.chat.id) else msg.DIGEST_OFF_TEXT
        await message.reply_text(msg.DIGEST_USAGE.format(state=state))
        return
    if not await may_manage(update, context):
        return
    store.set_digest(message.chat.id, wanted == "on")
    await message.reply_text(msg.DIGEST_ON if wanted == "on" else msg.DIGEST_OFF)


async def subscribe_button(update: Update, context: Context) -> None:
    """订阅 under an answer: subscribe the chat to the answered question's topic."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    key = parse_subscribe(query.data)
    index = context.bot_data.serving.index
    shown = context.bot_data.answers.get(key, index.corpus.version) if key else None
    topic = topic_of(index, shown.answer.question) if shown else None
    if topic is None:
        await query.answer(msg.SUBSCRIBE_STALE)
        return
    if not await may_manage(update, context):
        return
    await query.answer()
    text = subscribe_text(context.bot_data.subscriptions, query.message.chat.id, topic)
    await context.bot.send_message(query.message.chat.id, text)


async def unsubscribe_button(update: Update, context: Context) -> None:
    """取消 under /subscriptions: remove that keyword and show the list as it is now."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    digest = parse_unsubscribe(query.data)
    chat_id = query.message.chat.id
    store = context.bot_data.subscriptions
    keyword = next((k for k in store.of(chat_id) if keyword_digest(k) == digest), None) if digest else None
    if keyword is None:
        await query.answer(msg.STALE_BUTTON)
        return
    if not await may_manage(update, context):
        return
    store.remove(chat_id, keyword)
    await query.answer(msg.UNSUBSCRIBED.format(keyword=keyword))
    await query.edit_message_text(list_text(store, chat_id), reply_markup=unsubscribe_buttons(store.of(chat_id)))


async def chat_migrated(update: Update, context: Context) -> None:
    """A group became a supergroup (Telegram's service message, in the old chat and in the new):
    its subscriptions, digest and deliveries follow it to the new chat id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    if context.bot_data.subscriptions.move(old, new):
        log.info("chat %s is now %s: its subscriptions follow", old, new)


async def delivered_article(update: Update, context: Context) -> None:
    """全文 under a notification or a digest: the article whole, if its issue is still loaded."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    wanted = parse_article(query.data)
    index = context.bot_data.serving.index
    issue = next((i for i in index.corpus.issues if wanted and issue_digest(i.name) == wanted[0]), None)
    if wanted is None or issue is None or wanted[1] >= len(issue.articles):
        await query.answer(msg.STALE_BUTTON)
        return
    await query.answer()
    await send_article(context, query.message.chat.id, issue, wanted[1])
