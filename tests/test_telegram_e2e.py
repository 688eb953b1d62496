"""End to end: the real application over real HTTP against the Bot API emulator on loopback.

Every test ends by asserting the emulator rejected nothing: malformed HTML, a text over 4096
characters or callback data over 64 bytes fail here as they would on Telegram.
"""

from __future__ import annotations

import pytest
from conftest import ADMIN, BOT, NEW_ISSUE, PAPERS, TOKEN, Harness

from bot import messages as msg
from bot.corpus import load_corpus
from bot.examples import examples
from bot.index import Index

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]


def button_data(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


# -- private chat -------------------------------------------------------------------------------


async def test_private_question_gets_the_paragraph_with_source_and_buttons(harness: Harness):
    reply = await harness.ask_private(harness.alice, "云冈今年去了多少人？")
    text = reply["text"]
    assert "1575万人次" in text and "大同日报 2024-11-02" in text
    assert any(e["type"] == "bold" for e in reply["entities"])  # the headline
    underlined = [e for e in reply["entities"] if e["type"] == "underline"]
    assert underlined  # the answering sentence
    assert set(button_data(reply)) == {msg.BUTTON_NEXT, msg.BUTTON_FULL, msg.BUTTON_SUBSCRIBE}
    assert all(len(d.encode()) <= 64 for d in button_data(reply).values())


async def test_not_in_the_paper_is_said_honestly(harness: Harness):
    reply = await harness.ask_private(harness.alice, "明年春节放几天假")
    assert msg.NOT_FOUND in reply["text"] or msg.UNSURE_INTRO in reply["text"]
    if msg.NOT_FOUND in reply["text"]:
        assert "reply_markup" not in reply


async def test_html_in_the_question_is_harmless(harness: Harness):
    reply = await harness.ask_private(harness.alice, "<b>云冈&amp; 石窟</b> & <script>今年游客")
    assert reply["text"]  # accepted by the emulator's HTML validator (asserted at teardown)


async def test_next_button_edits_the_message_and_full_sends_the_article(harness: Harness):
    reply = await harness.ask_private(harness.alice, "天镇县的年平均风速是多少？")
    first_text = reply["text"]
    harness.emu.callback_query(harness.alice, reply, button_data(reply)[msg.BUTTON_NEXT])
    await harness.emu.wait_for_call("editMessageText")
    history = harness.emu.message_history(harness.alice["id"], reply["message_id"])
    assert len(history) == 2 and history[-1]["text"] != first_text
    await harness.emu.wait_for_call("answerCallbackQuery")

    before = len(harness.replies(harness.alice["id"]))
    harness.emu.callback_query(harness.alice, history[-1], button_data(history[-1])[msg.BUTTON_FULL])
    sent = await harness.emu.wait_for(lambda: harness.replies(harness.alice["id"])[before:])
    article = sent[0]["text"]
    assert article.count("\n\n") >= 1 and "大同日报 2024-11-02" in article


async def test_stale_button_after_a_restart_answers_gracefully(harness: Harness):
    reply = await harness.ask_private(harness.alice, "云冈石窟接待游客多少")
    harness.app.bot_data.answers._items.clear()  # what a restart does to button state
    harness.emu.callback_query(harness.alice, reply, button_data(reply)[msg.BUTTON_NEXT])
    call = await harness.emu.wait_for_call("answerCallbackQuery")
    assert call.params["text"] == msg.STALE_BUTTON
    assert len(harness.emu.message_history(harness.alice["id"], reply["message_id"])) == 1


async def test_start_help_list_and_command_menus(harness: Harness):
    start = await harness.ask_private(harness.alice, "/start")
    shown = examples(harness.app.bot_data.serving.index)
    assert "大同日报" in start["text"] and shown and all(q in start["text"] for q in shown)
    assert list(button_data(start)) == list(shown)  # each example is a button that asks it
    help_text = (await harness.ask_private(harness.alice, "/help"))["text"]
    assert f"@{BOT}" in help_text and "/reload" not in help_text
    admin_help = (await harness.ask_private(harness.admin, "/help"))["text"]
    assert "/reload" in admin_help
    listing = (await harness.ask_private(harness.alice, "/list"))["text"]
    assert "2024-11-02" in listing and listing.count("·") == 12
    private = [c["command"] for c in harness.emu.commands({"type": "all_private_chats"})]
    groups = [c["command"] for c in harness.emu.commands({"type": "all_group_chats"})]
    admin = [c["command"] for c in harness.emu.commands({"type": "chat", "chat_id": ADMIN})]
    assert "ask" in groups and "reload" not in private and "reload" in admin


async def test_throttle_says_so_politely_once(harness: Harness):
    user = harness.emu.user(1500, "Flood")
    for n in range(9):
        harness.emu.private_message(user, f"天镇县风速多少{n}")
    await harness.emu.wait_for(lambda: any(msg.THROTTLED[:6] in m["text"] for m in harness.replies(1500)))
    await harness.emu.wait_for(lambda: len(harness.emu.calls) and not harness.emu.pending_updates, timeout=5)
    texts = [m["text"] for m in harness.replies(1500)]
    assert sum(msg.THROTTLED[:6] in t for t in texts) == 1
    assert len(texts) <= 7


# -- groups -------------------------------------------------------------------------------------


GROUP = -100123


async def _group(harness: Harness, text: str, reply_to: dict | None = None) -> dict | None:
    before = len(harness.replies(GROUP))
    harness.emu.group_message(GROUP, harness.alice, text, reply_to=reply_to)
    try:
        sent = await harness.emu.wait_for(lambda: harness.replies(GROUP)[before:], timeout=3)
    except TimeoutError:
        return None
    return sent[0]


async def test_group_ask_command_mention_and_reply(harness: Harness):
    for text in ("/ask 云冈今年去了多少人", f"/ask@{BOT} 天镇县风速多少", f"@{BOT} 教师资格考试成绩什么时候发布"):
        reply = await _group(harness, text)
        assert reply is not None, text
        assert reply.get("reply_to_message"), "answers reply to the asker"
    follow_up = await _group(harness, "那恒山景区呢？接待游客多少", reply_to=reply)
    assert follow_up is not None and "300万人次" in follow_up["text"]


async def test_group_chatter_is_ignored(harness: Harness):
    assert await _group(harness, "今天天气不错，大家去云冈玩了吗") is None
    assert await _group(harness, "@someone_else 云冈今年去了多少人") is None
    usage = await _group(harness, "/ask")
    assert usage is not None and "/ask" in usage["text"]


# -- inline -------------------------------------------------------------------------------------


async def test_inline_query_offers_passages(harness: Harness):
    harness.emu.inline_query(harness.alice, "云冈石窟游客")
    call = await harness.emu.wait_for_call("answerInlineQuery")
    results = call.params["results"]
    assert results and results[0]["type"] == "article"
    assert results[0]["title"] and "云冈" in results[0]["input_message_content"]["message_text"]
    harness.emu.inline_query(harness.alice, "   ")
    empty = await harness.emu.wait_for_call("answerInlineQuery", lambda c: c.params.get("results") == [])
    assert empty.ok


# -- admin --------------------------------------------------------------------------------------


async def test_reload_reports_changes_and_refuses_non_admins(harness: Harness):
    denied = await harness.ask_private(harness.alice, "/reload")
    assert denied["text"] == msg.NOT_ADMIN
    (harness.corpus / "jinbei-daily-2024-11-03.txt").write_text(NEW_ISSUE, encoding="utf-8")
    done = await harness.ask_private(harness.admin, "/reload")
    assert "jinbei-daily-2024-11-03.txt" in done["text"] and "2 期" in done["text"]
    answer = await harness.ask_private(harness.alice, "城南社区图书角藏书多少册？")
    assert "3200册" in answer["text"]


async def test_reload_with_a_broken_file_keeps_the_serving_index(harness: Harness):
    (harness.corpus / "broken-paper-2024-11-04.txt").write_bytes(b"\x00\xff\x00binary" * 20)
    failed = await harness.ask_private(harness.admin, "/reload")
    assert "broken-paper-2024-11-04.txt" in failed["text"] and "继续使用原来的报纸" in failed["text"]
    answer = await harness.ask_private(harness.alice, "云冈今年去了多少人？")
    assert "1575万人次" in answer["text"]


async def _upload(harness: Harness, user: dict, name: str, content: bytes, chat: dict | None = None) -> dict:
    chat = chat or harness.emu.private_chat(user)
    before = len(harness.replies(chat["id"]))
    harness.emu.document_message(chat, user, name, content)
    sent = await harness.emu.wait_for(lambda: harness.replies(chat["id"])[before:])
    return sent[0]


async def test_upload_adds_an_issue(harness: Harness):
    reply = await _upload(harness, harness.admin, "jinbei-daily-2024-11-03.txt", NEW_ISSUE.encode("gb18030"))
    assert "已保存" in reply["text"] and (harness.corpus / "jinbei-daily-2024-11-03.txt").exists()
    answer = await harness.ask_private(harness.alice, "图书角周几闭馆")
    assert "周一闭馆" in answer["text"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("jinbei-daily-2024-11-03.txt", b"", "没有通过检查"),
        ("jinbei-daily-2024-11-03.txt", "只有一行".encode(), "没有通过检查"),
        ("../jinbei-daily-2024-11-03.txt", NEW_ISSUE.encode(), "文件名不对"),
        ("/etc/jinbei-daily-2024-11-03.txt", NEW_ISSUE.encode(), "文件名不对"),
        ("notes; rm -rf.txt", NEW_ISSUE.encode(), "文件名不对"),
        ("jinbei-daily-2024-11-03.pdf", NEW_ISSUE.encode(), "文件名不对"),
    ],
)
async def test_bad_uploads_are_refused_and_nothing_is_written(harness: Harness, name: str, content: bytes, expected: str):
    files_before = sorted(p.name for p in harness.corpus.iterdir())
    reply = await _upload(harness, harness.admin, name, content)
    assert expected in reply["text"]
    assert sorted(p.name for p in harness.corpus.iterdir()) == files_before
    assert not (harness.corpus.parent / "jinbei-daily-2024-11-03.txt").exists()


async def test_upload_by_non_admin_is_refused(harness: Harness):
    reply = await _upload(harness, harness.alice, "jinbei-daily-2024-11-03.txt", NEW_ISSUE.encode())
    assert reply["text"] == msg.NOT_ADMIN
    assert not (harness.corpus / "jinbei-daily-2024-11-03.txt").exists()


async def test_stats_and_unanswered_for_admins(harness: Harness):
    await harness.ask_private(harness.alice, "天镇县80米高度的年平均风速是多少？")
    await harness.ask_private(harness.alice, "明年春节放几天假")
    sent = await harness.ask_private(harness.admin, "/stats")
    stats = sent["caption"]  # the numbers are the caption of the chart: one message
    assert "提问：2" in stats and "回答：1" in stats and TOKEN not in stats
    [photo] = sent["photo"]
    chart = harness.emu.file_content(photo["file_id"])
    assert chart.startswith(b"\x89PNG\r\n\x1a\n") and (photo["width"], photo["height"]) == (640, 340)
    unanswered = (await harness.ask_private(harness.admin, "/unanswered"))["text"]
    assert "明年春节放几天假" in unanswered and "云冈今年" not in unanswered and "Alice" not in unanswered
    assert (await harness.ask_private(harness.alice, "/stats"))["text"] == msg.NOT_ADMIN


async def test_stats_without_a_chart_when_it_cannot_be_drawn(harness: Harness, monkeypatch):
    def broken(days):  # type: ignore[no-untyped-def]
        raise RuntimeError("no backend")

    monkeypatch.setattr("bot.telegram.admin.questions_chart", broken)
    sent = await harness.ask_private(harness.admin, "/stats")
    assert "提问：0" in sent["text"] and "photo" not in sent


async def test_list_pages_through_many_issues(harness: Harness):
    source = (harness.corpus / "datong-daily-2024-11-02.txt").read_text(encoding="utf-8")
    for day in range(3, 15):
        issue = harness.corpus / f"datong-daily-2024-11-{day:02d}.txt"
        issue.write_text(source.replace("11月1日", f"11月{day}日"), encoding="utf-8")
    await harness.ask_private(harness.admin, "/reload")
    first = await harness.ask_private(harness.alice, "/list")
    assert "第 1/3 页" in first["text"] and "2024-11-14" in first["text"] and "2024-11-02" not in first["text"]
    harness.emu.callback_query(harness.alice, first, button_data(first)[msg.BUTTON_NEXT_PAGE])
    await harness.emu.wait_for_call("editMessageText")
    second = harness.emu.message_history(harness.alice["id"], first["message_id"])[-1]
    assert "第 2/3 页" in second["text"] and set(button_data(second)) == {msg.BUTTON_PREV_PAGE, msg.BUTTON_NEXT_PAGE}
    answer = await harness.ask_private(harness.alice, "云冈今年去了多少人")
    assert "2024-11-14" in answer["text"]  # the same paragraph in every issue: the newest shown, once


# -- besides questions: small talk, the paper's contents, an article, other languages -------------


def confident(text: str) -> bool:
    return msg.UNSURE_INTRO not in text and msg.NOT_FOUND not in text


async def _press(harness: Harness, user: dict, message: dict, data: str, count: int = 1) -> list[dict]:
    """Press a button and wait for the `count` messages it sends to that chat."""
    chat = message["chat"]["id"]
    before = len(harness.replies(chat))
    harness.emu.callback_query(user, message, data)
    return await harness.emu.wait_for(lambda: len(harness.replies(chat)) >= before + count and harness.replies(chat)[before:])


async def test_a_greeting_and_thanks_get_a_short_answer_not_a_search(harness: Harness):
    hello = await harness.ask_private(harness.alice, "你好")
    assert msg.NOT_FOUND not in hello["text"] and "大同日报" in hello["text"]
    shown = examples(harness.app.bot_data.serving.index)
    assert list(button_data(hello)) == list(shown)  # what it can do: examples to press
    thanks = await harness.ask_private(harness.alice, "谢谢！")
    assert thanks["text"] == msg.THANKS and "reply_markup" not in thanks
    who = await harness.ask_private(harness.alice, "你是谁？")
    assert "问答机器人" in who["text"]
    bye = await harness.ask_private(harness.alice, "再见")
    assert bye["text"] == msg.GOODBYE
    question = await harness.ask_private(harness.alice, "你好，请问天镇县的年平均风速是多少？")
    assert "5.76米/秒" in question["text"] and confident(question["text"])
    stats = (await harness.ask_private(harness.admin, "/stats"))["caption"]
    assert "提问：1" in stats  # small talk is not counted as a question


async def test_a_greeting_in_a_group_gets_the_same_short_answer(harness: Harness):
    private = (await harness.ask_private(harness.alice, "你好"))["text"]
    for text in ("/ask 你好", f"@{BOT} 你好！"):
        reply = await _group(harness, text)
        assert reply is not None and reply["text"] == private and reply.get("reply_to_message"), text
    assert await _group(harness, "你好") is None  # chatter, not to the bot
    assert await _group(harness, "谢谢大家") is None


