#!/usr/bin/env python3
"""A synthetic archive of dated issue files, resampled from the real pages, for benchmarks.

    python tests/perf/make_archive.py --paragraphs 100000 --out /tmp/archive [--seed 1]

writes `datong-daily-<YYYY-MM-DD>.txt`, one issue a day going back from --start (~270
paragraphs and 20-30 items an issue, so 100k paragraphs is about a year), plus the corpus
folder's `papers.txt` and `userdict.txt`, in the real format (corpus/README.md): kickers,
headlines, subtitles, column labels, `本报讯(记者 XX)` / `新华社X地X月X日电` leads, blank-line
paragraphs, photo captions ending in a credit (`新华社记者 XX摄`), paragraphs cut mid-sentence by a
page break, and `(下转二版)` / `(上接一版)` markers.

The text is the real text recombined: the shipped issue and the other papers' test pages are
split into sentences and clauses (tagged once with jieba), and each paragraph is built from
clauses, mostly of one source article (so an article keeps a topic), to a length drawn from the
real paragraph lengths.  Names, places and organisations are swapped consistently within an
article, numbers and dates are redrawn, and some common nouns and verbs are swapped with others
of the same part of speech from the text.  A share of the swapped names (--outside-names,
default 0.3) comes from jieba's dictionary rather than the four pages: a year of a real paper
names far more places and people than four pages, and the index's size grows with its
vocabulary.  `--outside-names 0` resamples the pages' own words only.

Deterministic: the same --seed, --paragraphs and --start give the same bytes.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import random
import re
import shutil
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_FILES = (ROOT / "corpus" / "datong-daily-2024-11-02.txt", *sorted((ROOT / "tests" / "data" / "papers").glob("*.txt")))
CORPUS_EXTRAS = (ROOT / "corpus" / "papers.txt", ROOT / "corpus" / "userdict.txt")
SLUG = "datong-daily"
PER_ISSUE = 270
DEFAULT_START = dt.date(2024, 11, 2)

_CLAUSE_SPLIT = re.compile(r"(?<=[，,；;：:])")
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])")
_CLAUSE_END = "，,；;：:"
_LEAD_PREFIX = re.compile(
    r"^\s*(?:据)?(?:本报|新华社|中新社)[^，,。]{0,20}?(?:讯|电)\s*(?:[(（][^)）]{0,40}[)）])?"
    r"\s*(?:记者[^，,。:：]{1,14}?报道[:：])?\s*(?:\d{1,2}月\d{1,2}日|昨日|近日|日前|今年以来)?[,，]?"
)
_CREDIT = re.compile(r"\s*(?:[(（][^()（）]{1,30}摄[)）]|(?:新华社|本报)?(?:记者)?\s*[\u4e00-\u9fff·]{2,5}\s?摄)\s*$")
_CAPTION_NUMBER = re.compile(r"^\s*\d+[、.]")
_DATE_PREFIX = re.compile(r"^\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日[,，]?")
_NUMBER = re.compile(r"(?:(19|20)\d{2}(?=年))|(\d{1,2})月(\d{1,2})日|\d+(?:\.\d+)?")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_PAIRS = ("“”", "《》", "()", "（）", "「」", "‘’")
ENTITY_TAGS = ("nr", "ns", "nt", "nz")
SWAP_TAGS = ("n", "vn", "v", "a", "nz")
LABELS = ("政务动态", "本地新闻", "要闻", "经济", "文旅", "社会", "综合新闻", "民生", "县区传真", "教育")
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余"
    "潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建林峰宇凯雪梅琳晨欣浩然博文斌昌晓燕红云海波"


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in _PAIRS)


@dataclass(frozen=True)
class Clause:
    words: tuple[tuple[str, str], ...]  # (word, jieba POS flag)

    @property
    def text(self) -> str:
        return "".join(w for w, _ in self.words)


class Source:
    """What the real pages are made of: clauses by article, heads, captions, lengths, names."""

    def __init__(self, outside_share: float) -> None:
        import jieba
        from jieba import posseg

        from bot.corpus import parse_issue, read_papers

        jieba.setLogLevel(60)
        jieba.load_userdict(str(ROOT / "corpus" / "userdict.txt"))
        self._posseg = posseg
        self.outside_share = outside_share
        papers = read_papers(ROOT / "corpus")
        self.topics: list[list[Clause]] = []  # body clauses, one list per source article
        self.openings: list[Clause] = []  # first clauses of leads (after the dateline)
        self.caption_clauses: list[Clause] = []
        self.heads: list[Clause] = []  # headlines, subtitles and kickers as they were
        self.kickers: list[Clause] = []
        self.body_lengths: list[int] = []
        self.lead_lengths: list[int] = []
        self.caption_lengths: list[int] = []
        self.clauses_per_sentence: list[int] = []
        self.entities: dict[str, list[str]] = {t: [] for t in ENTITY_TAGS}
        self.common: dict[str, list[str]] = {t: [] for t in SWAP_TAGS}
        self.reporters: list[str] = []
        for path in SOURCE_FILES:
            issue = parse_issue(path.read_bytes(), path.name, papers)
            for article in issue.articles:
                if article.kind == "photo":
                    for para in article.paragraphs:
                        body = _DATE_PREFIX.sub("", _CAPTION_NUMBER.sub("", _CREDIT.sub("", para))).strip()
                        self.caption_lengths.append(len(para))
                        self.caption_clauses += self._clauses(body)
                    continue
                for head in (article.headline, article.subtitle):
                    if head and len(head) <= 30:
                        self.heads.append(self._tag(head))
                if article.kicker:
                    self.kickers.append(self._tag(article.kicker))
                topic: list[Clause] = []
                for n, para in enumerate(article.paragraphs):
                    lead = _LEAD_PREFIX.match(para)
                    if lead and lead.end() > 2:
                        rest = self._clauses(para[lead.end() :])
                        self.openings += rest[:1]
                        topic += rest[1:]
                        if n == 0:
                            self.lead_lengths.append(len(para))
                            continue
                        self.body_lengths.append(len(para))
                    else:
                        self.body_lengths.append(len(para))
                        topic += self._clauses(para)
                if topic:
                    self.topics.append(topic)
            for article in issue.articles:
                inner = re.search(r"[(（](.*)[)）]", article.byline or "")
                for part in re.split(r"[\s、,，]+", inner.group(1)) if inner else ():
                    name = re.sub(r"^(?:本报|特约)?(?:记者|通讯员|实习生)", "", part)
                    if 2 <= len(name) <= 3 and _CJK.match(name):
                        self.reporters.append(name)
        for clause in itertools.chain(*self.topics, self.openings, self.caption_clauses, self.heads):
            for word, flag in clause.words:
                if flag in self.entities and len(word) >= 2 and _CJK.match(word):
                    self.entities[flag].append(word)
                if flag in self.common and len(word) >= 2 and _CJK.match(word):
                    self.common[flag].append(word)
        self.entities = {t: sorted(set(ws)) for t, ws in self.entities.items()}
        self.common = {t: sorted(set(ws)) for t, ws in self.common.items()}
        self.all_clauses = [c for topic in self.topics for c in topic]
        self.outside = _outside_entities() if outside_share > 0 else {}
        rng = random.Random(20241102)
        names = set(self.reporters)
        while len(names) < 80:
            names.add(rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))))
        self.reporters = sorted(names)

    def _tag(self, text: str) -> Clause:
        return Clause(tuple((p.word, p.flag) for p in self._posseg.lcut(text)))

    def _clauses(self, text: str) -> list[Clause]:
        out: list[Clause] = []
        for sentence in _SENTENCE_SPLIT.split(text):
            parts = [p.strip() for p in _CLAUSE_SPLIT.split(sentence) if p.strip()]
            parts = [p.rstrip(_CLAUSE_END + "。！？!?") for p in parts]
            parts = [p for p in parts if len(p) >= 2 and _balanced(p)]
            if parts:
                self.clauses_per_sentence.append(len(parts))
            out += [self._tag(p) for p in parts]
        return out


def _outside_entities() -> dict[str, tuple[list[str], list[float]]]:
    """Names, places and organisations of jieba's dictionary, with cumulative weights by use."""
    import jieba

    found: dict[str, list[tuple[str, float]]] = {t: [] for t in ENTITY_TAGS}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and parts[2] in found and 2 <= len(parts[0]) <= 8 and _CJK.match(parts[0]):
                found[parts[2]].append((parts[0], float(parts[1]) ** 0.75))
    out = {}
    for tag, pairs in found.items():
        words = [w for w, _ in pairs]
        out[tag] = (words, list(itertools.accumulate(f for _, f in pairs)))
    return out


