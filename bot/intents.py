"""What a message is, besides a question for the search: rules a reader can follow and test.

`recognise(index, text)` is pure: the same text and corpus give the same intent. In order:

1. **Small talk** (greeting, thanks, who are you, goodbye): the whole message, punctuation and
   emoji aside, is made only of small-talk phrases and fillers (particles such as 啊/呀/呢, 你/您,
   a way to address the bot such as 机器人). One more content word and it is not small talk:
   `你好，请问图书馆几点开门` goes to the search.
2. **Other language**: no Chinese character, at least one word of two or more letters, and fewer
   than half of those words occur in the paper (`IDC`, `TB` do; `PM2.5`-like codes joined to
   digits are never counted as language).
3. A greeting before a question or a thanks after it (`你好，…`, `…谢谢`) is politeness: it is
   taken off what the rules below and the search read.
4. **What does article X say**: `X讲了什么`, `X那篇说了啥`, `X的主要内容`, `关于X的报道` … where
   X, quotes (「」《》“”) and punctuation aside, is an article's headline or subtitle of the
   corpus: the same, a part of one (four characters or more, of one headline only) or nearly the
   same (a difflib ratio of 0.8 or more). Any other X goes to the search.
5. **What is in an issue**: once a date (bot.dates) and the papers' names are taken off, the
   message is only words for the paper or the news (报纸, 这期, 头版, 新闻…), words asking what
   is in it (有什么, 讲了啥, 内容…) and fillers, with at least one word for the paper or the news:
   `今天的报纸有什么新闻`, `<paper's name>今天头版是什么`, `昨天的报纸`, `11月2日那期`.

Everything else is a question for the search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

from .corpus import Issue
from .dates import DateScope, date_scope
from .text import normalize

if TYPE_CHECKING:
    from .index import Index


class Intent(str, Enum):
    """What a message is; its value is what `ask --json` reports as "intent"."""

    SEARCH = "search"
    GREETING = "greeting"
    THANKS = "thanks"
    WHO = "who"
    GOODBYE = "goodbye"
    OTHER_LANGUAGE = "other_language"
    ARTICLE = "article_says"
    ISSUE = "issue_contents"

    def __str__(self) -> str:
        return self.value


SMALL_TALK = frozenset({Intent.GREETING, Intent.THANKS, Intent.WHO, Intent.GOODBYE})


@dataclass(frozen=True)
class Recognised:
    """An intent and what it needs; `text` is what the search should read (politeness off)."""

    intent: Intent
    text: str
    issues: tuple[Issue, ...] = ()  # ISSUE: the issues to list (the newest when none has the date)
    scope: DateScope | None = None  # ISSUE: the dates asked for, if any
    article: tuple[Issue, int] | None = None  # ARTICLE: the issue and the article's 0-based position


# -- the words the rules use ------------------------------------------------------------------


def _alternation(words: str) -> str:
    """A regex alternation of space-separated words, the longest first (so 你好 before 你)."""
    return "|".join(sorted(map(re.escape, words.split()), key=len, reverse=True))


_PHRASES = {
    Intent.GREETING: "你好 您好 你们好 大家好 哈喽 哈啰 嗨 早上好 早安 上午好 中午好 下午好 晚上好 早 在吗 在不在 有人吗 "
    "打扰了 打扰一下 hi hello hey 你好呀 你好吗",
    Intent.THANKS: "谢谢 多谢 感谢 谢了 谢啦 谢谢啦 辛苦了 辛苦 太好了 好的 明白了 知道了 收到 thanks thankyou thx ok okay",
    Intent.WHO: "你是谁 你是什么 你是干什么的 你是做什么的 你能做什么 你能干什么 你会什么 你会干什么 你可以做什么 "
    "你能干啥 你会啥 你是啥 你有什么用 你叫什么 你叫啥 怎么用 怎么使用 如何使用 怎么问 你是机器人吗 你是人吗 "
    "介绍一下自己 介绍一下你自己 自我介绍 能做什么 帮助 whoareyou help",
    Intent.GOODBYE: "再见 拜拜 拜 回见 下次见 晚安 先这样 走了 bye byebye goodbye",
}
# Words that add nothing to small talk: particles, "you", ways to address the bot, intensifiers.
_FILLER = _alternation(
    "啊 呀 呢 吧 哈 哈哈 嘛 哦 啦 喔 哟 呐 嗯 诶 哎 耶 咯 噢 了 你 您 "
    "机器人 小编 小助手 助手 bot 朋友 亲 老师 很 非常 真 太 真的 一下 请问"
)
_SMALL_TALK = re.compile(rf"(?:{'|'.join(_alternation(p) for p in _PHRASES.values())}|{_FILLER})+")
_PHRASE = {intent: re.compile(_alternation(p)) for intent, p in _PHRASES.items()}
_NOT_WORD = re.compile(r"[\W_]+")  # punctuation, symbols, emoji, spaces

# Politeness around a question: only phrases that are never the start or end of a real word.
_HELLO = _alternation("你好 您好 你们好 大家好 哈喽 哈啰 嗨 早上好 上午好 下午好 晚上好 在吗 打扰了 打扰一下")
_POLITE_HEAD = re.compile(rf"^(?:[\W_]*(?:{_HELLO})(?:[呀啊])?)+[\W_]*")
_POLITE_TAIL = re.compile(rf"(?:[\W_]*(?:{_alternation('谢谢 多谢 谢谢你 谢谢您 谢啦 谢了')})(?:[啊啦])?)+[\W_]*$")

_QUOTES = "「」『』《》〈〉“”‘’\"'"
_SAYS = re.compile(
    r"^(?:关于|有关)?(?P<x>.+?)(?:那篇|这篇|一文|文章|报道|新闻|稿子)?(?:的)?(?:主要)?(?:"
    r"讲了什么|讲的什么|讲的是什么|讲什么|讲了啥|讲的啥|讲的是啥|讲啥|说了什么|说的什么|说的是什么|说了啥|说的啥|说啥"
    r"|写了什么|写的什么|写的是什么|写了啥|写的啥|是什么内容|什么内容|内容是什么|内容|怎么说的|怎么说)"
    r"[吗呢啊呀]*$"
)
_ABOUT = re.compile(r"^(?:关于|有关)(?P<x>.+?)的?(?:报道|文章|新闻|那篇|这篇|稿子)[吗呢啊呀]*$")
MIN_PART = 4  # characters of a headline a part must have to name it
SIMILAR = 0.8  # difflib ratio at which a headline with small differences is the one meant

_PAPER_WORDS = (
    "报纸 报 日报 晚报 本报 这期 那期 本期 一期 这一期 那一期 最新一期 期 头版 要闻 版面 版 新闻 消息 报道 文章 标题 头条"
)
_ISSUE_WORDS = re.compile(
    rf"(?:{_alternation(_PAPER_WORDS)}"
    r"|有什么|有啥|有哪些|都有|有|讲了什么|讲的什么|讲什么|讲了啥|讲啥|说了什么|说了啥|说什么|说啥|写了什么|写了啥|写什么"
    r"|登了什么|登了啥|登了|是什么|是啥|内容|什么|啥|哪些|看看|看|给我|发|我想|我要|想|查|讲|说|写|登|上|了|的|都"
    r"|呢|吗|啊|呀|吧|请问|请|最新|最近|新|今天|今日|目前|现在|近期|这几天|一下|大家|我|你们|你|是)+"
)
_PAPER_WORD = re.compile(_alternation(_PAPER_WORDS))

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LETTER_WORD = re.compile(r"(?<![\d.])[^\W\d_]{2,}(?![\d.])")  # letters only, not joined to digits
_LATIN_IN_TOKEN = re.compile(r"[a-z]+")


def key(text: str) -> str:
    """A title as the rules compare it: normalised, without quotes, punctuation or spaces."""
    return _NOT_WORD.sub("", normalize(text).translate({ord(q): None for q in _QUOTES}))


# -- per-index caches (computed once per loaded index) ------------------------------------------

T = TypeVar("T")


def per_index(index: Index, name: str, make: Callable[[Index], T]) -> T:
    """`make(index)`, computed once per loaded index (kept in its `memo`)."""
    if name not in index.memo:
        index.memo[name] = make(index)
    return index.memo[name]  # type: ignore[return-value]


def _latin_words(index: Index) -> frozenset[str]:
    """The Latin words in the paper: letter runs of its index tokens (w:idc, q:1770tb → idc, tb)."""
    return frozenset(w for token in index.bm25.vocab for w in _LATIN_IN_TOKEN.findall(token[2:]))


@dataclass(frozen=True)
class _Title:
    key: str
    issue: Issue
    article: int


def _titles(index: Index) -> list[_Title]:
    """Every article's headline and subtitle as keys, newest issue first."""
    out: list[_Title] = []
    for issue in sorted(index.corpus.issues, key=lambda i: (i.date, i.name), reverse=True):
        for n, article in enumerate(issue.articles):
            for title in (article.headline, article.subtitle):
                if title and key(title):
                    out.append(_Title(key(title), issue, n))
    return out


