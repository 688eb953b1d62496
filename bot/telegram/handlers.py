"""People's handlers, named for what they answer; the core (bot.index, bot.reply) does the work.

Every handler annotates `context: Context`, so `context.bot_data` is the typed `BotData`. Handlers
registered for new messages can count on a message; they still check, and return if there is none.
"""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardMarkup, InlineQueryResultArticle, InputTextMessageContent, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError, TimedOut
from telegram.ext import ApplicationHandlerStop

from .. import messages as msg
from ..addressing import clean_question, command_question, group_question
from ..corpus import Issue
from ..decide import ANSWERED
from ..examples import examples
from ..front import Intent, Reply, respond
from ..index import Index
from ..reply import answer_html, article_html_parts, papers_of, passage_html, reply_html, reply_text, tg_len
from .admin import is_admin
from .callbacks import (
    NEXT,
    answer_buttons,
    article_buttons,
    example_buttons,
    example_digest,
    page_buttons,
    parse_callback,
    parse_example,
    parse_list_page,
)
from .context import Context, Shown

log = logging.getLogger("datong_bot")

HITS_FOR_BUTTONS = 5
INLINE_RESULTS = 5
INLINE_LIMIT = 50  # Telegram's most results for one inline query (an issue's list can be longer)
ISSUES_PER_PAGE = 5


# -- plain functions the handlers use ----------------------------------------------------------


def example_lines(index: Index) -> str:
    """The example questions of /start and /help (made from the loaded corpus, never hard-coded)."""
    return "\n".join(f"• {q}" for q in examples(index))


def first_headline(index: Index) -> str:
    return next(iter(index.headlines(1)), "")


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


def issue_named(index: Index, name: str) -> Issue | None:
    return next((i for i in index.corpus.issues if i.name == name), None)


