"""The postings of a corpus saved under BOT_DATA_DIR, so a restart loads instead of re-tokenizing.

The costly part of an index is its tokenized paragraphs (`postings.Postings`); they are saved
here atomically, the big arrays memory-mapped back. A saved store is trusted only if its format
version and tokenizer key match and every array agrees with every other; otherwise it is rebuilt.

Several processes may use one data folder at once (the bot, an admin's `datong-bot ask`): a lock
file beside the store (`locked`) is held shared while a store is read and exclusively while one is
built and saved, so nobody builds what another process is building, and nobody reads a store
halfway through its swap. A process that memory-mapped the old arrays keeps reading them after
the swap: they are unlinked, not overwritten.

Issues added to a saved store are saved as a segment folder inside it (`seg-000001`, …: the
segment's own arrays and metadata, written aside and renamed in), so adding one issue writes only
that issue, whatever the size of the base. When the segments grow (`needs_merge`) `merge` writes
base and segments as one new base, a term range at a time into memory-mapped files (its memory
stays small too), and swaps it in like any save.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path

import numpy as np

from . import texts
from .corpus import Issue, Seen
from .postings import Postings, Segment, add_pinyin
from .text import segmenter

FORMAT = 8  # bump whenever tokens, arrays or their meaning change
STORE_DIR = "index"
LOCK_FILE = "index.lock"
OTHER_CORPORA = "corpora"  # stores of corpus folders other than the data folder's own
log = logging.getLogger("datong_bot.store")


# The code that turns a file into articles and paragraphs into tokens. A saved store holds its
# results, so a loader fix must not leave a data folder serving the old reading after an upgrade:
# the source itself is part of the key. Coarse (any edit of these files rebuilds once), never stale.
READING_CODE = ("layout.py", "corpus.py", "text.py")


@cache
def reading_code() -> str:
    """A digest of the source of the modules that read issue files and cut their words."""
    digest = hashlib.sha256()
    for name in READING_CODE:
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()[:16]


def tokenizer_key(user_dicts: Iterable[Path]) -> str:
    """What the tokens depend on besides the text: code format, the code that reads and cuts
    (`reading_code`), the segmenters and their versions (a store cut by one is never read with
    questions cut by another), the user dictionaries."""
    digest = hashlib.sha256(f"{FORMAT}:{reading_code()}:{segmenter()}".encode())
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
    for leftover in [*cache_dir.glob(".index-*"), *cache_dir.glob(".old-*"), *cache_dir.glob(".seg-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in cache_dir.glob(f".{SEEN_FILE}-*"):
        leftover.unlink(missing_ok=True)


SEGMENT_PREFIX = "seg-"


def _segment_names(folder: Path) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in folder.glob(f"{SEGMENT_PREFIX}*") if p.is_dir()))


def stamp(cache_dir: Path) -> tuple[int, int, tuple[str, ...]] | None:
    """Which saved store is there now (each save makes new files, each added issue a new segment):
    to see whether another process saved one since this one read it."""
    folder = cache_dir / STORE_DIR
    try:
        info = (folder / "meta.pickle").stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, _segment_names(folder)


# -- what the corpus files were when last read ------------------------------------------------

SEEN_FILE = "files.json"


def read_seen(cache_dir: Path, corpus_dir: Path) -> dict[str, Seen]:
    """The stat and hash of each file of `corpus_dir` when a load last read it (`corpus.Seen`);
    empty when there is no record, it is damaged, or it is of another folder."""
    try:
        record = json.loads((cache_dir / SEEN_FILE).read_text(encoding="utf-8"))
        if record.get("folder") != str(Path(corpus_dir).resolve()):
            return {}
        return {name: Seen(*entry) for name, entry in record["files"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def write_seen(cache_dir: Path, corpus_dir: Path, seen: Mapping[str, Seen]) -> None:
    """Keep `seen` for the next load, replacing the record whole (written aside and renamed).
    It is a hint, not part of the store: it names contents by hash, and a file whose stat it
    vouches for is still only taken as an issue the store holds by that hash. Not kept when the
    folder cannot be written."""
    record = {
        "folder": str(Path(corpus_dir).resolve()),
        "files": {name: [s.size, s.mtime_ns, s.ctime_ns, s.inode, s.at_ns, s.sha256] for name, s in seen.items()},
    }
    try:
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{SEEN_FILE}-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        os.replace(tmp, cache_dir / SEEN_FILE)
    except OSError as exc:
        log.debug("could not keep the files' stats under %s: %s", cache_dir, exc)
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)


# -- on disk ----------------------------------------------------------------------------------


def save(postings: Postings, cache_dir: Path) -> None:
    """Write the store atomically: a reader sees the old one or the whole new one. Callers hold
    the exclusive lock (`locked`), so two writers never interleave.

    When the saved store is the one `postings` grew from (its stamp), only the new segments are
    written beside it; otherwise everything is, as one base."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    saved = 0  # segments already in the store: the leading ones with a name
    while saved < len(postings.segments) and postings.segments[saved].name is not None:
        saved += 1
    grows_saved = postings.origin is not None and stamp(cache_dir) == postings.origin
    if grows_saved and saved < len(postings.segments) and all(seg.name is None for seg in postings.segments[saved:]):
        for number, seg in enumerate(postings.segments[saved:], start=saved + 1):
            _save_segment(seg, postings, cache_dir, f"{SEGMENT_PREFIX}{number:06d}")
        postings.origin = stamp(cache_dir)
        return
    flat = postings.flat()
    _save_base(cache_dir, lambda folder: _write_base(folder, flat))
    # The saved store holds these postings merged: whoever holds them reads it again before adding.
    postings.origin = stamp(cache_dir) if flat is postings else None


