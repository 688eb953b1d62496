"""Progress of long work (tokenizing an archive, evaluating many questions), on stderr only.

On a terminal it is a tqdm bar with rate and ETA; otherwise (a log file, a pipe, systemd's
journal) a log line every tenth of the way. Work done within `delay` seconds shows nothing at all,
so a small corpus stays as quiet as before. Stdout is never touched: `ask --json` stays JSON.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TypeVar

T = TypeVar("T")

log = logging.getLogger("datong_bot.progress")


class Progress:
    """One meter, started for each piece of long work (`start`), advanced by `update`, closed by
    `close`; the builder and `eval` take one, `None` where nobody watches (tests, the library)."""

    def __init__(self, stream: IO[str] | None = None, delay: float = 1.0, steps: int = 10) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.steps = steps
        self._bar: Any = None
        self._desc = ""
        self._unit = ""
        self._total = 0
        self._done = 0
        self._started = 0.0
        self._next_step = 1

    @property
    def terminal(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def start(self, desc: str, total: int, unit: str) -> None:
        self.close()
        self._desc, self._total, self._unit = desc, total, unit
        self._done, self._next_step, self._started = 0, 1, time.monotonic()
        if self.terminal and total:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, desc=desc, unit=" " + unit, unit_scale=True, delay=self.delay, file=self.stream, leave=False
            )

    def update(self, n: int = 1) -> None:
        self._done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        if not self._total or self._done * self.steps < self._next_step * self._total:
            return
        self._next_step = self._done * self.steps // self._total + 1
        elapsed = time.monotonic() - self._started
        if elapsed < self.delay:
            return
        rate = self._done / elapsed
        left = (self._total - self._done) / rate if rate else 0.0
        log.info(
            "%s: %d/%d %s (%d%%), %.0f %s/s, %.0f s left",
            self._desc, self._done, self._total, self._unit, 100 * self._done // self._total, rate, self._unit, left,
        )  # fmt: skip

    def track(self, items: Iterable[T], desc: str, total: int, unit: str, size: Callable[[T], int]) -> Iterator[T]:
        """`items` as they come, the meter advanced by each one's `size` and closed at the end."""
        self.start(desc, total, unit)
        try:
            for item in items:
                yield item
                self.update(size(item))
        finally:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
