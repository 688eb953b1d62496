"""Subscriptions and the new-issue digest: who wants to hear about what, what a new issue says
about it, and which message was delivered — pure, testable without Telegram.

The store is SQLite, `BOT_DATA_DIR/subscriptions.sqlite3`, its own file beside `stats.sqlite3`:
the stats file promises to hold no identifiers ("never who asked"), and subscriptions are chat ids
by nature; their own file keeps that promise and lets an operator wipe one without the other.

Exactly once per chat and issue: when an issue key (file name and content hash) is first seen,
`plan` writes, in one transaction, the issue as seen and a `pending` delivery for every chat it
has something for (unique on chat, issue, kind). A sender `claim`s a row (pending → sending),
sends, and `mark`s it `sent` only after Telegram accepted the message. Telegram offers no
idempotency key, so the window between Telegram accepting and the mark cannot be closed; we choose
**at-most-once** there: a row still `sending` when the store is opened again (the process died
mid-send) becomes `unknown` and is not sent again, and a send that timed out is not retried either
— the same rule as the bot's answers (a duplicate is worse than a miss, and the chat can still ask).
A graceful stop lets sends in flight finish, so a restart loses and duplicates nothing; only a crash
can lose at most the few messages that were in flight.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .decide import ANSWERED, Hit, decide
from .index import Index
from .postings import issue_key
from .stats import private_sqlite
from .text import normalize

MAX_PER_CHAT = 20
MIN_KEYWORD = 2
MAX_KEYWORD = 30
MATCH_DEPTH = 10  # paragraphs of the issue looked at per keyword
MAX_ATTEMPTS = 5  # transient failures before a delivery is given up

MATCH = "match"  # a chat's subscriptions found in an issue
DIGEST = "digest"  # the issue's headlines

PENDING, SENDING, SENT, FAILED, BLOCKED, UNKNOWN, EMPTY = "pending", "sending", "sent", "failed", "blocked", "unknown", "empty"

SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER NOT NULL,
    keyword TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (chat_id, keyword)
);
CREATE TABLE IF NOT EXISTS digests (
    chat_id INTEGER PRIMARY KEY,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS issues (
    issue TEXT PRIMARY KEY,
    seen REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    chat_id INTEGER NOT NULL,
    issue TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL,
    PRIMARY KEY (chat_id, issue, kind)
);
CREATE INDEX IF NOT EXISTS deliveries_status ON deliveries (status);
"""

_EDGES = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_SPACES = re.compile(r"\s+")


class KeywordError(ValueError):
    """A keyword that cannot be subscribed to (too short or too long)."""


def normalize_keyword(text: str) -> str:
    """A keyword as it is stored and compared: normalised like questions (繁体, full-width, case),
    spaces collapsed, punctuation at the edges dropped. Raises KeywordError outside 2–30 characters."""
    keyword = _SPACES.sub(" ", _EDGES.sub("", normalize(text or "")))
    if len(keyword) < MIN_KEYWORD or len(keyword) > MAX_KEYWORD:
        raise KeywordError(keyword)
    return keyword


def keyword_digest(keyword: str) -> str:
    """10 hex digits naming a keyword in callback data (a keyword can be longer than 64 bytes)."""
    return hashlib.sha1(keyword.encode("utf-8")).hexdigest()[:10]


# -- matching ------------------------------------------------------------------------------------


def matches(index: Index, key: str, keyword: str) -> list[Hit]:
    """The paragraphs of one issue (`key`: postings.issue_key) that the search would answer the
    keyword with confidently, the best one per article, in article order."""
    span = index.postings.spans.get(key)
    if span is None:
        return []
    first, end = span
    read = index.reader.read(keyword, None)
    factor = np.zeros(index.postings.n_docs, dtype=np.float64)
    factor[first:end] = 1.0
    best: dict[int, Hit] = {}
    for ranked in index.rank(read, MATCH_DEPTH, factor):
        if not first <= ranked.doc < end or ranked.score <= 0:
            continue
        hit = index.hit(ranked)
        outcome, _ = decide(read, [hit], ranked.context)
        if outcome == ANSWERED and hit.passage.article not in best:
            best[hit.passage.article] = hit
    return [best[a] for a in sorted(best)]


def issue_keys(index: Index) -> dict[str, str]:
    """issue key → file name, for every issue of the index."""
    return {issue_key(i): i.name for i in index.corpus.issues}


# -- the store -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    chat_id: int
    issue: str  # issue key: name and content hash
    kind: str  # MATCH or DIGEST
    attempts: int


