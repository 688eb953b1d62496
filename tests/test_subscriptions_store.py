"""The subscription store and matching, without Telegram: keywords, limits, exactly-once plans."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NEW_ISSUE

from bot.config import shipped_corpus_dir
from bot.corpus import load_corpus
from bot.index import Index
from bot.subscriptions import (
    DIGEST,
    MATCH,
    MAX_PER_CHAT,
    PENDING,
    SENT,
    UNKNOWN,
    KeywordError,
    LimitReached,
    Subscriptions,
    issue_keys,
    matches,
    normalize_keyword,
    plan_new,
)


def test_keywords_are_normalised_like_questions():
    assert normalize_keyword("雲岡") == normalize_keyword("云冈") == "云冈"
    assert normalize_keyword("ＩＤＣ") == "idc"
    assert normalize_keyword("  「云冈石窟」！ ") == "云冈石窟"
    for bad in ("", "云", "！！", "长" * 31):
        with pytest.raises(KeywordError):
            normalize_keyword(bad)


def test_add_list_remove_and_the_limit(tmp_path: Path):
    store = Subscriptions(tmp_path / "s.sqlite3")
    assert store.add(1, "云冈") and not store.add(1, "云冈")
    assert store.of(1) == ["云冈"] and store.of(2) == []
    for n in range(MAX_PER_CHAT - 1):
        store.add(1, f"词{n}")
    with pytest.raises(LimitReached):
        store.add(1, "再一个")
    assert store.remove(1, "云冈") and not store.remove(1, "云冈")
    assert store.add(1, "再一个")
    store.close()
    assert len(Subscriptions(tmp_path / "s.sqlite3").of(1)) == MAX_PER_CHAT  # kept across restarts


def test_matches_only_that_issue_and_only_confidently(tmp_path: Path, index: Index):
    [key] = issue_keys(index)
    hits = matches(index, key, "云冈石窟")
    assert hits and {h.passage.article for h in hits} == {2}  # one per article
    assert matches(index, key, "雲岡") == matches(index, key, "云冈")
    assert matches(index, key, "春节放假") == []
    assert matches(index, key, "图书角") == []  # only "not sure" in this issue
    assert matches(index, "no-such-issue:0", "云冈") == []


def test_a_new_issue_is_planned_once_per_chat_and_resumes_after_a_restart(tmp_path: Path, index: Index):
    store = Subscriptions(tmp_path / "s.sqlite3")
    assert plan_new(store, index) == 0  # the issues present before anyone subscribed: seen, nothing owed
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in shipped_corpus_dir().glob("*.txt"):
        (corpus / f.name).write_bytes(f.read_bytes())
    (corpus / "jinbei-daily-2024-11-03.txt").write_text(NEW_ISSUE, encoding="utf-8")
    bigger = Index.build(load_corpus(corpus))
    store.add(1, "图书角")
    store.add(2, "云冈")  # not in the new issue
    store.set_digest(3, True)
    store.add(4, "图书角")
    store.set_digest(4, True)  # both: its matches go inside the digest, one message
    assert plan_new(store, bigger) == 3
    assert plan_new(store, bigger) == 0  # once
    pending = store.pending()
    assert {(d.chat_id, d.kind) for d in pending} == {(1, MATCH), (3, DIGEST), (4, DIGEST)}
    first, second, third = pending
    assert store.claim(first) and not store.claim(first)
    store.mark(first, SENT)
    assert store.claim(second)  # in flight when the process dies
    store.close()
    again = Subscriptions(tmp_path / "s.sqlite3")
    assert again.status(second.chat_id, second.issue, second.kind) == UNKNOWN  # at-most-once: not resent
    assert again.pending() == [third] and again.status(first.chat_id, first.issue, first.kind) == SENT


def test_a_transient_failure_goes_back_to_pending_then_gives_up(tmp_path: Path):
    store = Subscriptions(tmp_path / "s.sqlite3")
    store.plan("x:1", [(1, MATCH)])
    for _ in range(5):
        [d] = store.pending()
        assert store.claim(d)
        store.release(d)
    assert store.pending() == [] and store.status(1, "x:1", MATCH) == "failed"
    store.plan("x:2", [(5, MATCH)])
    store.add(5, "云冈")
    store.set_digest(5, True)
    store.forget(5)
    assert store.of(5) == [] and not store.digest_on(5) and store.status(5, "x:2", MATCH) == "blocked"
    assert PENDING not in store.counts()


def test_subscription_buttons_parse_strictly():
    from bot.telegram.callbacks import issue_digest, parse_article, parse_subscribe, parse_unsubscribe

    assert parse_subscribe("s:AbC-_123") == "AbC-_123"
    for forged in ("s:", "s:short", "s:AbC-_1234", "s:AbC-_12!", "x:AbC-_123", None):
        assert parse_subscribe(forged) is None
    assert parse_unsubscribe("u:0123456789") == "0123456789"
    for forged in ("u:012345678", "u:0123456789a", "u:ABCDEF0123", "s:0123456789", None):
        assert parse_unsubscribe(forged) is None
    digest = issue_digest("datong-daily-2024-11-02.txt")
    assert parse_article(f"a:{digest}:3") == (digest, 3)
    for forged in (f"a:{digest}:1000", f"a:{digest}:-1", f"a:{digest}", f"a:{digest}:3:4", "a::3", None):
        assert parse_article(forged) is None


def test_a_topic_from_an_answered_question(index: Index):
    from bot.subscriptions import topic_of

    assert topic_of(index, "云冈今年去了多少人？") == "云冈"
    assert topic_of(index, "雲岡今年去了多少人？") == "云冈"
    assert topic_of(index, "？？") is None


def test_a_group_that_became_a_supergroup_keeps_its_subscriptions_digest_and_deliveries(tmp_path: Path):
    store = Subscriptions(tmp_path / "s.sqlite3")
    old, new = -777, -100777
    store.add(old, "图书角")
    store.add(old, "云冈")
    store.add(new, "云冈")  # the new id has one already: kept, not doubled
    store.set_digest(old, True)
    store.plan("x:1", [(old, DIGEST), (new, MATCH)])
    assert store.move(old, new)
    assert store.of(old) == [] and sorted(store.of(new)) == ["云冈", "图书角"]
    assert not store.digest_on(old) and store.digest_on(new)
    assert {(d.chat_id, d.kind) for d in store.pending()} == {(new, DIGEST), (new, MATCH)}
    assert not store.move(old, new)  # the second service message: nothing left to move
