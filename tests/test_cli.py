"""The console: the JSON contract, stdin batches, check and eval — run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.config import shipped_corpus_dir
from bot.decide import ANSWERED
from bot.evaluate import evaluate, read_questions, wilson_interval
from bot.health import Heartbeat
from bot.index import Index

DATA = Path(__file__).parent / "data"


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None):
    environment = {**os.environ, **(env or {})}
    environment.pop("CORPUS_DIR", None) if env is None or "CORPUS_DIR" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=cwd,
        timeout=120,
    )


def test_ask_json_contract(tmp_path: Path, index: Index):
    out = run("ask", "--json", "--top", "2", "云冈今年去了多少人？", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    row = json.loads(out.stdout)
    assert set(row) == {"question", "answered", "results"}
    # The console says what the core decides (the calibrated model may hedge it: see README).
    assert row["question"] == "云冈今年去了多少人？"
    assert row["answered"] is (index.ask("云冈今年去了多少人？").outcome == ANSWERED)
    assert 1 <= len(row["results"]) <= 2
    first = row["results"][0]
    assert set(first) == {"headline", "passage", "score", "paper", "date", "article", "paragraph"}
    assert isinstance(first["score"], float) and isinstance(first["article"], int)
    assert isinstance(first["paragraph"], int)
    assert first["date"] == "2024-11-02" and first["paper"] == "大同日报"
    assert "1575万人次" in first["passage"]
    scores = [r["score"] for r in row["results"]]
    assert scores == sorted(scores, reverse=True) or row["answered"]  # best first


def test_ask_stdin_one_object_per_line_unsure_keeps_results():
    out = run("ask", "--json", "-", stdin="云冈石窟门票多少钱\n\n明年春节放几天假\n天镇县80米高度的年平均风速是多少？\n")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["question"] for r in rows] == ["云冈石窟门票多少钱", "明年春节放几天假", "天镇县80米高度的年平均风速是多少？"]
    assert rows[0]["answered"] is False and rows[0]["results"]
    assert rows[1]["answered"] is False
    assert rows[2]["answered"] is True and "5.76米/秒" in rows[2]["results"][0]["passage"]


def test_ask_prints_the_reply_with_the_answer_marked():
    out = run("ask", "天镇县的年平均风速是多少？")
    assert out.returncode == 0, out.stderr
    assert "天镇县风光无限" in out.stdout and "大同日报 2024-11-02" in out.stdout
    assert "【" in out.stdout and "5.76米/秒" in out.stdout.split("【", 1)[1].split("】", 1)[0]


def test_corpus_option_and_env_point_at_another_folder():
    out = run("ask", "--json", "--corpus", str(DATA / "papers"), "比萨斜塔拯救工程哪年开始")
    assert json.loads(out.stdout)["results"][0]["paper"] == "renmin-ribao"
    out = run("ask", "--json", "比萨斜塔拯救工程哪年开始", env={"CORPUS_DIR": str(DATA / "papers")})
    assert json.loads(out.stdout)["results"][0]["date"].startswith("2001")


def test_ask_reads_corpus_dir_from_a_dotenv_file_as_run_does(tmp_path: Path):
    """CORPUS_DIR comes from the environment, else .env, as for `run`; --corpus wins over both."""
    (tmp_path / ".env").write_text(f"CORPUS_DIR={DATA / 'papers'}\n", encoding="utf-8")
    out = run("ask", "--json", "比萨斜塔拯救工程哪年开始", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["results"][0]["paper"] == "renmin-ribao"
    out = run("ask", "--json", "--corpus", str(shipped_corpus_dir()), "云冈今年去了多少人？", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["results"][0]["paper"] == "大同日报"


def test_environment_wins_over_dotenv_and_unrelated_bad_variables_do_not_matter(tmp_path: Path):
    (tmp_path / ".env").write_text(f"CORPUS_DIR={tmp_path / 'missing'}\nLOG_FORMAT=xml\nBOT_ADMIN_IDS=alice\n", encoding="utf-8")
    env = {"CORPUS_DIR": str(DATA / "papers"), "TELEGRAM_BOT_TOKEN": "not-a-token", "TELEGRAM_API_BASE_URL": "ftp://x"}
    out = run("ask", "--json", "比萨斜塔拯救工程哪年开始", env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["results"][0]["paper"] == "renmin-ribao"


def test_a_bad_corpus_dir_is_a_configuration_error_unless_the_flag_overrides_it(tmp_path: Path):
    env = {"CORPUS_DIR": str(tmp_path / "missing")}
    out = run("ask", "问题", env=env, cwd=tmp_path)
    assert out.returncode == 2 and "CORPUS_DIR" in out.stderr and not out.stdout
    out = run("ask", "--json", "--corpus", str(DATA / "papers"), "比萨斜塔拯救工程哪年开始", env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr


def test_health_reads_bot_data_dir_from_a_dotenv_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_DATA_DIR", raising=False)
    monkeypatch.setenv("LOG_FORMAT", "xml")  # not health's business
    (tmp_path / ".env").write_text("BOT_DATA_DIR=elsewhere\n", encoding="utf-8")
    Heartbeat(tmp_path / "elsewhere", lambda: "v1").write()  # never reached Telegram: unhealthy, but found
    assert cli_main(["health"]) == 1
    assert "no status file" not in capsys.readouterr().out
    assert cli_main(["health", "--data-dir", str(tmp_path / "nowhere")]) == 1
    assert "no status file" in capsys.readouterr().out


def test_broken_corpus_folder_is_an_error_naming_the_file(tmp_path: Path):
    (tmp_path / "bad-paper-2024-01-01.txt").write_bytes(b"\x00\x01\x02" * 100)
    out = run("ask", "--corpus", str(tmp_path), "问题")
    assert out.returncode == 2
    assert "bad-paper-2024-01-01.txt" in out.stderr


def test_check_prints_outline_and_fails_on_bad_files(tmp_path: Path):
    good = run("check")
    assert good.returncode == 0, good.stdout
    assert "10 篇" not in good.stdout and "12 篇，36 段" in good.stdout
    assert "[图片]" in good.stdout and "副题：" in good.stdout
    (tmp_path / "empty-paper-2024-01-01.txt").write_text("", encoding="utf-8")
    bad = run("check", str(tmp_path), str(DATA / "papers"))
    assert bad.returncode == 1
    assert "empty-paper-2024-01-01.txt" in bad.stdout and "renmin-ribao-2001-06-06.txt" in bad.stdout


def test_a_reader_that_goes_away_is_no_error():
    """`datong-bot ask --json - < many | head -1`: the pipe closes early; no traceback, exit 0."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write("天镇县的年平均风速是多少？\n".encode() * 300)  # far more answer than a pipe holds
    proc.stdin.close()
    proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_eval_command_prints_the_table():
    out = run("eval", str(DATA / "questions" / "datong-daily-2024-11-02.jsonl"))
    assert out.returncode == 0, out.stderr
    assert "top-1" in out.stdout and "abstention on unanswerable" in out.stdout and "confusion:" in out.stdout