class Subscriptions:
    """Subscriptions, digest opt-ins and deliveries; thread-safe, readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = private_sqlite(path, SCHEMA)
        with self._lock:  # died mid-send: at-most-once, these are not sent again
            self._db.execute("UPDATE deliveries SET status = ?, updated = ? WHERE status = ?", (UNKNOWN, time.time(), SENDING))

    # subscriptions

    def add(self, chat_id: int, keyword: str) -> bool:
        """Subscribe; False when already subscribed. Raises LimitReached at MAX_PER_CHAT."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if self._db.execute(
                    "SELECT 1 FROM subscriptions WHERE chat_id = ? AND keyword = ?", (chat_id, keyword)
                ).fetchone():
                    self._db.execute("COMMIT")
                    return False
                (count,) = self._db.execute("SELECT COUNT(*) FROM subscriptions WHERE chat_id = ?", (chat_id,)).fetchone()
                if count >= MAX_PER_CHAT:
                    self._db.execute("COMMIT")
                    raise LimitReached(MAX_PER_CHAT)
                self._db.execute("INSERT INTO subscriptions VALUES (?, ?, ?)", (chat_id, keyword, time.time()))
                self._db.execute("COMMIT")
            except sqlite3.Error:
                self._db.execute("ROLLBACK")
                raise
        return True

    def remove(self, chat_id: int, keyword: str) -> bool:
        with self._lock:
            cursor = self._db.execute("DELETE FROM subscriptions WHERE chat_id = ? AND keyword = ?", (chat_id, keyword))
        return cursor.rowcount > 0

    def of(self, chat_id: int) -> list[str]:
        """A chat's keywords, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT keyword FROM subscriptions WHERE chat_id = ? ORDER BY created, keyword", (chat_id,))
            return [str(k) for (k,) in rows.fetchall()]

    def all(self) -> dict[int, list[str]]:
        with self._lock:
            rows = self._db.execute("SELECT chat_id, keyword FROM subscriptions ORDER BY chat_id, created, keyword").fetchall()
        out: dict[int, list[str]] = {}
        for chat_id, keyword in rows:
            out.setdefault(int(chat_id), []).append(str(keyword))
        return out

    def add_many(self, rows: list[tuple[int, str]]) -> None:
        """Bulk insert (admin tools, tests); limits are not checked."""
        now = time.time()
        with self._lock:
            self._db.executemany("INSERT OR IGNORE INTO subscriptions VALUES (?, ?, ?)", [(c, k, now) for c, k in rows])

    def forget(self, chat_id: int) -> None:
        """A chat that blocked the bot: every subscription and the digest go, pending deliveries too."""
        with self._lock:
            self._db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
            self._db.execute("DELETE FROM digests WHERE chat_id = ?", (chat_id,))
            self._db.execute(
                "UPDATE deliveries SET status = ?, updated = ? WHERE chat_id = ? AND status IN (?, ?)",
                (BLOCKED, time.time(), chat_id, PENDING, SENDING),
            )

    def move(self, old: int, new: int) -> bool:
        """A group that became a supergroup (a new chat id): its subscriptions, digest and
        deliveries carry over, in one transaction; what the new id already has is kept. Returns
        whether the old id had anything."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                moved = 0
                for table in ("subscriptions", "digests", "deliveries"):
                    moved += self._db.execute(f"UPDATE OR IGNORE {table} SET chat_id = ? WHERE chat_id = ?", (new, old)).rowcount
                    self._db.execute(f"DELETE FROM {table} WHERE chat_id = ?", (old,))  # what the new id had already
                self._db.execute("COMMIT")
            except sqlite3.Error:
                self._db.execute("ROLLBACK")
                raise
        return moved > 0

    # digest

    def set_digest(self, chat_id: int, on: bool) -> None:
        with self._lock:
            if on:
                self._db.execute("INSERT OR IGNORE INTO digests VALUES (?, ?)", (chat_id, time.time()))
            else:
                self._db.execute("DELETE FROM digests WHERE chat_id = ?", (chat_id,))

    def digest_on(self, chat_id: int) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM digests WHERE chat_id = ?", (chat_id,)).fetchone() is not None

    def digest_chats(self) -> list[int]:
        with self._lock:
            return [int(c) for (c,) in self._db.execute("SELECT chat_id FROM digests ORDER BY chat_id").fetchall()]

    # deliveries

    def unseen(self, keys: list[str]) -> list[str]:
        """The issue keys never planned, in the order given."""
        with self._lock:
            seen = {str(k) for (k,) in self._db.execute("SELECT issue FROM issues").fetchall()}
        return [k for k in keys if k not in seen]

    def plan(self, key: str, deliveries: list[tuple[int, str]]) -> int:
        """Mark an issue seen and queue its deliveries ((chat, kind) pairs), all in one transaction;
        an issue already seen queues nothing. Returns how many were queued."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if self._db.execute("INSERT OR IGNORE INTO issues VALUES (?, ?)", (key, now)).rowcount == 0:
                    self._db.execute("COMMIT")
                    return 0
                self._db.executemany(
                    "INSERT OR IGNORE INTO deliveries VALUES (?, ?, ?, ?, 0, ?)",
                    [(chat, key, kind, PENDING, now) for chat, kind in deliveries],
                )
                self._db.execute("COMMIT")
            except sqlite3.Error:
                self._db.execute("ROLLBACK")
                raise
        return len(deliveries)

    def pending(self, limit: int = 1000) -> list[Delivery]:
        with self._lock:
            rows = self._db.execute(
                "SELECT chat_id, issue, kind, attempts FROM deliveries WHERE status = ? ORDER BY rowid LIMIT ?", (PENDING, limit)
            ).fetchall()
        return [Delivery(int(c), str(i), str(k), int(a)) for c, i, k, a in rows]

    def claim(self, d: Delivery) -> bool:
        """pending → sending; False if someone else has it or it is no longer pending."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE deliveries SET status = ?, attempts = attempts + 1, updated = ? "
                "WHERE chat_id = ? AND issue = ? AND kind = ? AND status = ?",
                (SENDING, time.time(), d.chat_id, d.issue, d.kind, PENDING),
            )
        return cursor.rowcount == 1

    def mark(self, d: Delivery, status: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE deliveries SET status = ?, updated = ? WHERE chat_id = ? AND issue = ? AND kind = ?",
                (status, time.time(), d.chat_id, d.issue, d.kind),
            )

    def release(self, d: Delivery) -> None:
        """A transient failure (surely not delivered): back to pending, or failed after MAX_ATTEMPTS."""
        with self._lock:
            self._db.execute(
                "UPDATE deliveries SET status = CASE WHEN attempts >= ? THEN ? ELSE ? END, updated = ? "
                "WHERE chat_id = ? AND issue = ? AND kind = ?",
                (MAX_ATTEMPTS, FAILED, PENDING, time.time(), d.chat_id, d.issue, d.kind),
            )

    def status(self, chat_id: int, key: str, kind: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT status FROM deliveries WHERE chat_id = ? AND issue = ? AND kind = ?", (chat_id, key, kind)
            ).fetchone()
        return str(row[0]) if row else None

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {str(s): int(n) for s, n in self._db.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status")}

    def close(self) -> None:
        with self._lock:
            self._db.close()


class LimitReached(Exception):
    """A chat already has MAX_PER_CHAT subscriptions."""


def plan_issue(store: Subscriptions, index: Index, key: str) -> int:
    """Queue what a new issue owes: a DIGEST for every opted-in chat, and a MATCH for every other
    chat with a confident match of one of its keywords. One message per chat and issue: a chat
    with the digest gets its matches inside the digest (the sender adds them), not as a second
    message. Once per issue key (see `Subscriptions.plan`)."""
    digests = set(store.digest_chats())
    found: dict[str, bool] = {}  # each distinct keyword is searched once, however many chats have it
    wanted = [(chat_id, DIGEST) for chat_id in sorted(digests)]
    for chat_id, keywords in store.all().items():
        if chat_id in digests:
            continue
        for k in keywords:
            if k not in found:
                found[k] = bool(matches(index, key, k))
        if any(found[k] for k in keywords):
            wanted.append((chat_id, MATCH))
    return store.plan(key, wanted)


def plan_new(store: Subscriptions, index: Index) -> int:
    """Plan every issue of the index the store has not seen; returns the deliveries queued."""
    return sum(plan_issue(store, index, key) for key in store.unseen(sorted(issue_keys(index))))


def topic_of(index: Index, question: str) -> str | None:
    """What 订阅 under an answer subscribes to: the question's names and places (its specific
    words), else its weightier words, space-separated, within the keyword limits; None if nothing."""
    units = index.reader.read(question, index.newest if index.passages else None).units
    words = [u.text for u in units if u.specific] or [u.text for u in units if u.weight >= 0.5]
    topic = ""
    for word in dict.fromkeys(words):
        if len(topic) + len(word) + 1 > MAX_KEYWORD:
            break
        topic = f"{topic} {word}".strip()
    try:
        return normalize_keyword(topic)
    except KeywordError:
        return None
