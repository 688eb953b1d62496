"""Issue files → articles and whole paragraphs.

This module reads files: names, headers, encodings, size limits, a folder of issues.  What an
issue's lines mean (headlines, leads, captions, page-break markers) is bot.layout's, which reads
the shape from layout and punctuation only — never from any paper's words — and says what it was
unsure of as warnings, which `datong-bot check` shows.  Where it guesses wrong, a tiny markup in
the file decides (see corpus/README.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import itertools
import logging
import multiprocessing
import os
import re
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from charset_normalizer import from_bytes

from .layout import BRACKETED, Article, caption_title, clip_title, page_number, parse_lines
from .layout import parse_text as parse_text  # re-exported: callers and tests have used bot.corpus.parse_text
from .text import is_cjk

log = logging.getLogger("datong_bot.corpus")

MAX_FILE_BYTES = 5 * 1024 * 1024
FILE_NAME = re.compile(r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*?)-(?P<date>\d{4}-\d{2}-\d{2})(?:-(?P<page>[a-z0-9]+))?\.txt")
MAX_NAME = 100  # characters of a file name
PAPERS_FILE = "papers.txt"
USER_DICT = "userdict.txt"


class CorpusError(Exception):
    """A corpus file that cannot be used; the message names the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self) -> tuple:
        return CorpusError, (self.name, self.reason)  # back from a worker process whole


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

    @property
    def page(self) -> str | None:
        """The page a page file holds ("-p3" → "3"); None for a whole issue."""
        m = FILE_NAME.fullmatch(self.name)
        return page_number(m.group("page")) if m and m.group("page") else None

    @cached_property
    def reporters(self) -> tuple[str, ...]:
        """Reporters' names from its bylines like 本报讯(记者 张三 李四): words jieba should keep
        whole. Cached in the instance, so a saved index keeps them with the issue and a restart
        does not read a million bylines again."""
        names: dict[str, None] = {}
        for article in self.articles:
            # the dateline's last bracket, the credit: 某地消息(某报)(记者 张三), 某网讯 【记者 李四 王五】
            for credit in re.findall(BRACKETED, article.byline or "")[-1:]:
                for part in re.split(r"[\s、,，]+", credit[1:-1]):
                    part = re.sub(r"^[\u4e00-\u9fff]{0,2}?(?:记者|通讯员|实习生)", "", part)  # 本报记者, 星级记者
                    if 2 <= len(part) <= 4 and all(is_cjk(ch) for ch in part):
                        names[part] = None
        return tuple(names)


# ---------------------------------------------------------------------------------------------
# Decoding


_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"{\\rtf", b"\xd0\xcf\x11\xe0", b"\x1f\x8b")


