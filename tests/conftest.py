"""Shared fixtures: the shipped corpus and its index are built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import shipped_corpus_dir
from bot.corpus import Corpus, load_corpus
from bot.search import Index

DATA = Path(__file__).parent / "data"
PAPERS = DATA / "papers"
QUESTIONS = DATA / "questions"


@pytest.fixture(scope="session")
def shipped_corpus() -> Corpus:
    return load_corpus(shipped_corpus_dir())


@pytest.fixture(scope="session")
def index(shipped_corpus: Corpus) -> Index:
    return Index.build(shipped_corpus)


@pytest.fixture(scope="session")
def papers_index() -> Index:
    return Index.build(load_corpus(PAPERS))
