"""Example questions for /start, /help and the greeting, made from the loaded corpus.

A clause of the newest issue that states a quantity ("今年已累计接待游客1575万人次") becomes a
question with the number asked for ("今年已累计接待游客多少万人次？"). An example is kept only
when the front door answers it confidently with the very paragraph it came from; at most one per
article, at most three. Too few: "「headline」讲了什么？" fills up, kept only when it is answered
as that article. Computed once per loaded index (`intents.per_index`), never per /start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from . import messages as msg
from .front import respond
from .intents import Intent, per_index
from .text import QUANTITY

if TYPE_CHECKING:
    from .corpus import Issue
    from .index import Index

COUNT = 3
MAX_TRIES = 40  # questions tried at most: bounds the cost at load time
MAX_CHARS = 28  # an example longer than this is hard to read on a phone
_LEAD = re.compile(r"^(?:本报讯|新华社[^)）]{0,12}电)?[(（][^)）]{0,30}[)）]\s*|^(?:本报讯|据悉|近日|日前|记者)\s*[,，:：]?")
_DATE_START = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日\s*[,，]?")
_SENTENCE = re.compile(r"[^。！？!?；;]+")
_CLAUSE = re.compile(r"[^，,：:]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?(?:\s*[×x*~～-]\s*\d+(?:\.\d+)?)?")
_UNFIT = re.compile(r"[\d()（）\[\]【】…—\s]")  # digits left, brackets maybe unbalanced, elisions
_IS_DATE = re.compile(r"^\d{4}年|月|日$")
# Spans of time and shares make vague questions.
_NOT_ASKED = frozenset(["%", "‰", "年", "天", "周", "小时", "分钟", "秒", "岁", "次", "届"])


def _asked(clause: str) -> tuple[str, str] | None:
    """The clause with its quantity asked for ("6座" → "多少座"), and that quantity; None unless
    the clause states exactly one quantity of a unit (not a date, a span of time or a share)."""
    found = [m for m in QUANTITY.finditer(clause) if not _IS_DATE.search(m.group(0))]
    if len(found) != 1:
        return None
    m = found[0]
    unit = _DIGITS.sub("", m.group(0), count=1).strip()
    if not unit or unit in _NOT_ASKED:
        return None
    return clause[: m.start()] + "多少" + unit + clause[m.end() :], m.group(0)


def _questions(text: str) -> Iterator[tuple[str, str]]:
    """Questions from the quantities a paragraph or title states, each with its quantity."""
    for sentence in _SENTENCE.findall(text):
        clauses = [c.strip() for c in _CLAUSE.findall(_DATE_START.sub("", _LEAD.sub("", sentence.strip())))]
        clauses = [c for c in clauses if c]
        for n, clause in enumerate(clauses):
            made = _asked(clause)
            if made is None:
                continue
            asked, said = made
            if len(asked) < 10 and n > 0:  # too short to say what it is about: the clause before too
                asked = clauses[n - 1] + "，" + asked
            if 8 <= len(asked) <= MAX_CHARS and not _UNFIT.search(asked):
                yield asked + "？", said


def _candidates(issue: Issue) -> Iterator[tuple[int, str, str]]:
    """(article, question, the paragraph that answers it) from an issue's articles, titles first."""
    for n, article in enumerate(issue.articles):
        if article.kind != "article":
            continue
        for source in (article.subtitle or "", *article.paragraphs):
            for question, said in _questions(source):
                paragraph = next((p for p in article.paragraphs if said in p), None)
                if paragraph is not None:
                    yield n, question, paragraph


def _build(index: Index) -> tuple[str, ...]:
    issues = sorted(index.corpus.issues, key=lambda i: (i.date, i.name), reverse=True)
    found: list[str] = []
    used: set[tuple[str, int]] = set()
    tries = 0
    for issue in issues[:3]:
        for n, question, paragraph in _candidates(issue):
            if len(found) >= COUNT or tries >= MAX_TRIES:
                break
            if (issue.name, n) in used or question in found:  # a reprinted article asks the same
                continue
            tries += 1
            reply = respond(index, question, top=2)
            hits = reply.answer.hits
            if reply.intent == Intent.SEARCH and reply.answered and hits and hits[0].passage.text == paragraph:
                found.append(question)
                used.add((issue.name, n))
    for headline in index.headlines(20):
        if len(found) >= COUNT:
            break
        if "…" in headline or len(headline) > MAX_CHARS - 7:  # a headline clipped from a lead
            continue
        question = msg.EXAMPLE_ARTICLE.format(headline=headline)
        if question not in found and respond(index, question).intent == Intent.ARTICLE:
            found.append(question)
    return tuple(found)


def examples(index: Index) -> tuple[str, ...]:
    """At most three example questions the loaded corpus answers confidently (cached per index)."""
    return per_index(index, "examples", _build)
