"""Property tests (hypothesis): arbitrary input never breaks normalisation, tokenizing, the loader,
the search or the reply formatting, and the loader never loses paragraph text.

Telegram's rules are checked with the emulator's own `parse_html` and `utf16_len`: every reply is
valid Telegram HTML of at most 4096 characters. The index and tokenizer are built once for the
module (hypothesis and function-scoped fixtures do not mix).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections import Counter

import pytest
from botapi import parse_html, utf16_len
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bot import messages as msg
from bot.config import shipped_corpus_dir
from bot.corpus import CorpusError, Issue, load_corpus, parse_issue
from bot.decide import ANSWERED, NOT_FOUND, UNSURE, Hit
from bot.index import Index
from bot.layout import Article, parse_text
from bot.passages import Passage
from bot.reply import answer_html, article_html_parts, passage_html
from bot.text import Tokenizer, normalize

pytestmark = pytest.mark.timeout(240)

# DATONG_PROPERTY_SCALE=10 for a deeper run (the default keeps the module around half a minute).
SCALE = float(os.environ.get("DATONG_PROPERTY_SCALE", "1"))
FAST = settings(max_examples=int(150 * SCALE), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(
    max_examples=int(60 * SCALE),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

TELEGRAM_LIMIT = 4096


@functools.cache
def shipped_index() -> Index:
    return Index.build(load_corpus(shipped_corpus_dir()))


@functools.cache
def tokenizer() -> Tokenizer:
    return Tokenizer()


def telegram_text(html: str) -> str:
    """The text Telegram would show, or an HTMLParseError; also checks the 4096 limit."""
    text, _entities = parse_html(html)
    assert text.strip(), "an empty message"
    assert utf16_len(text) <= TELEGRAM_LIMIT, f"{utf16_len(text)} characters"
    return text


def entity_texts(html: str, kind: str) -> list[str]:
    text, entities = parse_html(html)
    units = text.encode("utf-16-le")
    return [units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le") for e in entities if e["type"] == kind]


# -- strategies -------------------------------------------------------------------------------


# Characters the shipped issue is made of, so generated text also meets real words.
@functools.cache
def corpus_chars() -> str:
    issue = shipped_index().corpus.issues[0]
    return "".join(sorted({ch for a in issue.articles for p in a.paragraphs for ch in p}))


@functools.cache
def corpus_paragraphs() -> list[str]:
    return [p.text for p in shipped_index().passages]


any_text = st.text(max_size=300)
cjk_text = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=60)
hostile_chars = st.sampled_from(
    list(
        "\u200b\u200c\u200d\u2060\ufeff\u202a\u202e\u2066\u2069\x00\x07\x1b\x7f\r\n\t "
        "<>&;\"'/\\*_`[]()~|#+-=.!？。，、：；“”（）《》【】…—·%‰×～"
    )
)


@st.composite
def questions(draw) -> str:
    """Arbitrary Unicode, or pieces of real paragraphs mixed with hostile characters."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(any_text)
    if kind == 1:
        return draw(st.text(alphabet=st.one_of(st.sampled_from(corpus_chars()), hostile_chars), max_size=80))
    paragraph = draw(st.sampled_from(corpus_paragraphs()))
    start = draw(st.integers(0, max(0, len(paragraph) - 2)))
    piece = paragraph[start : start + draw(st.integers(1, 40))]
    noise = draw(st.lists(hostile_chars, max_size=5))
    words = list(piece)
    for ch in noise:
        words.insert(draw(st.integers(0, len(words))), ch)
    suffix = draw(st.sampled_from(["", "？", "是多少", "是什么时候", "在哪里", "是谁", "多少钱", "吗"]))
    return "".join(words) + suffix


# -- normalisation and tokens -----------------------------------------------------------------

_INVISIBLE_OR_CONTROL = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)


@FAST
@given(any_text)
@example("\ufeff\u200b\x00")
@example("ﬁ№℡㍿")
def test_normalize_never_raises_and_drops_invisible_characters(text: str):
    out = normalize(text)
    assert isinstance(out, str)
    assert not _INVISIBLE_OR_CONTROL.search(out), repr(out)


@FAST
@given(questions())
def test_tokenizer_never_raises_and_tokens_are_well_formed(text: str):
    tok = tokenizer()
    terms = tok.query(text)
    assert isinstance(terms.normalized, str)
    for token in (*terms.tokens, *tok.index_tokens(text)):
        kind, _, body = token.partition(":")
        assert kind in ("w", "q", "b") and body, repr(token)
    assert all(w for w in terms.words)


# -- the loader -------------------------------------------------------------------------------

NAMES = st.one_of(st.just("jinbei-daily-2024-12-01.txt"), st.just("nodate.txt"), st.text(max_size=40))


