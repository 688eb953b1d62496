"""Normalisation and tokenization: what the corpus and the questions meet on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.text import Tokenizer, arabic_numerals, normalize, quantities


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


def test_normalize_full_width_traditional_and_latin_case():
    assert normalize("ＩＤＣ智算，１１月８日") == "idc智算,11月8日"
    assert normalize("雲岡石窟今年去了多少人？") == "云冈石窟今年去了多少人?"
    assert normalize("a\u200bb\u202ec\x00d") == "abc d"
    assert normalize("19∶30发末班车") == "19:30发末班车"  # the ratio sign papers set in clock times


@pytest.mark.parametrize("text", ["1100亿千瓦时", "11月8日", "2×100万千瓦", "5.76米/秒", "53.7%", "2024年"])
def test_numbers_dates_and_quantities_stay_whole(text: str, tokenizer: Tokenizer):
    tokens = tokenizer.index_tokens(f"今年达到{text},同比增长")
    assert "q:" + normalize(text) in tokens


def test_bare_numbers_are_indexed_too():
    assert "1575" in quantities("接待游客1575万人次")
    assert "1575万人次" in quantities("接待游客1575万人次")


def test_question_words_and_stopwords_are_dropped(tokenizer: Tokenizer):
    terms = tokenizer.query("请问云冈石窟今年一共去了多少人呢？")
    assert "云冈石窟" in terms.words
    for word in ("请问", "多少", "呢", "了", "一共"):
        assert word not in terms.words
    assert "b:少人" not in terms.tokens  # no bigram across a question word


def test_chinese_numerals_in_questions_gain_a_digit_reading(tokenizer: Tokenizer):
    assert arabic_numerals("十一月八日几点") == "11月8日几点"
    assert "q:11月8日" in tokenizer.query("十一月八日几点报名").tokens


def test_traditional_question_meets_simplified_text(tokenizer: Tokenizer):
    simplified = set(tokenizer.index_tokens("恒山景区接待游客突破300万人次"))
    traditional = set(tokenizer.query("恆山景區接待遊客多少").tokens)
    assert {"w:恒山", "w:景区", "w:游客"} <= simplified & traditional


def test_user_dictionary_keeps_names_whole(tmp_path):
    userdict = tmp_path / "userdict.txt"
    userdict.write_text("松林坡白族彝族苗族乡 100 ns\n", encoding="utf-8")
    plain = Tokenizer().words(normalize("赫章县松林坡白族彝族苗族乡的香葱"))
    custom = Tokenizer([userdict]).words(normalize("赫章县松林坡白族彝族苗族乡的香葱"))
    assert "松林坡白族彝族苗族乡" in custom and "松林坡白族彝族苗族乡" not in plain


def test_the_tokenizer_loads_and_tags_exactly_as_jieba_does(tmp_path, monkeypatch):
    """The faster dictionary load and the shared word-tag table change nothing jieba decides."""
    import marshal

    import jieba
    from jieba import posseg

    user_dict = tmp_path / "userdict.txt"
    user_dict.write_text("热三期 1000 nz\n云冈文旅 500 nt\n", encoding="utf-8")
    ours = Tokenizer([user_dict], extra_words=["王小明"])

    monkeypatch.setattr(jieba, "marshal", marshal)  # jieba's own way of reading its cache
    plain = jieba.Tokenizer()
    plain.initialize()
    plain.load_userdict(str(user_dict))
    plain.add_word("王小明", freq=20000)
    assert ours._jieba.FREQ == plain.FREQ and ours._jieba.total == plain.total

    parsed: list[str] = []
    monkeypatch.setattr(posseg.POSTokenizer, "load_word_tag", lambda self, f: parsed.append("dict.txt"))
    tagger = ours.pos
    assert parsed == []  # the tags were not parsed again
    monkeypatch.undo()
    reference = posseg.POSTokenizer(plain)  # parses dict.txt itself
    sentences = ["热三期工程投产,云冈文旅集团发布数据", "记者王小明报道:大同市今年接待游客1575万人次", "国务院总理在北京会见外宾"]
    assert [tagger.lcut(s) for s in sentences] == [reference.lcut(s) for s in sentences]
    assert posseg.dt.word_tag_tab.get("热三期") is None  # the global tagger is left as it was


def _jieba_words(cutter, text: str) -> list[str]:
    return [w for w in cutter.cut_for_search(text) if w.strip() and any(ch.isalnum() for ch in w)]


def test_rjieba_cuts_every_paragraph_as_jieba_would(tmp_path):
    """Words are cut by rjieba for speed; on the shipped issue and the other papers, with the
    shipped user dictionary and the bylines' names, every cut is jieba's, in search mode (the
    index and questions) and in default mode (a question's content)."""
    import jieba

    from bot.config import shipped_corpus_dir
    from bot.corpus import load_corpus

    papers = Path(__file__).parent / "data" / "papers"
    for folder in (shipped_corpus_dir(), papers):
        corpus = load_corpus(folder)
        user_dicts = corpus.user_dicts or (shipped_corpus_dir() / "userdict.txt",)
        ours = Tokenizer(user_dicts, extra_words=corpus.reporter_names)
        plain = jieba.Tokenizer()
        plain.initialize()
        for path in user_dicts:
            plain.load_userdict(str(path))
        for name in corpus.reporter_names:
            plain.add_word(normalize(name), freq=20000)
        texts = [normalize(t) for i in corpus.issues for a in i.articles for t in (a.headline, *a.paragraphs)]
        assert len(texts) > 30
        assert [ours.words(t) for t in texts] == [_jieba_words(plain, t) for t in texts]
        assert [ours.cut(t) for t in texts] == [plain.lcut(t) for t in texts]


def test_a_user_dictionary_reaches_both_segmenters_as_jieba_reads_it(tmp_path):
    """A BOM, a word without a frequency (jieba suggests one), a tag, Windows line ends."""
    import jieba

    userdict = tmp_path / "userdict.txt"
    userdict.write_bytes("\ufeff云冈文旅 nt\r\n\r\n热三期 1000 nz\r\n松林坡白族彝族苗族乡\r\n".encode())
    ours = Tokenizer([userdict])
    plain = jieba.Tokenizer()
    plain.initialize()
    plain.load_userdict(str(userdict))
    text = normalize("云冈文旅集团说，热三期和松林坡白族彝族苗族乡的香葱")
    assert ours.words(text) == _jieba_words(plain, text)
    assert {"云冈文旅", "热三期", "松林坡白族彝族苗族乡"} <= set(ours.words(text))


def test_names_added_while_questions_are_cut_in_another_thread():
    """A reload adds bylines' names in its thread while the event loop cuts questions: rjieba
    refuses a change during a cut ("Already borrowed") unless they take turns."""
    import threading

    tokenizer = Tokenizer()
    question = normalize("大同市今年接待游客多少万人次，云冈石窟的门票多少钱？" * 20)
    errors: list[BaseException] = []
    done = threading.Event()

    def cut() -> None:
        while not done.is_set():
            try:
                tokenizer.query(question)
            except BaseException as exc:  # what would reach the question's handler
                errors.append(exc)
                return

    threads = [threading.Thread(target=cut) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        tokenizer.add_words(f"甲乙丙{chr(0x4E00 + n)}" for n in range(300))
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert "甲乙丙一" in tokenizer.words(normalize("记者甲乙丙一报道"))
