"""The index that serves, swapped whole: reload the corpus or add an issue file — all or nothing.

The serving index is only ever replaced by a complete new one; a bad file leaves it in place.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import store
from .corpus import Issue, LoadErrors
from .examples import examples
from .index import Index, load_index
from .progress import Progress
from .uploads import check_upload, write_atomically


@dataclass(frozen=True)
class Change:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]


def diff(old: Index | None, new: Index) -> Change:
    """Which issue files appeared, disappeared or changed content between two indexes."""
    before = {i.name: i.sha256 for i in old.corpus.issues} if old else {}
    after = {i.name: i.sha256 for i in new.corpus.issues}
    return Change(
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(sorted(n for n in before.keys() & after.keys() if before[n] != after[n])),
    )


@dataclass(frozen=True)
class Reloaded:
    index: Index
    change: Change
    seconds: float


class IndexHolder:
    """The index that is serving, swapped whole by `reload`; one reload at a time."""

    def __init__(self, index: Index, corpus_dir: Path, cache_dir: Path | None = None) -> None:
        self.index = index
        self.corpus_dir = corpus_dir
        self.cache_dir = cache_dir
        self._lock = asyncio.Lock()
        self.merging: threading.Thread | None = None  # the saved store's background merge, if one runs

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    async def reload(self) -> Reloaded:
        """Build a new index off the event loop while the old one answers; swap when complete.

        Raises LoadErrors (and keeps the serving index) when any file is bad.
        """
        async with self._lock:
            started = time.perf_counter()
            # Unchanged files keep their tokens: only new or edited files are tokenized.
            new = await asyncio.to_thread(load_warm, self.corpus_dir, self.cache_dir, self.index)
            await asyncio.to_thread(examples, new)  # made and checked before it serves: /start never waits
            change = diff(self.index, new)
            self.index = new  # one reference assignment: every reader sees old or new, never a mix
            self.merge_later()
            return Reloaded(new, change, time.perf_counter() - started)

    def merge_later(self) -> None:
        """Merge the saved store's segments in the background when they have grown: the serving
        index answers the same from base + segments meanwhile, and the next reload starts from
        the merged store."""
        if self.cache_dir is None or not store.needs_merge(self.index.postings):
            return
        if self.merging is None or not self.merging.is_alive():
            self.merging = store.merge_in_background(self.index.postings, self.cache_dir)


def load_warm(corpus_dir: Path, cache_dir: Path | None, previous: Index) -> Index:
    """The new index, warmed (`Index.warm`) before it serves: no question after a reload waits either."""
    return load_index(corpus_dir, cache_dir, previous, Progress()).warm()  # progress lines when many files are new


async def add_issue(holder: IndexHolder, name: str, data: bytes) -> tuple[Issue, bool, Reloaded]:
    """Validate, write and reload; on a failed reload the file is taken back out again."""
    issue = await asyncio.to_thread(check_upload, name, data, holder.corpus_dir)  # parsing is CPU work
    target = holder.corpus_dir / name
    previous = target.read_bytes() if target.exists() else None
    write_atomically(holder.corpus_dir, name, data)
    try:
        reloaded = await holder.reload()
    except LoadErrors:
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            write_atomically(holder.corpus_dir, name, previous)
        raise
    return issue, previous is not None, reloaded