@lru_cache(maxsize=4)
def source(outside_share: float = 0.3) -> Source:
    return Source(outside_share)


# ---------------------------------------------------------------------------------------------
# Text


class Writer:
    """Writes the articles of one issue: consistent swaps within an article, fresh numbers."""

    def __init__(self, src: Source, rng: random.Random, date: dt.date) -> None:
        self.src = src
        self.rng = rng
        self.date = date
        self.swaps: dict[str, str] = {}
        self.topic: list[Clause] = src.all_clauses

    def new_article(self) -> None:
        self.swaps = {}
        self.topic = self.rng.choice(self.src.topics)

    def _entity(self, word: str, flag: str) -> str:
        if word not in self.swaps:
            rng = self.rng
            roll = rng.random()
            if roll < 0.25:
                self.swaps[word] = word
            elif roll < 0.25 + 0.75 * self.src.outside_share and flag in self.src.outside:
                words, cum = self.src.outside[flag]
                self.swaps[word] = words[bisect.bisect(cum, rng.random() * cum[-1])]
            else:
                self.swaps[word] = rng.choice(self.src.entities[flag] or [word])
        return self.swaps[word]

    def _number(self, m: re.Match[str]) -> str:
        rng = self.rng
        if m.group(1):
            return str(rng.randint(2000, self.date.year))
        if m.group(2):
            return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        text = m.group(0)
        if rng.random() < 0.3:
            return text
        whole, _, frac = text.partition(".")
        digits = len(whole)
        value = str(rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10**digits - 1))
        return value + ("." + "".join(str(rng.randint(0, 9)) for _ in frac) if frac else "")

    def render(self, clause: Clause, swap_common: float = 0.08) -> str:
        rng = self.rng
        out: list[str] = []
        for word, flag in clause.words:
            if flag in ENTITY_TAGS and len(word) >= 2 and _CJK.match(word):
                word = self._entity(word, flag)
            elif flag in self.src.common and len(word) >= 2 and rng.random() < swap_common and _CJK.match(word):
                word = rng.choice(self.src.common[flag])
            out.append(word)
        return _NUMBER.sub(self._number, "".join(out))

    def _pick(self) -> Clause:
        return self.rng.choice(self.topic if self.rng.random() < 0.5 else self.src.all_clauses)

    def sentence(self) -> str:
        n = self.rng.choice(self.src.clauses_per_sentence)
        parts = [self.render(self._pick()) for _ in range(n)]
        seps = [self.rng.choice(",,,,,,,；") for _ in range(n - 1)]
        return "".join(p + s for p, s in zip(parts, [*seps, "。"], strict=True))

    def paragraph(self, length: int, opening: str = "") -> str:
        text = opening
        while len(text) < length or not text.endswith("。"):
            text += self.sentence()
        return text

    def heading(self, pool: list[Clause], limit: int = 30) -> str:
        for _ in range(20):
            text = self.render(self.rng.choice(pool), swap_common=0.15).strip()
            if (
                2 <= len(text) <= limit
                and not re.search(r"[，,；;。！？!?…]", text)
                and text[-1] not in _CLAUSE_END + "摄"
                and not _NUMBER.fullmatch(text)
            ):
                return text
        return self.rng.choice(self.src.entities["ns"]) + "新闻"

    def _day(self, back: int = 1) -> str:
        day = self.date - dt.timedelta(days=back)
        return f"{day.month}月{day.day}日"

    def lead(self, length: int) -> str:
        rng = self.rng
        roll = rng.random()
        names = rng.sample(self.src.reporters, 3)
        if roll < 0.15:
            city = rng.choice(self.src.entities["ns"])
            prefix = f"新华社{city}{self._day()}电(记者 {names[0]})"
        elif roll < 0.25:
            prefix = f"本报讯(记者 {names[0]} 通讯员 {names[1]})"
        elif roll < 0.4:
            prefix = f"本报讯(记者 {names[0]} {names[1]})"
        else:
            prefix = f"本报讯(记者 {names[0]})"
        when = rng.choice((f"{self._day()},", f"{self._day(rng.randint(1, 5))},", "近日,", "昨日,", "", "日前,"))
        opening = self.render(rng.choice(self.src.openings)) + ","
        return self.paragraph(length, prefix + when + opening)

    def caption(self, length: int) -> str:
        rng = self.rng
        text = f"{self._day(rng.randint(1, 3))},"
        while len(text) < length - 8:
            n = rng.choice(self.src.clauses_per_sentence)
            text += ",".join(self.render(rng.choice(self.src.caption_clauses)) for _ in range(n)) + "。"
        name = rng.choice(self.src.reporters)
        credit = rng.choice((f"新华社记者 {name}摄", f"新华社记者 {name}摄", f"本报记者 {name}摄", f"({name} 摄)"))
        return f"{text} {credit}"


