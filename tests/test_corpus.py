"""The loader: the shipped issue's exact structure, another paper's pages, encodings, markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot import corpus as loader
from bot.config import shipped_corpus_dir
from bot.corpus import CorpusError, LoadErrors, load_corpus, parse_issue
from bot.layout import _ends_sentence, parse_text

PAPERS = Path(__file__).parent / "data" / "papers"

SHIPPED = shipped_corpus_dir() / "datong-daily-2024-11-02.txt"


@pytest.fixture(scope="module")
def issue():
    return parse_issue(SHIPPED.read_bytes(), SHIPPED.name, {"datong-daily": "大同日报"})


def test_shipped_issue_has_ten_articles_two_captions_36_paragraphs(issue):
    kinds = [a.kind for a in issue.articles]
    assert kinds.count("article") == 10
    assert kinds.count("photo") == 2
    assert issue.paragraph_count == 36
    assert (issue.paper, issue.date.isoformat()) == ("大同日报", "2024-11-02")
    assert issue.warnings == ()


def test_banner_and_column_label_are_neither_headlines_nor_paragraphs(issue):
    raw = SHIPPED.read_text(encoding="utf-8").split("\n")
    banner = next(line.strip() for line in raw if line.strip())  # the first line of the page
    headlines = {a.headline for a in issue.articles}
    paragraphs = [p for a in issue.articles for p in a.paragraphs]
    assert banner not in headlines and banner not in paragraphs
    labels = [a.section for a in issue.articles if a.section]
    assert len(labels) == 1 and len(labels[0]) <= 6
    assert labels[0] not in headlines and labels[0] not in paragraphs


def test_every_page_break_is_joined_back(issue):
    paragraphs = [p for a in issue.articles for p in a.paragraphs]
    raw_blocks = [b.strip() for b in SHIPPED.read_text(encoding="utf-8").split("\n") if b.strip()]
    fragments = [b for b in raw_blocks if len(b) > 40 and not _ends_sentence(b) and not b.endswith("摄")]
    assert len(fragments) >= 10
    for fragment in fragments:  # each unfinished line now sits inside a longer paragraph
        holder = [p for p in paragraphs if fragment in p]
        assert holder and len(holder[0]) > len(fragment)
    for joined in ("国电湖东、热三期两个", "协同发展方面,电源端,", "位居全国第三。"):
        assert sum(joined in p for p in paragraphs) == 1
    assert all(_ends_sentence(p) for a in issue.articles if a.kind == "article" for p in a.paragraphs)


def test_page_break_count_is_ten(issue):
    raw = [b.strip() for b in SHIPPED.read_text(encoding="utf-8").split("\n") if b.strip()]
    broken = [p for a in issue.articles for p in a.paragraphs if not any(p == b for b in raw)]
    assert len(broken) == 10


def test_leads_bylines_and_subtitles(issue):
    articles = [a for a in issue.articles if a.kind == "article"]
    assert all(a.byline and a.byline.startswith("本报讯(记者") for a in articles)
    assert all(a.paragraphs[0].startswith(a.byline) for a in articles)
    assert sum(1 for a in articles if a.subtitle) == 6


def test_photo_captions_are_items_with_a_derived_title(issue):
    photos = [a for a in issue.articles if a.kind == "photo"]
    for photo in photos:
        assert len(photo.paragraphs) == 1
        assert re.search(r"新华社记者 \S+摄$", photo.paragraphs[0])
        assert (photo.headline and photo.headline in photo.paragraphs[0].replace("…", "")) or photo.headline.endswith("…")
        assert not re.match(r"\d+月\d+日", photo.headline)


def test_nothing_of_the_text_is_lost(issue):
    """Every character of every body line is in some paragraph or heading."""
    kept = "".join(
        "".join(a.paragraphs) + a.headline + (a.subtitle or "") + (a.kicker or "") + (a.section or "") for a in issue.articles
    )
    for line in SHIPPED.read_text(encoding="utf-8").split("\n"):
        if line.strip() and line.strip() not in kept:
            pytest.fail(f"lost: {line[:30]}")


# -- another paper ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(PAPERS.glob("*.txt")), ids=lambda p: p.name)
def test_other_papers_match_hand_read_structure(path: Path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    issue = parse_issue(path.read_bytes(), path.name)
    assert issue.slug == expected["paper_slug"] and issue.date.isoformat() == expected["date"]
    got = [(a.kind, len(a.paragraphs), a.paragraphs[0][:8]) for a in issue.articles]
    want = [(a["kind"], a["paragraphs"], a["first"]) for a in expected["articles"]]
    assert got == want
    for article, exp in zip(issue.articles, expected["articles"], strict=True):
        if exp["kind"] == "article":
            assert (article.headline, article.subtitle) == (exp["headline"], exp["subtitle"])


def test_page_markers_are_removed_and_close_the_article():
    text = "标题一\n\n本报讯 第一段没有写完\n\n(下转二版)\n\n标题二\n\n本报讯 第二篇的导语。\n"
    articles, _ = parse_text(text)
    assert [a.headline for a in articles] == ["标题一", "标题二"]
    assert all("下转" not in p for a in articles for p in a.paragraphs)
    assert articles[0].paragraphs == ("本报讯 第一段没有写完",)


def test_continuation_from_another_page_rejoins_its_article():
    text = "甲地新闻\n\n本报讯 甲地今天开会。\n\n(下转2版)\n\n乙地新闻\n\n本报讯 乙地下雨了。\n\n(上接1版)会议决定明年再开。\n"
    articles, _ = parse_text(text)
    assert articles[0].paragraphs == ("本报讯 甲地今天开会。", "会议决定明年再开。")
    assert articles[1].paragraphs == ("本报讯 乙地下雨了。",)


# -- encodings and errors -----------------------------------------------------------------------


def _structure(data: bytes, name: str = "test-paper-2024-01-02.txt"):
    issue = parse_issue(data, name)
    return [(a.headline, a.paragraphs) for a in issue.articles]


def test_encodings_and_line_ends_give_the_same_issue():
    text = SHIPPED.read_text(encoding="utf-8")
    reference = _structure(text.encode("utf-8"))
    assert _structure(b"\xef\xbb\xbf" + text.encode("utf-8")) == reference
    assert _structure(text.encode("gb18030")) == reference
    assert _structure(text.encode("utf-16")) == reference
    assert _structure(text.replace("\n", "\r\n").encode("utf-8")) == reference


def test_a_copy_from_a_pages_source_reads_as_its_text_and_a_plain_copys_signs_stay():
    """<br>, <p>, <div> break lines; <span>, <font> go; entities are their characters."""
    source = (
        "第4版(体育)<br/>专栏:<br/><br/>&nbsp;某地健儿顶风冒雨创纪录<br/>"
        '<p>本报某地11月28日电 记者张三报道:比赛今天下午在风雨中<span style="color:red">结束</span>。</p>'
        "<p>&nbsp;&nbsp;今天上午,男子比赛首先打响,观众&gt;100人。</p>"
    )
    (article,) = parse_issue(source.encode(), "renmin-ribao-1987-11-29.txt").articles
    assert article.headline == "某地健儿顶风冒雨创纪录"
    assert list(article.paragraphs) == [
        "本报某地11月28日电 记者张三报道:比赛今天下午在风雨中结束。",
        "今天上午,男子比赛首先打响,观众>100人。",
    ]
    plain = "某地新闻\n\n本报讯 某A&B公司的产量<br>之外,还有3<5的说法。\n"
    assert parse_issue(plain.replace("<br>", "").encode(), "x-2024-01-01.txt").articles[0].paragraphs == (
        "本报讯 某A&B公司的产量之外,还有3<5的说法。",
    )
    # a stray tag or two in a plain copy of many lines (an encyclopedia's passage) is the text's, as it is
    stray = "某地新闻\n\n" + "".join(f"第{n}段文字在此,说的是某事&nbsp;。\n\n" for n in range(12)) + "<br>末段<b>文字</b>。\n"
    paragraphs = parse_issue(stray.encode(), "x-2024-01-01.txt").articles[0].paragraphs
    assert paragraphs[-1] == "<br>末段<b>文字</b>。" and paragraphs[0] == "第0段文字在此,说的是某事&nbsp;。"


def test_a_pages_source_mostly_of_tags_and_styles_is_read_for_its_text_not_refused():
    """Comments, styles and scripts go with their content; a <section> breaks a line like a <p>."""
    style = "color: rgba(0, 0, 0, 0.9); font-size: 17px; font-family: PingFang SC, system-ui, Helvetica Neue, Arial;"
    source = (
        "某小区消防问题反复,物业表示……\n<!----><style>html{font-size:375%}</style><script>var x = 1;</script>"
        f'<section><span style="{style}">来源:某某新闻</span></section>'
        f'<section><p style="{style}"><span style="{style}">近日,有市民反映,小区存在不少消防隐患。</span></p>'
        f'<p style="{style}"><span style="{style}">记者来到小区,看到多处消防栓箱内没有水带。</span></p></section>'
    )
    (article,) = parse_issue(source.encode(), "yiwu-xinwen-2024-07-12.txt").articles
    assert article.headline == "某小区消防问题反复,物业表示……"
    assert list(article.paragraphs) == ["近日,有市民反映,小区存在不少消防隐患。", "记者来到小区,看到多处消防栓箱内没有水带。"]
    with pytest.raises(CorpusError, match="hardly any Chinese"):
        parse_issue(b"<p>" + b"plain English text, no Chinese at all. " * 20 + b"</p>", "x-2024-01-01.txt")


def test_full_width_punctuation_and_indents_parse_alike():
    half = "天气转凉\n\n本报讯(记者 张三)昨日,本市气温下降。\n\n市民注意保暖,\n\n出门多穿衣。\n"
    full = "天气转凉\n\n　　本报讯（记者 张三）昨日，本市气温下降。\n\n　　市民注意保暖，\n\n出门多穿衣。\n"
    a, _ = parse_text(half)
    b, _ = parse_text(full)
    assert len(a) == len(b) == 1
    assert len(a[0].paragraphs) == len(b[0].paragraphs) == 2
    assert b[0].byline == "本报讯（记者 张三）"


def test_reporters_are_read_from_a_datelines_credit_bracket_and_lose_their_role_words():
    text = (
        "夜市重新开张\n\n本报讯(记者 张三 通讯员 李四)昨晚,老城夜市重新开张。\n\n"
        "爆竹声声\n\n某地在线消息(某某晚报)(记者王五)节后,城区仍不时响起爆竹声。\n\n"
        "满地金黄\n\n某某网15日16时讯 【记者 赵六 钱七】初冬降临时,街头落满了银杏叶。\n\n"
        "雨伞找回失主\n\n晨报讯(孙八 星级记者 周九)公交司机在车上捡到一把雨伞。\n"
    )
    issue = parse_issue(text.encode("utf-8"), "some-paper-2024-01-01.txt")
    assert issue.reporters == ("张三", "李四", "王五", "赵六", "钱七", "孙八", "周九")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "空"),
        (b"   \n\n  ", "空"),
        (b"\x00\x01\x02binary\x00\xff" * 50, "二进制"),
        ("只有一行短字".encode(), "没有找到任何稿件"),
    ],
)
def test_bad_files_name_the_file_and_the_reason(data: bytes, reason: str):
    with pytest.raises(CorpusError) as info:
        parse_issue(data, "bad-paper-2024-01-01.txt")
    assert "bad-paper-2024-01-01.txt" in str(info.value) and reason in str(info.value)


def test_file_name_must_give_paper_and_date_unless_the_header_does():
    body = "标题\n\n本报讯 正文一段。\n".encode()
    with pytest.raises(CorpusError, match="文件名"):
        parse_issue(body, "notes.txt")
    issue = parse_issue("paper: 晋北日报\ndate: 2025-03-04\n---\n".encode() + body, "notes.txt")
    assert (issue.paper, issue.date.isoformat(), issue.articles[0].headline) == ("晋北日报", "2025-03-04", "标题")


def test_markup_decides_where_heuristics_cannot():
    text = (
        "# 一个带逗号的标题,照样是标题\n"
        "## 副标题\n\n"
        "第一段没有结束\n\n"
        "+ 后半段接上。\n\n"
        "// 这行是版面说明，忽略\n\n"
        "> 短行也是正文\n\n"
        "! 一张照片的说明。\n"
    )
    articles, _ = parse_text(text)
    assert articles[0].headline == "一个带逗号的标题,照样是标题"
    assert articles[0].subtitle == "副标题"
    assert articles[0].paragraphs[0] == "第一段没有结束后半段接上。"
    assert "短行也是正文" in articles[0].paragraphs
    assert all("版面说明" not in p for a in articles for p in a.paragraphs)
    assert articles[-1].kind == "photo"


def test_a_bad_file_fails_the_whole_folder(tmp_path: Path):
    (tmp_path / "good-paper-2024-01-01.txt").write_text("标题\n\n本报讯 一段正文。\n", encoding="utf-8")
    (tmp_path / "bad-paper-2024-01-02.txt").write_bytes(b"")
    with pytest.raises(LoadErrors) as info:
        load_corpus(tmp_path)
    assert [e.name for e in info.value.errors] == ["bad-paper-2024-01-02.txt"]


def test_loader_code_holds_no_words_of_the_shipped_issue(issue):
    """The loader reads layout and punctuation, never this issue's headlines or bylines."""
    package = Path(__file__).parents[1] / "bot"
    source = "".join(p.read_text(encoding="utf-8") for p in package.glob("*.py"))
    for article in issue.articles:
        assert article.headline not in source
        if article.byline:
            assert article.byline not in source
    for phrase in ("推动高质量发展", "政务动态", "云冈", "闫昌"):
        assert phrase not in source
    core = "".join(
        (package / f"{name}.py").read_text(encoding="utf-8")
        for name in ("corpus", "text", "postings", "bm25", "passages", "question", "decide", "index")
    )
    assert "大同" not in core


def test_page_furniture_is_not_an_article():
    text = (
        "2024年11月5日 星期二\n\n第3版：要闻\n\n　　本版责编：张三\n\n"
        "秋粮收获基本结束\n\n　　本报讯（记者 王明）全省秋粮收获面积已达4800万亩。\n"
    )
    articles, warnings = parse_text(text)
    assert [a.headline for a in articles] == ["秋粮收获基本结束"]
    assert articles[0].paragraphs == ("本报讯（记者 王明）全省秋粮收获面积已达4800万亩。",)
    assert warnings == []


def test_many_files_are_parsed_in_worker_processes_as_in_this_one(tmp_path: Path, monkeypatch):
    """A first load of a decade of issues parses them on every core: the same issues, and a bad
    file still named with its reason, in the folder's order."""
    for source in sorted(PAPERS.glob("*.txt")):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "bad-paper-2024-01-02.txt").write_bytes(b"")
    (tmp_path / "zzz-paper-2024-01-03.txt").write_bytes(b"\x00" * 10)
    files = [(p.read_bytes(), p.name) for p in loader.issue_files(tmp_path)]
    here = loader.parse_many(files, {})
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 0)
    spread = loader.parse_many(files, {})
    assert [type(x) for x in spread] == [type(x) for x in here] and sum(isinstance(x, CorpusError) for x in here) == 2
    assert [x for x in spread if not isinstance(x, CorpusError)] == [x for x in here if not isinstance(x, CorpusError)]
    assert [(e.name, e.reason) for e in spread if isinstance(e, CorpusError)] == [
        (e.name, e.reason) for e in here if isinstance(e, CorpusError)
    ]
    with pytest.raises(LoadErrors) as info:
        load_corpus(tmp_path)
    assert [e.name for e in info.value.errors] == ["bad-paper-2024-01-02.txt", "zzz-paper-2024-01-03.txt"]