def test_eval_counts_what_people_meet(index: Index, tmp_path: Path):
    """Each question lands in exactly one of right / wrong / hedged / nothing; folds filter."""
    rows = [
        {"question": "天镇县80米高度的年平均风速是多少？", "kind": "direct", "answer": "5.76米/秒", "fold": "dev"},
        {"question": "天镇县80米高度的年平均风速是多少？", "kind": "direct", "answer": "这段话报上没有", "fold": "test"},
        {"question": "明天天气怎么样", "kind": "off-topic", "answer": None, "fold": "test"},
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = evaluate(index, read_questions(path))
    direct = report.kinds["direct"]
    assert (direct.n, direct.right, direct.wrong) == (2, 1, 1)
    assert report.precision == 0.5 and report.confident_wrong == 1
    assert report.answered_right == 0.5
    for tally in report.kinds.values():
        assert tally.right + tally.wrong + tally.hedged + tally.nothing == tally.n
    assert [q.fold for q in read_questions(path, fold="test")] == ["test", "test"]
    assert any(line.startswith("precision of confident answers: 0.500") for line in report.lines())
    low, high = wilson_interval(1, 2)
    assert f"1 confidently wrong of 2; 95% interval {low:.3f}–{high:.3f}" in "\n".join(report.lines())


def test_the_precisions_interval_holds_the_share_and_narrows_as_answers_grow():
    """The Wilson interval: 165 answers with 6 wrong neither show nor rule out 97%; ten times as many
    answers at the same share narrow it about threefold."""
    low, high = wilson_interval(159, 165)
    assert round(low, 3) == 0.923 and round(high, 3) == 0.983 and low < 0.97 < high
    low10, high10 = wilson_interval(1590, 1650)
    assert low10 < 159 / 165 < high10 and 2.8 < (high - low) / (high10 - low10) < 3.4
    assert wilson_interval(10, 10)[1] == 1.0 and 0.7 < wilson_interval(10, 10)[0] < 0.75
    assert wilson_interval(0, 0) == (0.0, 1.0) and wilson_interval(0, 5)[0] == 0.0


# -- quality floors on our own question sets ---------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "questions", "top1", "abstention", "answered"),
    [
        # The calibrated decision answers 0.45 of the shipped set and 0.33 of the other papers':
        # its cut-off keeps confident answers right 97% of the time on held-out newspaper
        # questions, and hedges the rest. (These floors were 0.70 at the cut-off 0.92, 0.65 and
        # 0.60 at 0.94; 25 sets, among them pages of papers the model had not seen answered 87-100%
        # precisely at 0.94 and 0.95, moved it to 0.96, 0.55 and 0.50; the question's phrases,
        # weighed in ranking and in the decision, to 0.95, 0.60 and 0.50; the signals of a total,
        # a winner and an ending asked back to 0.94; the kinds asked read closer, to 0.93; a
        # twenty-fourth set, then the stricter of the rule by article and by set, back to 0.94;
        # papers-dev28 to dev33 to 0.95; papers-dev35 and dev37 to 0.99 (by set), and the signal of
        # a question asking whether something is done yet back to 0.95; papers-dev36, three sure
        # wrong answers of twelve on a paper the model had not seen, to 0.98, 0.40 and 0.30;
        # papers-dev38, none wrong of seven unseen, back to 0.96; an answer of citizens-dev30 that
        # the lead gives too, to 0.95, 0.60 and 0.60; papers-dev34, two wrong of nine unseen, to
        # 0.96, 0.55 and 0.55; papers-dev39, two wrong of eleven unseen, to 0.98, 0.40 and 0.30.)
        ("index", "datong-daily-2024-11-02.jsonl", 0.95, 0.90, 0.40),
        ("papers_index", "other-papers.jsonl", 0.90, 0.80, 0.30),
    ],
)
def test_quality_floors(request, fixture: str, questions: str, top1: float, abstention: float, answered: float):
    index: Index = request.getfixturevalue(fixture)
    report = evaluate(index, read_questions(DATA / "questions" / questions))
    assert report.top1 >= top1, "\n".join(report.lines())
    assert report.answered_right >= answered, "\n".join(report.lines())
    assert report.recall3 >= 0.95, "\n".join(report.lines())
    assert report.abstention >= abstention, "\n".join(report.lines())
    assert report.confusion["answerable: answered, wrong paragraph"] == 0, "\n".join(report.failures)


