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
from typing import overload

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
            headline=clip_title(self.headline),
            subtitle=clip_title(self.subtitle),
            kicker=clip_title(self.kicker),
            section=clip_title(self.section),
            byline=self.byline,
            kind=self.kind,
            paragraphs=tuple(self.paragraphs),
        )


@overload
def clip_title(title: str) -> str: ...
@overload
def clip_title(title: None) -> None: ...
def clip_title(title: str | None) -> str | None:
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
    assembler = _Assembler()
    for block, lead_ahead in zip(blocks, _leads_ahead(blocks), strict=True):
        assembler.feed(block, lead_ahead=lead_ahead)
    return assembler.finish()


def _leads_ahead(blocks: list[_Block]) -> list[bool]:
    """For each heading block: whether a lead follows its run of heading lines (only a new article
    has one).  Other blocks get False."""
    ahead = [False] * len(blocks)
    lead_next = False  # the first non-heading block after the one looked at is a lead
    for j in range(len(blocks) - 1, -1, -1):
        if blocks[j].kind == _Kind.HEADING:
            ahead[j] = lead_next
        else:
            lead_next = blocks[j].kind == _Kind.LEAD
    return ahead


_Roles = dict[str, "str | None"]  # section, kicker, headline, subtitle: what is known of an article's head