def merge(postings: Postings, cache_dir: Path) -> bool:
    """Write the saved store's base and segments as one base, if the store is still the one
    `postings` are (else False: another process changed it). Callers hold the exclusive lock.
    The merged arrays are written a term range at a time straight into their files, so this
    never holds a second copy of the postings in memory."""
    if not postings.segments or postings.origin is None or stamp(cache_dir) != postings.origin:
        return False

    def write(folder: Path) -> None:
        total = postings.n_postings
        docs = np.lib.format.open_memmap(folder / "docs.npy", mode="w+", dtype=np.int32, shape=(total,))
        tf = np.lib.format.open_memmap(folder / "tf.npy", mode="w+", dtype=np.uint16, shape=(total,))
        flat = postings.flat(docs, tf)
        docs.flush()
        tf.flush()
        del docs, tf
        _write_base(folder, flat, skip=("docs", "tf"))

    _save_base(cache_dir, write)
    return True


def needs_merge(postings: Postings) -> bool:
    """Whether the segments have grown enough to be merged into the base: many of them (each one
    costs every query a lookup), or many postings beside the base's."""
    seg = sum(s.n_postings for s in postings.segments)
    return bool(postings.segments) and (len(postings.segments) >= MAX_SEGMENTS or seg > MERGE_SHARE * len(postings.docs))


MAX_SEGMENTS = 8
MERGE_SHARE = 0.1
INLINE_MERGE_POSTINGS = 2_000_000  # up to this many (about 8k paragraphs) a merge takes well under a second


def merge_saved(postings: Postings, cache_dir: Path) -> bool:
    """`merge` under the exclusive lock: what a background merge runs. Never raises (it runs
    where nobody waits for it): a failure is logged, and the store stays as it was."""
    try:
        with locked(cache_dir, exclusive=True) as held:
            if held and merge(postings, cache_dir):
                log.info("merged %d segments into the saved index under %s", len(postings.segments), cache_dir)
                return True
    except Exception:
        log.exception("could not merge the saved index under %s; it keeps its segments", cache_dir)
    return False


def merge_in_background(postings: Postings, cache_dir: Path) -> threading.Thread:
    """`merge_saved` in a daemon thread: a process that exits midway leaves a temporary folder
    the next writer sweeps, never a half-written store."""
    thread = threading.Thread(target=merge_saved, args=(postings, cache_dir), name="index-merge", daemon=True)
    thread.start()
    return thread


def _save_base(cache_dir: Path, write: Callable[[Path], None]) -> None:
    """A new store folder filled by `write`, swapped in by rename; the old one (and its segments)
    goes whole."""
    target = cache_dir / STORE_DIR
    tmp = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".index-"))
    try:
        write(tmp)
        old = cache_dir / f".old-{os.getpid()}"
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_base(folder: Path, postings: Postings, skip: tuple[str, ...] = ()) -> None:
    """A base's arrays (those not in `skip`, already written), paragraph texts and metadata into `folder`."""
    meta = {
        "format": FORMAT,
        "key": postings.key,
        "vocab": postings.vocab,
        "spans": postings.spans,
        "pinyin": postings.pinyin,
        "issues": postings.issues,
        "arrays": _save_arrays(folder, postings, ARRAYS, skip),
        "small_sha256": _digest(postings.ptr, postings.doc_len),
    }
    _write_meta(folder, meta, postings.issues, postings.spans)


def _write_meta(folder: Path, meta: dict, issues: Mapping[str, Issue], spans: Mapping[str, tuple[int, int]]) -> None:
    """The issues' paragraph texts into `texts.bin` (in doc order: a query's neighbours are near),
    and the metadata, which refers to them there instead of holding them."""
    writer = texts.TextWriter(folder)
    try:
        for k, _ in sorted(spans.items(), key=lambda kv: kv[1]):
            for article in issues[k].articles:
                writer.add(article.paragraphs)
    finally:
        writer.close()
    with open(folder / "meta.pickle", "wb") as handle:
        texts.Pickler(handle, writer.refs).dump(meta)