# -- what the console understands besides questions (bot.intents, through bot.front) ------------


def test_ask_json_reports_each_intent():
    lines = [
        "你好",
        "谢谢！",
        "你是谁",
        "再见",
        "How many tourists visited Yungang this year?",
        "今天的报纸有什么新闻",
        "昨天的报纸",
        "「我市能源赛道结出累累硕果」讲了什么？",
        "你好，请问天镇县的年平均风速是多少？",
        "IDC",
    ]
    out = run("ask", "--json", "-", stdin="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    rows = {r["question"]: r for r in map(json.loads, out.stdout.splitlines())}
    assert list(rows) == lines
    intents = {q: r.get("intent") for q, r in rows.items()}
    assert intents == {
        "你好": "greeting",
        "谢谢！": "thanks",
        "你是谁": "who",
        "再见": "goodbye",
        "How many tourists visited Yungang this year?": "other_language",
        "今天的报纸有什么新闻": "issue_contents",
        "昨天的报纸": "issue_contents",
        "「我市能源赛道结出累累硕果」讲了什么？": "article_says",
        "你好，请问天镇县的年平均风速是多少？": None,  # a question: the search, its contract unchanged
        "IDC": None,  # a word of the paper
    }
    for q in ("你好", "谢谢！", "你是谁", "再见", "How many tourists visited Yungang this year?"):
        assert rows[q]["answered"] is False and rows[q]["results"] == [] and rows[q]["reply"]
    assert "大同日报" in rows["你好"]["reply"] and "Chinese" in rows["How many tourists visited Yungang this year?"]["reply"]
    news = rows["今天的报纸有什么新闻"]
    assert news["answered"] is True and len(news["results"]) == 12 and news["results"][0]["paragraph"] == 1
    assert "2024-11-01" in rows["昨天的报纸"]["reply"]
    article = rows["「我市能源赛道结出累累硕果」讲了什么？"]
    assert article["answered"] is True and len(article["results"]) == 1
    assert article["results"][0]["headline"] == "我市能源赛道结出累累硕果" and article["results"][0]["paragraph"] == 1
    wind = rows["你好，请问天镇县的年平均风速是多少？"]
    assert set(wind) == {"question", "answered", "results"} and wind["answered"] is True
    assert "5.76米/秒" in wind["results"][0]["passage"]


def test_ask_and_chat_print_the_intent_replies():
    out = run("ask", "你好")
    assert out.returncode == 0 and "大同日报" in out.stdout and "报纸上没有找到" not in out.stdout
    out = run("ask", "今天的报纸有什么新闻")
    assert "大同日报 2024-11-02，共12篇" in out.stdout and "1. 我市能源赛道结出累累硕果" in out.stdout
    out = run("ask", "我市能源赛道结出累累硕果那篇说了啥")
    assert "《我市能源赛道结出累累硕果》" in out.stdout and "不太确定" not in out.stdout
    out = run("ask", "How many tourists visited Yungang this year?")
    assert "Chinese" in out.stdout and "中文" in out.stdout
    out = run("chat", stdin="谢谢\n关于我市能源赛道结出累累硕果的报道\n")
    assert out.returncode == 0, out.stderr
    assert "不客气" in out.stdout and "《我市能源赛道结出累累硕果》" in out.stdout
