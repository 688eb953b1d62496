"""Issue files → articles and whole paragraphs.

An e-paper copy is a stream of lines: banners, kickers, headlines, subtitles, `本报讯(记者 …)`
leads, blank-line paragraphs (some broken mid-sentence by a page break), photo captions, column
labels and `(下转二版)` markers.  The loader reads that shape from layout and punctuation only —
never from any paper's words — and says what it was unsure of as warnings, which `datong-bot
check` shows.  Where it guesses wrong, a tiny markup in the file decides (see corpus/README.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from charset_normalizer import from_bytes
from jieba import posseg

from .text import is_cjk

MAX_FILE_BYTES = 5 * 1024 * 1024
FILE_NAME = re.compile(r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*?)-(?P<date>\d{4}-\d{2}-\d{2})(?:-[a-z0-9]+)?\.txt")
MAX_NAME = 100  # characters of a file name
MAX_TITLE = 200  # characters of a headline, subtitle, kicker or paper name; longer is not a title
PAPERS_FILE = "papers.txt"
USER_DICT = "userdict.txt"


class CorpusError(Exception):
    """A corpus file that cannot be used; the message names the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


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


@dataclass(frozen=True)
class Issue:
    """One issue (or page) file of one paper."""

    paper: str
    slug: str
    date: dt.date
    name: str
    articles: tuple[Article, ...]
    sha256: str
    warnings: tuple[str, ...] = ()
    named_in_file: bool = False  # the paper's name is the file header's, not papers.txt's

    @property
    def paragraph_count(self) -> int:
        return sum(len(a.paragraphs) for a in self.articles)


# ---------------------------------------------------------------------------------------------
# Decoding


_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"{\\rtf", b"\xd0\xcf\x11\xe0", b"\x1f\x8b")


