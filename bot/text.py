"""Text normalisation and tokenization shared by the corpus index and the questions.

Both sides go through the same `normalize` and the same `Tokenizer`, so a question typed in
Traditional script, with full-width digits or with a pinyin input-method typo still meets the
paper's words.  Passages are always shown verbatim; normalised text is only ever indexed.
"""

from __future__ import annotations

import importlib.metadata
import logging
import marshal
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import BinaryIO

import jieba
import opencc
import rjieba
from jieba import posseg

jieba.setLogLevel(logging.WARNING)

_T2S = opencc.OpenCC("t2s")

# Invisible characters that break matching: zero-width, bidi controls, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Marks NFKC leaves alone that papers set for plain ones: the ratio sign in clock times ("19∶30").
_LOOKALIKES = str.maketrans({"\u2236": ":"})


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), Traditional → Simplified, Latin lower-cased.

    Invisible and control characters are dropped; the result is only for matching.
    """
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", text))
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)
    return _T2S.convert(text).lower()


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


# Numbers with their unit stay whole ("1100亿千瓦时", "2×100万千瓦", "5.76米/秒", "11月8日"):
# a reader asks for the quantity, and splitting it leaves only digits that match everything.
_UNITS = (
    "千瓦时|万千瓦|千瓦|兆瓦|千伏|瓦/平方米|兆焦耳/平方米|米/秒|平方米|平方公里|公里|千米|厘米|毫米|米"
    "|亿元|万元|千元|元|美元|亿美元|人次|万人次|人|名|位|户|家|个|座|条|项|所|台|辆|架|套|种|次|场|届"
    "|吨|万吨|公斤|千克|斤|万斤|亿斤|亩|万亩|公顷|立方米|升|度|小时|分钟|秒|天|周|年|岁|倍|册|件|篇"
    "|百分点|tb|gb|mb|mw|kwh|kw|gw"
)
_NUM = r"\d+(?:\.\d+)?"
QUANTITY = re.compile(
    rf"(?:\d{{4}}年\d{{1,2}}月\d{{1,2}}日|\d{{1,2}}月\d{{1,2}}日|\d{{4}}年\d{{1,2}}月|\d{{4}}年"
    rf"|{_NUM}(?:\s*[×x*~～-]\s*{_NUM})?\s*(?:%|‰|(?:[万亿]+)?(?:{_UNITS})?))"
)
_DIGITS = re.compile(_NUM)

# Function words and question words: they carry no topic, so they never count as evidence.
STOPWORDS = frozenset(
    """
    的 了 是 在 和 与 及 或 也 都 就 还 又 而 并 但 被 把 将 对 从 向 为 以 于 由 给 让 跟 同
    等 着 过 之 其 该 此 这 那 这个 那个 这些 那些 这里 那里 这样 那样 这么 那么 啥 吗 呢 吧 呀 啊
    哦 嘛 么 吶 哈 喔 哎 诶 嗯 我 你 您 他 她 它 我们 你们 他们 咱 咱们 大家 自己 人家 请问 请 问
    问下 问一下 想 想问 想知道 知道 告诉 告诉我 一下 一个 有 没有 有没有 是不是 能 能不能 会 可以
    可不可以 要 需要 应该 到底 究竟 具体 大概 大约 左右 现在 什么 什么样 怎么 怎么样 怎样 如何 为什么
    为何 哪 哪个 哪些 哪里 哪儿 哪家 哪位 哪年 哪天 哪月 哪一 几 几个 多少 多大 多高 多长 多久 多远
    多重 多 少 谁 何 何时 何地 何处 啥子 咋 咋样 咋回事 怎么回事 是啥 是什么 了吗 没 不 很 太 最 更
    比较 已经 曾经 正在 一共 总共 共 总 几何 情况 怎么办 说 讲 提到 报道 报纸 报上 今天 今日 昨天 昨日
    啥时候 什么时候 时候 的话 然后 所以 因为 如果 所有 各 每 个 些 位 们 中 上 下 里 内 外
    俺 俺们 这儿 那儿 这边 那边 这回 眼下 如今 目前 往后 今后 以后 弄 弄得 搞 整 呗 嘞 咯 啦 喽 哇
    以前 从前 当时 那时 后来 原来 一起 一块 还有 人们 这次 那次 这块 那块 还是 回事 回事儿 怎么回事儿
    那回 那阵 那阵子 这阵 这阵子 那会 那会儿 这会儿 那段时间 这段时间 那天 这天
    他俩 她俩 它俩 咱俩 我俩 你俩 这俩 那俩 俩 俩人 这俩人 那俩人 仨 这仨 那仨 二人 这二人 那二人
    岁数 年纪
    """.split()  # noqa: SIM905 - a word list reads best as text
)


# Words that only ask ("几座", "第几", "哪几个", "十几个", "四百多"; "谁取", jieba's glue of 谁 and
# the next verb; the literary 何年, 何人, 何种; 甚么 for 什么; jieba's 多长时间, 有多深): the answer
# type check handles them.
_QUESTION_FRAGMENT = re.compile(
    r"[几哪啥咋谁]|多少|百分之|^[\d一二三四五六七八九十两百千万]+多$|^何[年人种时地处以物事日月者故谓等]$|^甚么$"
    r"|^有?多[长深宽厚快远高重粗久](?:时间)?$"
)


def is_function_word(word: str) -> bool:
    """A stopword, a question word or a fragment of one: never evidence of a topic."""
    return word in STOPWORDS or bool(_QUESTION_FRAGMENT.search(word))


_CN_NUMERAL = re.compile("[零〇一二两三四五六七八九十百千万亿]")


@lru_cache(maxsize=4096)
def arabic_numerals(text: str) -> str:
    """Chinese numerals as digits ("十月八日" → "10月8日"), for a question's second reading.

    Only questions get this reading, as extra evidence: applied to whole passages the converter
    also turns words into numbers ("统一" → "统1").
    """
    if not _CN_NUMERAL.search(text):
        return text
    import cn2an  # imported on first use: it costs a quarter second at start

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return cn2an.transform(text, "cn2an")
        except (ValueError, KeyError, IndexError):
            return text


_DIGIT_NAMES = str.maketrans("0123456789", "〇一二三四五六七八九")


@lru_cache(maxsize=4096)
def chinese_numerals(number: str) -> tuple[str, ...]:
    """How a paper may print a number typed in digits: "20" → 二十; a year, a case or a route
    number also digit by digit ("1950" → 一千九百五十, 一九五〇; "890" → 八九〇, with the 零 or the
    ring ○ some papers print for 〇)."""
    if not (number.isascii() and number.isdigit()) or len(number) > 8:
        return ()  # (str.isdigit also takes digits of other scripts, "𑁒", that cn2an refuses)
    import cn2an

    spoken = cn2an.an2cn(number)
    forms = [spoken, re.sub("^二(?=[百千万亿])", "两", spoken)]  # 两千 as often as 二千
    if len(number) >= 3:
        digits = number.translate(_DIGIT_NAMES)
        forms += [digits, digits.replace("〇", "零"), digits.replace("〇", "○")]
    return tuple(dict.fromkeys(f for f in forms if f != number))


@cache
def _char_pinyin(ch: str) -> str:
    from pypinyin import lazy_pinyin  # imported on first use: its phrase tables are large

    return lazy_pinyin(ch)[0]


def pinyin_key(chars: str) -> str:
    """Toneless pinyin of a CJK string: the key an input-method typo shares with the right word.

    Character by character (each reading cached), so keying a large vocabulary stays cheap; a
    question and the corpus are keyed the same way, which is all the match needs.
    """
    return " ".join(_char_pinyin(ch) for ch in chars)


def phrase_pinyin(chars: str) -> str:
    """Toneless pinyin of a CJK word read as a whole: a place name's reading, where a character
    alone reads otherwise (乐清 yueqing, not leqing; 六安 lu'an)."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(chars))


_CJK_RUN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]+")  # the characters `is_cjk` says yes to


