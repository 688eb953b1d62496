"""Subscriptions and the digest end to end: the real application against the Bot API emulator.

Every test ends by asserting the emulator rejected nothing (HTML, lengths, callback data).
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from botapi import BotAPIEmulator
from conftest import ADMIN, BOT, NEW_ISSUE, TOKEN, Harness
from test_telegram_e2e import button_data

from bot import messages as msg
from bot.config import Settings, shipped_corpus_dir
from bot.index import Index, load_index
from bot.subscriptions import BLOCKED, MATCH, MAX_PER_CHAT, SENT, issue_keys
from bot.telegram import build_application

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(90)]

OTHER_ISSUE = (
    "\n晋北日报体育新闻\n\n本报讯(记者 赵六)昨日,全市中学生篮球联赛在市体育馆开幕,共有24支球队参赛。\n\n"
    "联赛将持续两周,决赛定于11月18日举行。\n"
)
GROUP = -100777


async def _upload(harness: Harness, name: str, text: str) -> dict:
    chat = harness.emu.private_chat(harness.admin)
    before = len(harness.replies(ADMIN))
    harness.emu.document_message(chat, harness.admin, name, text.encode("utf-8"))
    sent = await harness.emu.wait_for(lambda: harness.replies(ADMIN)[before:], timeout=20)
    assert "已保存" in sent[0]["text"], sent[0]["text"]
    return sent[0]


async def settled(harness: Harness) -> None:
    """Until nothing is pending or in flight in the delivery store."""
    store = harness.app.bot_data.subscriptions
    await harness.emu.wait_for(
        lambda: not {"pending", "sending"} & set(store.counts()), timeout=30, description="deliveries done"
    )


async def test_subscribe_list_and_unsubscribe(harness: Harness):
    alice = harness.alice
    reply = await harness.ask_private(alice, "/subscribe 雲岡")
    assert reply["text"] == msg.SUBSCRIBED.format(keyword="云冈")
    assert (await harness.ask_private(alice, "/subscribe 云冈"))["text"] == msg.ALREADY_SUBSCRIBED.format(keyword="云冈")
    assert "1 个" in (await harness.ask_private(alice, "/subscribe 云"))["text"]
    assert "/subscribe" in (await harness.ask_private(alice, "/subscribe"))["text"]
    await harness.ask_private(alice, "/subscribe ＡＴ&Ｔ <b>新闻")
    listing = await harness.ask_private(alice, "/subscriptions")
    assert "• 云冈" in listing["text"] and "• at&t <b>新闻" in listing["text"]
    buttons = button_data(listing)
    assert len(buttons) == 2 and all(len(d.encode()) <= 64 for d in buttons.values())
    harness.emu.callback_query(alice, listing, buttons[msg.BUTTON_UNSUBSCRIBE.format(keyword="云冈")])
    await harness.emu.wait_for_call("editMessageText")
    edited = harness.emu.message_history(alice["id"], listing["message_id"])[-1]
    assert "云冈" not in edited["text"] and len(button_data(edited)) == 1
    gone = await harness.ask_private(alice, "/unsubscribe at&t <b>新闻")
    assert gone["text"] == msg.UNSUBSCRIBED.format(keyword="at&t <b>新闻")
    assert msg.SUBSCRIPTIONS_EMPTY in (await harness.ask_private(alice, "/subscriptions"))["text"]
    for n in range(MAX_PER_CHAT):
        await harness.ask_private(alice, f"/subscribe 关键词{n}")
    full = await harness.ask_private(alice, "/subscribe 再多一个")
    assert full["text"] == msg.SUBSCRIPTION_LIMIT.format(limit=MAX_PER_CHAT)
    long_list = await harness.ask_private(alice, "/subscriptions")
    assert len(button_data(long_list)) == MAX_PER_CHAT


async def test_the_subscribe_button_under_an_answer(harness: Harness):
    answer = await harness.ask_private(harness.alice, "云冈今年去了多少人？")
    buttons = button_data(answer)
    assert set(buttons) == {msg.BUTTON_NEXT, msg.BUTTON_FULL, msg.BUTTON_SUBSCRIBE}
    before = len(harness.replies(harness.alice["id"]))
    harness.emu.callback_query(harness.alice, answer, buttons[msg.BUTTON_SUBSCRIBE])
    [done] = await harness.emu.wait_for(lambda: harness.replies(harness.alice["id"])[before:])
    assert done["text"] == msg.SUBSCRIBED.format(keyword="云冈")
    assert harness.app.bot_data.subscriptions.of(harness.alice["id"]) == ["云冈"]
    harness.emu.callback_query(harness.alice, answer, "s:AAAAAAAA", check_button=False)  # forged or from before a restart
    call = await harness.emu.wait_for_call("answerCallbackQuery", lambda c: c.params.get("text") == msg.SUBSCRIBE_STALE)
    assert call.ok


async def test_commands_are_in_the_menus_and_help(harness: Harness):
    private = [c["command"] for c in harness.emu.commands({"type": "all_private_chats"})]
    groups = [c["command"] for c in harness.emu.commands({"type": "all_group_chats"})]
    for command in ("subscribe", "subscriptions", "unsubscribe", "digest"):
        assert command in private and command in groups
    help_text = (await harness.ask_private(harness.alice, "/help"))["text"]
    assert "/subscribe" in help_text and "/digest on|off" in help_text


async def test_an_issue_that_matches_notifies_once_and_one_that_does_not_stays_silent(harness: Harness):
    alice, bob = harness.alice, harness.emu.user(1002, "Bob")
    await harness.ask_private(alice, "/subscribe 图书角")
    await harness.ask_private(bob, "/subscribe 云冈")  # the new issues do not write about it
    alice_before, bob_before = len(harness.replies(alice["id"])), len(harness.replies(bob["id"]))
    await _upload(harness, "jinbei-daily-2024-11-03.txt", NEW_ISSUE)
    [note] = await harness.emu.wait_for(lambda: harness.replies(alice["id"])[alice_before:])
    assert note["text"].startswith(msg.MATCH_HEADER.format(paper="jinbei-daily", date="2024-11-03"))
    assert "1. 晋北日报社区新闻\n「图书角」 图书角每天上午9时至下午5时开放" in note["text"]  # headline, matching sentence
    assert any(e["type"] == "bold" for e in note["entities"])
    [(label, data)] = button_data(note).items()
    assert label.startswith(msg.BUTTON_FULL)
    await _upload(harness, "jinbei-daily-2024-11-04.txt", OTHER_ISSUE)
    await harness.ask_private(harness.admin, "/reload")  # nothing new: nothing sent again
    await settled(harness)
    await asyncio.sleep(0.3)
    assert len(harness.replies(alice["id"])) == alice_before + 1
    assert len(harness.replies(bob["id"])) == bob_before
    harness.emu.callback_query(alice, note, data)  # 全文 of the matching article
    sent = await harness.emu.wait_for(lambda: harness.replies(alice["id"])[alice_before + 1 :])
    assert "藏书共计3200册" in sent[0]["text"] and "周一闭馆" in sent[0]["text"]


async def test_a_chat_that_blocked_the_bot_is_unsubscribed(harness: Harness):
    carol, dave = harness.emu.user(1003, "Carol"), harness.emu.user(1004, "Dave")
    await harness.ask_private(carol, "/subscribe 图书角")
    await harness.ask_private(dave, "/subscribe 图书角")
    harness.emu.block_user(carol["id"])
    before = len(harness.replies(dave["id"]))
    await _upload(harness, "jinbei-daily-2024-11-03.txt", NEW_ISSUE)
    await harness.emu.wait_for(lambda: harness.replies(dave["id"])[before:])
    await settled(harness)
    store = harness.app.bot_data.subscriptions
    [key] = [k for k in issue_keys(harness.app.bot_data.serving.index) if k.startswith("jinbei")]
    assert store.of(carol["id"]) == [] and store.status(carol["id"], key, MATCH) == BLOCKED
    assert store.status(dave["id"], key, MATCH) == SENT
    refused = [c for c in harness.emu.rejected if c.status == 403]
    assert [c.params["chat_id"] for c in refused] == [carol["id"]]  # tried once, then never again
    with harness.emu._cond:  # the one refusal this test expects: not a failure at teardown
        harness.emu._calls = [c for c in harness.emu._calls if c not in refused]


async def test_the_digest_lists_a_new_issue_with_a_button_per_article(harness: Harness):
    alice = harness.alice
    assert (await harness.ask_private(alice, "/digest on"))["text"] == msg.DIGEST_ON
    assert msg.DIGEST_ON_TEXT in (await harness.ask_private(alice, "/digest"))["text"]
    before = len(harness.replies(alice["id"]))
    await _upload(harness, "jinbei-daily-2024-11-04.txt", OTHER_ISSUE)
    [digest] = await harness.emu.wait_for(lambda: harness.replies(alice["id"])[before:])
    assert digest["text"].startswith(msg.DIGEST_HEADER) and "1. 晋北日报体育新闻" in digest["text"]
    assert list(button_data(digest)) == ["1. 晋北日报体育新闻"]
    assert (await harness.ask_private(alice, "/digest off"))["text"] == msg.DIGEST_OFF
    before = len(harness.replies(alice["id"]))
    await _upload(harness, "jinbei-daily-2024-11-03.txt", NEW_ISSUE)
    await settled(harness)
    assert len(harness.replies(alice["id"])) == before


async def test_a_chat_with_the_digest_and_a_match_gets_one_message_holding_both(harness: Harness):
    alice = harness.alice
    await harness.ask_private(alice, "/digest on")
    await harness.ask_private(alice, "/subscribe 图书角")
    before = len(harness.replies(alice["id"]))
    await _upload(harness, "jinbei-daily-2024-11-03.txt", NEW_ISSUE)
    await settled(harness)
    await asyncio.sleep(0.3)
    [both] = harness.replies(alice["id"])[before:]
    text = both["text"]
    assert text.startswith(msg.DIGEST_HEADER) and "1. 晋北日报社区新闻" in text  # the headlines…
    matches = text.index(msg.DIGEST_MATCHES)
    assert "1. 「图书角」 图书角每天上午9时至下午5时开放" in text[matches:]  # …and the match, by the digest's number
    assert list(button_data(both)) == ["1. 晋北日报社区新闻"]


async def _group(harness: Harness, user: dict, text: str) -> dict:
    before = len(harness.replies(GROUP))
    harness.emu.group_message(GROUP, user, text)
    [reply] = await harness.emu.wait_for(lambda: harness.replies(GROUP)[before:])
    return reply


async def test_group_subscriptions_only_by_the_groups_admins(harness: Harness):
    owner = harness.emu.user(1010, "Owner")
    harness.emu.group_chat(GROUP)
    harness.emu.set_chat_admins(GROUP, [], creator=owner["id"])
    assert (await _group(harness, harness.alice, "/subscribe 图书角"))["text"] == msg.GROUP_ADMINS_ONLY
    assert (await _group(harness, harness.alice, "/digest on"))["text"] == msg.GROUP_ADMINS_ONLY
    assert harness.app.bot_data.subscriptions.of(GROUP) == []
    reply = await _group(harness, owner, f"/subscribe@{BOT} 图书角")
    assert reply["text"] == msg.SUBSCRIBED.format(keyword="图书角")
    listing = await _group(harness, harness.alice, "/subscriptions")  # anyone may look
    harness.emu.callback_query(harness.alice, listing, next(iter(button_data(listing).values())))
    call = await harness.emu.wait_for_call("answerCallbackQuery")
    assert call.params["text"] == msg.GROUP_ADMINS_ONLY
    assert harness.app.bot_data.subscriptions.of(GROUP) == ["图书角"]
    before = len(harness.replies(GROUP))
    await _upload(harness, "jinbei-daily-2024-11-03.txt", NEW_ISSUE)
    [note] = await harness.emu.wait_for(lambda: harness.replies(GROUP)[before:])
    assert "晋北日报社区新闻" in note["text"]


async def test_a_group_upgraded_to_a_supergroup_keeps_its_subscriptions(harness: Harness):
    owner, store = harness.emu.user(1010, "Owner"), harness.app.bot_data.subscriptions
    old, new = -777, -100777777
    harness.emu.group_chat(old, "group")
    harness.emu.set_chat_admins(old, [], creator=owner["id"])
    before = len(harness.replies(old))
    harness.emu.group_message(old, owner, "/subscribe 图书角", chat_type="group")
    await harness.emu.wait_for(lambda: harness.replies(old)[before:])
    harness.emu.group_message(old, owner, "/digest on", chat_type="group")
    await harness.emu.wait_for(lambda: harness.replies(old)[before + 1 :])
    assert store.digest_on(old)
    harness.emu.migrate_group(old, new, owner)
    await harness.emu.wait_for(lambda: store.of(new) == ["图书角"] and store.digest_on(new) and not store.of(old))

    lost = -778  # a group whose upgrade the bot never saw (down for longer than Telegram keeps updates)
    harness.emu.migrate_group(lost, -100778, owner)
    await harness.emu.wait_for(lambda: harness.emu.pending_updates == 0)
    await harness.idle()
    store.add_many([(lost, "图书角")])
    await _upload(harness, "jinbei-daily-2024-11-03.txt", NEW_ISSUE)
    [digest] = await harness.emu.wait_for(lambda: harness.replies(new))
    assert digest["text"].startswith(msg.DIGEST_HEADER) and msg.DIGEST_MATCHES in digest["text"]
    [note] = await harness.emu.wait_for(lambda: harness.replies(-100778), timeout=20)  # refused at the old id, sent at the new
    assert "晋北日报社区新闻" in note["text"] and store.of(-100778) == ["图书角"]
    await settled(harness)
    assert len(harness.replies(old)) == before + 2 and harness.replies(lost) == []
    refused = [c for c in harness.emu.rejected if c.params.get("chat_id") == lost]
    assert len(refused) == 1 and "upgraded to a supergroup" in (refused[0].error or "")
    with harness.emu._cond:  # the one refusal this test expects: not a failure at teardown
        harness.emu._calls = [c for c in harness.emu._calls if c not in refused]


# -- restarts and large batches: an application of our own, started and stopped by the test ------------


class SlowEmulator(BotAPIEmulator):
    """sendMessage takes `delay` seconds (held, as a slow network would); to `slow_chats`, `slow`."""

    delay = 0.0
    slow = 0.0
    slow_chats: frozenset[int] = frozenset()

    def _send_message(self, request):  # type: ignore[no-untyped-def]
        chat = request.params.get("chat_id")
        deadline = time.monotonic() + (self.slow if chat in self.slow_chats else self.delay)
        while (left := deadline - time.monotonic()) > 0 and not self._stopping.is_set():
            self._cond.wait(left)
        return super()._send_message(request)


def settings_for(emu: BotAPIEmulator, tmp_path: Path) -> Settings:
    return Settings(
        token=TOKEN,
        api_base_url=emu.base_url,
        file_base_url=emu.base_file_url,
        admin_ids=frozenset({ADMIN}),
        corpus_dir=tmp_path / "corpus",
        data_dir=tmp_path / "data",
    )


@asynccontextmanager
async def running(emu: BotAPIEmulator, tmp_path: Path, index: Index, **settings: object) -> AsyncIterator[object]:
    """The real application against `emu`, started and stopped as run_polling does; `settings`
    replace fields of `settings_for`'s (e.g. watch_interval)."""
    app = build_application(dataclasses.replace(settings_for(emu, tmp_path), **settings), index)  # type: ignore[arg-type]
    async with app:
        await app.post_init(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)