@FAST
@given(any_text, NAMES)
def test_parse_text_and_parse_issue_on_arbitrary_text(text: str, name: str):
    articles, warnings = parse_text(text)
    assert all(isinstance(a, Article) and a.paragraphs for a in articles)
    assert all(isinstance(w, str) for w in warnings)
    try:
        issue = parse_issue(text.encode("utf-8", "surrogatepass"), name)
    except CorpusError as exc:
        assert exc.reason
    else:
        assert isinstance(issue, Issue) and issue.articles


BOMS = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x84\x31\x95\x33", b"%PDF-1.4\n"])


@FAST
@given(BOMS, st.binary(max_size=2000), NAMES)
def test_parse_issue_on_arbitrary_bytes_gives_an_issue_or_a_corpus_error(bom: bytes, data: bytes, name: str):
    try:
        issue = parse_issue(bom + data, name)
    except CorpusError as exc:
        assert exc.reason and exc.name == name
    else:
        assert isinstance(issue, Issue) and issue.articles
        assert all(p.strip() for a in issue.articles for p in a.paragraphs)


# Generated issues: headline lines and paragraphs of CJK text ending in 。, laid out the ways
# e-paper copies come (blank lines or indents, CRLF, page breaks, 下转/上接 markers, notes).

_HAN = "".join(chr(c) for c in range(0x4E00, 0x9FA6))


@functools.cache
def plain_han() -> str:
    """Common characters only, none of which the loader reads as a cue."""
    cues = set("本报讯电摄记者通讯员转接版新华社中新人民日央视据")
    return "".join(ch for ch in corpus_chars() if ch in _HAN and ch not in cues)


@st.composite
def clause(draw, lo: int = 3, hi: int = 25) -> str:
    return draw(st.text(alphabet=st.sampled_from(plain_han()), min_size=lo, max_size=hi))


@st.composite
def paragraph(draw) -> str:
    return "，".join(draw(st.lists(clause(), min_size=1, max_size=4))) + "。"


@st.composite
def issue_layout(draw) -> tuple[str, list[str], list[str]]:
    """(file text, its paragraphs, the paragraphs that must come out whole: all but those split by markers)."""
    indent = draw(st.booleans())
    blank = "\n" if indent and draw(st.booleans()) else "\n\n"  # indented copies may lack blank lines
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    paragraphs: list[str] = []
    whole: list[str] = []
    blocks: list[str] = []
    continuations: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        heads = draw(st.lists(clause(4, 18), min_size=1, max_size=3))
        blocks.append("\n\n".join(heads))
        for _ in range(draw(st.integers(1, 4))):
            para = draw(paragraph())
            paragraphs.append(para)
            lead = "\u3000\u3000" if indent else ""
            split = draw(st.sampled_from(["none", "none", "page", "marker"])) if "，" in para else "none"
            if split != "marker":
                whole.append(para)
            if split == "none":
                blocks.append(lead + para)
                continue
            at = draw(st.integers(para.index("，") + 1, len(para) - 1))
            first, second = para[:at], para[at:]
            if split == "page":  # a page break: the paragraph stops mid-sentence and goes on
                blocks.append(lead + first)
                blocks.append("\n" + second)  # after an extra blank line, not indented
            else:
                blocks.append(lead + first + draw(st.sampled_from(["(下转二版)", "（下转第2版）", "(转3版)"])))
                continuations.append(draw(st.sampled_from(["(上接一版)", "（上接第1版）"])) + second)
        if draw(st.booleans()):
            blocks.append(draw(st.sampled_from(["(新华社电)", "（本报综合）", "// 广告"])))
    if continuations:
        blocks.append("\n\n".join(continuations))
    text = blank.join(blocks) + "\n"
    if draw(st.booleans()):
        text = "paper: 晋北日报\ndate: 2024-12-01\n---\n" + text
    return text.replace("\n", newline), paragraphs, whole


@SLOW
@given(issue_layout())
def test_the_loader_never_loses_a_character_of_paragraph_text(layout: tuple[str, list[str], list[str]]):
    text, paragraphs, whole = layout
    issue = parse_issue(text.encode("utf-8"), "jinbei-daily-2024-12-01.txt")
    out = [re.sub(r"\s", "", p) for a in issue.articles for p in a.paragraphs]
    # Every character of every paragraph comes out in some paragraph (as many times as it went in)…
    missing = Counter("".join(paragraphs)) - Counter("".join(out))
    assert not missing, f"lost {dict(missing)}\n{text}\n{out}"
    # …and a paragraph (even one split by a page break without a marker) comes out whole.
    for para in whole:
        assert any(para in p for p in out), f"{para!r} is not whole\n{text}\n{out}"


# -- search and replies -----------------------------------------------------------------------


