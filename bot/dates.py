"""Dates in questions: which issues a question is about ("11月2日的报纸", "昨天", "上周", "今年").

Relative words count from the newest issue loaded — the bot speaks from the day of its latest
paper, which for a daily kept up to date is today. A date said together with a word for the
paper ("…的报纸", "那期", "报上") restricts the answer to those issues; a date alone only
favours them, because "今年" or "去年" in a question is usually about the news, not the issue.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PAPER_WORDS = r".{0,4}?(?:报纸|报道|报上|那期|这期|那一期|一期|日报|新闻|版面)"
_FULL = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_RELATIVE = {
    "今天": ("day", 0),
    "今日": ("day", 0),
    "昨天": ("day", -1),
    "昨日": ("day", -1),
    "前天": ("day", -2),
    "本周": ("week", 0),
    "这周": ("week", 0),
    "这个星期": ("week", 0),
    "上周": ("week", -1),
    "上个星期": ("week", -1),
    "上星期": ("week", -1),
    "本月": ("month", 0),
    "这个月": ("month", 0),
    "上个月": ("month", -1),
    "上月": ("month", -1),
    "今年": ("year", 0),
    "去年": ("year", -1),
    "前年": ("year", -2),
    # After the newest issue: the paper can only say what it announced for then.
    "明天": ("day", 1),
    "明日": ("day", 1),
    "后天": ("day", 2),
    "下周": ("week", 1),
    "下星期": ("week", 1),
    "下个星期": ("week", 1),
    "下个月": ("month", 1),
    "下月": ("month", 1),
    "明年": ("year", 1),
}
_RELATIVE_RE = re.compile("|".join(sorted(map(re.escape, _RELATIVE), key=len, reverse=True)))


def is_relative(said: str) -> bool:
    """Whether a date's words count from the newest issue (今年, 上周), not name a day."""
    return said in _RELATIVE


@dataclass(frozen=True)
class DateScope:
    start: dt.date
    end: dt.date  # inclusive
    strict: bool  # restrict to these issues (else only favour them)
    said: str  # the words in the question that gave it
    ahead: bool = False  # all of it after the newest issue: only an announcement can speak of it


def _span(unit: str, offset: int, newest: dt.date) -> tuple[dt.date, dt.date]:
    if unit == "day":
        day = newest + dt.timedelta(days=offset)
        return day, day
    if unit == "week":
        monday = newest - dt.timedelta(days=newest.weekday()) + dt.timedelta(weeks=offset)
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        year, month = divmod(newest.year * 12 + newest.month - 1 + offset, 12)
        first = dt.date(year, month + 1, 1)
        following = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    year = newest.year + offset
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def date_scope(question: str, newest: dt.date) -> DateScope | None:
    """The issue dates a (normalised) question points at, or None."""
    for pattern in (_ISO, _FULL):
        m = pattern.search(question)
        if m:
            groups = [g for g in m.groups()]
            year = int(groups[0]) if groups[0] else newest.year
            try:
                day = dt.date(year, int(groups[1]), int(groups[2]))
            except ValueError:
                continue
            if not groups[0] and day > newest + dt.timedelta(days=60):  # "12月30日" asked in January
                day = day.replace(year=year - 1)
            strict = bool(re.match(_PAPER_WORDS, question[m.end() :]))
            return DateScope(day, day, strict, m.group(0))
    m = _RELATIVE_RE.search(question)
    if m:
        start, end = _span(*_RELATIVE[m.group(0)], newest)
        strict = bool(re.match(_PAPER_WORDS, question[m.end() :]))
        return DateScope(start, end, strict, m.group(0), ahead=start > newest)
    return None


_NAMED_DAY = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?")
_NAMED_YEAR = re.compile(r"(\d{4})\s*年")


def names_time(scope: DateScope, text: str) -> bool:
    """Whether a text speaks of a time inside the scope: the same relative word ("明天" in the
    issue before), or a date that falls inside it — a day for a day or a week ("11月3日"), a
    month for a month, a year for a year ("2025年")."""
    if scope.said in text:
        return True
    whole_year = (scope.start.month, scope.start.day, scope.end.month, scope.end.day) == (1, 1, 12, 31)
    if whole_year and any(scope.start.year <= int(m.group(1)) <= scope.end.year for m in _NAMED_YEAR.finditer(text)):
        return True
    whole_month = scope.start.day == 1 and scope.end == _span("month", 0, scope.start)[1]
    for m in _NAMED_DAY.finditer(text):
        year = int(m.group(1)) if m.group(1) else scope.start.year
        month, day = int(m.group(2)), int(m.group(3)) if m.group(3) else None
        if day is None and not (whole_month or whole_year):
            continue
        try:
            first = dt.date(year, month, day or 1)
        except ValueError:
            continue
        last = first if day else _span("month", 0, first)[1]
        if first <= scope.end and last >= scope.start:
            return True
    return False