class _Assembler:
    """Blocks, in file order, → article drafts and warnings.

    `feed` decides which situation a block is in and hands it to one method for it; the state those
    methods share is the few fields below, so a new layout rule is a new method, not a new branch
    in a long loop.
    """

    def __init__(self) -> None:
        self.articles: list[_Draft] = []
        self.warnings: list[str] = []
        self.current: _Draft | None = None  # the article body text goes to
        self.open_para = False  # the last paragraph of `current` may still be joined
        self.pending: list[_Block] = []  # heading lines waiting for their article
        self.forced: _Roles = {}  # markup headline/subtitle waiting for their article

    def feed(self, block: _Block, *, lead_ahead: bool = False) -> None:
        """Take one block; `lead_ahead` says a lead follows the run of heading lines it is in."""
        kind = block.kind
        if kind == _Kind.IGNORE:
            return
        if kind in (_Kind.HEADLINE, _Kind.SUBTITLE):
            self._markup_title(block)
        elif kind == _Kind.JOIN:
            self._join_line(block)
        elif kind == _Kind.HEADING and not self.forced:
            if self.open_para and not lead_ahead:
                # A short line after an unfinished paragraph: a page-break fragment, unless a lead
                # follows the heading lines, which only a new article has.
                self._continue_paragraph(block)
            else:
                self._heading(block)
        elif kind in (_Kind.CAPTION, _Kind.PHOTO):
            self._photo(block)
        elif kind == _Kind.BODY and self.open_para and not self.pending and not self.forced:
            self._continue_paragraph(block)
        else:
            # lead, body, a forced paragraph ("> "), or a short line under a forced head: just text
            self._text(block, _Kind.BODY if kind == _Kind.HEADING else kind)

    def _start(self, roles: _Roles, kind: str = "article") -> _Draft:
        draft = _Draft(
            headline=roles.get("headline") or "",
            subtitle=roles.get("subtitle"),
            kicker=roles.get("kicker"),
            section=roles.get("section"),
            kind=kind,
        )
        self.articles.append(draft)
        self.current, self.open_para = draft, False
        return draft

    def _flush_pending(self) -> None:
        """Heading lines (or markup headlines) followed by text become an article head."""
        if self.forced:
            self._start(self.forced)
            self.forced = {}
        if self.pending:
            self._start(_heading_roles([b.text for b in self.pending]))
            self.pending = []

    def _markup_title(self, block: _Block) -> None:
        """`# ` / `## `: the head of the next article; a second `# ` starts one of its own."""
        if self.pending:
            self._flush_pending()
        if block.kind == _Kind.HEADLINE and self.forced.get("headline"):
            self._start(self.forced)
            self.forced = {}
        self.forced[block.kind.value] = block.text

    def _join_line(self, block: _Block) -> None:
        """`+ ` or a hard-wrapped line: the paragraph above goes on."""
        if self.current is not None and self.current.paragraphs:
            self.current.paragraphs[-1] = _join(self.current.paragraphs[-1], block.text)
            self.open_para = not _ends_sentence(self.current.paragraphs[-1])
        else:
            self._add_paragraph(block)

    def _heading(self, block: _Block) -> None:
        """A heading line waits for its run to end; more than a head has is text after all."""
        self.pending.append(block)
        if len(self.pending) > 4:
            self.warnings.append(f"第{self.pending[0].line}行: 连续多行短句，当作正文 (many short lines taken as text)")
            for stray in self.pending:
                self._add_paragraph(_Block(stray.text, _Kind.BODY, stray.line))
            self.pending = []

    def _photo(self, block: _Block) -> None:
        """A caption is an item of its own, titled by the heading lines above it (or its first
        clause); the article it interrupts goes on after it."""
        title = " ".join(b.text for b in self.pending) if self.pending else caption_title(block.text)
        self.pending = []
        if self.forced:
            title = self.forced.get("headline") or title
            self.forced = {}
        previous = self.current
        self._start({"headline": title}, kind="photo")
        self.articles[-1].paragraphs.append(block.text)
        self.current = previous if previous is not None else self.articles[-1]
        self.open_para = False

    def _continue_paragraph(self, block: _Block) -> None:
        """Text after an unfinished paragraph finishes it (a page or column break split it)."""
        assert self.current is not None
        self.current.paragraphs[-1] = _join(self.current.paragraphs[-1], block.text)
        self.open_para = not _ends_sentence(self.current.paragraphs[-1]) and not block.continued
        self.current.continued |= block.continued

    def _text(self, block: _Block, kind: _Kind) -> None:
        """A lead or a paragraph: it resumes a continued article, starts the pending one, or goes on
        in the current one."""
        if block.resumes:
            self._resume()
        if self.pending or self.forced:
            self._flush_pending()
        elif kind == _Kind.LEAD and self.current is not None and self.current.paragraphs:
            # A second dateline under one headline: a combined report, kept in one article.
            self.warnings.append(f"第{block.line}行: 导语前没有标题，归入上一篇 (lead without headline joins the article above)")
        elif self.open_para and kind == _Kind.LEAD:
            self.warnings.append(f"第{block.line}行: 上一段没有结束就开始了新稿件 (unfinished paragraph)")
        if kind == _Kind.LEAD and self.current is not None and self.current.byline is None:
            self.current.byline = _byline(block.text)
        self._add_paragraph(block)

    def _resume(self) -> None:
        """(上接…): back to the first article a (下转…) left open, unless a new head is waiting."""
        target = next((a for a in self.articles if a.continued), None)
        if target is not None and not self.pending and not self.forced:
            target.continued = False
            self.current, self.open_para = target, False

    def _add_paragraph(self, block: _Block) -> None:
        if self.current is None:
            self.warnings.append(f"第{block.line}行: 正文前没有标题，已用首句作标题 (text before any headline)")
            self._start({"headline": caption_title(block.text)})
        elif self.current.kind == "photo":
            # Text after a photo continues the article the photo interrupted.
            self.current = next((a for a in reversed(self.articles) if a.kind != "photo"), None)
            if self.current is None:
                self._start({"headline": caption_title(block.text)})
        assert self.current is not None
        self.current.paragraphs.append(block.text)
        self.open_para = not _ends_sentence(block.text) and not block.continued
        self.current.continued |= block.continued

    def finish(self) -> tuple[list[Article], list[str]]:
        """The end-of-file checks; then the articles that have text, and every warning."""
        if self.pending:
            self.warnings.append(f"第{self.pending[0].line}行: 文末的标题没有正文，已忽略 (headline without text at the end)")
        for draft in self.articles:
            if draft.kind == "article" and not draft.paragraphs:
                self.warnings.append(f"「{draft.headline}」: 没有正文，已忽略 (headline without text)")
            if not draft.headline:
                draft.headline = caption_title(draft.paragraphs[0]) if draft.paragraphs else ""
        for draft in self.articles:
            if draft.paragraphs and not _ends_sentence(draft.paragraphs[-1]) and draft.kind == "article":
                if draft.continued:
                    continue
                self.warnings.append(f"「{draft.headline}」: 最后一段没有结束标点 (last paragraph looks unfinished)")
        return [d.freeze() for d in self.articles if d.paragraphs], self.warnings


def _byline(lead: str) -> str:
    """The dateline of a lead up to its closing bracket: 本报讯(记者 张三)."""
    dateline = _LEAD.match(lead)
    assert dateline is not None  # only a line _LEAD matched is a lead
    m = re.match(r"^(.*?[)）])", lead[: dateline.end()])
    return (m.group(1) if m else dateline.group(0)).strip()
