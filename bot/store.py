"""The postings of a corpus saved under BOT_DATA_DIR, so a restart loads instead of re-tokenizing.

The costly part of an index is its tokenized paragraphs (`postings.Postings`); they are saved
here atomically, the big arrays memory-mapped back. A saved store is trusted only if its format
version and tokenizer key match and every array agrees with every other; otherwise it is rebuilt.
"""

from __future__ import annotations

import contextlib
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
log = logging.getLogger("datong_bot.store")


def tokenizer_key(user_dicts: Iterable[Path]) -> str:
    """What the tokens depend on besides the text: code format, jieba, the user dictionaries."""
    digest = hashlib.sha256(f"{FORMAT}:{jieba.__version__}".encode())
    for path in user_dicts:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


# -- on disk ----------------------------------------------------------------------------------


def save(postings: Postings, cache_dir: Path) -> None:
    """Write the store atomically: a reader sees the old one or the whole new one."""
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
        return postings
    except Exception as exc:  # any damage at all: never trusted, rebuilt
        log.warning("saved index under %s is damaged (%s); rebuilding", folder, exc)
        return None
