#!/usr/bin/env python3
"""Faster segmenters with jieba's dictionary and algorithm against jieba, as the index uses it.

    python tests/perf/segmenters.py corpus tests/data/papers ../shared/evaldata/drcd-dev/corpus

For each corpus folder: every headline and paragraph, normalised as the index does, cut in search
mode by jieba (with the folder's user dictionary and bylines' names), by the bot's tokenizer
(`bot.text.Tokenizer`: rjieba since it was measured here), by rjieba (jieba-rs) given the words as
this script reads them and by jieba_fast_dat, each given the same extra words; prints each one's time
(best of 3) and the share of paragraphs whose word lists, and index tokens, are identical to
jieba's, with one difference as an example. A segmenter that is not installed is left out
(`pip install jieba-fast-dat`: not a dependency of the bot; rjieba is one).
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import jieba

from bot.corpus import Corpus, load_corpus
from bot.text import Tokenizer, _is_word, _tokens, normalize


def paragraphs(corpus: Corpus) -> list[str]:
    out = []
    for issue in corpus.issues:
        for article in issue.articles:
            out.append(normalize(" ".join(x for x in (article.headline, article.subtitle) if x)))
            out.extend(normalize(p) for p in article.paragraphs)
    return out


def user_words(paths: tuple[Path, ...]) -> Iterator[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) of jieba user dictionary lines."""
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if parts:
                freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
                yield normalize(parts[0]), freq, tag


def cutters(corpus: Corpus) -> dict[str, Callable[[str], list[str]]]:
    ours = Tokenizer(corpus.user_dicts, extra_words=corpus.reporter_names)
    names = [normalize(n) for n in corpus.reporter_names]
    plain = jieba.Tokenizer()  # jieba itself, given what the bot's tokenizer is given
    plain.initialize()
    for path in ours.user_dicts:
        plain.load_userdict(str(path))
    for name in names:
        plain.add_word(name, freq=20000)
    out: dict[str, Callable[[str], list[str]]] = {
        "jieba": lambda t: [w for w in plain.cut_for_search(t) if _is_word(w)],
        "bot (rjieba)": ours.words,
    }
    try:
        rjieba = importlib.import_module("rjieba")
        r = rjieba.Jieba()
        for word, freq, tag in user_words(ours.user_dicts):
            r.add_word(word, freq, tag)
        for name in names:
            r.add_word(name, 20000, None)
        out["rjieba"] = lambda t: [w for w in r.cut_for_search(t, True) if _is_word(w)]
    except ImportError:
        print("rjieba is not installed: left out")
    try:
        fast = importlib.import_module("jieba_fast_dat")
        f = fast.Tokenizer()
        f.initialize()
        for word, freq, tag in user_words(ours.user_dicts):
            f.add_word(word, freq, tag)
        for name in names:
            f.add_word(name, freq=20000)
        out["jieba_fast_dat"] = lambda t: [w for w in f.cut_for_search(t) if _is_word(w)]
    except ImportError:
        print("jieba_fast_dat is not installed: left out")
    return out


def main(folders: list[str]) -> None:
    for folder in folders:
        corpus = load_corpus(Path(folder))
        texts = paragraphs(corpus)
        results, seconds = {}, {}
        for name, cut in cutters(corpus).items():
            cut(texts[0])
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                words = [cut(t) for t in texts]
                best = min(best, time.perf_counter() - started)
            results[name], seconds[name] = words, best
        print(f"{folder}: {len(texts)} paragraphs and headlines, {sum(map(len, texts)) / 1e6:.2f} M characters")
        for name in results:
            same = sum(a == b for a, b in zip(results["jieba"], results[name], strict=True))
            same_tokens = sum(
                _tokens(a, t) == _tokens(b, t) for a, b, t in zip(results["jieba"], results[name], texts, strict=True)
            )
            print(
                f"  {name:15s} {seconds[name]:7.2f} s  {seconds['jieba'] / seconds[name]:5.2f}× jieba's speed  "
                f"identical word lists {same / len(texts):.4f}, index tokens {same_tokens / len(texts):.4f}"
            )
            for a, b in zip(results["jieba"], results[name], strict=True):
                if a != b:
                    print(f"    e.g. only jieba: {sorted(set(a) - set(b))[:5]}, only {name}: {sorted(set(b) - set(a))[:5]}")
                    break


if __name__ == "__main__":
    main(sys.argv[1:])
