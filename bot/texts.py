"""The paragraphs' text of a saved store: one UTF-8 file beside the postings, read a paragraph at a time.

A million paragraphs as Python strings are most of a saved index's metadata: unpickling them was
most of a restart, and they held hundreds of MB while a question reads about ten. So a store
keeps them in `texts.bin` (their UTF-8, one after the other) with `text_ptr.npy` (where each
starts), memory-mapped; a loaded issue's articles hold `StoredParagraphs`, a sequence that decodes
a paragraph when it is read. Everything else of an issue (headlines, bylines) is unpickled as
before.

`TextWriter` writes the file and remembers where each article's paragraphs went; `Pickler` and
`Unpickler` put a reference there in the metadata instead of the text, and back.
"""

from __future__ import annotations

import mmap
import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, overload

import numpy as np

TEXTS = "texts.bin"
TEXT_PTR = "text_ptr.npy"


class TextFile:
    """A store folder's paragraph texts, memory-mapped: the old mapping stays readable after a
    save swaps the folder out (its files are unlinked, not overwritten)."""

    def __init__(self, folder: Path) -> None:
        self.ptr = np.load(folder / TEXT_PTR)
        size = (folder / TEXTS).stat().st_size
        if self.ptr.ndim != 1 or not len(self.ptr) or int(self.ptr[0]) != 0 or int(self.ptr[-1]) != size:
            raise ValueError(f"{folder.name}/{TEXTS} is not the file its pointers describe")
        if np.any(np.diff(self.ptr) < 0):
            raise ValueError(f"{folder.name}/{TEXT_PTR} goes backwards")
        self._data: bytes | mmap.mmap = b""
        if size:
            with open(folder / TEXTS, "rb") as handle:
                self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def text(self, i: int) -> str:
        return self._data[int(self.ptr[i]) : int(self.ptr[i + 1])].decode("utf-8")

    def raw(self, first: int, count: int) -> tuple[bytes, np.ndarray]:
        """Texts first .. first + count as they are stored, and their lengths in bytes: what a new
        store copies without decoding them."""
        a, b = int(self.ptr[first]), int(self.ptr[first + count])
        return self._data[a:b], np.diff(self.ptr[first : first + count + 1])


class StoredParagraphs(Sequence[str]):
    """An article's paragraphs in a `TextFile`, decoded when read. Equal to (and hashed like) the
    tuple of the same strings, so an issue loaded from a store compares equal to one parsed."""

    __slots__ = ("_count", "_file", "_first")

    def __init__(self, file: TextFile, first: int, count: int) -> None:
        if not 0 <= first <= first + count <= len(file):
            raise ValueError("paragraphs outside the store's texts")
        self._file, self._first, self._count = file, first, count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[str, ...]: ...
    def __getitem__(self, i: int | slice) -> str | tuple[str, ...]:
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(self._count)))
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError(i)
        return self._file.text(self._first + i)

    def __iter__(self) -> Iterator[str]:
        return (self._file.text(self._first + j) for j in range(self._count))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (StoredParagraphs, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple:
        return tuple, (tuple(self),)  # outside a store (a worker process, a copy): the plain tuple

    def raw(self) -> tuple[bytes, np.ndarray]:
        return self._file.raw(self._first, self._count)


class TextWriter:
    """Paragraphs into a folder's `texts.bin`, in the order added; `refs` says where each
    sequence went, by `id`, for the `Pickler` of the metadata written while they are alive."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._out = open(folder / TEXTS, "wb")  # noqa: SIM115 - closed by close()
        self._lengths: list[np.ndarray] = []
        self._count = 0
        self.refs: dict[int, tuple[str, int, int]] = {}

    def add(self, paragraphs: Sequence[str]) -> None:
        if not paragraphs:  # () is one shared object: a reference to it would stand for every empty tuple
            return
        if isinstance(paragraphs, StoredParagraphs):
            data, lengths = paragraphs.raw()
        else:
            encoded = [p.encode("utf-8") for p in paragraphs]
            data, lengths = b"".join(encoded), np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        self._out.write(data)
        self._lengths.append(lengths)
        self.refs[id(paragraphs)] = ("p", self._count, len(paragraphs))
        self._count += len(paragraphs)

    def close(self) -> None:
        self._out.close()
        ptr = np.zeros(self._count + 1, dtype=np.int64)
        if self._lengths:
            np.cumsum(np.concatenate(self._lengths), out=ptr[1:])
        np.save(self.folder / TEXT_PTR, ptr)


class Pickler(pickle.Pickler):
    """Pickles the paragraphs a `TextWriter` wrote as a reference to where they are."""

    def __init__(self, file: IO[bytes], refs: dict[int, tuple[str, int, int]]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._refs = refs

    def persistent_id(self, obj: object) -> tuple[str, int, int] | None:
        cls = type(obj)
        if cls is tuple or cls is StoredParagraphs:
            return self._refs.get(id(obj))
        return None


class Unpickler(pickle.Unpickler):
    """Unpickles such references as `StoredParagraphs` of the folder's `TextFile`."""

    def __init__(self, file: IO[bytes], texts: TextFile | None) -> None:
        super().__init__(file)
        self._texts = texts
        self._count = len(texts) if texts is not None else -1

    def persistent_load(self, pid: tuple[str, int, int]) -> StoredParagraphs:  # once per article: kept lean
        kind, first, count = pid
        if kind != "p" or not 0 <= first <= first + count <= self._count:
            raise pickle.UnpicklingError(f"a reference to paragraphs that are not there: {pid!r}")
        paragraphs = StoredParagraphs.__new__(StoredParagraphs)
        paragraphs._file, paragraphs._first, paragraphs._count = self._texts, first, count  # type: ignore[assignment]
        return paragraphs
