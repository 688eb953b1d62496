"""The Telegram application: handlers named for what they answer, the core does the work.

`build_application` reads as the table of contents: gatekeeping first, then commands, admin
commands, uploads, questions in private and in groups, buttons, inline mode, errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import re
import secrets
import sys
import time
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlparse

from aiolimiter import AsyncLimiter
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from . import messages as msg
from .addressing import clean_question, command_question, group_question
from .config import ConfigError, Settings
from .corpus import MAX_FILE_BYTES, CorpusError, LoadErrors
from .health import Heartbeat, TrackingRequest
from .logs import setup_logging
from .reply import answer_html, article_html_parts, tg_len
from .search import ANSWERED, Answer, Index
from .serving import Change, IndexHolder, add_issue
from .stats import Stats
from .store import load_index
from .uploads import UploadError, safe_issue_name

log = logging.getLogger("datong_bot")

HITS_FOR_BUTTONS = 5
INLINE_RESULTS = 5
SEND_RETRIES = 3
RETRY_DELAY = 0.5
THROTTLE_RATE = 6  # questions…
THROTTLE_PERIOD = 30.0  # …per this many seconds, per user


# -- shared objects (bot_data) ----------------------------------------------------------------


class PatientRateLimiter(AIORateLimiter):
    """AIORateLimiter (Telegram's limits, 429 retries) that also retries a call that surely did
    not go through — a 5xx, a reset connection, a garbled response — with backoff.

    A timeout is not retried: Telegram may have delivered the message, and a duplicate answer is
    worse than a late one. Polling handles its own errors.
    """

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):  # type: ignore[no-untyped-def]
        delay = RETRY_DELAY
        for attempt in range(SEND_RETRIES + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except TimedOut:
                raise
            except TelegramError as exc:
                lost = (isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)) or (
                    type(exc) is TelegramError and "Invalid server response" in exc.message
                )
                if endpoint == "getUpdates" or not lost or attempt == SEND_RETRIES:
                    raise
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, exc, delay)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")


@dataclass
class Shown:
    """An answer shown with buttons: what 下一条 and 全文 need, valid for one corpus version."""

    version: str
    answer: Answer
    position: int = 0  # the passage the message shows now


class AnswerCache:
    """Recent answers by a short random key: button state lives here, not in callback data."""

    def __init__(self, size: int = 2000) -> None:
        self.size = size
        self._items: OrderedDict[str, Shown] = OrderedDict()

    def put(self, shown: Shown) -> str:
        key = secrets.token_urlsafe(6)
        self._items[key] = shown
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return key

    def get(self, key: str, version: str) -> Shown | None:
        shown = self._items.get(key)
        return shown if shown is not None and shown.version == version else None


class Throttle:
    """Per-user leaky bucket (aiolimiter); says so once per period instead of going silent."""

    def __init__(self, rate: float = THROTTLE_RATE, period: float = THROTTLE_PERIOD) -> None:
        self.rate, self.period = rate, period
        self._limiters: dict[int, AsyncLimiter] = {}
        self._told: dict[int, float] = {}

    async def allow(self, user_id: int) -> bool:
        limiter = self._limiters.setdefault(user_id, AsyncLimiter(self.rate, self.period))
        if limiter.has_capacity():
            await limiter.acquire()
            return True
        return False

    def should_tell(self, user_id: int) -> bool:
        now = time.monotonic()
        if now - self._told.get(user_id, 0.0) < self.period:
            return False
        self._told[user_id] = now
        return True


def holder(context: ContextTypes.DEFAULT_TYPE) -> IndexHolder:
    return context.bot_data["holder"]


def settings_of(context: ContextTypes.DEFAULT_TYPE) -> Settings:
    return context.bot_data["settings"]


# -- the core, as the handlers use it ---------------------------------------------------------


def examples(index: Index, n: int = 3) -> str:
    """Example questions from the loaded corpus (never hard-coded)."""
    return "\n".join(f"• 「{h}」讲了什么？" for h in index.headlines(n))


def buttons(key: str, position: int, answer: Answer) -> InlineKeyboardMarkup | None:
    """下一条 / 全文 under an answer; callback data stays far below Telegram's 64 bytes."""
    if not answer.results:
        return None
    row = []
    if position + 1 < len(answer.results):
        row.append(InlineKeyboardButton(msg.BUTTON_NEXT, callback_data=f"n:{key}:{position + 1}"))
    row.append(InlineKeyboardButton(msg.BUTTON_FULL, callback_data=f"f:{key}:{position}"))
    return InlineKeyboardMarkup([row])


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, chat_type: str) -> None:
    """Throttle, ask the core, record, reply with buttons: every path to a question ends here."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    throttle: Throttle = context.bot_data["throttle"]
    if not await throttle.allow(user.id):
        if throttle.should_tell(user.id):
            await message.reply_text(msg.THROTTLED.format(seconds=int(throttle.period)))
        return
    index = holder(context).index  # one reference for the whole reply: old or new corpus, never a mix
    if not question:
        await message.reply_text(msg.EMPTY_QUESTION.format(example=next(iter(index.headlines(1)), "")))
        return
    answer = index.ask(question, top=HITS_FOR_BUTTONS)
    record(context, answer, chat_type)
    key = context.bot_data["answers"].put(Shown(index.corpus.version, answer))
    await message.reply_html(
        answer_html(answer, index.headlines()),
        reply_markup=buttons(key, 0, answer),
        link_preview_options=None,
    )


def record(context: ContextTypes.DEFAULT_TYPE, answer: Answer, chat_type: str) -> None:
    """Stats and one log line per question; its text only with LOG_QUESTIONS=1."""
    settings = settings_of(context)
    stats: Stats = context.bot_data["stats"]
    unanswered = answer.question if answer.outcome != ANSWERED else None
    stats.record(answer.outcome, answer.elapsed_ms, chat_type, unanswered)
    top = answer.hits[0].score if answer.hits else 0.0
    extra = {
        "chat_type": chat_type,
        "outcome": answer.outcome,
        "top_score": round(top, 3),
        "latency_ms": round(answer.elapsed_ms, 1),
        "corpus_version": holder(context).index.corpus.version,
    }
    line = "question chat=%s outcome=%s top=%.2f latency_ms=%.1f corpus=%s"
    args: list[object] = [chat_type, answer.outcome, top, answer.elapsed_ms, extra["corpus_version"]]
    if settings.log_questions:
        extra["question"] = answer.question
        line += " question=%r"
        args.append(answer.question)
    log.info(line, *args, extra=extra)


# -- handlers ---------------------------------------------------------------------------------


async def gatekeeper(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Only people's new messages, button presses and inline queries get through."""
    user = update.effective_user
    if update.edited_message or update.channel_post or update.edited_channel_post:
        raise ApplicationHandlerStop
    if user is not None and user.is_bot:
        raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    index = holder(context).index
    papers = "、".join(sorted({i.paper for i in index.corpus.issues}))
    await update.effective_message.reply_text(msg.START.format(papers=papers, examples=examples(index)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    index = holder(context).index
    text = msg.HELP.format(bot=context.bot.username, examples=examples(index))
    if update.effective_user and is_admin(update.effective_user.id, settings_of(context).admin_ids):
        text += msg.ADMIN_HELP
    await update.effective_message.reply_text(text)


ISSUES_PER_PAGE = 5


def list_page(index: Index, page: int = 0, budget: int = 3800) -> tuple[str, int, int]:
    """One page of issues, newest first, with their headlines: (text, page shown, page count)."""
    issues = sorted(index.corpus.issues, key=lambda i: (i.date, i.name), reverse=True)
    pages = max(1, -(-len(issues) // ISSUES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    chosen = issues[page * ISSUES_PER_PAGE : (page + 1) * ISSUES_PER_PAGE]
    lines = [msg.LIST_HEADER.format(count=len(issues))]
    if pages > 1:
        lines[0] += " " + msg.LIST_PAGE.format(page=page + 1, pages=pages)
    for shown, issue in enumerate(chosen):
        block = [msg.LIST_ISSUE.format(paper=issue.paper, date=issue.date.isoformat(), articles=len(issue.articles))]
        block += [f"  · {a.headline}" for a in issue.articles]
        if tg_len("\n".join(lines + block)) > budget:
            lines.append(msg.LIST_MORE.format(count=len(chosen) - shown))
            break
        lines += block
    return "\n".join(lines), page, pages


def page_buttons(page: int, pages: int) -> InlineKeyboardMarkup | None:
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(msg.BUTTON_PREV_PAGE, callback_data=f"l:{page - 1}"))
    if page + 1 < pages:
        row.append(InlineKeyboardButton(msg.BUTTON_NEXT_PAGE, callback_data=f"l:{page + 1}"))
    return InlineKeyboardMarkup([row]) if row else None


async def list_issues(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text, page, pages = list_page(holder(context).index)
    await update.effective_message.reply_text(text, reply_markup=page_buttons(page, pages))


async def turn_list_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    wanted = query.data.removeprefix("l:")
    await query.answer()
    if not re.fullmatch(r"[0-9]{1,6}", wanted):
        return
    text, page, pages = list_page(holder(context).index, int(wanted))
    if text != (query.message.text if query.message else None):
        await query.edit_message_text(text, reply_markup=page_buttons(page, pages))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = command_question(context.args or [])
    if not question:
        index = holder(context).index
        await update.effective_message.reply_text(msg.GROUP_ASK_USAGE.format(example=next(iter(index.headlines(1)), "")))
        return
    await answer_question(update, context, question, update.effective_chat.type)


async def private_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_question(update, context, clean_question(update.effective_message.text), ChatType.PRIVATE)


async def group_mention_or_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message that names the bot or replies to it; anything else stays unanswered."""
    message = update.effective_message
    entities = message.parse_entities(["mention", "text_mention"])
    reply = message.reply_to_message
    question = group_question(
        message.text,
        bot_username=context.bot.username,
        mentions=[text for e, text in entities.items() if e.type == "mention"],
        text_mention_ids=[e.user.id for e in entities if e.type == "text_mention" and e.user],
        bot_id=context.bot.id,
        reply_to_bot=bool(reply and reply.from_user and reply.from_user.id == context.bot.id),
    )
    if question is not None:
        await answer_question(update, context, question, message.chat.type)


async def next_or_full(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """下一条 edits the message to the next passage; 全文 sends the whole article."""
    query = update.callback_query
    kind, key, position = parse_callback(query.data)
    index = holder(context).index
    shown = context.bot_data["answers"].get(key, index.corpus.version) if kind else None
    results = shown.answer.results if shown else ()
    if shown is None or position >= len(results):
        await query.answer(msg.STALE_BUTTON, show_alert=False)
        return
    if kind == "n":
        await query.answer()
        if position == shown.position:  # a second quick press: the message already shows it
            return
        shown.position = position
        try:
            await query.edit_message_text(
                answer_html(shown.answer, index.headlines(), position),
                parse_mode=ParseMode.HTML,
                reply_markup=buttons(key, position, shown.answer),
            )
        except BadRequest as exc:  # pressed twice: the message already shows that passage
            if "not modified" not in str(exc):
                raise
        return
    passage = results[position].passage
    issue = next((i for i in index.corpus.issues if i.name == passage.issue), None)
    if issue is None:
        await query.answer(msg.STALE_BUTTON)
        return
    await query.answer()
    article = issue.articles[passage.article - 1]
    for part in article_html_parts(article, issue.paper, issue.date.isoformat()):
        await context.bot.send_message(query.message.chat.id, part, parse_mode=ParseMode.HTML)


def parse_callback(data: str | None) -> tuple[str | None, str, int]:
    """("n" or "f", key, position) from callback data; (None, "", 0) for anything forged."""
    parts = (data or "").split(":")
    if len(parts) == 3 and parts[0] in ("n", "f") and re.fullmatch(r"[0-9]{1,2}", parts[2]):
        return parts[0], parts[1], int(parts[2])
    return None, "", 0


async def inline_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@bot 问题` in any chat: the best passages to pick from."""
    query = update.inline_query
    question = clean_question(query.query)
    if not question:
        await query.answer([], cache_time=5)
        return
    index = holder(context).index
    answer = index.ask(question, top=INLINE_RESULTS)
    record(context, answer, "inline")
    results = [
        InlineQueryResultArticle(
            id=str(n),
            title=hit.passage.headline[:100] or msg.NOT_FOUND,
            description=hit.passage.text[:80],
            input_message_content=InputTextMessageContent(answer_html(answer, index.headlines(), n), parse_mode=ParseMode.HTML),
        )
        for n, hit in enumerate(answer.results)
    ]
    await query.answer(results, cache_time=30)


# -- admin ------------------------------------------------------------------------------------


def is_admin(user_id: int | None, admin_ids: Collection[int]) -> bool:
    """Admins are Telegram user ids from BOT_ADMIN_IDS — never chat ids, names or group roles."""
    return user_id is not None and user_id in admin_ids


async def admins_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    if user is not None and is_admin(user.id, settings_of(context).admin_ids):
        return True
    await update.effective_message.reply_text(msg.NOT_ADMIN)
    return False


def describe_errors(errors: list[CorpusError]) -> str:
    return "\n".join(f"• {e.name}: {e.reason}" for e in errors)


async def reload_corpus(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await admins_only(update, context):
        return
    serving = holder(context)
    if serving.busy:
        await update.effective_message.reply_text(msg.RELOAD_BUSY)
        return
    try:
        reloaded = await serving.reload()
    except LoadErrors as exc:
        await update.effective_message.reply_text(msg.RELOAD_FAILED.format(errors=describe_errors(exc.errors)))
        return
    await update.effective_message.reply_text(reload_report(reloaded.index, reloaded.change, reloaded.seconds))


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


async def upload_issue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin sends a .txt issue file in a private chat: check, save, reload — or refuse."""
    message = update.effective_message
    if message.chat.type != ChatType.PRIVATE:
        if update.effective_user and is_admin(update.effective_user.id, settings_of(context).admin_ids):
            await message.reply_text(msg.UPLOAD_NOT_PRIVATE)
        return
    if not await admins_only(update, context):
        return
    if not settings_of(context).corpus_writable:
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
    serving = holder(context)
    try:
        issue, replaced, reloaded = await add_issue(serving, name, data)
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
    template = msg.UPLOAD_REPLACED if replaced else msg.UPLOAD_SAVED
    saved = template.format(name=name, articles=len(issue.articles), paragraphs=issue.paragraph_count)
    await message.reply_text(saved + "\n\n" + reload_report(reloaded.index, reloaded.change, reloaded.seconds))


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await admins_only(update, context):
        return
    index = holder(context).index
    totals = context.bot_data["stats"].totals()
    uptime = int(time.time() - context.bot_data["started"])
    await update.effective_message.reply_text(
        msg.STATS.format(
            uptime=f"{uptime // 86400}天{uptime % 86400 // 3600}小时{uptime % 3600 // 60}分",
            version=index.corpus.version,
            issues=len(index.corpus.issues),
            paragraphs=len(index.passages),
            asked=totals.asked,
            answered=totals.answered,
            unsure=totals.unsure,
            not_found=totals.not_found,
            median_ms=totals.median_ms,
        )
    )


async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await admins_only(update, context):
        return
    rows = context.bot_data["stats"].unanswered(20)
    if not rows:
        await update.effective_message.reply_text(msg.UNANSWERED_EMPTY)
        return
    lines = [msg.UNANSWERED_HEADER.format(count=len(rows))]
    lines += [f"{time.strftime('%m-%d %H:%M', time.localtime(at))}  {q[:200]}" for at, q in rows]
    text = "\n".join(lines)
    await update.effective_message.reply_text(text[:4000])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The person gets a short apology; the log gets the traceback (token redacted).

    No apology after a timeout (the answer may well have arrived) and none on a button press
    (its query was most likely answered already; answering twice is refused).
    """
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(context.error, TimedOut):
        return
    if isinstance(update, Update) and update.effective_message and not update.callback_query:
        try:
            await update.effective_message.reply_text(msg.ERROR)
        except TelegramError:
            log.warning("could not send the apology")


async def on_start(app: Application) -> None:
    """After initialize, before the first update: command menus and the health heartbeat."""
    await set_commands(app)
    heartbeat: Heartbeat = app.bot_data["heartbeat"]
    heartbeat.mark_ok()  # initialize just called getMe
    app.bot_data["heartbeat_task"] = asyncio.create_task(heartbeat.run(app.bot.get_webhook_info))


async def on_stop(app: Application) -> None:
    """After the last update: stop the heartbeat, mark the status stopped, close the stats."""
    task = app.bot_data.pop("heartbeat_task", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    with contextlib.suppress(OSError):
        app.bot_data["heartbeat"].write(stopped=True)
    app.bot_data["stats"].close()
    log.info("stopped")


async def set_commands(app: Application) -> None:
    """Command menus per scope: private chats, groups, and each admin's private chat."""

    def commands(pairs):
        return [BotCommand(c, d) for c, d in pairs]

    await app.bot.set_my_commands(commands(msg.COMMANDS_PRIVATE), scope=BotCommandScopeAllPrivateChats())
    await app.bot.set_my_commands(commands(msg.COMMANDS_GROUP), scope=BotCommandScopeAllGroupChats())
    for admin_id in app.bot_data["settings"].admin_ids:
        try:
            await app.bot.set_my_commands(
                commands(msg.COMMANDS_PRIVATE + msg.COMMANDS_ADMIN), scope=BotCommandScopeChat(admin_id)
            )
        except TelegramError as exc:  # an admin who never talked to the bot
            log.warning("could not set admin commands for %s: %s", admin_id, exc)


# -- the application --------------------------------------------------------------------------


def build_application(settings: Settings, index: Index, *, rate_limiter: bool = True) -> Application:
    """The whole bot, in the order updates meet it. The index is loaded before the first update."""
    serving = IndexHolder(index, settings.corpus_path, settings.data_dir)
    heartbeat = Heartbeat(settings.data_dir, lambda: serving.index.corpus.version)
    builder = (
        ApplicationBuilder()
        .token(settings.token or "")
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .request(TrackingRequest(heartbeat.mark_ok, connection_pool_size=256))
        .get_updates_request(TrackingRequest(heartbeat.mark_ok, connection_pool_size=1))
        .concurrent_updates(True)  # a reload or a slow send never holds up other people
        .post_init(on_start)
        .post_shutdown(on_stop)
    )
    if rate_limiter:
        builder = builder.rate_limiter(PatientRateLimiter(max_retries=5))
    app = builder.build()
    app.bot_data.update(
        settings=settings,
        holder=serving,
        heartbeat=heartbeat,
        stats=Stats(settings.data_dir / "stats.sqlite3"),
        answers=AnswerCache(),
        throttle=Throttle(),
        started=time.time(),
    )
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    new_message = filters.UpdateType.MESSAGE

    app.add_handler(TypeHandler(Update, gatekeeper), group=-1)

    app.add_handler(CommandHandler("start", start, filters=new_message))
    app.add_handler(CommandHandler("help", help_command, filters=new_message))
    app.add_handler(CommandHandler("list", list_issues, filters=new_message))
    app.add_handler(CommandHandler("ask", ask_command, filters=new_message))

    app.add_handler(CommandHandler("reload", reload_corpus, filters=new_message))
    app.add_handler(CommandHandler("stats", stats_command, filters=new_message))
    app.add_handler(CommandHandler("unanswered", unanswered_command, filters=new_message))
    app.add_handler(MessageHandler(new_message & filters.Document.ALL, upload_issue))

    app.add_handler(MessageHandler(new_message & private & filters.TEXT & ~filters.COMMAND, private_question))
    app.add_handler(MessageHandler(new_message & groups & filters.TEXT & ~filters.COMMAND, group_mention_or_reply))

    app.add_handler(CallbackQueryHandler(next_or_full, pattern=r"^[nf]:"))
    app.add_handler(CallbackQueryHandler(turn_list_page, pattern=r"^l:"))
    app.add_handler(InlineQueryHandler(inline_question))
    app.add_error_handler(on_error)
    return app


def run(args: argparse.Namespace) -> int:
    """`datong-bot run`: validate the configuration, load the corpus, then poll or serve a webhook."""
    try:
        settings = Settings.from_env(need_token=True)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"配置错误 configuration error: {problem}", file=sys.stderr)
        return 2
    secret = args.secret_token or settings.webhook_secret
    if args.webhook_url and not secret:
        print("配置错误: webhook 需要 --secret-token 或 WEBHOOK_SECRET_TOKEN", file=sys.stderr)
        return 2
    setup_logging(settings.token, settings.log_format)
    try:
        index = load_index(settings.corpus_path, settings.data_dir)  # before the first update
    except LoadErrors as exc:
        for error in exc.errors:
            log.error("corpus error: %s", error)
        return 2
    index.ask(next(iter(index.headlines(1)), "报纸"))  # warm the POS tagger: the first person does not wait
    log.info("corpus %s loaded: %d issues, %d paragraphs", index.corpus.version, len(index.corpus.issues), len(index.passages))
    app = build_application(settings, index)
    try:
        serve(app, args, secret)
    except TelegramError as exc:  # e.g. the token was rejected: say so without printing it
        log.error("Telegram refused to start the bot: %s", exc)
        return 2
    return 0


def serve(app: Application, args: argparse.Namespace, secret: str | None) -> None:
    """Long polling, or a webhook when --webhook-url is given; returns on SIGTERM/SIGINT."""
    if args.webhook_url:
        app.run_webhook(
            listen=args.listen,
            port=args.port,
            url_path=urlparse(args.webhook_url).path.lstrip("/"),
            webhook_url=args.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