# -- the rules --------------------------------------------------------------------------------


def small_talk(text: str) -> Intent | None:
    """GREETING, THANKS, WHO or GOODBYE when the whole message is small talk; else None.

    Several kinds in one message: who-are-you wins, then thanks, goodbye, greeting
    (你好，你是谁 → WHO; 好的谢谢再见 → THANKS).
    """
    bare = _NOT_WORD.sub("", normalize(text))
    if not bare or not _SMALL_TALK.fullmatch(bare):
        return None
    for intent in (Intent.WHO, Intent.THANKS, Intent.GOODBYE, Intent.GREETING):
        if _PHRASE[intent].search(bare):
            return intent
    return None  # only fillers ("啊", "你"): not small talk


def other_language(text: str, index: Index) -> bool:
    """No Chinese character, and fewer than half of its words of 2+ letters are in the paper."""
    normalized = normalize(text)
    if _HAN.search(normalized):
        return False
    words = _LETTER_WORD.findall(normalized)
    if not words:
        return False
    known = per_index(index, "latin", _latin_words)
    return sum(w in known for w in words) * 2 < len(words)


def polite_core(text: str) -> str:
    """The question without a greeting before it or a thanks after it; the text itself when
    nothing is taken off, or when nothing would be left."""
    normalized = normalize(text)
    core = _POLITE_TAIL.sub("", _POLITE_HEAD.sub("", normalized))
    return core if core != normalized and _NOT_WORD.sub("", core) else text


