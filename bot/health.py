"""Health a supervisor can check without reaching Telegram: a status file the bot keeps fresh.

Every successful Bot API call (long polls included) marks the bot alive; a heartbeat writes that
time, with the corpus version, to `status.json` in BOT_DATA_DIR. `datong-bot health` reads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram.error import TelegramError
from telegram.request import HTTPXRequest

STATUS_FILE = "status.json"
MAX_AGE = 120.0  # seconds since the last successful Bot API call that still count as healthy
HEARTBEAT = 15.0

log = logging.getLogger("datong_bot.health")


class TrackingRequest(HTTPXRequest):
    """PTB's httpx request that remembers when Telegram last answered (any non-5xx status)."""

    def __init__(self, on_ok: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_ok = on_ok

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        if code < 500:
            self._on_ok()
        return code, payload


class Heartbeat:
    """Keeps `status.json` fresh while the bot runs; marks it stopped on the way out."""

    def __init__(self, data_dir: Path, version: Callable[[], str]) -> None:
        self.path = data_dir / STATUS_FILE
        self.version = version
        self.started = time.time()
        self.last_ok = 0.0

    def mark_ok(self) -> None:
        self.last_ok = time.time()

    def write(self, stopped: bool = False) -> None:
        status = {
            "pid": os.getpid(),
            "started": self.started,
            "last_ok": self.last_ok,
            "written": time.time(),
            "corpus_version": self.version(),
            "stopped": stopped,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(status), encoding="utf-8")
        os.replace(tmp, self.path)

    async def run(self, ping: Callable[[], Any], every: float = HEARTBEAT) -> None:
        """Write the status every `every` seconds; ping Telegram when nothing else has lately."""
        while True:
            if time.time() - self.last_ok > every * 2:
                with contextlib.suppress(TelegramError, OSError):
                    await ping()
            try:
                self.write()
            except OSError as exc:
                log.warning("cannot write %s: %s", self.path, exc)
            await asyncio.sleep(every)


def check_health(data_dir: Path, max_age: float = MAX_AGE, now: float | None = None) -> tuple[bool, str]:
    """(healthy, why) from the status file: fresh, not stopped, a corpus loaded."""
    path = data_dir / STATUS_FILE
    now = time.time() if now is None else now
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False, f"unhealthy: no status file at {path} (is the bot running?)"
    except (OSError, ValueError) as exc:
        return False, f"unhealthy: cannot read {path}: {exc}"
    if status.get("stopped"):
        return False, "unhealthy: the bot has stopped"
    if not status.get("corpus_version"):
        return False, "unhealthy: no corpus loaded"
    age = now - float(status.get("last_ok") or 0)
    if age > max_age:
        return False, f"unhealthy: last successful Telegram request {age:.0f}s ago (limit {max_age:.0f}s)"
    written = now - float(status.get("written") or 0)
    if written > max_age:
        return False, f"unhealthy: status not written for {written:.0f}s"
    return True, f"healthy: last Telegram request {age:.0f}s ago, corpus {status['corpus_version']}"