def mentioned_question(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a group message that names the bot or replies to it; None if it does neither."""
    entities = message.parse_entities(["mention", "text_mention"])
    reply = message.reply_to_message
    return group_question(
        message.text,
        bot_username=bot_username,
        mentions=[text for e, text in entities.items() if e.type == "mention"],
        text_mention_ids=[e.user.id for e in entities if e.type == "text_mention" and e.user],
        bot_id=bot_id,
        reply_to_bot=bool(reply and reply.from_user and reply.from_user.id == bot_id),
    )


def inline_results(reply: Reply, index: Index) -> list[InlineQueryResultArticle]:
    """The passages to pick from; for small talk or another language, the reply itself."""
    if not reply.answer.results and reply.intent != Intent.SEARCH:
        text = reply_text(reply, index)
        content = InputTextMessageContent(reply_html(reply, index), parse_mode=ParseMode.HTML)
        return [
            InlineQueryResultArticle(
                id="0", title=text.splitlines()[0][:100], description=text[:80], input_message_content=content
            )
        ]
    return [
        InlineQueryResultArticle(
            id=str(n),
            title=hit.passage.headline[:100] or msg.NOT_FOUND,
            description=hit.passage.text[:80],
            input_message_content=InputTextMessageContent(
                answer_html(reply.answer, index.headlines(), n) if reply.intent == Intent.SEARCH else passage_html(hit),
                parse_mode=ParseMode.HTML,
            ),
        )
        for n, hit in enumerate(reply.answer.results[:INLINE_LIMIT])
    ]


def present(context: Context, index: Index, reply: Reply, asked: str = "") -> tuple[str, InlineKeyboardMarkup | None]:
    """A reply as a message and its buttons: examples under a greeting, "who are you" and "please
    ask in Chinese", a headline button per article under an issue's list, 下一条 / 全文 under
    passages. `asked` (a pressed example) is repeated on top."""
    text = reply_html(reply, index)
    if asked:
        text = html.escape(msg.ASKED.format(question=asked)) + "\n\n" + text
    if reply.intent in (Intent.GREETING, Intent.WHO, Intent.OTHER_LANGUAGE):
        return text, example_buttons(examples(index))
    if not reply.answer.results:
        return text, None
    key = context.bot_data.answers.put(Shown(index.corpus.version, reply.answer))
    if reply.intent == Intent.ISSUE:
        return text, article_buttons(key, reply.answer)
    return text, answer_buttons(key, 0, reply.answer, subscribe=reply.intent == Intent.SEARCH)


# -- every path to a question ends here ----------------------------------------------------------


async def allowed(context: Context, user_id: int, message: Message | None) -> bool:
    """The per-user throttle; says so once per period (to `message`, when there is one)."""
    throttle = context.bot_data.throttle
    if await throttle.allow(user_id):
        return True
    if message is not None and throttle.should_tell(user_id):
        await message.reply_text(msg.THROTTLED.format(seconds=int(throttle.period)))
    return False


async def answer_question(update: Update, context: Context, question: str, chat_type: str) -> None:
    """Throttle, go through the front door, record, reply with buttons."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or not await allowed(context, user.id, message):
        return
    index = context.bot_data.serving.index  # one reference for the whole reply: old or new corpus, never a mix
    if not question:
        await message.reply_text(msg.EMPTY_QUESTION.format(example=next(iter(examples(index)), first_headline(index))))
        return
    reply = respond(index, question, top=HITS_FOR_BUTTONS)
    record(context, reply, chat_type)
    text, markup = present(context, index, reply)
    await message.reply_html(text, reply_markup=markup, link_preview_options=None)


def record(context: Context, reply: Reply, chat_type: str) -> None:
    """Stats and one log line per question (small talk is logged, not counted as a question);
    its text only with LOG_QUESTIONS=1."""
    data = context.bot_data
    if reply.small_talk:
        log.info(
            "small talk chat=%s intent=%s", chat_type, reply.intent, extra={"chat_type": chat_type, "intent": str(reply.intent)}
        )
        return
    answer = reply.answer
    unanswered = reply.question if answer.outcome != ANSWERED else None
    data.stats.record(answer.outcome, answer.elapsed_ms, chat_type, unanswered)
    top = answer.hits[0].score if answer.hits else 0.0
    extra = {
        "chat_type": chat_type,
        "intent": str(reply.intent),
        "outcome": answer.outcome,
        "top_score": round(top, 3),
        "latency_ms": round(answer.elapsed_ms, 1),
        "corpus_version": data.serving.index.corpus.version,
    }
    line = "question chat=%s outcome=%s top=%.2f latency_ms=%.1f corpus=%s"  # the intent: in JSON logs
    args: list[object] = [chat_type, answer.outcome, top, answer.elapsed_ms, extra["corpus_version"]]
    if data.settings.log_questions:
        extra["question"] = reply.question
        line += " question=%r"
        args.append(reply.question)
    log.info(line, *args, extra=extra)


# -- handlers ---------------------------------------------------------------------------------


async def gatekeeper(update: Update, context: Context) -> None:
    """Only people's new messages, button presses and inline queries get through."""
    user = update.effective_user
    if update.edited_message or update.channel_post or update.edited_channel_post:
        raise ApplicationHandlerStop
    if user is not None and user.is_bot:
        raise ApplicationHandlerStop


async def start(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    index = context.bot_data.serving.index
    text = msg.START.format(papers=papers_of(index), examples=example_lines(index))
    await message.reply_text(text, reply_markup=example_buttons(examples(index)))


async def help_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    index = context.bot_data.serving.index
    text = msg.HELP.format(bot=context.bot.username, examples=example_lines(index))
    if update.effective_user and is_admin(update.effective_user.id, context.bot_data.settings.admin_ids):
        text += msg.ADMIN_HELP + (msg.ADMIN_HELP_WATCH if context.bot_data.watcher is not None else "")
    await message.reply_text(text, reply_markup=example_buttons(examples(index)))


async def list_issues(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    text, page, pages = list_page(context.bot_data.serving.index)
    await message.reply_text(text, reply_markup=page_buttons(page, pages))


async def turn_list_page(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    wanted = parse_list_page(query.data)
    await query.answer()
    if wanted is None:
        return
    text, page, pages = list_page(context.bot_data.serving.index, wanted)
    if text != (query.message.text if isinstance(query.message, Message) else None):
        await query.edit_message_text(text, reply_markup=page_buttons(page, pages))


async def ask_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    question = command_question(context.args or [])
    if not question:
        await message.reply_text(msg.GROUP_ASK_USAGE.format(example=first_headline(context.bot_data.serving.index)))
        return
    await answer_question(update, context, question, message.chat.type)


async def private_question(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    await answer_question(update, context, clean_question(message.text), ChatType.PRIVATE)


async def group_mention_or_reply(update: Update, context: Context) -> None:
    """A group message that names the bot or replies to it; anything else stays unanswered."""
    message = update.effective_message
    if message is None:
        return
    question = mentioned_question(message, context.bot.username, context.bot.id)
    if question is not None:
        await answer_question(update, context, question, message.chat.type)


async def next_or_full(update: Update, context: Context) -> None:
    """下一条 edits the message to the next passage; 全文 sends the whole article."""
    query = update.callback_query
    if query is None:
        return
    kind, key, position = parse_callback(query.data)
    index = context.bot_data.serving.index
    shown = context.bot_data.answers.get(key, index.corpus.version) if kind else None
    results = shown.answer.results if shown else ()
    if shown is None or position >= len(results):
        await query.answer(msg.STALE_BUTTON, show_alert=False)
        return
    if kind == NEXT:
        await query.answer()
        if position == shown.position:  # a second quick press: the message already shows it
            return
        shown.position = position
        try:
            await query.edit_message_text(
                answer_html(shown.answer, index.headlines(), position),
                parse_mode=ParseMode.HTML,
                reply_markup=answer_buttons(key, position, shown.answer, subscribe=True),  # 下一条: only searches
            )
        except BadRequest as exc:  # pressed twice: the message already shows that passage
            if "not modified" not in str(exc):
                raise
        return
    passage = results[position].passage
    issue = issue_named(index, passage.issue)
    if issue is None or query.message is None:
        await query.answer(msg.STALE_BUTTON)
        return
    await query.answer()
    await send_article(context, query.message.chat.id, issue, passage.article - 1)


async def send_article(context: Context, chat_id: int, issue: Issue, article: int) -> None:
    """An issue's article (0-based) whole, in as many messages as it needs: every 全文 button."""
    for part in article_html_parts(issue.articles[article], issue.paper, issue.date.isoformat()):
        await context.bot.send_message(chat_id, part, parse_mode=ParseMode.HTML)


async def ask_example(update: Update, context: Context) -> None:
    """An example button of /start, /help or a greeting: ask it, in the chat it was pressed in."""
    query = update.callback_query
    if query is None:
        return
    index = context.bot_data.serving.index
    digest = parse_example(query.data)
    question = next((q for q in examples(index) if example_digest(q) == digest), None) if digest else None
    if question is None or query.message is None:
        await query.answer(msg.STALE_BUTTON)
        return
    await query.answer()
    if not await allowed(context, query.from_user.id, None):
        return
    chat = query.message.chat
    reply = respond(index, question, top=HITS_FOR_BUTTONS)
    record(context, reply, chat.type)
    text, markup = present(context, index, reply, asked=question)
    await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def inline_question(update: Update, context: Context) -> None:
    """`@bot 问题` in any chat: the best passages to pick from."""
    query = update.inline_query
    if query is None:
        return
    question = clean_question(query.query)
    if not question:
        await query.answer([], cache_time=5)
        return
    index = context.bot_data.serving.index
    reply = respond(index, question, top=INLINE_RESULTS)
    record(context, reply, "inline")
    await query.answer(inline_results(reply, index), cache_time=30)


async def on_error(update: object, context: Context) -> None:
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