async def test_whats_in_the_paper_lists_headlines_with_a_button_each(harness: Harness):
    reply = await harness.ask_private(harness.alice, "今天的报纸有什么新闻")
    text = reply["text"]
    assert "大同日报 2024-11-02，共12篇" in text and "1. 我市能源赛道结出累累硕果" in text
    assert any(e["type"] == "bold" for e in reply["entities"])
    buttons = button_data(reply)
    assert len(buttons) == 12 and all(len(d.encode()) <= 64 for d in buttons.values())
    label = next(b for b in buttons if b.startswith("2. "))
    sent = await _press(harness, harness.alice, reply, buttons[label])
    assert sent[0]["text"].startswith("大同文旅旺势持续火爆四季") and "1575万人次" in sent[0]["text"]

    yesterday = await harness.ask_private(harness.alice, "昨天的报纸")
    assert "2024-11-01" in yesterday["text"] and "2024-11-02" in yesterday["text"] and len(button_data(yesterday)) == 12
    front_page = await harness.ask_private(harness.alice, "大同日报今天头版是什么")
    assert "共12篇" in front_page["text"]


async def test_what_an_article_says_is_its_lead_with_a_full_text_button(harness: Harness):
    reply = await harness.ask_private(harness.alice, "「我市能源赛道结出累累硕果」讲了什么？")
    assert confident(reply["text"]) and reply["text"].startswith("我市能源赛道结出累累硕果")
    assert "第1篇 第1段" in reply["text"]
    assert set(button_data(reply)) == {msg.BUTTON_FULL}
    sent = await _press(harness, harness.alice, reply, button_data(reply)[msg.BUTTON_FULL])
    assert "1100亿千瓦时" in "".join(m["text"] for m in sent)
    said = await harness.ask_private(harness.alice, "我市能源赛道结出累累硕果那篇说了啥")
    assert said["text"] == reply["text"]


async def test_another_language_is_told_in_that_language_and_chinese(harness: Harness):
    reply = await harness.ask_private(harness.alice, "How many tourists visited Yungang this year?")
    assert "Chinese" in reply["text"] and "中文" in reply["text"]
    assert examples(harness.app.bot_data.serving.index)[0] in reply["text"]
    assert list(button_data(reply)) == list(examples(harness.app.bot_data.serving.index))  # a Chinese question to press
    idc = await harness.ask_private(harness.alice, "IDC")
    assert "Chinese" not in idc["text"]  # a word of the paper: searched


async def test_start_examples_are_buttons_that_ask_them_confidently(harness: Harness):
    start = await harness.ask_private(harness.alice, "/start")
    buttons = button_data(start)
    assert buttons
    for question, data in buttons.items():
        [answer] = await _press(harness, harness.alice, start, data)
        assert answer["text"].startswith(msg.ASKED.format(question=question)), answer["text"]
        assert confident(answer["text"]), answer["text"]
        assert msg.BUTTON_FULL in button_data(answer)
    help_buttons = button_data(await harness.ask_private(harness.alice, "/help"))
    assert help_buttons == buttons


async def test_an_example_button_of_another_corpus_is_stale(harness: Harness):
    start = await harness.ask_private(harness.alice, "/start")
    data = next(iter(button_data(start).values()))
    harness.app.bot_data.serving.index = Index.build(load_corpus(PAPERS))  # what a reload to other papers does
    harness.emu.callback_query(harness.alice, start, data)
    call = await harness.emu.wait_for_call("answerCallbackQuery")
    assert call.params["text"] == msg.STALE_BUTTON


async def test_inline_greeting_and_contents(harness: Harness):
    harness.emu.inline_query(harness.alice, "你好")
    call = await harness.emu.wait_for_call("answerInlineQuery")
    [result] = call.params["results"]
    assert "大同日报" in result["input_message_content"]["message_text"]
    harness.emu.inline_query(harness.alice, "今天的报纸有什么新闻")
    call = await harness.emu.wait_for_call("answerInlineQuery", lambda c: len(c.params.get("results", [])) > 1)
    assert call.params["results"][0]["title"] == "我市能源赛道结出累累硕果"