def decode(data: bytes, name: str, *, newspaper: bool = True) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030/GBK/Big5 as detected.

    `newspaper` files must also read as Chinese text (not a PDF, not mojibake).
    """
    if data.lstrip()[:8].startswith(_SIGNATURES):
        raise CorpusError(name, "这是 PDF、Word、图片或压缩包，不是文本 (a PDF, document, image or archive, not text)")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(name, "二进制文件，不是文本 (binary data, not text)")
    text = _decode(data, name)
    return _readable(text, name) if newspaper else text


_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff]")
_HAN = re.compile("[\u4e00-\u9fff]")
_SPACE = re.compile(r"\s")


def _readable(text: str, name: str) -> str:
    """Decoded text must read as text: hardly any control or private-use characters, and (these
    being Chinese papers) a fair share of Chinese characters."""
    visible = len(text) - len(_SPACE.findall(text))
    if len(_UNREADABLE.findall(text)) > 0.02 * visible:
        raise CorpusError(name, "内容不是可读文本 (decoded text is not readable)")
    if visible and len(_HAN.findall(text)) < 0.2 * visible:
        raise CorpusError(name, "内容几乎没有中文，不像报纸文本 (hardly any Chinese: not a newspaper text)")
    return text


def _decode(data: bytes, name: str) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise CorpusError(name, f"无法按 {codec} 解码 (cannot decode as {codec}): {exc.reason}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=["gb18030", "gbk", "big5", "utf_16"]).best()
    if best is None or best.encoding not in {"gb18030", "gbk", "big5", "utf_16"}:
        raise CorpusError(name, "无法识别的编码，请存为 UTF-8 (unknown encoding: save it as UTF-8)")
    return str(best)


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


@dataclass
class _Block:
    text: str
    kind: str  # heading | lead | caption | body | join | headline | subtitle | ignore | photo | para
    line: int
    continued: bool = False  # a (下转…) marker closed it
    resumes: bool = False  # it opened with (上接…)


_MARKUP = (
    ("## ", "subtitle"),
    ("# ", "headline"),
    ("// ", "ignore"),
    ("+ ", "join"),
    ("> ", "para"),
    ("! ", "photo"),
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
        for prefix, kind in _MARKUP:
            if stripped.startswith(prefix.strip()) and (stripped == prefix.strip() or raw.lstrip().startswith(prefix)):
                text = raw.lstrip()[len(prefix) :].strip()
                if text or kind == "ignore":
                    prev = last = _Block(text, kind, number)
                    yield prev
                break
        else:
            if not stripped:
                prev = None
                continue
            text, continued, resumes = _strip_markers(stripped)
            if not text:
                if continued and last is not None:
                    last.continued = True
                continue
            is_indented = bool(_INDENT.match(raw))
            if uses_indent and prev is not None and prev.kind == "body" and not is_indented and not resumes:
                # A hard-wrapped line under an indented paragraph continues it.
                kind = "join"
            elif _SOURCE_NOTE.match(text) or (len(text) <= HEADLINE_MAX and _FURNITURE.search(text)):
                kind = "ignore"
            elif _LEAD.match(text):
                kind = "lead"
            elif _CREDIT.search(text):
                kind = "caption"
            elif _looks_like_heading(text) and not (uses_indent and is_indented):
                kind = "heading"
            else:
                kind = "body"
            prev = last = _Block(text, kind, number, continued=continued, resumes=resumes)
            yield prev


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
    return _assemble(list(_blocks(lines, 1)), name)


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
        if blocks[j].kind == "heading" and j + 1 < len(blocks) and blocks[j + 1].kind == "heading":
            run_end[j] = run_end[j + 1]
        elif blocks[j].kind == "heading":
            run_end[j] = j + 1
    i = 0
    while i < len(blocks):
        block = blocks[i]
        kind = block.kind
        if kind == "ignore":
            i += 1
            continue
        if kind in ("headline", "subtitle"):
            if pending:
                flush_pending()
            if kind == "headline" and forced.get("headline"):
                start(forced)
                forced = {}
            forced[kind] = block.text
            i += 1
            continue
        if kind == "join":
            if current is not None and current.paragraphs:
                current.paragraphs[-1] = _join(current.paragraphs[-1], block.text)
                open_para = not _ends_sentence(current.paragraphs[-1])
            else:
                add_paragraph(block)
            i += 1
            continue
        if kind == "heading" and open_para and not forced:
            # A short line after an unfinished paragraph: a page-break fragment, unless a lead
            # follows the heading lines, which only a new article has.
            j = run_end[i]
            if j >= len(blocks) or blocks[j].kind != "lead":
                kind = "body_join"
        if kind == "heading" and not forced:
            pending.append(block)
            if len(pending) > 4:
                warnings.append(f"第{pending[0].line}行: 连续多行短句，当作正文 (many short lines taken as text)")
                for stray in pending:
                    add_paragraph(_Block(stray.text, "body", stray.line))
                pending = []
            i += 1
            continue
        if kind == "heading":  # forced head already given: a short line is just text
            kind = "body"
        if kind == "caption" or kind == "photo":
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
        if kind == "body_join" or (kind == "body" and open_para and not pending and not forced):
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
        elif kind == "lead" and current is not None and current.paragraphs:
            # A second dateline under one headline: a combined report, kept in one article.
            warnings.append(f"第{block.line}行: 导语前没有标题，归入上一篇 (lead without headline joins the article above)")
        elif open_para and kind == "lead":
            warnings.append(f"第{block.line}行: 上一段没有结束就开始了新稿件 (unfinished paragraph)")
        if kind == "lead" and current is not None and current.byline is None:
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


# ---------------------------------------------------------------------------------------------
# Files


def split_header(text: str) -> tuple[dict[str, str], str, int]:
    """An optional `key: value` block ended by `---` at the top; returns (meta, body, lines used)."""
    lines = text.split("\n")
    meta: dict[str, str] = {}
    for n, line in enumerate(lines[:12]):
        stripped = line.strip()
        if stripped == "---" and meta:
            return meta, "\n".join(lines[n + 1 :]), n + 1
        m = re.match(r"^(paper|date|slug|报名|报纸|日期)\s*[:：]\s*(.+)$", stripped, re.IGNORECASE)
        if m:
            meta[{"报名": "paper", "报纸": "paper", "日期": "date"}.get(m.group(1), m.group(1).lower())] = m.group(2).strip()
        elif stripped or meta:
            break
    return {}, text, 0


def parse_issue(data: bytes, name: str, papers: dict[str, str] | None = None) -> Issue:
    """One issue file's bytes → an Issue, or CorpusError naming the file and the reason."""
    if len(data) > MAX_FILE_BYTES:
        raise CorpusError(name, f"文件太大 (file too large: {len(data)} bytes, limit {MAX_FILE_BYTES})")
    if not data.strip():
        raise CorpusError(name, "文件是空的 (empty file)")
    text = decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
    meta, body, header_lines = split_header(text)
    m = FILE_NAME.fullmatch(name)
    date_text = meta.get("date") or (m.group("date") if m else None)
    slug = meta.get("slug") or (m.group("slug") if m else Path(name).stem)
    if not date_text:
        raise CorpusError(
            name, "文件名应为 <报纸代号>-<YYYY-MM-DD>.txt，或在文件头写明 date (name must be <paper-slug>-<YYYY-MM-DD>.txt)"
        )
    try:
        date = dt.date.fromisoformat(re.sub(r"[年月/.]", "-", date_text).rstrip("日"))
    except ValueError:
        raise CorpusError(name, f"日期无效 (invalid date): {date_text}") from None
    lines = body.split("\n")
    articles, warnings = _assemble(list(_blocks(lines, header_lines + 1)), name)
    if not articles:
        raise CorpusError(name, "没有找到任何稿件 (no article found)")
    paper = _cap(meta.get("paper") or (papers or {}).get(slug) or slug) or slug
    return Issue(
        paper=paper,
        slug=slug,
        date=date,
        name=name,
        articles=tuple(articles),
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=tuple(warnings),
        named_in_file=bool(meta.get("paper")),
    )


