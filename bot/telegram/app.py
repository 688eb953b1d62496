"""The Telegram application: `build_application` is the table of contents, `run` starts it.

Gatekeeping first, then commands, admin commands, uploads, questions in private and in groups,
buttons, inline mode, errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import urlparse

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Update,
)
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from .. import messages as msg
from ..config import ConfigError, Settings, check_data_dir
from ..corpus import LoadErrors
from ..examples import examples
from ..health import Heartbeat, TrackingRequest
from ..index import Index, load_index
from ..logs import setup_logging
from ..progress import Progress
from ..serving import IndexHolder
from ..stats import Stats
from ..subscriptions import Subscriptions
from .admin import notify_admins, reload_corpus, stats_command, unanswered_command, upload_issue
from .callbacks import (
    ANSWER_BUTTON_PATTERN,
    ARTICLE_PATTERN,
    EXAMPLE_PATTERN,
    LIST_PAGE_PATTERN,
    SUBSCRIBE_PATTERN,
    UNSUBSCRIBE_PATTERN,
)
from .context import CONTEXT_TYPES, BotData, Context, PatientRateLimiter
from .handlers import (
    ask_command,
    ask_example,
    gatekeeper,
    group_mention_or_reply,
    help_command,
    inline_question,
    list_issues,
    next_or_full,
    on_error,
    private_question,
    start,
    turn_list_page,
)
from .subscribe import (
    Deliverer,
    chat_migrated,
    delivered_article,
    digest_command,
    subscribe_button,
    subscribe_command,
    subscriptions_command,
    unsubscribe_button,
    unsubscribe_command,
)
from .watch import Watcher

log = logging.getLogger("datong_bot")

BotApplication: TypeAlias = Application[ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], BotData, Any]


@dataclass(frozen=True)
class RunOptions:
    """How `run` meets Telegram: long polling, or a webhook at `webhook_url` (cli's `run` flags)."""

    webhook_url: str | None = None
    listen: str = "0.0.0.0"
    port: int = 8443
    secret_token: str | None = None  # default: WEBHOOK_SECRET_TOKEN


def build_application(settings: Settings, index: Index, *, rate_limiter: bool = True) -> BotApplication:
    """The whole bot, in the order updates meet it. The index is loaded before the first update."""
    serving = IndexHolder(index, settings.corpus_path, settings.data_dir)
    heartbeat = Heartbeat(settings.data_dir, lambda: serving.index.corpus.version)
    builder = (
        ApplicationBuilder()
        .token(settings.token or "")
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .context_types(CONTEXT_TYPES)
        .request(TrackingRequest(heartbeat.mark_ok, connection_pool_size=256))
        .get_updates_request(TrackingRequest(heartbeat.mark_ok, connection_pool_size=1))
        .concurrent_updates(True)  # a reload or a slow send never holds up other people
        .post_init(on_start)
        .post_shutdown(on_stop)
    )
    if rate_limiter:
        builder.rate_limiter(PatientRateLimiter(max_retries=5))
    app = builder.build()
    app.bot_data.attach(settings, serving, heartbeat, Stats(settings.data_dir / "stats.sqlite3"))
    subscriptions = Subscriptions(settings.data_dir / "subscriptions.sqlite3")  # beside stats: see bot.subscriptions
    app.bot_data.attach_subscriptions(subscriptions, Deliverer(subscriptions, serving))
    if settings.corpus_writable and settings.watch_interval > 0:  # the shipped issue is read-only: nothing to watch
        app.bot_data.watcher = Watcher(serving, settings.watch_interval, app.bot_data.deliverer.kick)
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    new_message = filters.UpdateType.MESSAGE

    app.add_handler(TypeHandler(Update, gatekeeper), group=-1)

    app.add_handler(CommandHandler("start", start, filters=new_message))
    app.add_handler(CommandHandler("help", help_command, filters=new_message))
    app.add_handler(CommandHandler("list", list_issues, filters=new_message))
    app.add_handler(CommandHandler("ask", ask_command, filters=new_message))
    app.add_handler(CommandHandler("subscribe", subscribe_command, filters=new_message))
    app.add_handler(CommandHandler("subscriptions", subscriptions_command, filters=new_message))
    app.add_handler(CommandHandler("unsubscribe", unsubscribe_command, filters=new_message))
    app.add_handler(CommandHandler("digest", digest_command, filters=new_message))
    app.add_handler(MessageHandler(new_message & filters.StatusUpdate.MIGRATE, chat_migrated))

    app.add_handler(CommandHandler("reload", reload_corpus, filters=new_message))
    app.add_handler(CommandHandler("stats", stats_command, filters=new_message))
    app.add_handler(CommandHandler("unanswered", unanswered_command, filters=new_message))
    app.add_handler(MessageHandler(new_message & filters.Document.ALL, upload_issue))

    app.add_handler(MessageHandler(new_message & private & filters.TEXT & ~filters.COMMAND, private_question))
    app.add_handler(MessageHandler(new_message & groups & filters.TEXT & ~filters.COMMAND, group_mention_or_reply))

    app.add_handler(CallbackQueryHandler(next_or_full, pattern=ANSWER_BUTTON_PATTERN))
    app.add_handler(CallbackQueryHandler(turn_list_page, pattern=LIST_PAGE_PATTERN))
    app.add_handler(CallbackQueryHandler(ask_example, pattern=EXAMPLE_PATTERN))
    app.add_handler(CallbackQueryHandler(subscribe_button, pattern=SUBSCRIBE_PATTERN))
    app.add_handler(CallbackQueryHandler(unsubscribe_button, pattern=UNSUBSCRIBE_PATTERN))
    app.add_handler(CallbackQueryHandler(delivered_article, pattern=ARTICLE_PATTERN))
    app.add_handler(InlineQueryHandler(inline_question))
    app.add_error_handler(on_error)
    return app


async def on_start(app: BotApplication) -> None:
    """After initialize, before the first update: command menus, the health heartbeat, and the
    merge of a saved store's grown segments (in the background)."""
    app.bot_data.serving.merge_later()
    await set_commands(app)
    heartbeat = app.bot_data.heartbeat
    heartbeat.mark_ok()  # initialize just called getMe
    app.bot_data.heartbeat_task = asyncio.create_task(heartbeat.run(app.bot.get_webhook_info))
    app.bot_data.deliverer.start(app.bot.send_message)  # issues new since the last run are planned first
    if app.bot_data.watcher is not None:
        app.bot_data.watcher.start(lambda text: notify_admins(app.bot, app.bot_data.settings.admin_ids, text))


async def on_stop(app: BotApplication) -> None:
    """After the last update: stop watching the corpus folder, let deliveries in flight finish,
    stop the heartbeat, mark the status stopped, close the stores."""
    if app.bot_data.watcher is not None:
        await app.bot_data.watcher.stop()
    await app.bot_data.deliverer.stop()
    task, app.bot_data.heartbeat_task = app.bot_data.heartbeat_task, None
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    with contextlib.suppress(OSError):
        app.bot_data.heartbeat.write(stopped=True)
    app.bot_data.stats.close()
    app.bot_data.subscriptions.close()
    log.info("stopped")


async def set_commands(app: BotApplication) -> None:
    """Command menus per scope: private chats, groups, and each admin's private chat."""

    def commands(pairs: Sequence[tuple[str, str]]) -> list[BotCommand]:
        return [BotCommand(c, d) for c, d in pairs]

    await app.bot.set_my_commands(commands(msg.COMMANDS_PRIVATE), scope=BotCommandScopeAllPrivateChats())
    await app.bot.set_my_commands(commands(msg.COMMANDS_GROUP), scope=BotCommandScopeAllGroupChats())
    for admin_id in app.bot_data.settings.admin_ids:
        try:
            await app.bot.set_my_commands(
                commands(msg.COMMANDS_PRIVATE + msg.COMMANDS_ADMIN), scope=BotCommandScopeChat(admin_id)
            )
        except TelegramError as exc:  # an admin who never talked to the bot
            log.warning("could not set admin commands for %s: %s", admin_id, exc)


def run(settings: Settings, options: RunOptions) -> int:
    """`datong-bot run`: load the corpus, then poll or serve a webhook; 2 when it cannot start."""
    secret = options.secret_token or settings.webhook_secret
    if options.webhook_url and not secret:
        print("配置错误: webhook 需要 --secret-token 或 WEBHOOK_SECRET_TOKEN", file=sys.stderr)
        return 2
    try:
        check_data_dir(settings.data_dir)  # before anything writes there: stats, status.json, the index
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"配置错误 configuration error: {problem}", file=sys.stderr)
        return 2
    setup_logging(settings.token, settings.log_format)
    try:
        index = load_index(settings.corpus_path, settings.data_dir, progress=Progress())  # before the first update
    except LoadErrors as exc:
        for error in exc.errors:
            log.error("corpus error: %s", error)
        return 2
    index.warm()  # what the first question would load (dictionary, POS tagger, cn2an, pypinyin): nobody waits
    examples(index)  # made and checked now, before the first update: /start never waits
    log.info("corpus %s loaded: %d issues, %d paragraphs", index.corpus.version, len(index.corpus.issues), len(index.passages))
    app = build_application(settings, index)
    try:
        serve(app, options, secret)
    except TelegramError as exc:
        if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):  # unreachable: a restart may help
            log.error("cannot reach Telegram: %s", exc)
            return 1
        log.error("Telegram refused to start the bot: %s", exc)  # e.g. the token was rejected (not printed)
        return 2
    return 0


def wait_for_stop() -> None:
    """After a configuration or corpus error (exit 2): stay up, doing nothing, until SIGTERM or
    SIGINT. In a container this keeps a restart policy such as Docker's `unless-stopped` from
    restarting the bot in a loop; the error stays the last thing in the logs (`run --wait-on-error`)."""
    stop = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)  # also works as PID 1, which has no default SIGTERM action
    print(
        "配置错误, 等待修复 not starting: fix the error above, then recreate or restart the container "
        "(docker compose up -d / docker compose restart bot); waiting for SIGTERM",
        file=sys.stderr,
        flush=True,
    )
    signal.sigwait(stop)


def serve(app: BotApplication, options: RunOptions, secret: str | None) -> None:
    """Long polling, or a webhook when a webhook URL is given; returns on SIGTERM/SIGINT."""
    if options.webhook_url:
        app.run_webhook(
            listen=options.listen,
            port=options.port,
            url_path=urlparse(options.webhook_url).path.lstrip("/"),
            webhook_url=options.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
