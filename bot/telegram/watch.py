"""The watched corpus folder in the running bot: a background task that looks at CORPUS_DIR every
WATCH_INTERVAL seconds (bot.watch decides when a change has settled and differs from what serves),
reloads exactly as /reload does — the serving index's own `reload`, under its lock, so never at
the same time as a /reload or an upload — wakes the delivery of new issues, and tells the admins
what changed, or which file is broken (the serving index then stays as it was).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from ..corpus import LoadErrors
from ..serving import IndexHolder
from ..watch import FolderWatch
from .admin import watch_failed_report, watch_report

log = logging.getLogger("datong_bot")

Notify = Callable[[str], Awaitable[None]]  # a message to every admin


class Watcher:
    """Looks at the corpus folder every `interval` seconds until stopped."""

    def __init__(self, serving: IndexHolder, interval: float, on_new_issues: Callable[[], None]) -> None:
        self.serving, self.interval = serving, interval
        self.on_new_issues = on_new_issues  # the deliverer's kick: subscriptions and digests
        self.folder = FolderWatch(serving.corpus_dir)
        self._task: asyncio.Task[None] | None = None
        self._folder_missing = False

    def start(self, notify: Notify) -> None:
        self._task = asyncio.create_task(self._run(notify), name="corpus watcher")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, notify: Notify) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.look(notify)
            except Exception:  # the loop must survive anything: the next look tries again
                log.exception("watching %s failed", self.serving.corpus_dir)

    async def look(self, notify: Notify) -> None:
        """One look at the folder; reload and tell the admins when a settled change is new."""
        if self.serving.busy:
            return  # a /reload or an upload is loading: look again next time, at what it left
        serving = {i.name: i.sha256 for i in self.serving.index.corpus.issues}
        try:
            due = await asyncio.to_thread(self.folder.due, serving)
        except OSError as exc:
            if not self._folder_missing:
                log.warning("cannot look at %s: %s", self.serving.corpus_dir, exc)
            self._folder_missing = True
            return
        self._folder_missing = False
        if not due:
            return
        try:
            reloaded = await self.serving.reload()
        except LoadErrors as exc:
            log.warning("the corpus folder changed but does not load: %s", exc)
            await notify(watch_failed_report(exc))
            return
        self.folder.loaded()
        change = reloaded.change
        if not (change.added or change.changed or change.removed or self.folder.extras_changed):
            return  # a /reload or an upload got there first, between the look and the load: nothing to tell
        log.info("corpus folder changed: added %s, changed %s, removed %s", change.added, change.changed, change.removed)
        self.on_new_issues()
        await notify(watch_report(reloaded))
