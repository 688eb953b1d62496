"""The /stats chart: questions per day, stacked by outcome, with the share answered — a PNG.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no global figure state, no
display: headless whatever MPLBACKEND says). matplotlib is imported inside `questions_chart`:
its import costs about a second, which only the first /stats pays, not every start-up.
The labels are English: matplotlib's bundled font (DejaVu Sans) has no Chinese glyphs, and a
fresh server may have no CJK font at all — ASCII never renders as empty boxes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from .stats import Day

ANSWERED_COLOR = "#2e7d32"
UNSURE_COLOR = "#f9a825"
NOTHING_COLOR = "#c62828"
SHARE_COLOR = "#1565c0"
SIZE = (6.4, 3.4)  # inches, at DPI: 640×340 pixels
DPI = 100


def questions_chart(days: Sequence[Day]) -> bytes:
    """PNG bytes: a bar per day (answered / not sure / nothing, stacked) and the day's share
    answered as a line on a 0–100 % axis; the title gives the totals. Any number of days, zero
    included; a day without questions has no share point (the line breaks there)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    bars = figure.add_subplot()
    x = list(range(len(days)))
    answered = [d.answered for d in days]
    unsure = [d.unsure for d in days]
    nothing = [d.not_found for d in days]
    bars.bar(x, answered, color=ANSWERED_COLOR, label="answered")
    bars.bar(x, unsure, bottom=answered, color=UNSURE_COLOR, label="not sure")
    bars.bar(x, nothing, bottom=[a + u for a, u in zip(answered, unsure, strict=True)], color=NOTHING_COLOR, label="nothing")
    bars.set_ylim(0, max([1, *(d.asked for d in days)]) * 1.15)
    bars.yaxis.set_major_locator(MaxNLocator(integer=True))
    bars.set_ylabel("questions")
    step = max(1, len(days) // 6)
    bars.set_xticks(x[::step], [d.day.strftime("%m-%d") for d in days[::step]])
    bars.set_xlim(-0.6, max(len(days), 1) - 0.4)

    share = bars.twinx()
    shares = [d.answered / d.asked if d.asked else math.nan for d in days]  # NaN: no point, the line breaks
    share.plot(x, shares, color=SHARE_COLOR, marker=".")
    share.set_ylim(0, 1.05)
    share.yaxis.set_major_formatter(PercentFormatter(1.0))
    share.set_ylabel("share answered", color=SHARE_COLOR)
    bars.legend(loc="upper left", fontsize="small", ncols=3, frameon=False)

    asked = sum(d.asked for d in days)
    period = f"{days[0].day:%Y-%m-%d} to {days[-1].day:%Y-%m-%d}" if days else "no days"
    summary = f"{asked} questions, {sum(answered) / asked:.0%} answered" if asked else "no questions"
    bars.set_title(f"Questions per day, {period}: {summary}", fontsize="medium")
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