def bigrams(text: str) -> list[str]:
    """Overlapping CJK character bigrams of each run of Chinese characters (a run of one: itself)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend([run[i : i + 2] for i in range(len(run) - 1)])
    return out


class _TaggerWithTable(posseg.POSTokenizer):
    """jieba's POS tagger over a tokenizer of ours, given the word tags instead of parsing dict.txt
    for them again: importing jieba.posseg has already parsed them once (half a second)."""

    def __init__(self, tokenizer: jieba.Tokenizer, word_tags: dict[str, str]) -> None:
        self.tokenizer = tokenizer
        self.word_tag_tab = word_tags


class _WholeFileMarshal:
    """jieba reads its 9 MB dictionary cache with `marshal.load(file)`, which pulls the file through
    Python-level reads object by object; loading the bytes at once is four times faster (~1.3 s →
    0.3 s), and that was most of a cold start. Same cache file, same result."""

    dump = staticmethod(marshal.dump)

    @staticmethod
    def load(file: BinaryIO) -> object:
        return marshal.loads(file.read())


jieba.marshal = _WholeFileMarshal


class TokenKind:
    """The kinds of index token. A token is its kind, a colon and its text ("w:图书馆",
    "q:3200册", "b:图书"), so one vocabulary holds all three and a word never meets a bigram."""

    WORD = "w"  # a jieba word (search mode)
    QUANTITY = "q"  # a whole quantity or date, or a bare number in one
    BIGRAM = "b"  # two adjacent CJK characters (or a lone one)


def make_token(kind: str, body: str) -> str:
    """The index token of `body` as a `kind` (a TokenKind)."""
    return f"{kind}:{body}"


_WORD = TokenKind.WORD + ":"
_QUANTITY = TokenKind.QUANTITY + ":"
_BIGRAM = TokenKind.BIGRAM + ":"


@dataclass(frozen=True)
class QueryTerms:
    """What a question is made of, after normalisation."""

    normalized: str
    words: tuple[str, ...]  # content words (stopwords and question words dropped)
    tokens: tuple[str, ...]  # index tokens: words + quantities + bigrams, each "kind:body" (see TokenKind)


@cache
def segmenter() -> str:
    """The segmenters tokens depend on, with their versions: part of a saved index's key."""
    return f"rjieba {importlib.metadata.version('rjieba')}, jieba {jieba.__version__}"