def read_papers(folder: Path) -> dict[str, str]:
    """`papers.txt`: `slug = 报名` lines giving each paper's display name."""
    path = folder / PAPERS_FILE
    names: dict[str, str] = {}
    if path.is_file():
        for line in decode(path.read_bytes(), PAPERS_FILE, newspaper=False).splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                slug, _, paper = line.partition("=")
                names[slug.strip()] = paper.strip()
    return names


def issue_files(folder: Path) -> list[Path]:
    """The issue files of a folder: every `*.txt` but the user dictionary, sorted by name."""
    return sorted(p for p in folder.glob("*.txt") if p.is_file() and p.name not in (USER_DICT, PAPERS_FILE))


@dataclass(frozen=True)
class Corpus:
    """All issues of a corpus folder, plus the user dictionaries to tokenize them with."""

    issues: tuple[Issue, ...]
    user_dicts: tuple[Path, ...] = ()

    @property
    def version(self) -> str:
        """Short content hash of all issue files: changes whenever any file does."""
        digest = hashlib.sha256("".join(sorted(i.sha256 for i in self.issues)).encode())
        return digest.hexdigest()[:12]

    @cached_property
    def reporter_names(self) -> tuple[str, ...]:
        """Reporters' names from bylines like 本报讯(记者 张三 李四): words jieba should keep whole."""
        names: dict[str, None] = {}
        for issue in self.issues:
            for article in issue.articles:
                inner = re.search(r"[(（](.*)[)）]", article.byline or "")
                if inner:
                    for part in re.split(r"[\s、,，]+", inner.group(1)):
                        part = re.sub(r"^(?:本报|特约)?(?:记者|通讯员|实习生|见习记者)", "", part)
                        if 2 <= len(part) <= 4 and all(is_cjk(ch) for ch in part):
                            names[part] = None
        return tuple(names)


def load_corpus(folder: Path, known: Mapping[str, Issue] | None = None) -> Corpus:
    """Every issue of a folder, all or nothing: one bad file raises LoadErrors naming each.

    `known` maps "name:sha256" to issues parsed before (a saved index keeps them): an unchanged
    file is not parsed again, only its display name looked up afresh.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise LoadErrors([CorpusError(str(folder), "目录不存在 (no such folder)")])
    papers = read_papers(folder)
    issues: list[Issue] = []
    errors: list[CorpusError] = []
    for path in issue_files(folder):
        try:
            data = path.read_bytes()
            seen = (known or {}).get(f"{path.name}:{hashlib.sha256(data).hexdigest()}")
            issues.append(_renamed(seen, papers) if seen else parse_issue(data, path.name, papers))
        except CorpusError as exc:
            errors.append(exc)
        except OSError as exc:
            errors.append(CorpusError(path.name, f"无法读取 (cannot read): {exc.strerror}"))
    if errors:
        raise LoadErrors(errors)
    if not issues:
        raise LoadErrors([CorpusError(str(folder), "目录里没有报纸文件 (no issue files)")])
    user_dict = folder / USER_DICT
    return Corpus(issues=tuple(issues), user_dicts=(user_dict,) if user_dict.is_file() else ())


def _renamed(issue: Issue, papers: Mapping[str, str]) -> Issue:
    """A known issue with its display name as papers.txt gives it now (a name in the file's own
    header wins, and the file is unchanged): no decoding, which a restart would pay per file."""
    if issue.named_in_file:
        return issue
    paper = _cap(papers.get(issue.slug) or issue.slug) or issue.slug
    return issue if paper == issue.paper else dataclasses.replace(issue, paper=paper)


class LoadErrors(Exception):
    """A corpus that failed to load: every bad file with its reason."""

    def __init__(self, errors: list[CorpusError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors
