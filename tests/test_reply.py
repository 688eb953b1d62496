"""Reply formatting: escaped, within Telegram's limit, the answer sentence marked."""

from __future__ import annotations

import html

from botapi import parse_html, utf16_len

from bot import messages as msg
from bot.corpus import Article
from bot.decide import ANSWERED, NOT_FOUND, UNSURE, Answer, Hit
from bot.passages import Passage
from bot.reply import TELEGRAM_LIMIT, answer_html, answer_json, answer_text, article_html_parts, passage_html


def hit(text: str, span: tuple[int, int] | None = None, headline: str = "标题<b>&") -> Hit:
    passage = Passage(text, headline, "副题&", "某日报", "2024-11-02", "x-2024-11-02.txt", 1, 2)
    return Hit(passage, 3.5, 1.0, (span,) if span else ())


def valid(markup: str) -> str:
    text, _ = parse_html(markup)  # raises on anything Telegram would refuse
    assert utf16_len(text) <= TELEGRAM_LIMIT
    return text


def test_answer_marks_the_sentence_and_escapes_everything():
    h = hit("第一句<i>。第二句&答案。第三句。", (7, 14))
    markup = answer_html(Answer("q", ANSWERED, (h,)), ["话题"])
    assert "<u>第二句&amp;答案。</u>" in markup
    assert "<b>标题&lt;b&gt;&amp;</b>" in markup
    text = valid(markup)
    assert "某日报 2024-11-02" in text and "第1篇 第2段" in text


def test_unsure_says_so_and_not_found_suggests_topics():
    h = hit("只有一句。", (0, 5))
    assert valid(answer_html(Answer("q", UNSURE, (h,)), [])).startswith(msg.UNSURE_INTRO)
    text = valid(answer_html(Answer("q", NOT_FOUND, (h,)), ["大同<文旅>", "农业"]))
    assert msg.NOT_FOUND in text and "大同<文旅>" in text


def test_long_passages_are_cut_around_the_answer():
    text = "前文。" * 3000 + "答案在这里。" + "后文。" * 3000
    start = text.index("答案")
    markup = passage_html(hit(text, (start, start + 6)))
    shown = valid(markup)
    assert "答案在这里。" in shown and shown.count("…") >= 2 and msg.TRUNCATED in shown


def test_astral_characters_count_twice():
    text = "😀" * 3000 + "答案。"
    shown = valid(passage_html(hit(text, (len(text) - 3, len(text)))))
    assert "答案。" in shown


def test_whole_article_is_split_into_valid_messages():
    paragraphs = (*("段落<&>" + "字" * 1500 + "。" for _ in range(8)), "x" * 9000)
    parts = article_html_parts(Article("标题", paragraphs), "某日报", "2024-11-02")
    assert len(parts) > 2
    joined = "".join(html.unescape(valid(p)) for p in parts)
    assert joined.count("段落<&>") == 8


def test_console_and_json_share_the_answer():
    h = hit("甲。乙。", (2, 4))
    answer = Answer("问题", ANSWERED, (h,))
    assert "【乙。】" in answer_text(answer, [])
    row = answer_json(answer)
    assert row == {
        "question": "问题",
        "answered": True,
        "results": [
            {
                "headline": "标题<b>&",
                "passage": "甲。乙。",
                "score": 3.5,
                "paper": "某日报",
                "date": "2024-11-02",
                "article": 1,
                "paragraph": 2,
            }
        ],
    }
    assert answer_json(Answer("问题", NOT_FOUND, (h,)))["results"] == []