def _jitter(rng: random.Random, lengths: list[int]) -> int:
    return max(30, int(rng.choice(lengths) * rng.uniform(0.85, 1.15)))


def _page_break(rng: random.Random, text: str) -> str:
    """Cut a paragraph mid-sentence between two characters, as a page break does."""
    spots = [
        i
        for i in range(45, len(text) - 20)
        if _CJK.match(text[i - 1]) and _CJK.match(text[i]) and re.search(r"[，,；;]", text[:i])
    ]
    if not spots:
        return text
    cut = rng.choice(spots)
    return text[:cut] + "\n\n" + text[cut:]


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` as `parts` positive counts of uneven size (some long articles, many short)."""
    if parts <= 0:
        return []
    weights = [rng.lognormvariate(0, 0.8) for _ in range(parts)]
    spare = total - parts
    scale = sum(weights)
    counts = [1 + int(spare * w / scale) for w in weights]
    for i in sorted(range(parts), key=lambda i: -weights[i])[: total - sum(counts)]:
        counts[i] += 1
    return counts


def write_issue(src: Source, date: dt.date, paragraphs: int, seed: int) -> str:
    """The text of one issue with exactly `paragraphs` paragraphs as the loader counts them."""
    rng = random.Random(f"{seed}:{date.isoformat()}")
    w = Writer(src, rng, date)
    if paragraphs >= 40:
        items = rng.randint(20, 30)
        photos = rng.randint(2, 4)
    else:
        items = max(1, paragraphs // 10)
        photos = 1 if paragraphs >= 10 else 0
    articles = _split(rng, paragraphs - photos, items - photos)
    photo_after = set(rng.sample(range(len(articles)), photos)) if photos else set()
    continued: list[list[str]] = []  # paragraphs held back for a "(上接一版)" later in the issue
    markers = rng.randint(0, 2) if len(articles) >= 6 else 0
    marked = set(rng.sample(range(len(articles) // 2), markers)) if markers else set()
    blocks: list[str] = []
    for a, count in enumerate(articles):
        w.new_article()
        head: list[str] = []
        if rng.random() < 0.1:
            head.append(rng.choice(LABELS))
        if rng.random() < 0.2:
            head.append(w.heading(src.kickers or src.heads, 30))
        head.append(w.heading(src.heads, 26))
        if rng.random() < 0.45:
            head.append(w.heading(src.heads, 30))
        blocks += head
        paras: list[str] = []
        if rng.random() < 0.85:
            paras.append(w.lead(_jitter(rng, src.lead_lengths)))
        while len(paras) < count:
            text = w.paragraph(_jitter(rng, src.body_lengths))
            paras.append(text)
        if a in marked and count >= 3 and rng.random() < 0.5:
            keep = rng.randint(1, count - 1)
            continued.append(paras[keep:])
            paras = paras[:keep]
            blocks += [_page_break(rng, p) if i and rng.random() < 0.08 else p for i, p in enumerate(paras)]
            blocks.append("(下转二版)")
        else:
            blocks += [_page_break(rng, p) if i and rng.random() < 0.08 else p for i, p in enumerate(paras)]
            if a in marked:
                blocks.append("(下转二版)")
            if continued and a >= len(articles) // 2 and rng.random() < 0.3:
                rest = continued.pop(0)
                blocks += ["(上接一版)" + rest[0], *rest[1:]]
        if a in photo_after:
            blocks.append("\n" + w.caption(_jitter(rng, src.caption_lengths)))
    for rest in continued:  # any left: after the last article's text
        blocks += ["(上接一版)" + rest[0], *rest[1:]]
    return "\n\n" + "\n\n".join(blocks) + "\n"


def plan(paragraphs: int, per_issue: int = PER_ISSUE, seed: int = 1) -> list[int]:
    """Paragraphs per issue, newest first: about `per_issue` each (±10%), summing to the total."""
    issues = max(1, round(paragraphs / per_issue))
    rng = random.Random(f"{seed}:plan:{paragraphs}")
    weights = [rng.uniform(0.9, 1.1) for _ in range(issues)]
    scale = sum(weights)
    counts = [max(1, int(paragraphs * x / scale)) for x in weights]
    i = 0
    while sum(counts) < paragraphs:
        counts[i % issues] += 1
        i += 1
    while sum(counts) > paragraphs:
        if counts[i % issues] > 1:
            counts[i % issues] -= 1
        i += 1
    return counts


def generate(
    paragraphs: int,
    out: Path,
    seed: int = 1,
    start: dt.date = DEFAULT_START,
    outside_share: float = 0.3,
    extras: bool = True,
    per_issue: int = PER_ISSUE,
) -> list[Path]:
    """Write the archive into `out`; returns the issue files, newest first."""
    out.mkdir(parents=True, exist_ok=True)
    src = source(outside_share)
    written: list[Path] = []
    for back, count in enumerate(plan(paragraphs, per_issue, seed)):
        date = start - dt.timedelta(days=back)
        path = out / f"{SLUG}-{date.isoformat()}.txt"
        path.write_text(write_issue(src, date, count, seed), encoding="utf-8")
        written.append(path)
    if extras:
        for extra in CORPUS_EXTRAS:
            shutil.copyfile(extra, out / extra.name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, required=True, help="total paragraphs (≈270 an issue)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the issue files into")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=DEFAULT_START, help="date of the newest issue")
    parser.add_argument("--per-issue", type=int, default=PER_ISSUE, help="paragraphs an issue (default 270)")
    parser.add_argument(
        "--outside-names", type=float, default=0.3, help="share of swapped names from jieba's dictionary (0: the pages' own)"
    )
    parser.add_argument("--no-extras", action="store_true", help="do not copy papers.txt and userdict.txt")
    args = parser.parse_args(argv)
    files = generate(args.paragraphs, args.out, args.seed, args.start, args.outside_names, not args.no_extras, args.per_issue)
    size = sum(p.stat().st_size for p in files)
    span = f"{files[-1].name} … {files[0].name}"
    print(f"{len(files)} issues, {args.paragraphs} paragraphs, {size / 1e6:.1f} MB in {args.out} ({span})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