def _user_words(path: Path) -> Iterator[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) of a jieba user dictionary, read as `jieba.Tokenizer.load_userdict`
    reads it (the same lines, the same pattern), so both segmenters are given the same words."""
    for lineno, raw in enumerate(Path(path).read_bytes().split(b"\n"), 1):
        try:
            line = raw.strip().decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise ValueError(f"dictionary file {path} must be utf-8 (line {lineno})") from None
        if line:
            word, freq, tag = jieba.re_userdict.match(line).groups()
            yield word, int(freq) if freq is not None else None, tag.strip() if tag is not None else None


class Tokenizer:
    """jieba (search mode) words + whole quantities + character bigrams, one instance per corpus.

    Words are cut by rjieba (jieba's dictionary and algorithm in Rust, 3-10× faster: most of a
    build is cutting); jieba itself still tags parts of speech and gives word frequencies for
    reading questions. Each load gets its own dictionaries (default + user dictionaries + names
    found in bylines), given to both, so names added by an admin are honoured without touching
    global state.

    A reload adds names (`add_words`) in its thread while questions are cut on the event loop:
    rjieba cuts without the GIL and refuses a change during a cut ("Already borrowed"), so every
    call into it holds `_lock`.
    """

    def __init__(self, user_dicts: Iterable[Path] = (), extra_words: Iterable[str] = ()) -> None:
        self.user_dicts = tuple(Path(p) for p in user_dicts)
        self._extra: dict[str, None] = {}
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._lock = threading.Lock()
        self._cutter = rjieba.Jieba()
        for path in self.user_dicts:
            self._jieba.load_userdict(str(path))
            for word, freq, tag in _user_words(path):
                self._cutter.add_word(word, freq, tag)
        self._pos: posseg.POSTokenizer | None = None
        self.add_words(extra_words)

    @property
    def extra_words(self) -> tuple[str, ...]:
        return tuple(self._extra)

    def add_words(self, words: Iterable[str]) -> None:
        """Keep more names whole (reporters of a newly added issue)."""
        for word in words:
            if word not in self._extra:
                self._jieba.add_word(normalize(word), freq=20000)
                with self._lock:
                    self._cutter.add_word(normalize(word), 20000, None)
                self._extra[word] = None

    def warm(self) -> None:
        """Load now what a question would otherwise load on first use: jieba's dictionary (if not
        loaded yet), the POS tagger, and the modules read lazily by `query` and question reading
        (cn2an for Chinese numerals, pypinyin for words the corpus lacks)."""
        self._jieba.initialize()  # a no-op once the dictionary is loaded
        _ = self.pos
        arabic_numerals("一千零二十四")
        pinyin_key("汉字")

    @property
    def initialized(self) -> bool:
        """Whether jieba's dictionary is loaded (a question would load it otherwise)."""
        return bool(self._jieba.initialized)

    @property
    def pos(self) -> posseg.POSTokenizer:
        """jieba's POS tagger over this dictionary; user dictionary tags are merged on first use."""
        if self._pos is None:
            self._pos = _TaggerWithTable(self._jieba, dict(posseg.dt.word_tag_tab))
        return self._pos

    def words(self, normalized: str) -> list[str]:
        """Search-mode jieba words, punctuation and spaces dropped."""
        with self._lock:
            cut = self._cutter.cut_for_search(normalized, True)
        holds_word = _ALNUM.search  # `_is_word`, without a call per word: a build cuts hundreds of millions
        return [w for w in cut if holds_word(w)]

    def cut(self, normalized: str) -> list[str]:
        """jieba's default-mode words (punctuation and spaces included)."""
        with self._lock:
            return self._cutter.cut(normalized, True)

    def index_tokens(self, text: str) -> list[str]:
        """Tokens of a passage (or headline) for the index."""
        norm = normalize(text)
        return _tokens(self.words(norm), norm)

    def query(self, question: str) -> QueryTerms:
        """Tokens of a question: like a passage's, minus stopwords and question words."""
        norm = normalize(question)
        words = [w for w in self.words(norm) if not is_function_word(w)]
        # Bigrams only inside the content parts: "去了多少人" must not produce "少人".
        content = "".join(" " if is_function_word(w) else w for w in self.cut(norm))
        tokens = _tokens(words, content, quantities_from=norm)
        tokens += [_QUANTITY + q for q in quantities(arabic_numerals(norm)) if _QUANTITY + q not in tokens]
        return QueryTerms(normalized=norm, words=tuple(dict.fromkeys(words)), tokens=tuple(tokens))


_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() says yes to


def _is_word(w: str) -> bool:
    """Whether a cut piece holds a letter or digit (not punctuation or space)."""
    return _ALNUM.search(w) is not None


def quantities(normalized: str) -> list[str]:
    """Whole quantities and dates, plus each bare number (so "1575" meets "1575万人次")."""
    out: list[str] = []
    for m in QUANTITY.finditer(normalized):
        q = re.sub(r"\s+", "", m.group(0))
        out.append(q)
        out.extend(d for d in _DIGITS.findall(q) if d != q)
    return out


def _tokens(words: list[str], bigram_text: str, quantities_from: str | None = None) -> list[str]:
    source = bigram_text if quantities_from is None else quantities_from
    out = [_WORD + w for w in words if not w.isdigit()]
    out += [_QUANTITY + q for q in quantities(source)]
    out += [_BIGRAM + b for b in bigrams(bigram_text)]
    return out
