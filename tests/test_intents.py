"""The rules that say what a message is besides a question, the front door, and the examples."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from telegram import InlineKeyboardMarkup

from bot.config import shipped_corpus_dir
from bot.corpus import load_corpus
from bot.decide import ANSWERED
from bot.examples import examples
from bot.front import respond
from bot.index import Index
from bot.intents import Intent, article_says, issue_contents, key, other_language, polite_core, recognise, small_talk
from bot.reply import reply_html, reply_json, reply_text
from bot.telegram.callbacks import (
    ANSWER_BUTTON_PATTERN,
    EXAMPLE_PATTERN,
    FULL,
    LIST_PAGE_PATTERN,
    article_buttons,
    example_buttons,
    example_digest,
    parse_callback,
    parse_example,
)

DATA = Path(__file__).parent / "data"


def headline(index: Index, n: int = 0) -> str:
    return index.headlines(n + 1)[n]


# -- small talk -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好", Intent.GREETING),
        ("您好！", Intent.GREETING),
        ("你好呀～", Intent.GREETING),
        ("你好吗", Intent.GREETING),
        ("哈喽 机器人", Intent.GREETING),
        ("Hello!", Intent.GREETING),
        ("在吗？", Intent.GREETING),
        ("谢谢", Intent.THANKS),
        ("谢谢你！", Intent.THANKS),
        ("好的，谢谢啦", Intent.THANKS),
        ("thanks", Intent.THANKS),
        ("你是谁？", Intent.WHO),
        ("你好，你能做什么", Intent.WHO),
        ("再见👋", Intent.GOODBYE),
        ("拜拜啦", Intent.GOODBYE),
        ("好的谢谢，再见", Intent.THANKS),
    ],
)
def test_small_talk_is_the_whole_message(text: str, intent: Intent):
    assert small_talk(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "你好，请问云冈今年来了多少人",  # a greeting and a question: the question counts
        "谢谢，那恒山呢",
        "你好大同",
        "早高峰几点",  # 早 is a greeting only alone
        "你能做什么菜",
        "啊",  # fillers only
        "",
        "再见了，大同古城的城墙有多长",
    ],
)
def test_small_talk_never_swallows_other_words(text: str):
    assert small_talk(text) is None


def test_politeness_is_taken_off_a_question_only(index: Index):
    assert polite_core("你好，请问云冈今年来了多少人") == "请问云冈今年来了多少人"
    assert polite_core("云冈今年来了多少人？谢谢！") == "云冈今年来了多少人"
    assert polite_core("早餐多少钱") == "早餐多少钱"
    assert polite_core("感谢信写了什么") == "感谢信写了什么"  # not a thanks after a question
    reply = respond(index, "你好，请问云冈今年来了多少人")
    assert reply.intent == Intent.SEARCH and reply.question == reply.answer.question == "你好，请问云冈今年来了多少人"
    plain = index.ask("请问云冈今年来了多少人")
    assert [h.passage for h in reply.answer.hits] == [h.passage for h in plain.hits]
    assert reply.answer.outcome == plain.outcome


# -- other languages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("How many tourists visited Yungang this year?", True),
        ("What is IDC?", True),  # one word in three is in the paper
        ("Спасибо, а сколько туристов?", True),
        ("IDC", False),  # in the paper
        ("idc tb", False),
        ("PM2.5", False),  # a code joined to digits is no language
        ("2024", False),
        ("大同IDC用电量多少", False),
        ("云冈 visitors", False),  # has Chinese: the search reads it
        ("𠀀𠀁 abc def", False),  # Chinese outside the BMP is Chinese too
        ("<script>alert(1)</script>", True),
    ],
)
def test_other_language_is_latin_without_the_papers_words(index: Index, text: str, other: bool):
    assert other_language(text, index) is other


# -- what does article X say --------------------------------------------------------------------


def test_article_says_matches_headlines_however_quoted(index: Index):
    title = headline(index)
    first = index.corpus.issues[0].articles.index(next(a for a in index.corpus.issues[0].articles if a.headline == title))
    for text in (
        f"「{title}」讲了什么？",
        f"《{title}》说了啥",
        f"“{title}”那篇说了啥",
        f"{title}这篇文章讲的是什么",
        f"关于{title}的报道",
        f"{title}的主要内容",
        f"「{title[:-2]}」讲了什么",  # a small difference: a word left out
        f"「{title[2:]}」写了什么",  # a part of one headline only
    ):
        found = article_says(text, index)
        assert found is not None and found[1] == first, text


@pytest.mark.parametrize(
    "text",
    [
        "农民收入为啥涨得慢了，调研咋说的",
        "种树要保证成活这块是咋说的",
        "「云」讲了什么",
        "天镇县的年平均风速是多少？",
        "关于高考的报道",
    ],
)
def test_article_says_needs_a_headline_of_the_corpus(index: Index, text: str):
    assert article_says(text, index) is None


def test_article_says_answers_with_the_lead_confidently(index: Index):
    title = headline(index)
    reply = respond(index, f"「{title}」讲了什么？")
    assert reply.intent == Intent.ARTICLE and reply.answered
    [hit] = reply.answer.results
    assert hit.passage.headline == title and hit.passage.paragraph == 1
    article = next(a for a in index.corpus.issues[0].articles if a.headline == title)
    assert hit.passage.text == article.paragraphs[0]


def test_key_ignores_quotes_punctuation_and_script():
    assert key("「我市“三农”领域」") == key("我市三农领域") == key("我市 《三農》 領域！")


# -- what is in an issue ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "今天的报纸有什么新闻",
        "今天有什么新闻",
        "最新一期讲了什么",
        "报纸",
        "头版是什么",
        "11月2日那期",
        "2024-11-02的报纸",
        "看看今天的头版",
    ],
)
def test_issue_contents(index: Index, text: str):
    found = issue_contents(text, index)
    assert found is not None, text
    issues, _ = found
    assert [i.date for i in issues] == [dt.date(2024, 11, 2)]


def test_issue_contents_with_the_papers_name_and_a_missing_date(index: Index):
    paper = index.corpus.issues[0].paper
    assert issue_contents(f"{paper}今天头版是什么", index) is not None
    reply = respond(index, "昨天的报纸")
    assert reply.intent == Intent.ISSUE and reply.missing and reply.scope and reply.scope.start == dt.date(2024, 11, 1)
    assert "2024-11-01" in reply_text(reply, index) and "2024-11-02" in reply_text(reply, index)
    assert not respond(index, "今天的报纸").missing


@pytest.mark.parametrize(
    "text",
    [
        "今天的报纸有什么关于云冈的新闻",
        "教师资格考试成绩什么时候发布",
        "今天天气怎么样",
        "有什么",
        "云冈的新闻",
        "今年来了多少游客",
    ],
)
def test_issue_contents_needs_nothing_but_paper_words(index: Index, text: str):
    assert issue_contents(text, index) is None


def test_issue_contents_lists_every_article_with_its_lead(index: Index):
    reply = respond(index, "今天的报纸有什么新闻")
    articles = index.corpus.issues[0].articles
    assert reply.answered and len(reply.answer.results) == len(articles)
    text = reply_text(reply, index)
    for n, a in enumerate(articles, start=1):
        assert f"{n}. {a.headline[:20]}" in text
    assert "<b>" in reply_html(reply, index)


def test_issue_contents_picks_the_newest_issue_of_the_date(tmp_path: Path):
    source = next(shipped_corpus_dir().glob("datong-daily-*.txt"))
    (tmp_path / "datong-daily-2024-11-02.txt").write_bytes(source.read_bytes())
    (tmp_path / "datong-daily-2024-11-03.txt").write_bytes(source.read_bytes())
    index = Index.build(load_corpus(tmp_path))
    assert [i.date.day for i in respond(index, "今天的报纸").issues] == [3]
    assert [i.date.day for i in respond(index, "昨天的报纸").issues] == [2]
    assert [i.date.day for i in respond(index, "11月2日那期").issues] == [2]
    title = headline(index)
    lead = respond(index, f"「{title}」讲了什么").answer.results[0]
    assert lead.passage.date == "2024-11-03"  # the same headline in both: the newest issue's


# -- the whole front door -----------------------------------------------------------------------


def test_recognise_order_and_search_fallback(index: Index):
    assert recognise(index, "你好").intent == Intent.GREETING
    assert recognise(index, "hello").intent == Intent.GREETING  # small talk before other language
    assert recognise(index, "你好，今天的报纸有什么新闻").intent == Intent.ISSUE
    assert recognise(index, "天镇县的年平均风速是多少？").intent == Intent.SEARCH


@pytest.mark.parametrize(
    "text", ["你好", "谢谢", "你是谁", "再见", "How many tourists visited Yungang?", "今天的报纸", "昨天的报纸"]
)
def test_every_reply_is_valid_html_text_and_json(index: Index, text: str):
    reply = respond(index, text)
    rendered = reply_html(reply, index)
    assert html.unescape(re.sub(r"</?[biu]>", "", rendered)).strip() and len(rendered) < 4096
    row = reply_json(reply, index)
    assert {"question", "answered", "results", "intent", "reply"} <= set(row)
    assert row["question"] == text and json.dumps(row, ensure_ascii=False)


def test_search_json_keeps_its_contract(index: Index):
    row = reply_json(respond(index, "天镇县的年平均风速是多少？"), index)
    assert set(row) == {"question", "answered", "results"}


def test_the_other_language_reply_is_in_english_and_chinese_with_a_chinese_example(index: Index):
    text = reply_text(respond(index, "How many tourists visited Yungang this year?"), index)
    assert "Chinese" in text and "中文" in text
    assert examples(index)[0] in text


# -- examples ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["index", "papers_index"])
def test_every_example_is_answered_confidently(request, fixture: str):
    index: Index = request.getfixturevalue(fixture)
    shown = examples(index)
    assert 1 <= len(shown) <= 3
    for question in shown:
        reply = respond(index, question)
        assert reply.answer.outcome == ANSWERED, (question, reply.answer.reasons)
        assert len(question.encode()) <= 200
    assert examples(index) is shown  # computed once per index


def test_examples_are_made_from_the_corpus_not_written_in_the_code(papers_index: Index):
    source = "".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "bot").rglob("*.py"))
    for question in examples(papers_index):
        assert question.rstrip("？") not in source
    # A title of a few characters is a page's label (摄影报道, 街拍), which the loader must know by name.
    titles = [a.headline for i in papers_index.corpus.issues for a in i.articles if len(a.headline) > 4]
    assert titles and all(t not in source for t in titles)


def test_examples_fall_back_to_headlines(tmp_path: Path):
    (tmp_path / "town-news-2024-01-05.txt").write_text(
        "\n镇上新开一家书店\n\n本报讯 镇上新开了一家书店，欢迎大家去看看。\n\n书店环境安静，适合读书。\n", encoding="utf-8"
    )
    index = Index.build(load_corpus(tmp_path))
    assert examples(index) == ("「镇上新开一家书店」讲了什么？",)
    assert respond(index, examples(index)[0]).answered


# -- buttons ----------------------------------------------------------------------------------


def callback_data(markup: InlineKeyboardMarkup | None) -> list[str]:
    return [str(b.callback_data) for row in (markup.inline_keyboard if markup else ()) for b in row]


def test_example_buttons_round_trip(index: Index):
    shown = examples(index)
    data = callback_data(example_buttons(shown))
    assert len(data) == len(shown)
    for question, d in zip(shown, data, strict=True):
        assert re.match(EXAMPLE_PATTERN, d) and not re.match(ANSWER_BUTTON_PATTERN, d) and not re.match(LIST_PAGE_PATTERN, d)
        assert parse_example(d) == example_digest(question) and len(d.encode()) <= 64
    for forged in ("e:", "e:xyz", "e:0123456789a", "e:ABCDEF0123", "x:0123456789", None, "e:0123456789:1"):
        assert parse_example(forged) is None
    assert example_buttons(()) is None


def test_article_buttons_open_each_article(index: Index):
    reply = respond(index, "今天的报纸有什么新闻")
    data = callback_data(article_buttons("Ab_1-x", reply.answer))
    assert len(data) == len(reply.answer.results)
    for n, d in enumerate(data):
        assert parse_callback(d) == (FULL, "Ab_1-x", n) and len(d.encode()) <= 64
