"""What admins do: reload the corpus and add an issue file — all or nothing, never half.

The serving index is only ever replaced by a complete new one; a bad file leaves it in place.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from .corpus import FILE_NAME, MAX_FILE_BYTES, MAX_NAME, Issue, LoadErrors, parse_issue, read_papers
from .index import Index, load_index


def is_admin(user_id: int | None, admin_ids: Collection[int]) -> bool:
    """Admins are Telegram user ids from BOT_ADMIN_IDS — never chat ids, names or group roles."""
    return user_id is not None and user_id in admin_ids


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
            new = await asyncio.to_thread(load_index, self.corpus_dir, self.cache_dir, self.index)
            change = diff(self.index, new)
            self.index = new  # one reference assignment: every reader sees old or new, never a mix
            return Reloaded(new, change, time.perf_counter() - started)


class UploadError(Exception):
    """An upload that was refused; the message says why, in the user's words."""


def safe_issue_name(name: str | None) -> str:
    """The upload's file name if it is a plain `<slug>-<YYYY-MM-DD>.txt` name, else UploadError."""
    if not name:
        raise UploadError("没有文件名")
    if name != os.path.basename(name) or "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
        raise UploadError("文件名里不能有路径")
    if len(name) > MAX_NAME:
        raise UploadError(f"文件名太长（{len(name)} 个字符，上限 {MAX_NAME}）")
    if not FILE_NAME.fullmatch(name):
        raise UploadError(f"「{name[:80]}」不符合格式")
    return name


def check_upload(name: str, data: bytes, corpus_dir: Path) -> Issue:
    """Validate an uploaded issue file as a reload would; raises UploadError or CorpusError."""
    safe_issue_name(name)
    if len(data) > MAX_FILE_BYTES:
        raise UploadError(f"文件太大（{len(data)} 字节，上限 {MAX_FILE_BYTES}）")
    return parse_issue(data, name, read_papers(corpus_dir))


def write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """Write a file so readers see the old one or the whole new one, never a part."""
    target = folder / safe_issue_name(name)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


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
