"""The postings of a corpus saved under BOT_DATA_DIR, so a restart loads instead of re-tokenizing.

The costly part of an index is its tokenized paragraphs (`postings.Postings`); they are saved
here atomically, the big arrays memory-mapped back. A saved store is trusted only if its format
version and tokenizer key match and every array agrees with every other; otherwise it is rebuilt.

Several processes may use one data folder at once (the bot, an admin's `datong-bot ask`): a lock
file beside the store (`locked`) is held shared while a store is read and exclusively while one is
built and saved, so nobody builds what another process is building, and nobody reads a store
halfway through its swap. A process that memory-mapped the old arrays keeps reading them after
the swap: they are unlinked, not overwritten.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import logging
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import jieba
import numpy as np

from .postings import Postings

FORMAT = 7  # bump whenever tokens, arrays or their meaning change
STORE_DIR = "index"
LOCK_FILE = "index.lock"
OTHER_CORPORA = "corpora"  # stores of corpus folders other than the data folder's own
log = logging.getLogger("datong_bot.store")


def tokenizer_key(user_dicts: Iterable[Path]) -> str:
    """What the tokens depend on besides the text: code format, jieba, the user dictionaries."""
    digest = hashlib.sha256(f"{FORMAT}:{jieba.__version__}".encode())
    for path in user_dicts:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


# -- where, and who may touch it -------------------------------------------------------------


def cache_for(data_dir: Path, corpus_dir: Path, home_corpus: Path) -> Path:
    """The folder holding the saved index of `corpus_dir` in a data folder: the data folder itself
    for its home corpus (CORPUS_DIR, or the shipped issue: where `run` has always saved it), and
    `corpora/<hash of the resolved path>/` for any other folder the console is pointed at."""
    folder = Path(corpus_dir).resolve()
    if folder == Path(home_corpus).resolve():
        return data_dir
    cache = data_dir / OTHER_CORPORA / hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    with contextlib.suppress(OSError):  # a note for whoever cleans up; the store works without it
        cache.mkdir(parents=True, exist_ok=True)
        if not (cache / "corpus.txt").exists():
            (cache / "corpus.txt").write_text(f"{folder}\n", encoding="utf-8")
    return cache


@contextlib.contextmanager
def locked(cache_dir: Path, exclusive: bool) -> Iterator[bool]:
    """Hold the store's lock file: shared to read a store, exclusive to build and save one.
    Yields whether the lock is held: False when the folder cannot be written (a data folder of
    another user), and then the caller reads a store but does not save one.

    flock(2) locks belong to the open file, so two threads of one process exclude each other too,
    and the kernel drops a lock when its process dies: a crashed build never blocks the next one.
    """
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(cache_dir / LOCK_FILE, os.O_RDONLY | os.O_CREAT, 0o644)  # reading is enough to lock
    except OSError as exc:
        log.warning("cannot lock the index under %s (%s): it is not saved", cache_dir, exc.strerror or exc)
        yield False
        return
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("waiting for another process using the index under %s", cache_dir)
            fcntl.flock(fd, mode)
        if exclusive:
            _sweep(cache_dir)
        yield True
    finally:
        os.close(fd)  # releases the lock


def _sweep(cache_dir: Path) -> None:
    """Remove what a writer killed halfway left behind (its temporary or old folder)."""
    for leftover in [*cache_dir.glob(".index-*"), *cache_dir.glob(".old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def stamp(cache_dir: Path) -> tuple[int, int] | None:
    """Which saved store is there now (each save makes new files): to see whether another process
    saved one since this one read it."""
    try:
        info = (cache_dir / STORE_DIR / "meta.pickle").stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


# -- on disk ----------------------------------------------------------------------------------


def save(postings: Postings, cache_dir: Path) -> None:
    """Write the store atomically: a reader sees the old one or the whole new one. Callers hold
    the exclusive lock (`locked`), so two writers never interleave."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / STORE_DIR
    tmp = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".index-"))
    try:
        shapes = {}
        for name in ARRAYS:
            array = getattr(postings, name)
            np.save(tmp / f"{name}.npy", array)
            shapes[name] = (array.shape, str(array.dtype))
        meta = {
            "format": FORMAT,
            "key": postings.key,
            "vocab": postings.vocab,
            "spans": postings.spans,
            "pinyin": postings.pinyin,
            "issues": postings.issues,
            "arrays": shapes,
            "small_sha256": _digest(postings.ptr, postings.doc_len),
        }
        with open(tmp / "meta.pickle", "wb") as handle:
            pickle.dump(meta, handle, protocol=pickle.HIGHEST_PROTOCOL)
        old = cache_dir / f".old-{os.getpid()}"
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
        postings.origin = stamp(cache_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


ARRAYS = ("ptr", "docs", "tf", "doc_len")


def _digest(*arrays: np.ndarray) -> str:
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of objects that will live as long as the
    index are unpickled (it would walk them again and again), then move them out of its sight."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # still freed by reference counting when a reload drops them
        gc.enable()


def load(cache_dir: Path, key: str) -> Postings | None:
    """The saved store if it is whole, of this format and tokenizer; None (and a log line) if not."""
    folder = cache_dir / STORE_DIR
    if not folder.is_dir():
        return None
    try:
        with open(folder / "meta.pickle", "rb") as handle, _collector_paused():
            meta = pickle.load(handle)
        if meta.get("format") != FORMAT or meta.get("key") != key:
            log.info("saved index is from another version; rebuilding")
            return None
        # The big arrays are memory-mapped: a restart reads only the pages queries touch.
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS}
        for name, (shape, dtype) in meta["arrays"].items():
            if arrays[name].shape != tuple(shape) or str(arrays[name].dtype) != dtype:
                raise ValueError(f"{name} is not the array that was saved")
        if _digest(arrays["ptr"], arrays["doc_len"]) != meta["small_sha256"]:
            raise ValueError("pointers do not match their checksum")
        postings = Postings(
            key=meta["key"],
            vocab=meta["vocab"],
            spans=meta["spans"],
            pinyin=meta["pinyin"],
            issues=meta["issues"],
            **arrays,
        )
        postings.check()
        postings.origin = stamp(cache_dir)
        return postings
    except Exception as exc:  # any damage at all: never trusted, rebuilt
        log.warning("saved index under %s is damaged (%s); rebuilding", folder, exc)
        return None
