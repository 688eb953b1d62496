"""The front door: every message people send — console, private chat, group, inline, eval — goes
through `respond`, so they never disagree about what a message is or what it gets.

`respond(index, text)` recognises the intent (bot.intents) and returns a `Reply`: small talk and
other-language replies carry no passages; "what does article X say" carries that article's lead
paragraph as a confident answer; "what is in the paper" carries the lead of every article of the
issue (so each can be opened whole); anything else is the search's own `Answer` (`index.ask`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .corpus import Issue
from .dates import DateScope
from .decide import ANSWERED, NOT_FOUND, Answer, Hit
from .index import Index
from .intents import SMALL_TALK, Intent, recognise
from .passages import passage_of

__all__ = ["Intent", "Reply", "lead_hit", "respond"]


@dataclass(frozen=True)
class Reply:
    """What a message gets: its intent and, for each intent, what to show."""

    question: str  # as sent
    intent: Intent
    answer: Answer  # the passages to show (none for small talk and other languages)
    issues: tuple[Issue, ...] = ()  # ISSUE: the issues listed
    scope: DateScope | None = None  # ISSUE: the dates asked for; no listed issue has them if `missing`

    @property
    def answered(self) -> bool:
        return self.answer.answered

    @property
    def small_talk(self) -> bool:
        return self.intent in SMALL_TALK

    @property
    def missing(self) -> bool:
        """An issue of a date the corpus does not hold was asked for (the newest is listed)."""
        return self.scope is not None and not any(self.scope.start <= i.date <= self.scope.end for i in self.issues)


def lead_hit(issue: Issue, article: int) -> Hit:
    """An article's first paragraph as a hit, the way the search would show it (an issue's
    articles always have a paragraph: the loader drops the empty ones)."""
    return Hit(passage=passage_of(issue, article, 0), score=0.0, coverage=1.0, highlight=())


def respond(index: Index, text: str, top: int = 3) -> Reply:
    """What a message gets (see the module docstring)."""
    seen = recognise(index, text)
    if seen.intent == Intent.SEARCH:
        answer = index.ask(seen.text, top=top)
        if answer.question != text:  # a greeting or a thanks was taken off: report what was sent
            answer = dataclasses.replace(answer, question=text)
        return Reply(text, seen.intent, answer)
    if seen.intent == Intent.ARTICLE and seen.article is not None:
        issue, article = seen.article
        answer = Answer(text, ANSWERED, (lead_hit(issue, article),), reasons=("intent: article says",))
        return Reply(text, seen.intent, answer)
    if seen.intent == Intent.ISSUE:
        leads = tuple(lead_hit(issue, n) for issue in seen.issues for n in range(len(issue.articles)))
        answer = Answer(text, ANSWERED if leads else NOT_FOUND, leads, reasons=("intent: issue contents",))
        return Reply(text, seen.intent, answer, issues=seen.issues, scope=seen.scope)
    return Reply(text, seen.intent, Answer(text, NOT_FOUND, (), reasons=(f"intent: {seen.intent}",)))