@FAST
@given(questions(), st.integers(0, 4))
def test_every_answer_is_valid_telegram_html_within_4096(question: str, position: int):
    index = shipped_index()
    answer = index.ask(question, top=5)
    assert answer.outcome in (ANSWERED, UNSURE, NOT_FOUND)
    assert len(answer.hits) <= 5
    html = answer_html(answer, index.headlines(), position)
    text = telegram_text(html)
    if answer.outcome == NOT_FOUND or not answer.hits:
        assert text.startswith(msg.NOT_FOUND)
        return
    hit = answer.hits[min(position, len(answer.hits) - 1)]
    assert hit.passage.text in {p.text for p in index.passages}
    for underlined in entity_texts(html, "underline"):
        assert underlined.strip() in hit.passage.text, "the marked sentence is verbatim"


@st.composite
def long_passages(draw) -> Hit:
    alphabet = st.one_of(
        st.sampled_from(_HAN[:3000]),
        st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
        hostile_chars,
        st.characters(codec="utf-8"),
    )
    text = draw(st.text(alphabet=alphabet, min_size=1, max_size=12_000))
    assume(text.strip())
    s = draw(st.integers(0, len(text)))
    e = draw(st.integers(s, len(text)))
    passage = Passage(
        text=text,
        headline=draw(st.text(min_size=1, max_size=60).filter(str.strip)),
        subtitle=draw(st.one_of(st.none(), st.text(max_size=60))),
        paper=draw(st.text(min_size=1, max_size=20)),
        date=draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))).isoformat(),
        issue="x-2024-12-01.txt",
        article=draw(st.integers(1, 999)),
        paragraph=draw(st.integers(1, 999)),
    )
    highlight = ((s, e),) if draw(st.booleans()) else ()
    return Hit(passage=passage, score=1.0, coverage=1.0, highlight=highlight)


def _hit(text: str, span: tuple[int, int] | None, headline: str = "标题") -> Hit:
    passage = Passage(
        text=text,
        headline=headline,
        subtitle="副题",
        paper="晋北日报",
        date="2024-12-01",
        issue="x-2024-12-01.txt",
        article=1,
        paragraph=1,
    )
    return Hit(passage=passage, score=1.0, coverage=1.0, highlight=(span,) if span else ())


@SLOW
@given(long_passages(), st.sampled_from(["", msg.UNSURE_INTRO]))
@example(_hit("云冈石窟。" * 2000, (5000, 5100)), msg.UNSURE_INTRO)
@example(_hit("𠀀" * 5000, (100, 4900)), "")
@example(_hit("云" * 9000, (0, 9000)), msg.UNSURE_INTRO)
@example(_hit("<&>" * 3000, (8990, 9000)), "")
@example(_hit(" " * 5000 + "云冈。" + " " * 5000, (5000, 5003)), "")
@example(_hit("云冈石窟。" * 2000, (10_000, 10_000)), "")
def test_passage_html_of_any_passage_is_valid_and_fits(hit: Hit, intro: str):
    html = passage_html(hit, intro)
    telegram_text(html)
    text = hit.passage.text
    underlined = entity_texts(html, "underline")
    if hit.highlight:
        s, e = hit.highlight[0]
        for piece in underlined:  # the marked part is the highlighted sentence (or its start)
            assert piece.strip() in text[s:e], (piece, text[s:e])
        if utf16_len(text) + utf16_len(hit.passage.headline) + 200 < 4000 and text[s:e].strip():
            assert underlined and underlined[0].strip() == text[s:e].strip(), "a short passage is shown whole"


@st.composite
def huge_articles(draw) -> Article:
    alphabet = st.one_of(st.sampled_from(_HAN[:3000]), st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF), hostile_chars)
    sizes = draw(st.lists(st.sampled_from([1, 10, 100, 3000, 3899, 3900, 3901, 4096, 9000, 30_000]), min_size=1, max_size=12))
    paragraphs = []
    for size in sizes:
        unit = draw(st.text(alphabet=alphabet, min_size=1, max_size=50).filter(str.strip))
        paragraphs.append((unit * (size // len(unit) + 1))[:size].strip() or "。")
    return Article(
        headline=draw(st.text(min_size=1, max_size=60).filter(str.strip)),
        paragraphs=tuple(paragraphs),
        subtitle=draw(st.one_of(st.none(), st.text(min_size=1, max_size=60))),
    )


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


@settings(SLOW, max_examples=int(30 * SCALE))
@given(huge_articles())
def test_article_html_parts_are_valid_fit_and_keep_every_character(article: Article):
    parts = article_html_parts(article, "晋北日报", "2024-12-01")
    shown = [telegram_text(part) for part in parts]
    if len(parts) > 1:
        assert all(msg.ARTICLE_PART.format(part=n, parts=len(parts)) in t for n, t in enumerate(shown, 1))
    body = re.sub(r"\s", "", "".join(shown))
    assert is_subsequence(re.sub(r"\s", "", "".join(article.paragraphs)), body), "the whole article is sent"