def named_article(x: str, index: Index) -> tuple[Issue, int] | None:
    """The article whose headline (or subtitle) `x` names: the same, a part of one headline
    only, or nearly the same; the newest issue's on a tie."""
    wanted = key(x)
    if not wanted:
        return None
    titles = per_index(index, "titles", _titles)
    exact = next((t for t in titles if t.key == wanted), None)
    if exact is not None:
        return exact.issue, exact.article
    if len(wanted) >= MIN_PART:
        holding = {t.key: t for t in reversed(titles) if wanted in t.key}  # newest kept per title
        if len(holding) == 1:
            t = next(iter(holding.values()))
            return t.issue, t.article
    best: tuple[float, _Title] | None = None
    for t in titles:
        if abs(len(t.key) - len(wanted)) > len(wanted) * (1 - SIMILAR) + 2:
            continue
        matcher = SequenceMatcher(None, wanted, t.key, autojunk=False)
        if matcher.quick_ratio() < SIMILAR:
            continue
        ratio = matcher.ratio()
        if ratio >= SIMILAR and (best is None or ratio > best[0]):
            best = (ratio, t)
    return (best[1].issue, best[1].article) if best else None


def article_says(text: str, index: Index) -> tuple[Issue, int] | None:
    """The article a "what does X say" message names, or None."""
    bare = normalize(text).strip().rstrip("?？!！。.…~～ ")
    for pattern in (_ABOUT, _SAYS):
        m = pattern.match(bare)
        if m:
            found = named_article(m.group("x"), index)
            if found is not None:
                return found
    return None


def _paper_names(index: Index) -> list[str]:
    names = {normalize(i.paper) for i in index.corpus.issues} | {i.slug for i in index.corpus.issues}
    return sorted((n for n in names if n), key=len, reverse=True)


def issue_contents(text: str, index: Index) -> tuple[tuple[Issue, ...], DateScope | None] | None:
    """The issues a "what is in the paper" message asks for, and the date it named; None when the
    message is not one. No issue of that date: the newest issue (with the date, so it can be said)."""
    if not index.corpus.issues:
        return None
    normalized = normalize(text)
    newest = max(i.date for i in index.corpus.issues)
    scope = date_scope(normalized, newest)
    rest = normalized.replace(scope.said, " ", 1) if scope else normalized
    named = [n for n in _paper_names(index) if n in rest]
    for name in named:
        rest = rest.replace(name, " ")
    bare = _NOT_WORD.sub("", rest)
    paper_word = bool(named) or bool(_PAPER_WORD.search(bare))
    if not paper_word or (bare and not _ISSUE_WORDS.fullmatch(bare)):
        return None
    papers = {i.paper for i in index.corpus.issues if normalize(i.paper) in named or i.slug in named}
    pool = [i for i in index.corpus.issues if not papers or i.paper in papers] or list(index.corpus.issues)
    inside = [i for i in pool if scope is None or scope.start <= i.date <= scope.end]
    day = max(i.date for i in (inside or pool))
    return tuple(sorted((i for i in pool if i.date == day), key=lambda i: i.name)), scope


def recognise(index: Index, text: str) -> Recognised:
    """The intent of a message (see the module's docstring for the rules, in their order)."""
    talk = small_talk(text)
    if talk is not None:
        return Recognised(talk, text)
    if other_language(text, index):
        return Recognised(Intent.OTHER_LANGUAGE, text)
    core = polite_core(text)
    article = article_says(core, index)
    if article is not None:
        return Recognised(Intent.ARTICLE, core, article=article)
    contents = issue_contents(core, index)
    if contents is not None:
        return Recognised(Intent.ISSUE, core, issues=contents[0], scope=contents[1])
    return Recognised(Intent.SEARCH, core)
