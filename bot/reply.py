"""How an answer looks: Telegram HTML, console text and the JSON contract — from one Answer.

Every piece of corpus text and user input is escaped here, and every message is cut to fit
Telegram's 4096-character limit, so no handler has to think about either.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from . import messages as msg
from .corpus import Article
from .decide import ANSWERED, NOT_FOUND, Answer, Hit

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
