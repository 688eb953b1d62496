"""What people asked and how it went, kept in SQLite under BOT_DATA_DIR across restarts.

Only outcomes and latencies are kept for every question; the text is kept only for questions
the paper could not answer (what the editors should cover), and never who asked.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    at REAL NOT NULL,
    outcome TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    chat_type TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS unanswered (
    at REAL NOT NULL,
    question TEXT NOT NULL
);
"""
KEEP_UNANSWERED = 1000
MEDIAN_WINDOW = 1000
CHART_DAYS = 30


@dataclass(frozen=True)
class Totals:
    asked: int
    answered: int
    unsure: int
    not_found: int
    median_ms: float


@dataclass(frozen=True)
class Day:
    """Questions of one local calendar day, by outcome."""

    day: dt.date
    answered: int = 0
    unsure: int = 0
    not_found: int = 0

    @property
    def asked(self) -> int:
        return self.answered + self.unsure + self.not_found


def private_sqlite(path: Path, schema: str) -> sqlite3.Connection:
    """An SQLite file readable by its owner only (created so, never world-readable for a moment),
    in WAL mode, autocommit, usable from several threads behind the caller's lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(schema)
    return db


class Stats:
    """A small thread-safe SQLite store; the file is created readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = private_sqlite(path, SCHEMA)

    def record(
        self, outcome: str, latency_ms: float, chat_type: str, question: str | None = None, at: float | None = None
    ) -> None:
        """One question; its text only when given (the caller passes it for unanswered ones).
        `at` (Unix time, default now) lets tests and imports date it."""
        now = time.time() if at is None else at
        with self._lock:
            self._db.execute("INSERT INTO questions VALUES (?, ?, ?, ?)", (now, outcome, latency_ms, chat_type))
            if question is not None:
                self._db.execute("INSERT INTO unanswered VALUES (?, ?)", (now, question[:500]))
                self._db.execute(
                    "DELETE FROM unanswered WHERE rowid <= (SELECT MAX(rowid) FROM unanswered) - ?", (KEEP_UNANSWERED,)
                )

    def totals(self) -> Totals:
        with self._lock:
            counts = dict(self._db.execute("SELECT outcome, COUNT(*) FROM questions GROUP BY outcome").fetchall())
            latencies = [
                row[0]
                for row in self._db.execute("SELECT latency_ms FROM questions ORDER BY rowid DESC LIMIT ?", (MEDIAN_WINDOW,))
            ]
        return Totals(
            asked=sum(counts.values()),
            answered=counts.get("answered", 0),
            unsure=counts.get("unsure", 0),
            not_found=counts.get("not_found", 0),
            median_ms=statistics.median(latencies) if latencies else 0.0,
        )

    def daily(self, days: int = CHART_DAYS, today: dt.date | None = None) -> list[Day]:
        """The last `days` days up to `today` (local time, default today), oldest first, every
        day present: a day without questions is all zeros."""
        today = today or dt.date.today()
        first = today - dt.timedelta(days=days - 1)
        start = dt.datetime.combine(first, dt.time()).timestamp()  # local midnight
        end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time()).timestamp()
        with self._lock:
            rows = self._db.execute(
                "SELECT date(at, 'unixepoch', 'localtime'), outcome, COUNT(*) FROM questions "
                "WHERE at >= ? AND at < ? GROUP BY 1, 2",
                (start, end),
            ).fetchall()
        counts: dict[dt.date, dict[str, int]] = {}
        for day, outcome, count in rows:
            counts.setdefault(dt.date.fromisoformat(day), {})[str(outcome)] = int(count)
        out = []
        for n in range(days):
            day = first + dt.timedelta(days=n)
            c = counts.get(day, {})
            out.append(Day(day, c.get("answered", 0), c.get("unsure", 0), c.get("not_found", 0)))
        return out

    def unanswered(self, limit: int = 20) -> list[tuple[float, str]]:
        """The most recent questions the paper could not answer, newest first."""
        with self._lock:
            rows = self._db.execute("SELECT at, question FROM unanswered ORDER BY rowid DESC LIMIT ?", (limit,))
            return [(float(at), str(q)) for at, q in rows.fetchall()]

    def close(self) -> None:
        with self._lock:
            self._db.close()
