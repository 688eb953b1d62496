"""The layout of an e-paper copy → articles and whole paragraphs.

An issue file's body is a stream of lines: banners, kickers, headlines, subtitles, `本报讯(记者 …)`
leads, blank-line paragraphs (some broken mid-sentence by a page break), photo captions, column
labels and `(下转二版)` markers.  This module reads that shape from layout and punctuation only —
never from any paper's words — and says what it was unsure of as warnings.  Files, decoding and
issues are bot.corpus's; this module knows nothing of them, so the dependency runs one way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from jieba import posseg

MAX_TITLE = 200  # characters of a headline, subtitle, kicker or paper name; longer is not a title


@dataclass(frozen=True)
class Article:
    """One item of an issue: a news article, or a photo with its caption (kind "photo")."""

    headline: str
    paragraphs: tuple[str, ...]
    subtitle: str | None = None
    kicker: str | None = None
    section: str | None = None
    byline: str | None = None
    kind: str = "article"


# ---------------------------------------------------------------------------------------------
# Line classification

_SENTENCE_END = "。！？!?…;；"
_CLOSERS = "”’」』)）】》\"'"
_CLAUSE_PUNCT = "，,、；;：:"
_INDENT = re.compile(r"^[ \t\u3000\u00a0]+")
_MARKER = re.compile(r"[(（]\s*(?:(下转|转)|(上接|接))\s*第?[\d一二三四五六七八九十百A-Za-z]+\s*版\s*[)）]")
_LEAD = re.compile(
    r"^(?:本报讯|本报[^，,。]{0,12}?(?:讯|电)|(?:新华社|中新社|人民日报|央视新闻|据新华社)[^，,。]{0,16}?(?:电|讯)"
    r"|[\u4e00-\u9fff]{2,6}\d{1,2}月\d{1,2}日(?:电|讯))"
    r"(?:\s*[(（][^)）]{1,40}[)）])?"
)
_CREDIT = re.compile(
    r"(?:(?:新华社|中新社|本报|人民日报)?(?:特约)?(?:摄影)?(?:记者|通讯员|摄影|摄)[\s\u4e00-\u9fff·]{1,24}?摄"
    r"|[(（][^()（）]{1,30}摄[)）]|\s[\u4e00-\u9fff·]{2,5}\s?摄|(?:新华社|中新社)发(?:\s*[\u4e00-\u9fff·]{2,12}摄)?)"
    r"\s*[)）]?\s*$"
)
# Page furniture of an e-paper copy: editor credits, page and date headers.
_FURNITURE = re.compile(
    r"^(?:本版)?(?:责编|责任编辑|编辑|校对|美编|版式设计|版式|制图|审读|图片编辑)\s*[:：]"
    r"|^\d{4}年\d{1,2}月\d{1,2}日\s*(?:星期|周)[一二三四五六日天]\s*$"
    r"|^第?\s*[0-9一二三四五六七八九十]+\s*版\s*(?:[:：·]\s*\S{0,8})?$"
)
# A short line all in parentheses after an article: "(新华社电)", "(北 文)" — a source note.
_SOURCE_NOTE = re.compile(r"^[(（][^()（）]{1,20}[)）]$")
# A first heading line that leads into the next one is a kicker (引题), not the headline.
_KICKER_CUE = re.compile(r"(?:后|时|宣布|指出|强调|表示|要求|认为|提出|称|[:：]|——)$")
_DATE_PREFIX = re.compile(r"^\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日[,，]?")
HEADLINE_MAX = 40
LABEL_MAX = 6


def _ends_sentence(text: str) -> bool:
    text = text.rstrip(_CLOSERS + " ")
    return not text or text[-1] in _SENTENCE_END


def _looks_like_heading(text: str) -> bool:
    """A headline, subtitle, kicker or label: short, no clause punctuation, no final stop."""
    if len(text) > HEADLINE_MAX or text[-1] in _CLAUSE_PUNCT:
        return False
    if any(p in text for p in "，,；;。"):
        return False
    return text.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END


class _Kind(Enum):
    """What a line is, as the classifier (or the file's markup) says; assembly acts on this only."""

    HEADING = "heading"  # short, unpunctuated: headline, subtitle, kicker or label — its run decides which
    LEAD = "lead"  # opens with a dateline: 本报讯(记者 …), 新华社…电
    CAPTION = "caption"  # ends in a photo credit (… 摄)
    BODY = "body"  # any other text
    JOIN = "join"  # continues the paragraph above (hard wrap, or `+ `)
    HEADLINE = "headline"  # `# ` markup
    SUBTITLE = "subtitle"  # `## ` markup
    IGNORE = "ignore"  # page furniture, source notes, `// `
    PHOTO = "photo"  # `! ` markup: a caption
    PARA = "para"  # `> ` markup: a paragraph of its own
    BODY_JOIN = "body_join"  # assembly only: a heading-like line that is a page-break fragment of the paragraph above


@dataclass
class _Block:
    text: str
    kind: _Kind
    line: int
    continued: bool = False  # a (下转…) marker closed it
    resumes: bool = False  # it opened with (上接…)


_MARKUP = (
    ("## ", _Kind.SUBTITLE),
    ("# ", _Kind.HEADLINE),
    ("// ", _Kind.IGNORE),
    ("+ ", _Kind.JOIN),
    ("> ", _Kind.PARA),
    ("! ", _Kind.PHOTO),
)


def _blocks(lines: list[str], first_line: int) -> Iterator[_Block]:
    """Non-blank lines as typed blocks; markup lines are taken at their word."""
    indented = sum(1 for ln in lines if _INDENT.match(ln) and ln.strip())
    uses_indent = indented >= 3
    prev: _Block | None = None  # the block right above (None after a blank line)
    last: _Block | None = None  # the last block with text, which a (下转…) line closes
    for offset, raw in enumerate(lines):
        number = first_line + offset
        stripped = raw.strip()
        markup = _markup(raw, stripped)
        if markup is not None:
            kind, text = markup
            if text or kind == _Kind.IGNORE:
                prev = last = _Block(text, kind, number)
                yield prev
            continue
        if not stripped:
            prev = None
            continue
        text, continued, resumes = _strip_markers(stripped)
        if not text:
            if continued and last is not None:
                last.continued = True
            continue
        kind = _line_kind(text, raw, prev, uses_indent=uses_indent, resumes=resumes)
        prev = last = _Block(text, kind, number, continued=continued, resumes=resumes)
        yield prev


def _markup(raw: str, stripped: str) -> tuple[_Kind, str] | None:
    """The kind and text of a markup line (`# `, `## `, `// `, …; a bare `#` too), else None."""
    for prefix, kind in _MARKUP:
        if stripped.startswith(prefix.strip()) and (stripped == prefix.strip() or raw.lstrip().startswith(prefix)):
            return kind, raw.lstrip()[len(prefix) :].strip()
    return None


def _line_kind(text: str, raw: str, prev: _Block | None, *, uses_indent: bool, resumes: bool) -> _Kind:
    """What a line of text is, from its shape, its indent and the block right above it."""
    is_indented = bool(_INDENT.match(raw))
    if uses_indent and prev is not None and prev.kind == _Kind.BODY and not is_indented and not resumes:
        # A hard-wrapped line under an indented paragraph continues it.
        return _Kind.JOIN
    if _SOURCE_NOTE.match(text) or (len(text) <= HEADLINE_MAX and _FURNITURE.search(text)):
        return _Kind.IGNORE
    if _LEAD.match(text):
        return _Kind.LEAD
    if _CREDIT.search(text):
        return _Kind.CAPTION
    if _looks_like_heading(text) and not (uses_indent and is_indented):
        return _Kind.HEADING
    return _Kind.BODY


def _strip_markers(text: str) -> tuple[str, bool, bool]:
    continued = resumes = False
    for m in _MARKER.finditer(text):
        continued |= bool(m.group(1))
        resumes |= bool(m.group(2)) and m.start() == 0
    return _MARKER.sub("", text).strip(), continued, resumes


# ---------------------------------------------------------------------------------------------
# Assembly


@dataclass
class _Draft:
    headline: str
    subtitle: str | None = None
    kicker: str | None = None
    section: str | None = None
    byline: str | None = None
    kind: str = "article"
    paragraphs: list[str] = field(default_factory=list)
    continued: bool = False

    def freeze(self) -> Article:
        return Article(
            headline=_cap(self.headline),
            subtitle=_cap(self.subtitle),
            kicker=_cap(self.kicker),
            section=_cap(self.section),
            byline=self.byline,
            kind=self.kind,
            paragraphs=tuple(self.paragraphs),
        )


def _cap(title: str | None) -> str | None:
    """Titles longer than any headline (a stray `# ` on a paragraph) are cut, not carried whole."""
    return title if title is None or len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def caption_title(text: str, limit: int = 24) -> str:
    """A photo's title from its caption: the first clause after any leading date."""
    body = _DATE_PREFIX.sub("", _CREDIT.sub("", text)).strip()
    first = re.split(r"[。！？!?；;]", body, maxsplit=1)[0].strip() or body
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _join(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


def _is_kicker(first: str, second: str) -> bool:
    """Kicker + headline rather than headline + subtitle.

    A kicker leads into the title ("…时", "…宣布") or is a descriptive noun phrase above a
    shorter title ("著名科学家…" over "…同志逝世"); a headline ends in its verb ("…开幕").
    """
    if _KICKER_CUE.search(first):
        return True
    if len(second) > len(first) - 2:
        return False
    words = [p for p in posseg.lcut(first.rstrip(_CLOSERS)) if p.word.strip()]
    return bool(words) and words[-1].flag[:1] in ("n", "l")


def _heading_roles(lines: list[str]) -> dict[str, str | None]:
    """Split a run of heading lines into section label, kicker, headline and subtitle."""
    lines = list(lines)
    roles: dict[str, str | None] = {"section": None, "kicker": None, "headline": None, "subtitle": None}
    if len(lines) >= 2 and len(lines[0]) <= LABEL_MAX and " " not in lines[0]:
        roles["section"] = lines.pop(0)
    if len(lines) >= 3:
        roles["kicker"] = " ".join(lines[:-2])
        lines = lines[-2:]
    elif len(lines) == 2 and not lines[1].startswith("—") and _is_kicker(lines[0], lines[1]):
        roles["kicker"] = lines.pop(0)
    roles["headline"] = lines[0] if lines else None
    roles["subtitle"] = lines[1] if len(lines) > 1 else None
    return roles


def parse_text(text: str, *, name: str = "<text>") -> tuple[list[Article], list[str]]:
    """Articles and warnings from the body of an issue file (header already removed)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return parse_lines(lines, name=name)


def parse_lines(lines: list[str], *, name: str = "<text>", first_line: int = 1) -> tuple[list[Article], list[str]]:
    """Articles and warnings from an issue body's lines; `first_line` numbers them as in the file
    (after its header), so warnings point at the line an editor would open."""
    return _assemble(list(_blocks(lines, first_line)), name)


def _assemble(blocks: list[_Block], name: str) -> tuple[list[Article], list[str]]:
    articles: list[_Draft] = []
    warnings: list[str] = []
    current: _Draft | None = None  # the article body text goes to
    open_para = False  # the last paragraph of `current` may still be joined
    pending: list[_Block] = []  # heading lines waiting for their article
    forced: dict[str, str | None] = {}  # markup headline/subtitle waiting for their article

    def start(roles: dict[str, str | None], kind: str = "article") -> _Draft:
        nonlocal current, open_para
        draft = _Draft(
            headline=roles.get("headline") or "",
            subtitle=roles.get("subtitle"),
            kicker=roles.get("kicker"),
            section=roles.get("section"),
            kind=kind,
        )
        articles.append(draft)
        current, open_para = draft, False
        return draft

    def flush_pending() -> None:
        """Heading lines (or markup headlines) followed by text become an article head."""
        nonlocal pending, forced
        if forced:
            start(forced)
            forced = {}
        if pending:
            start(_heading_roles([b.text for b in pending]))
            pending = []

    def add_paragraph(block: _Block) -> None:
        nonlocal open_para, current
        if current is None or current.kind == "photo":
            if current is None:
                warnings.append(f"第{block.line}行: 正文前没有标题，已用首句作标题 (text before any headline)")
                start({"headline": caption_title(block.text)})
            else:
                # Text after a photo continues the article the photo interrupted.
                current = next((a for a in reversed(articles) if a.kind != "photo"), None)
                if current is None:
                    start({"headline": caption_title(block.text)})
        assert current is not None
        current.paragraphs.append(block.text)
        open_para = not _ends_sentence(block.text) and not block.continued
        current.continued |= block.continued

    run_end = list(range(len(blocks)))  # where the run of heading lines starting at each block ends
    for j in range(len(blocks) - 1, -1, -1):
        if blocks[j].kind == _Kind.HEADING and j + 1 < len(blocks) and blocks[j + 1].kind == _Kind.HEADING:
            run_end[j] = run_end[j + 1]
        elif blocks[j].kind == _Kind.HEADING:
            run_end[j] = j + 1
    i = 0
    while i < len(blocks):
        block = blocks[i]
        kind = block.kind
        if kind == _Kind.IGNORE:
            i += 1
            continue
        if kind in (_Kind.HEADLINE, _Kind.SUBTITLE):
            if pending:
                flush_pending()
            if kind == _Kind.HEADLINE and forced.get("headline"):
                start(forced)
                forced = {}
            forced[kind.value] = block.text
            i += 1
            continue
        if kind == _Kind.JOIN:
            if current is not None and current.paragraphs:
                current.paragraphs[-1] = _join(current.paragraphs[-1], block.text)
                open_para = not _ends_sentence(current.paragraphs[-1])
            else:
                add_paragraph(block)
            i += 1
            continue
        if kind == _Kind.HEADING and open_para and not forced:
            # A short line after an unfinished paragraph: a page-break fragment, unless a lead
            # follows the heading lines, which only a new article has.
            j = run_end[i]
            if j >= len(blocks) or blocks[j].kind != _Kind.LEAD:
                kind = _Kind.BODY_JOIN
        if kind == _Kind.HEADING and not forced:
            pending.append(block)
            if len(pending) > 4:
                warnings.append(f"第{pending[0].line}行: 连续多行短句，当作正文 (many short lines taken as text)")
                for stray in pending:
                    add_paragraph(_Block(stray.text, _Kind.BODY, stray.line))
                pending = []
            i += 1
            continue
        if kind == _Kind.HEADING:  # forced head already given: a short line is just text
            kind = _Kind.BODY
        if kind == _Kind.CAPTION or kind == _Kind.PHOTO:
            title = " ".join(b.text for b in pending) if pending else caption_title(block.text)
            pending = []
            if forced:
                title = forced.get("headline") or title
                forced = {}
            previous = current
            start({"headline": title}, kind="photo")
            articles[-1].paragraphs.append(block.text)
            current = previous if previous is not None else articles[-1]
            open_para = False
            i += 1
            continue
        if kind == _Kind.BODY_JOIN or (kind == _Kind.BODY and open_para and not pending and not forced):
            assert current is not None
            current.paragraphs[-1] = _join(current.paragraphs[-1], block.text)
            open_para = not _ends_sentence(current.paragraphs[-1]) and not block.continued
            current.continued |= block.continued
            i += 1
            continue
        # lead, body or a forced paragraph ("> ")
        if block.resumes:
            target = next((a for a in articles if a.continued), None)
            if target is not None and not pending and not forced:
                target.continued = False
                current, open_para = target, False
        if pending or forced:
            flush_pending()
        elif kind == _Kind.LEAD and current is not None and current.paragraphs:
            # A second dateline under one headline: a combined report, kept in one article.
            warnings.append(f"第{block.line}行: 导语前没有标题，归入上一篇 (lead without headline joins the article above)")
        elif open_para and kind == _Kind.LEAD:
            warnings.append(f"第{block.line}行: 上一段没有结束就开始了新稿件 (unfinished paragraph)")
        if kind == _Kind.LEAD and current is not None and current.byline is None:
            m = re.match(r"^(.*?[)）])", block.text[: _LEAD.match(block.text).end()])
            current.byline = (m.group(1) if m else _LEAD.match(block.text).group(0)).strip()
        add_paragraph(block)
        i += 1

    if pending:
        warnings.append(f"第{pending[0].line}行: 文末的标题没有正文，已忽略 (headline without text at the end)")
    for draft in articles:
        if draft.kind == "article" and not draft.paragraphs:
            warnings.append(f"「{draft.headline}」: 没有正文，已忽略 (headline without text)")
        if not draft.headline:
            draft.headline = caption_title(draft.paragraphs[0]) if draft.paragraphs else ""
    for draft in articles:
        if draft.paragraphs and not _ends_sentence(draft.paragraphs[-1]) and draft.kind == "article":
            if draft.continued:
                continue
            warnings.append(f"「{draft.headline}」: 最后一段没有结束标点 (last paragraph looks unfinished)")
    return [d.freeze() for d in articles if d.paragraphs], warnings
