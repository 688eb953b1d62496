"""/stats' numbers per day (bot.stats) and their chart (bot.chart): a PNG for any history."""

from __future__ import annotations

import datetime as dt
import struct
import subprocess
import sys
import warnings
from pathlib import Path

from bot.chart import DPI, SIZE, questions_chart
from bot.stats import Day, Stats

PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG) and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def at(day: dt.date, hour: int) -> float:
    return dt.datetime.combine(day, dt.time(hour)).timestamp()  # local time, as /stats counts days


def test_daily_counts_each_local_day_by_outcome_and_fills_the_gaps(tmp_path: Path):
    stats = Stats(tmp_path / "stats.sqlite3")
    today = dt.date(2024, 11, 30)
    for outcome, day, hour in [
        ("answered", today, 0),
        ("answered", today, 23),
        ("unsure", today, 12),
        ("not_found", today - dt.timedelta(days=2), 8),
        ("answered", today - dt.timedelta(days=29), 0),  # the first of the 30 days
        ("answered", today - dt.timedelta(days=30), 23),  # the day before: not shown
        ("answered", today + dt.timedelta(days=1), 0),  # tomorrow (a clock set back): not shown
    ]:
        stats.record(outcome, 5.0, "private", at=at(day, hour))
    days = stats.daily(30, today)
    stats.close()
    assert [d.day for d in days] == [today - dt.timedelta(days=29 - n) for n in range(30)]
    assert days[-1] == Day(today, answered=2, unsure=1, not_found=0)
    assert days[-3] == Day(today - dt.timedelta(days=2), not_found=1)
    assert days[0] == Day(today - dt.timedelta(days=29), answered=1)
    assert sum(d.asked for d in days) == 5


def test_the_chart_is_a_png_for_a_month_of_questions_without_a_font_warning():
    today = dt.date(2024, 11, 30)
    days = [Day(today - dt.timedelta(days=29 - n), n % 7, n % 3, n % 2) for n in range(30)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph or a font fallback would be a warning
        data = questions_chart(days)
    assert png_size(data) == (round(SIZE[0] * DPI), round(SIZE[1] * DPI))
    assert len(data) > 5000  # bars, axes and text were drawn, not an empty canvas
    assert questions_chart(days) == data  # deterministic


def test_the_chart_of_no_questions_or_no_days_is_still_a_png():
    today = dt.date(2024, 11, 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quiet = questions_chart([Day(today - dt.timedelta(days=n)) for n in range(30)][::-1])
        none = questions_chart([])
        one = questions_chart([Day(today, answered=1)])
    for data in (quiet, none, one):
        assert png_size(data) == (round(SIZE[0] * DPI), round(SIZE[1] * DPI))
    assert len({quiet, none, one}) == 3


def test_importing_the_bot_does_not_import_matplotlib():
    """matplotlib's import is slow: only the first chart pays it, not start-up or the console."""
    code = "import sys, bot.cli, bot.telegram, bot.chart; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
