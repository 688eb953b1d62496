"""What the handlers share: a typed bot_data, the context type they annotate with, and its parts.

PTB creates `BotData` empty when the application is built (`ContextTypes(bot_data=BotData)` calls
`BotData()`); `build_application` attaches the settings, the serving index, the heartbeat and the
stats before the first update, so handlers always find them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import AIORateLimiter, CallbackContext, ContextTypes, ExtBot

from ..config import Settings
from ..decide import Answer
from ..health import Heartbeat
from ..serving import IndexHolder
from ..stats import Stats
from ..subscriptions import Subscriptions

if TYPE_CHECKING:
    from .subscribe import Deliverer
    from .watch import Watcher

log = logging.getLogger("datong_bot")

SEND_RETRIES = 3
RETRY_DELAY = 0.5
THROTTLE_RATE = 6  # questions…
THROTTLE_PERIOD = 30.0  # …per this many seconds, per user


Result: TypeAlias = bool | dict[str, Any] | list[dict[str, Any]]  # what a Bot API call returns


class PatientRateLimiter(AIORateLimiter):
    """AIORateLimiter (Telegram's limits, 429 retries) that also retries a call that surely did
    not go through — a 5xx, a reset connection, a garbled response — with backoff.

    A timeout is not retried: Telegram may have delivered the message, and a duplicate answer is
    worse than a late one. Polling handles its own errors.
    """

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        delay = RETRY_DELAY
        for attempt in range(SEND_RETRIES + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except TimedOut:
                raise
            except TelegramError as exc:
                lost = (isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)) or (
                    type(exc) is TelegramError and "Invalid server response" in exc.message
                )
                if endpoint == "getUpdates" or not lost or attempt == SEND_RETRIES:
                    raise
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, exc, delay)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")


@dataclass
class Shown:
    """An answer shown with buttons: what 下一条 and 全文 need, valid for one corpus version."""

    version: str
    answer: Answer
    position: int = 0  # the passage the message shows now


class AnswerCache:
    """Recent answers by a short random key: button state lives here, not in callback data."""

    def __init__(self, size: int = 2000) -> None:
        self.size = size
        self._items: OrderedDict[str, Shown] = OrderedDict()

    def put(self, shown: Shown) -> str:
        key = secrets.token_urlsafe(6)
        self._items[key] = shown
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return key

    def get(self, key: str, version: str) -> Shown | None:
        shown = self._items.get(key)
        return shown if shown is not None and shown.version == version else None


class Throttle:
    """Per-user leaky bucket (aiolimiter); says so once per period instead of going silent."""

    def __init__(self, rate: float = THROTTLE_RATE, period: float = THROTTLE_PERIOD) -> None:
        self.rate, self.period = rate, period
        self._limiters: dict[int, AsyncLimiter] = {}
        self._told: dict[int, float] = {}

    async def allow(self, user_id: int) -> bool:
        limiter = self._limiters.setdefault(user_id, AsyncLimiter(self.rate, self.period))
        if limiter.has_capacity():
            await limiter.acquire()
            return True
        return False

    def should_tell(self, user_id: int) -> bool:
        now = time.monotonic()
        if now - self._told.get(user_id, 0.0) < self.period:
            return False
        self._told[user_id] = now
        return True


@dataclass
class BotData:
    """Everything the handlers share, one typed attribute each (the application's bot_data)."""

    # attached by `attach` in build_application, before the first update
    settings: Settings = field(init=False)
    serving: IndexHolder = field(init=False)  # the index that answers now; reload swaps it whole
    heartbeat: Heartbeat = field(init=False)
    stats: Stats = field(init=False)
    subscriptions: Subscriptions = field(init=False)  # who wants to hear about what, and what was delivered
    deliverer: Deliverer = field(init=False)  # sends what new issues owe; started by on_start
    watcher: Watcher | None = None  # looks at CORPUS_DIR for new files (WATCH_INTERVAL); started by on_start
    # ready when PTB creates the object
    answers: AnswerCache = field(default_factory=AnswerCache)
    throttle: Throttle = field(default_factory=Throttle)
    started: float = field(default_factory=time.time)
    heartbeat_task: asyncio.Task[None] | None = None  # set by on_start, cancelled by on_stop

    def attach(self, settings: Settings, serving: IndexHolder, heartbeat: Heartbeat, stats: Stats) -> None:
        self.settings, self.serving, self.heartbeat, self.stats = settings, serving, heartbeat, stats

    def attach_subscriptions(self, subscriptions: Subscriptions, deliverer: Deliverer) -> None:
        self.subscriptions, self.deliverer = subscriptions, deliverer


Context: TypeAlias = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
"""What every handler's `context` is: `context.bot_data` is a `BotData`."""

CONTEXT_TYPES = ContextTypes(bot_data=BotData)  # context: CallbackContext, i.e. `Context` above