def _save_segment(seg: Segment, postings: Postings, cache_dir: Path, name: str) -> None:
    """One segment into a folder of its own, written aside and renamed into the store."""
    tmp = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".seg-"))
    issues = {k: postings.issues[k] for k in seg.spans}
    try:
        meta = {
            "format": FORMAT,
            "key": postings.key,
            "first_doc": seg.first_doc,
            "first_term": seg.first_term,
            "vocab": seg.vocab,
            "spans": seg.spans,
            "pinyin": seg.pinyin,
            "issues": issues,
            "arrays": _save_arrays(tmp, seg, SEGMENT_ARRAYS),
            "small_sha256": _digest(seg.terms, seg.ptr, seg.doc_len),
        }
        _write_meta(tmp, meta, issues, seg.spans)
        os.replace(tmp, cache_dir / STORE_DIR / name)
        seg.name = name
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


ARRAYS = ("ptr", "docs", "tf", "doc_len")
SEGMENT_ARRAYS = ("terms", "ptr", "docs", "tf", "doc_len")


def _save_arrays(folder: Path, source: object, names: tuple[str, ...], skip: tuple[str, ...] = ()) -> dict:
    """Save `source`'s arrays `names` (but `skip`, written already) as .npy files: their shapes
    and types, for the metadata."""
    shapes = {}
    for name in names:
        array = getattr(source, name)
        if name not in skip:
            np.save(folder / f"{name}.npy", array)
        shapes[name] = (array.shape, str(array.dtype))
    return shapes


def _load_arrays(folder: Path, names: tuple[str, ...], shapes: dict) -> dict[str, np.ndarray]:
    """The arrays `names` memory-mapped; ValueError unless each is the shape and type saved."""
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in names}
    for name, (shape, dtype) in shapes.items():
        if arrays[name].shape != tuple(shape) or str(arrays[name].dtype) != dtype:
            raise ValueError(f"{folder.name}/{name} is not the array that was saved")
    return arrays


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


def read_meta(folder: Path) -> dict:
    """A store folder's metadata, its paragraphs read from its texts file as they are needed.
    (A store of a format before that file unpickles without it, and is then found out by its format.)"""
    paragraphs = texts.TextFile(folder) if (folder / texts.TEXTS).exists() else None
    with open(folder / "meta.pickle", "rb") as handle, _collector_paused():
        meta = texts.Unpickler(handle, paragraphs).load()
    if not isinstance(meta, dict):
        raise ValueError("metadata is not a dictionary")
    return meta


def load(cache_dir: Path, key: str) -> Postings | None:
    """The saved store if it is whole, of this format and tokenizer; None (and a log line) if not."""
    folder = cache_dir / STORE_DIR
    if not folder.is_dir():
        return None
    try:
        meta = read_meta(folder)
        if meta.get("format") != FORMAT or meta.get("key") != key:
            log.info("saved index is from another version; rebuilding")
            return None
        # The big arrays are memory-mapped: a restart reads only the pages queries touch.
        arrays = _load_arrays(folder, ARRAYS, meta["arrays"])
        if _digest(arrays["ptr"], arrays["doc_len"]) != meta["small_sha256"]:
            raise ValueError("pointers do not match their checksum")
        vocab, spans, pinyin, issues = meta["vocab"], meta["spans"], meta["pinyin"], meta["issues"]
        segments = []
        for name in _segment_names(folder):
            seg, seg_issues = _load_segment(folder / name, key)
            vocab.extend(seg.vocab)
            spans.update(seg.spans)
            add_pinyin(pinyin, seg.pinyin)
            issues.update(seg_issues)
            segments.append(seg)
        doc_len = arrays["doc_len"]
        if segments:
            doc_len = np.concatenate([np.asarray(doc_len), *(seg.doc_len for seg in segments)])
        postings = Postings(
            key=meta["key"],
            vocab=vocab,
            spans=spans,
            pinyin=pinyin,
            issues=issues,
            ptr=arrays["ptr"],
            docs=arrays["docs"],
            tf=arrays["tf"],
            doc_len=doc_len,
            segments=tuple(segments),
        )
        postings.check()
        postings.origin = stamp(cache_dir)
        return postings
    except Exception as exc:  # any damage at all: never trusted, rebuilt
        log.warning("saved index under %s is damaged (%s); rebuilding", folder, exc)
        return None


def _load_segment(folder: Path, key: str) -> tuple[Segment, dict]:
    """A saved segment and its issues; ValueError if it is not whole or not of this store."""
    meta = read_meta(folder)
    if meta.get("format") != FORMAT or meta.get("key") != key:
        raise ValueError(f"segment {folder.name} is from another version")
    arrays = _load_arrays(folder, SEGMENT_ARRAYS, meta["arrays"])
    if _digest(arrays["terms"], arrays["ptr"], arrays["doc_len"]) != meta["small_sha256"]:
        raise ValueError(f"segment {folder.name} does not match its checksum")
    seg = Segment(
        first_doc=meta["first_doc"],
        first_term=meta["first_term"],
        vocab=meta["vocab"],
        spans=meta["spans"],
        pinyin=meta["pinyin"],
        name=folder.name,
        **arrays,
    )
    return seg, meta["issues"]
