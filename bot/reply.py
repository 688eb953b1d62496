"""How an answer looks: Telegram HTML, console text and the JSON contract — from one Answer.

Every piece of corpus text and user input is escaped here, and every message is cut to fit
Telegram's 4096-character limit, so no handler has to think about either.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import messages as msg
from .corpus import Article
from .decide import ANSWERED, NOT_FOUND, Answer, Hit
from .examples import examples
from .intents import Intent

if TYPE_CHECKING:
    from .front import Reply
    from .index import Index

TELEGRAM_LIMIT = 4096
BUDGET = 4000  # visible characters we allow ourselves, leaving room for the ellipses
TITLE_LIMIT = 400  # at most this much of a headline, subtitle or source line


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _window(text: str, span: tuple[int, int] | None, budget: int) -> tuple[str, tuple[int, int] | None, bool]:
    """Cut a passage to `budget` Telegram characters around its highlighted sentence."""
    if tg_len(text) <= budget:
        return text, span, False
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    start, end = span if span else (0, 0)
    used = 0
    right = start
    while right < max(end, start) and used + units[right] <= budget:  # the sentence first
        used += units[right]
        right += 1
    left = start
    grow_left = True
    while True:  # then context, one character at a time on alternate sides
        if grow_left and left > 0 and used + units[left - 1] <= budget:
            left -= 1
            used += units[left]
        elif right < len(text) and used + units[right] <= budget:
            used += units[right]
            right += 1
        elif left > 0 and used + units[left - 1] <= budget:
            left -= 1
            used += units[left]
        else:
            break
        grow_left = not grow_left
    prefix = "…" if left else ""
    suffix = "…" if right < len(text) else ""
    new_span = (start - left + len(prefix), min(end, right) - left + len(prefix)) if span else None
    return prefix + text[left:right] + suffix, new_span, True


def _source_line(hit: Hit) -> str:
    p = hit.passage
    source = msg.SOURCE.format(paper=p.paper, date=p.date)
    return f"{source} · " + msg.PARAGRAPH_POS.format(article=p.article, paragraph=p.paragraph)


def _short(title: str | None, limit: int = TITLE_LIMIT) -> str:
    """A title cut to leave the passage room (the loader caps them too; this holds for any input)."""
    title = title or ""
    return title if tg_len(title) <= limit else title[: limit // 2 - 1] + "…"


def passage_html(hit: Hit, intro: str = "") -> str:
    """Headline in bold, source, then the verbatim passage with its answer sentence underlined."""
    p = hit.passage
    headline, subtitle, source = _short(p.headline), _short(p.subtitle), _short(_source_line(hit))
    head = [f"<b>{html.escape(headline)}</b>"]
    if subtitle:
        head.append(f"<i>{html.escape(subtitle)}</i>")
    head.append(html.escape(source))
    visible_head = sum(tg_len(x) for x in (intro, headline, subtitle, source)) + 8
    text, span, cut = _window(p.text, hit.highlight[0] if hit.highlight else None, BUDGET - visible_head)
    if span:
        s, e = span
        body = f"{html.escape(text[:s])}<u>{html.escape(text[s:e])}</u>{html.escape(text[e:])}"
    else:
        body = html.escape(text)
    if cut:
        body += "\n" + html.escape(msg.TRUNCATED)
    parts = ([html.escape(intro)] if intro else []) + ["\n".join(head), body]
    return "\n\n".join(parts)


def not_found_html(topics: Sequence[str]) -> str:
    hint = msg.NOT_FOUND_HINT.format(topics="、".join(f"「{t}」" for t in topics[:3]))
    return html.escape(msg.NOT_FOUND + "\n" + hint)


def answer_html(answer: Answer, topics: Sequence[str], position: int = 0) -> str:
    """The Telegram reply for an answer; `position` picks the n-th hit (the 下一条 button)."""
    if answer.outcome == NOT_FOUND or not answer.hits:
        return not_found_html(topics)
    hit = answer.hits[min(position, len(answer.hits) - 1)]
    intro = msg.UNSURE_INTRO if answer.outcome != ANSWERED and position == 0 else ""
    return passage_html(hit, intro)


def article_html_parts(article: Article, paper: str, date: str) -> list[str]:
    """A whole article as messages of at most 4096 characters, paragraphs kept whole if possible."""
    head = f"<b>{html.escape(_short(article.headline))}</b>"
    if article.subtitle:
        head += f"\n<i>{html.escape(_short(article.subtitle))}</i>"
    head += "\n" + html.escape(_short(msg.SOURCE.format(paper=paper, date=date)))
    chunks: list[str] = []
    for para in article.paragraphs:
        while tg_len(para) > BUDGET - 100:
            cut = BUDGET - 100
            while tg_len(para[:cut]) > BUDGET - 100:
                cut -= 1
            chunks.append(para[:cut])
            para = para[cut:]
        chunks.append(para)
    parts: list[list[str]] = [[]]
    size = tg_len(_short(article.headline)) + tg_len(_short(article.subtitle)) + TITLE_LIMIT + 40
    for chunk in chunks:
        if parts[-1] and size + tg_len(chunk) + 2 > BUDGET - 20:
            parts.append([])
            size = 0
        parts[-1].append(chunk)
        size += tg_len(chunk) + 2
    out = []
    for n, group in enumerate(parts, start=1):
        body = "\n\n".join(html.escape(c) for c in group)
        label = html.escape(msg.ARTICLE_PART.format(part=n, parts=len(parts))) if len(parts) > 1 else ""
        first = head + (" " + label if label else "") + "\n\n" if n == 1 else (label + "\n\n" if label else "")
        out.append(first + body)
    return out


# -- console ----------------------------------------------------------------------------------


def passage_text(hit: Hit, marks: tuple[str, str] = ("【", "】")) -> str:
    p = hit.passage
    lines = [f"《{p.headline}》"]
    if p.subtitle:
        lines.append(p.subtitle)
    lines.append(_source_line(hit))
    text = p.text
    if hit.highlight:
        s, e = hit.highlight[0]
        text = f"{text[:s]}{marks[0]}{text[s:e]}{marks[1]}{text[e:]}"
    return "\n".join(lines) + "\n\n" + text


def answer_text(answer: Answer, topics: Sequence[str]) -> str:
    """The console reply: the same content as the Telegram one, as plain text."""
    if answer.outcome == NOT_FOUND or not answer.hits:
        return msg.NOT_FOUND + "\n" + msg.NOT_FOUND_HINT.format(topics="、".join(f"「{t}」" for t in topics[:3]))
    body = passage_text(answer.hits[0])
    if answer.outcome == ANSWERED:
        return body
    others = [f"  · 《{h.passage.headline}》{_source_line(h)}" for h in answer.hits[1:]]
    return msg.UNSURE_INTRO + "\n\n" + body + ("\n\n其他可能：\n" + "\n".join(others) if others else "")


def answer_json(answer: Answer) -> dict[str, Any]:
    """The stable JSON contract of `datong-bot ask --json`."""
    return {
        "question": answer.question,
        "answered": answer.answered,
        "results": [
            {
                "headline": h.passage.headline,
                "passage": h.passage.text,
                "score": round(h.score, 4),
                "paper": h.passage.paper,
                "date": h.passage.date,
                "article": h.passage.article,
                "paragraph": h.passage.paragraph,
            }
            for h in answer.results
        ],
    }


# -- replies of the front door (bot.front): intents besides questions ---------------------------


def papers_of(index: Index) -> str:
    """The names of the papers loaded, as the bot says them."""
    return "、".join(sorted({i.paper for i in index.corpus.issues})) or "报纸"


def _talk(reply: Reply, index: Index) -> str:
    """The plain text of a small-talk or other-language reply."""
    example = next(iter(examples(index)), msg.EXAMPLE_FALLBACK)
    template = {
        Intent.GREETING: msg.GREETING,
        Intent.THANKS: msg.THANKS,
        Intent.WHO: msg.WHO,
        Intent.GOODBYE: msg.GOODBYE,
        Intent.OTHER_LANGUAGE: msg.OTHER_LANGUAGE,
    }[reply.intent]
    return template.format(papers=papers_of(index), example=example)


def _contents_lines(reply: Reply, hint: str) -> list[tuple[str, bool]]:
    """What an issue holds, as (line, is a heading): a note if the asked date is not held, each
    issue's numbered headlines (the numbers are the positions of the answer's hits), a hint."""
    if not reply.issues:
        return [(msg.ISSUE_EMPTY, False)]
    lines = [(msg.ISSUE_MISSING.format(asked=_asked_dates(reply)), False)] if reply.missing else []
    used = sum(tg_len(x) + 1 for x, _ in lines) + tg_len(hint) + 60
    total = sum(len(i.articles) for i in reply.issues)
    shown = 0
    for issue in reply.issues:
        heading = msg.ISSUE_HEADER.format(paper=issue.paper, date=issue.date.isoformat(), count=len(issue.articles))
        block = [(heading, True)] + [(f"{shown + k}. {_short(a.headline, 120)}", False) for k, a in enumerate(issue.articles, 1)]
        for line, is_heading in block:
            if used + tg_len(line) + 1 > BUDGET:
                return [*lines, (msg.ISSUE_MORE.format(count=total - shown), False), (hint, False)]
            lines.append((line, is_heading))
            used += tg_len(line) + 1
            shown += not is_heading
    return [*lines, (hint, False)]


def _asked_dates(reply: Reply) -> str:
    scope = reply.scope
    if scope is None:
        return ""
    return scope.start.isoformat() if scope.start == scope.end else f"{scope.start.isoformat()}～{scope.end.isoformat()}"


def reply_html(reply: Reply, index: Index, position: int = 0) -> str:
    """The Telegram reply to any message (escaped, within Telegram's limit)."""
    if reply.intent == Intent.SEARCH:
        return answer_html(reply.answer, index.headlines(), position)
    if reply.intent == Intent.ARTICLE:
        return passage_html(reply.answer.hits[0])
    if reply.intent == Intent.ISSUE:
        lines = _contents_lines(reply, msg.ISSUE_HINT)
        return "\n".join(f"<b>{html.escape(x)}</b>" if heading else html.escape(x) for x, heading in lines)
    return html.escape(_talk(reply, index))


def reply_text(reply: Reply, index: Index) -> str:
    """The console reply to any message: the same content as the Telegram one, as plain text."""
    if reply.intent == Intent.SEARCH:
        return answer_text(reply.answer, index.headlines())
    if reply.intent == Intent.ARTICLE:
        return passage_text(reply.answer.hits[0])
    if reply.intent == Intent.ISSUE:
        return "\n".join(x for x, _ in _contents_lines(reply, msg.ISSUE_HINT_CONSOLE))
    return _talk(reply, index)


def reply_json(reply: Reply, index: Index) -> dict[str, Any]:
    """`ask --json` for any message: the contract of `answer_json`, the question as sent, and for
    a message that is not a question for the search, "intent" and the "reply" as text."""
    out = answer_json(reply.answer)
    out["question"] = reply.question
    if reply.intent != Intent.SEARCH:
        out["intent"] = reply.intent.value
        out["reply"] = reply_text(reply, index)
    return out