def corpus_copy(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(shipped_corpus_dir(), corpus, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return corpus


def subscribers(emu: BotAPIEmulator, count: int, first: int = 5000) -> list[int]:
    ids = list(range(first, first + count))
    for user_id in ids:
        emu.private_chat(emu.user(user_id, f"U{user_id}"))
    return ids


def received(emu: BotAPIEmulator, ids: list[int]) -> dict[int, int]:
    counts = dict.fromkeys(ids, 0)
    for message in emu.bot_messages():
        if message["chat"]["id"] in counts:
            counts[message["chat"]["id"]] += 1
    return counts


async def test_a_restart_in_the_middle_of_a_delivery_neither_loses_nor_repeats(tmp_path: Path, index: Index):
    corpus = corpus_copy(tmp_path)
    emu = SlowEmulator(token=TOKEN, bot_username=BOT).start()
    try:
        ids = subscribers(emu, 40)
        async with running(emu, tmp_path, index) as app:  # the shipped issue: seen, nothing owed
            app.bot_data.subscriptions.add_many([(i, "图书角") for i in ids])  # type: ignore[attr-defined]
        (corpus / "jinbei-daily-2024-11-03.txt").write_text(NEW_ISSUE, encoding="utf-8")  # added while it was down
        bigger = load_index(corpus)
        emu.delay = 0.05
        async with running(emu, tmp_path, bigger):
            await emu.wait_for(lambda: sum(received(emu, ids).values()) >= 10, timeout=30)
        partly = received(emu, ids)
        assert 10 <= sum(partly.values()) < len(ids), "stopped in the middle"
        emu.delay = 0.0
        async with running(emu, tmp_path, bigger):
            await emu.wait_for(lambda: all(received(emu, ids).values()), timeout=30, description="all delivered")
            await asyncio.sleep(0.5)
        assert set(received(emu, ids).values()) == {1}  # exactly once each
    finally:
        emu.stop()
    assert not emu.rejected, "\n".join(c.summary() for c in emu.rejected)


async def test_one_slow_chat_does_not_delay_the_rest(tmp_path: Path, index: Index):
    corpus = corpus_copy(tmp_path)
    emu = SlowEmulator(token=TOKEN, bot_username=BOT).start()
    try:
        ids = subscribers(emu, 12)
        emu.slow, emu.slow_chats = 4.0, frozenset({ids[0]})
        async with running(emu, tmp_path, index) as app:
            app.bot_data.subscriptions.add_many([(i, "图书角") for i in ids])  # type: ignore[attr-defined]
            (corpus / "jinbei-daily-2024-11-03.txt").write_text(NEW_ISSUE, encoding="utf-8")
            await app.bot_data.serving.reload()  # type: ignore[attr-defined]
            app.bot_data.deliverer.kick()  # type: ignore[attr-defined]
            started = time.monotonic()
            await emu.wait_for(lambda: all(received(emu, ids[1:]).values()), timeout=10)
            assert time.monotonic() - started < 2.0  # the others did not wait for the slow one
            await emu.wait_for(lambda: received(emu, ids)[ids[0]] == 1, timeout=10)
    finally:
        emu.stop()
    assert not emu.rejected, "\n".join(c.summary() for c in emu.rejected)


@pytest.mark.timeout(150)
async def test_500_subscribers_through_429_storms_while_questions_are_answered(tmp_path: Path, index: Index):
    corpus_copy(tmp_path)
    emu = BotAPIEmulator(token=TOKEN, bot_username=BOT).start()
    try:
        ids = subscribers(emu, 500)
        async with running(emu, tmp_path, index) as app:
            app.bot_data.subscriptions.add_many([(i, "图书角") for i in ids])  # type: ignore[attr-defined]
            admin = emu.user(ADMIN, "Admin")
            emu.document_message(emu.private_chat(admin), admin, "jinbei-daily-2024-11-03.txt", NEW_ISSUE.encode())
            latencies: list[float] = []
            storms = 0
            while not all(received(emu, ids).values()):
                if storms < 4 and sum(received(emu, ids).values()) >= 100 * (storms + 1):
                    emu.inject("sendMessage", "429", count=6, retry_after=1)
                    storms += 1
                asker = emu.user(2000 + len(latencies), "Asker")  # a new one each time: no throttle
                before = len(emu.bot_messages(asker["id"]))
                asked = time.monotonic()
                emu.private_message(asker, "天镇县的年平均风速是多少？")
                await emu.wait_for(lambda b=before, a=asker["id"]: len(emu.bot_messages(a)) > b, timeout=20)  # type: ignore[misc]
                latencies.append(time.monotonic() - asked)
                await asyncio.sleep(1.0)
        counts = received(emu, ids)
        assert set(counts.values()) == {1}, "every subscriber exactly once"
        assert storms == 4 and emu.injected >= 24
        print("question latencies during the delivery:", [round(x, 2) for x in latencies])
        latencies.sort()
        assert latencies[len(latencies) // 2] < 1.0 and latencies[-1] < 3.0, latencies  # a 429 pause at worst
    finally:
        emu.stop()
    assert not emu.rejected, "\n".join(c.summary() for c in emu.rejected)


@pytest.mark.timeout(120)
async def test_a_crash_in_the_middle_of_a_delivery_sends_nothing_twice(tmp_path: Path, index: Index):
    """SIGKILL of the real bot process mid-delivery: the sends in flight are not repeated after the
    restart (at-most-once in the crash window) and everything still pending is delivered once."""
    from test_deploy import TOKEN as DEPLOY_TOKEN
    from test_deploy import SlowSendEmulator, running_bot

    from bot.subscriptions import UNKNOWN, Subscriptions, plan_new

    corpus = corpus_copy(tmp_path)
    store = Subscriptions(tmp_path / "data" / "subscriptions.sqlite3")
    plan_new(store, index)  # the shipped issue: seen before anyone subscribed
    emu = SlowSendEmulator(token=DEPLOY_TOKEN, delay=0.3).start()
    try:
        ids = subscribers(emu, 40)
        store.add_many([(i, "图书角") for i in ids])
        store.close()
        (corpus / "jinbei-daily-2024-11-03.txt").write_text(NEW_ISSUE, encoding="utf-8")  # new at start-up
        env = {"CORPUS_DIR": str(corpus)}
        async with running_bot(emu, tmp_path, **env) as bot:
            await emu.wait_for(lambda: emu.sends_arrived >= 12, timeout=60)
            bot.process.kill()  # no goodbye: sends in flight are never marked
            await bot.process.wait()
        await asyncio.sleep(0.5)  # the held sends complete on the emulator's side (Telegram accepted them)
        assert 0 < sum(received(emu, ids).values()) < len(ids), "killed in the middle"
        emu.delay = 0.0
        async with running_bot(emu, tmp_path, **env):
            await emu.wait_for(lambda: all(received(emu, ids).values()), timeout=60, description="all delivered")
            await asyncio.sleep(0.5)
        assert set(received(emu, ids).values()) == {1}, "nobody got it twice, nobody missed it"
        after = Subscriptions(tmp_path / "data" / "subscriptions.sqlite3")
        counts = after.counts()
        after.close()
        assert 1 <= counts.get(UNKNOWN, 0) <= 4 and counts.get(SENT, 0) + counts[UNKNOWN] == len(ids), counts
    finally:
        emu.stop()
    assert not emu.rejected, "\n".join(c.summary() for c in emu.rejected)