def decode(data: bytes, name: str, *, newspaper: bool = True) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030/GBK/Big5 as detected.

    `newspaper` files must also read as Chinese text (not a PDF, not mojibake) once any markup of a
    page's source is gone (see `_without_markup`).
    """
    if data.lstrip()[:8].startswith(_SIGNATURES):
        raise CorpusError(name, "这是 PDF、Word、图片或压缩包，不是文本 (a PDF, document, image or archive, not text)")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(name, "二进制文件，不是文本 (binary data, not text)")
    text = _decode(data, name)
    return _readable(_without_markup(text), name) if newspaper else text


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


# A copy taken from a page's source keeps its markup: line breaks as tags, spaces as entities.
_BREAK_TAG = re.compile(
    r"<\s*/?\s*(?:br|p|div|section|article|blockquote|li|ul|ol|tr|table|h[1-6])\b[^<>]{0,500}>", re.IGNORECASE
)
_TAG = re.compile(r"<\s*/?\s*(?:a|b|i|u|em|strong|span|font|img|sup|sub|center|tbody|td|th)\b[^<>]{0,500}>", re.IGNORECASE)
_HIDDEN = re.compile(r"<!--.*?-->|<\s*(script|style)\b[^<>]*>.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]{0,500})?/?\s*>")
_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-f]{2,5}|[a-z]{2,8});", re.IGNORECASE)


MARKUP_LINES = 4  # lines of text a copy may have for each tag and still be plain text with a stray one


def _without_markup(text: str) -> str:
    """A copy with HTML markup in it, as a page's source gives the text: comments, scripts and
    styles go; the block tags (<br>, <p>, <div>, <section> …) become line breaks and every other
    tag goes; entities (&nbsp;, &amp;, &#12345;) become their characters.  Text with no tags, or
    with a stray one in many lines (an encyclopedia's "<br>" left in a passage), is left as it is:
    an "&" or a "<" in a plain copy is the text's."""
    if "<" not in text:
        return text  # (most copies: no need to look for tags in a whole issue)
    tags = len(_BREAK_TAG.findall(text)) + len(_TAG.findall(text))
    if tags < 3 or tags * MARKUP_LINES < sum(1 for line in text.split("\n") if line.strip()):
        return text
    text = _ANY_TAG.sub("", _BREAK_TAG.sub("\n", _HIDDEN.sub("", text)))
    return _ENTITY.sub(lambda m: html.unescape(m.group()), text).replace("\u00a0", " ")


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
    articles, warnings = parse_lines(lines, name=name, first_line=header_lines + 1)
    if not articles:
        raise CorpusError(name, "没有找到任何稿件 (no article found)")
    paper = clip_title(meta.get("paper") or (papers or {}).get(slug) or slug) or slug
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


RACY_NS = 2_000_000_000  # coarser file times than this (FAT: 2 s) could hide a change made just after a stat


@dataclass(frozen=True)
class Seen:
    """A file's stat when its content was hashed. A later stat the same in size, modification and
    change time and inode names the same content, so a restart need not read and hash a decade of
    files again. Any write updates the change time (which no tool can set back); a file changed
    within RACY_NS of the stat could still show the same times, so such a record is not trusted
    until a later load has seen it settled."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    at_ns: int  # the clock when the stat was taken
    sha256: str

    @classmethod
    def of(cls, st: os.stat_result, at_ns: int, sha256: str) -> Seen:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, at_ns, sha256)

    def vouches_for(self, st: os.stat_result) -> bool:
        """Whether a file with this stat now is the content hashed then."""
        same = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) == (self.size, self.mtime_ns, self.ctime_ns, self.inode)
        return same and max(self.mtime_ns, self.ctime_ns) < self.at_ns - RACY_NS


@dataclass(frozen=True)
class Corpus:
    """All issues of a corpus folder, plus the user dictionaries to tokenize them with."""

    issues: tuple[Issue, ...]
    user_dicts: tuple[Path, ...] = ()
    seen: Mapping[str, Seen] = dataclasses.field(default_factory=dict, compare=False)  # file name -> its stat and hash

    @property
    def version(self) -> str:
        """Short content hash of all issue files: changes whenever any file does."""
        digest = hashlib.sha256("".join(sorted(i.sha256 for i in self.issues)).encode())
        return digest.hexdigest()[:12]

    @cached_property
    def reporter_names(self) -> tuple[str, ...]:
        """Reporters' names from bylines like 本报讯(记者 张三 李四): words jieba should keep whole."""
        return tuple(dict.fromkeys(name for issue in self.issues for name in issue.reporters))


def load_corpus(folder: Path, known: Mapping[str, Issue] | None = None, seen: Mapping[str, Seen] | None = None) -> Corpus:
    """Every issue of a folder, all or nothing: one bad file raises LoadErrors naming each.

    `known` maps "name:sha256" to issues parsed before (a saved index keeps them): an unchanged
    file is not parsed again, only its display name looked up afresh. `seen` (a previous load's
    `Corpus.seen`) spares reading and hashing a known file whose stat it vouches for. Many new
    files are parsed in worker processes (`parse_many`).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise LoadErrors([CorpusError(str(folder), "目录不存在 (no such folder)")])
    papers = read_papers(folder)
    known = known or {}
    issues: dict[int, Issue] = {}  # by the file's place in the folder
    errors: dict[int, CorpusError] = {}
    fresh: dict[int, tuple[bytes, str]] = {}  # files to parse
    stats: dict[str, Seen] = {}
    now = time.time_ns()  # before any stat: a record claims no more than it saw
    for n, path in enumerate(issue_files(folder)):
        try:
            st = path.stat()
            before = (seen or {}).get(path.name)
            issue = known.get(f"{path.name}:{before.sha256}") if before is not None and before.vouches_for(st) else None
            if issue is not None and before is not None:
                stats[path.name] = before
                issues[n] = _renamed(issue, papers)
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            stats[path.name] = Seen.of(st, now, digest)
            issue = known.get(f"{path.name}:{digest}")
            if issue is not None:
                issues[n] = _renamed(issue, papers)
            else:
                fresh[n] = (data, path.name)
        except OSError as exc:
            errors[n] = CorpusError(path.name, f"无法读取 (cannot read): {exc.strerror}")
    for n, parsed in zip(fresh, parse_many(list(fresh.values()), papers), strict=True):
        if isinstance(parsed, CorpusError):
            errors[n] = parsed
        else:
            issues[n] = parsed
    if errors:
        raise LoadErrors([errors[n] for n in sorted(errors)])
    linked = link_pages([issues[n] for n in sorted(issues)])
    if not linked:
        raise LoadErrors([CorpusError(str(folder), "目录里没有报纸文件 (no issue files)")])
    user_dict = folder / USER_DICT
    return Corpus(issues=tuple(linked), user_dicts=(user_dict,) if user_dict.is_file() else (), seen=stats)


PARALLEL_MIN_BYTES = 8 << 20  # about 50 issues, 3 s of parsing: below this, starting workers costs more than it saves


def parse_many(files: list[tuple[bytes, str]], papers: dict[str, str]) -> list[Issue | CorpusError]:
    """`parse_issue` of each (bytes, name), in order, a CorpusError for a file that does not parse;
    spread over the cores when there is much to parse (a first load of a decade of issues)."""
    workers = min(os.cpu_count() or 1, len(files))
    if workers >= 2 and sum(len(data) for data, _ in files) >= PARALLEL_MIN_BYTES:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        try:
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                chunk = max(1, len(files) // (workers * 16))
                return list(pool.map(_parsed, files, itertools.repeat(papers), chunksize=chunk))
        except (BrokenProcessPool, OSError) as exc:  # e.g. a main module workers cannot import
            log.warning("parsing in one process (%s)", exc)
    return [_parsed(file, papers) for file in files]


def _parsed(file: tuple[bytes, str], papers: dict[str, str]) -> Issue | CorpusError:
    try:
        return parse_issue(file[0], file[1], papers)
    except CorpusError as exc:
        return exc


def link_pages(issues: list[Issue]) -> list[Issue]:
    """Continuations across the page files of one issue (`…-p1.txt`, `…-p3.txt`).

    Each file stays one Issue (the index keys its paragraphs by file), but an article that opens
    with (上接1版) takes the head of the article on page 1 that ended with (下转3版) — headline,
    subtitle, kicker, label, byline — and names that file in `continues`, so its paragraphs are
    found and cited under the right headline.  A continuation whose start is not found keeps a
    title from its first sentence, and its file says so in a warning.
    """
    paged = [i for i in issues if i.page is not None]
    if not paged:
        return issues
    pages: dict[tuple[str, dt.date, str], Issue] = {}
    for issue in paged:
        pages.setdefault((issue.slug, issue.date, issue.page or ""), issue)
    linked: dict[str, Issue] = {}
    # Earlier pages first, so a continuation of a continuation (1 → 3 → 5) finds a linked head.
    for issue in sorted(paged, key=_page_order):
        linked[issue.name] = done = _linked(issue, pages)
        if pages.get((issue.slug, issue.date, issue.page or "")) is issue:
            pages[(issue.slug, issue.date, issue.page or "")] = done
    return [linked.get(i.name, i) for i in issues]


def _page_order(issue: Issue) -> tuple[str, dt.date, int, str]:
    page = issue.page or ""
    return issue.slug, issue.date, int(page) if page.isdigit() else 0, issue.name


def _linked(issue: Issue, pages: Mapping[tuple[str, dt.date, str], Issue]) -> Issue:
    if not any(a.resumed_from for a in issue.articles):
        return issue
    articles: list[Article] = []
    warnings = list(issue.warnings)
    taken: dict[str, int] = {}  # continuations from each page so far: the k-th takes the k-th jump
    for article in issue.articles:
        if not article.resumed_from:
            articles.append(article)
            continue
        origin_issue = pages.get((issue.slug, issue.date, article.resumed_from))
        nth = taken.get(article.resumed_from, 0)
        taken[article.resumed_from] = nth + 1
        origin = _origin(origin_issue, issue.page, nth) if origin_issue is not None else None
        if origin is not None and origin_issue is not None:
            article = dataclasses.replace(
                article,
                headline=origin.headline,
                subtitle=origin.subtitle,
                kicker=origin.kicker,
                section=origin.section,
                byline=article.byline or origin.byline,
                continues=origin_issue.name,
            )
        else:
            if article.continues:  # linked when loaded before; its first page is gone now
                article = dataclasses.replace(article, headline=caption_title(article.paragraphs[0]), continues=None)
            warnings.append(
                f"「{caption_title(article.paragraphs[0])}」: 上接第{article.resumed_from}版，没有找到那一版的文件或稿件 "
                f"(continued from page {article.resumed_from}: its start was not found)"
            )
        articles.append(article)
    return dataclasses.replace(issue, articles=tuple(articles), warnings=tuple(dict.fromkeys(warnings)))


def _origin(issue: Issue, page: str | None, nth: int) -> Article | None:
    """The `nth` article of a page that jumps to `page` (下转X版); else, for the first, the only
    article of it that jumps at all (a marker without a page number that matches)."""
    jumping = [a for a in issue.articles if a.continued_to]
    exact = [a for a in jumping if a.continued_to == page]
    if nth < len(exact):
        return exact[nth]
    return jumping[0] if nth == 0 and not exact and len(jumping) == 1 else None


def _renamed(issue: Issue, papers: Mapping[str, str]) -> Issue:
    """A known issue with its display name as papers.txt gives it now (a name in the file's own
    header wins, and the file is unchanged): no decoding, which a restart would pay per file."""
    if issue.named_in_file:
        return issue
    paper = clip_title(papers.get(issue.slug) or issue.slug) or issue.slug
    return issue if paper == issue.paper else dataclasses.replace(issue, paper=paper)


class LoadErrors(Exception):
    """A corpus that failed to load: every bad file with its reason."""

    def __init__(self, errors: list[CorpusError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors
