"""Admins' handlers: reload the corpus, upload an issue file, stats, unanswered questions.

Admins are Telegram user ids from BOT_ADMIN_IDS; everyone else is told so and nothing happens.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Collection

from telegram import Bot, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from .. import messages as msg
from ..chart import questions_chart
from ..corpus import MAX_FILE_BYTES, CorpusError, LoadErrors
from ..index import Index
from ..serving import Change, Reloaded, add_issue
from ..uploads import UploadError, safe_issue_name
from .context import Context

log = logging.getLogger("datong_bot")


def is_admin(user_id: int | None, admin_ids: Collection[int]) -> bool:
    """Admins are Telegram user ids from BOT_ADMIN_IDS — never chat ids, names or group roles."""
    return user_id is not None and user_id in admin_ids


async def admins_only(update: Update, context: Context) -> bool:
    user = update.effective_user
    if user is not None and is_admin(user.id, context.bot_data.settings.admin_ids):
        return True
    if update.effective_message is not None:
        await update.effective_message.reply_text(msg.NOT_ADMIN)
    return False


async def notify_admins(bot: Bot, admin_ids: Collection[int], text: str) -> None:
    """A message to every admin's private chat; an admin who never started the bot is logged."""
    for admin_id in sorted(admin_ids):
        try:
            await bot.send_message(admin_id, text)
        except TelegramError as exc:
            log.warning("could not tell admin %s: %s", admin_id, exc)


def describe_errors(errors: list[CorpusError]) -> str:
    return "\n".join(f"• {e.name}: {e.reason}" for e in errors)


def reload_report(index: Index, change: Change, seconds: float) -> str:
    return msg.RELOAD_DONE.format(
        seconds=seconds,
        issues=len(index.corpus.issues),
        articles=sum(len(i.articles) for i in index.corpus.issues),
        paragraphs=len(index.passages),
        added="、".join(change.added) or msg.NONE,
        removed="、".join(change.removed) or msg.NONE,
        changed="、".join(change.changed) or msg.NONE,
    )


def reloaded_report(reloaded: Reloaded) -> str:
    return reload_report(reloaded.index, reloaded.change, reloaded.seconds)


WATCH_LINES = 30  # files named one by one in the watcher's report; the rest are counted


def watch_report(reloaded: Reloaded) -> str:
    """What the watched folder's change did, for admins: each file added or changed with its
    paper, date and articles, each removed one, and the totals now."""
    index, change = reloaded.index, reloaded.change
    issues = {i.name: i for i in index.corpus.issues}
    lines = [
        template.format(name=name, paper=issues[name].paper, date=issues[name].date, articles=len(issues[name].articles))
        for names, template in ((change.added, msg.WATCH_ADDED), (change.changed, msg.WATCH_CHANGED))
        for name in names
    ] + [msg.WATCH_REMOVED.format(name=name) for name in change.removed]
    if len(lines) > WATCH_LINES:
        lines = [*lines[:WATCH_LINES], msg.WATCH_MORE.format(count=len(lines) - WATCH_LINES)]
    return msg.WATCH_RELOADED.format(
        seconds=reloaded.seconds,
        lines="\n".join(lines) or msg.WATCH_OTHER,
        issues=len(index.corpus.issues),
        articles=sum(len(i.articles) for i in index.corpus.issues),
        paragraphs=len(index.passages),
    )


def watch_failed_report(errors: LoadErrors) -> str:
    return msg.WATCH_FAILED.format(errors=describe_errors(errors.errors))[:4000]


def uptime_text(seconds: float) -> str:
    uptime = int(seconds)
    return f"{uptime // 86400}天{uptime % 86400 // 3600}小时{uptime % 3600 // 60}分"


def unanswered_text(rows: list[tuple[float, str]]) -> str:
    lines = [msg.UNANSWERED_HEADER.format(count=len(rows))]
    lines += [f"{time.strftime('%m-%d %H:%M', time.localtime(at))}  {q[:200]}" for at, q in rows]
    return "\n".join(lines)[:4000]


async def reload_corpus(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not await admins_only(update, context):
        return
    serving = context.bot_data.serving
    if serving.busy:
        await message.reply_text(msg.RELOAD_BUSY)
        return
    try:
        reloaded = await serving.reload()
    except LoadErrors as exc:
        await message.reply_text(msg.RELOAD_FAILED.format(errors=describe_errors(exc.errors)))
        return
    context.bot_data.deliverer.kick()  # new issues: notify subscribers
    await message.reply_text(reloaded_report(reloaded))


async def upload_issue(update: Update, context: Context) -> None:
    """An admin sends a .txt issue file in a private chat: check, save, reload — or refuse."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    settings = context.bot_data.settings
    if message.chat.type != ChatType.PRIVATE:
        if update.effective_user and is_admin(update.effective_user.id, settings.admin_ids):
            await message.reply_text(msg.UPLOAD_NOT_PRIVATE)
        return
    if not await admins_only(update, context):
        return
    if not settings.corpus_writable:
        await message.reply_text(msg.UPLOAD_READ_ONLY)
        return
    document = message.document
    try:
        name = safe_issue_name(document.file_name)
    except UploadError as exc:
        await message.reply_text(msg.UPLOAD_BAD_NAME.format(reason=exc))
        return
    if document.file_size and document.file_size > MAX_FILE_BYTES:
        await message.reply_text(msg.UPLOAD_TOO_BIG.format(size=document.file_size, limit=MAX_FILE_BYTES))
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    await save_upload(message, context, name, data)


async def save_upload(message: Message, context: Context, name: str, data: bytes) -> None:
    """Add the checked upload to the corpus and reload; the reply says what happened either way."""
    try:
        issue, replaced, reloaded = await add_issue(context.bot_data.serving, name, data)
    except (UploadError, CorpusError) as exc:
        await message.reply_text(msg.UPLOAD_INVALID.format(reason=exc))
        return
    except OSError as exc:  # the disk said no: full, read-only, a name it cannot hold
        log.warning("cannot save the upload %s: %s", name, exc)
        await message.reply_text(msg.UPLOAD_INVALID.format(reason=exc.strerror or exc))
        return
    except LoadErrors as exc:
        await message.reply_text(msg.UPLOAD_INVALID.format(reason=describe_errors(exc.errors)))
        return
    context.bot_data.deliverer.kick()  # a new issue: notify subscribers
    template = msg.UPLOAD_REPLACED if replaced else msg.UPLOAD_SAVED
    saved = template.format(name=name, articles=len(issue.articles), paragraphs=issue.paragraph_count)
    await message.reply_text(saved + "\n\n" + reloaded_report(reloaded))


def stats_text(context: Context) -> str:
    index = context.bot_data.serving.index
    totals = context.bot_data.stats.totals()
    return msg.STATS.format(
        uptime=uptime_text(time.time() - context.bot_data.started),
        version=index.corpus.version,
        issues=len(index.corpus.issues),
        paragraphs=len(index.passages),
        asked=totals.asked,
        answered=totals.answered,
        unsure=totals.unsure,
        not_found=totals.not_found,
        median_ms=totals.median_ms,
    )


async def stats_command(update: Update, context: Context) -> None:
    """The numbers, as the caption of a chart of the last 30 days (one message); the numbers alone
    if the chart cannot be drawn."""
    message = update.effective_message
    if message is None or not await admins_only(update, context):
        return
    text = stats_text(context)
    days = await asyncio.to_thread(context.bot_data.stats.daily)
    try:
        chart = await asyncio.to_thread(questions_chart, days)  # CPU work, and matplotlib's first import
    except Exception:  # a chart that cannot be drawn never costs the admin the numbers
        log.exception("could not draw the /stats chart")
        await message.reply_text(text)
        return
    await message.reply_photo(chart, caption=text, filename="stats.png")


async def unanswered_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not await admins_only(update, context):
        return
    rows = context.bot_data.stats.unanswered(20)
    if not rows:
        await message.reply_text(msg.UNANSWERED_EMPTY)
        return
    await message.reply_text(unanswered_text(rows))
