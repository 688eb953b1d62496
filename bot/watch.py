"""The corpus folder, watched: what the loader would read there, and when a change has settled
and differs from what is serving — the moment to reload, as `/reload` does.

Polling, not change events: it works alike on every platform and file system (a network share,
a Docker bind mount from macOS, where inotify events never arrive), costs one `stat` per file a
look, and needs no dependency. A file still being written is waited for: a change counts once the
folder looked the same (names, sizes, mtimes) twice in a row. Then the content decides — a file
touched but not changed, or one an upload already loaded, reloads nothing: files are hashed only
when their size or mtime moved, and compared with the serving index's hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .corpus import PAPERS_FILE, USER_DICT, issue_files

UNREADABLE = "unreadable"  # a file that cannot be read hashes to this: unlike any loaded file, so the reload names it


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int


Snapshot = dict[str, FileState]  # file name → its state, for every file the loader reads


def watched_files(folder: Path) -> list[Path]:
    """What `load_corpus` reads: the issue files, and papers.txt and the user dictionary if present."""
    extras = [folder / name for name in (PAPERS_FILE, USER_DICT) if (folder / name).is_file()]
    return issue_files(folder) + extras


def snapshot(folder: Path) -> Snapshot:
    """Each watched file's size and mtime; a file gone between listing and stat is left out.
    Raises OSError when the folder itself cannot be listed."""
    if not folder.is_dir():
        raise FileNotFoundError(2, "no such folder", str(folder))
    states: Snapshot = {}
    for path in watched_files(folder):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        states[path.name] = FileState(stat.st_size, stat.st_mtime_ns)
    return states


class FolderWatch:
    """One look at a time (`due`), it says when the folder has settled in a state not yet acted
    on whose content differs from what serves. Not thread-safe: one watcher owns it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._last: Snapshot | None = None  # the previous look
        self._acted: Snapshot | None = None  # the settled state last compared
        self._hashes: dict[tuple[str, FileState], str] = {}
        self._extras: dict[str, str] | None = None  # papers.txt and the dictionary as last loaded
        self._seen_extras: dict[str, str] = {}
        self.extras_changed = False  # papers.txt or the dictionary changed, as of the last `due`

    def due(self, serving: Mapping[str, str]) -> bool:
        """One look. `serving` maps each issue file name of the serving index to its sha256. True
        when a reload is due; then `loaded()` after it succeeded. Raises OSError (folder gone)."""
        now = snapshot(self.folder)
        previous, self._last = self._last, now
        if now != previous or now == self._acted:
            return False  # still changing (or the first look), or nothing new since last time
        self._acted = now
        content = self._content(now)
        issues = {n: h for n, h in content.items() if n not in (PAPERS_FILE, USER_DICT)}
        self._seen_extras = {n: h for n, h in content.items() if n in (PAPERS_FILE, USER_DICT)}
        if self._extras is None:  # the first settled look: the extras are what the index was loaded with
            self._extras = self._seen_extras
        self.extras_changed = self._seen_extras != self._extras
        return issues != dict(serving) or self.extras_changed

    def loaded(self) -> None:
        """The reload `due` asked for succeeded: papers.txt and the dictionary as seen are loaded."""
        self._extras = self._seen_extras

    def _content(self, states: Snapshot) -> dict[str, str]:
        """sha256 of each file; only files whose size or mtime changed are read again."""
        hashes = {(name, state): self._hashes.get((name, state)) or _sha256(self.folder / name) for name, state in states.items()}
        self._hashes = {key: h for key, h in hashes.items() if h != UNREADABLE}
        return {name: h for (name, _), h in hashes.items()}


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return UNREADABLE
