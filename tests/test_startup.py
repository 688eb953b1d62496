"""`datong-bot run` as it starts: a data folder it cannot write is a configuration error (exit 2,
one line naming the folder and the fix), the image's `--wait-on-error` waits instead of exiting,
Telegram out of reach is exit 1 (a restart helps), and the start-up warms everything the first
question would load — after a fresh build and after a restart from the saved index alike.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.config import ConfigError, check_data_dir

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:STARTUPtest_secret-0123456789abcdef"
CONFIG_VARS = (
    "TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_TOKEN_FILE", "TELEGRAM_API_BASE_URL", "TELEGRAM_FILE_BASE_URL", "BOT_ADMIN_IDS",
    "CORPUS_DIR", "BOT_DATA_DIR", "LOG_QUESTIONS", "LOG_FORMAT", "WEBHOOK_SECRET_TOKEN",
)  # fmt: skip
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    return env | extra


def unwritable(tmp_path: Path) -> Path:
    """A data folder nobody can create, root included: its parent is a regular file."""
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    return tmp_path / "a-file" / "data"


# -- 5: a data folder the bot cannot write -----------------------------------------------------


def run_with_data_dir(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in CONFIG_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")  # never reached
    code = cli_main(["run"])
    return code, capsys.readouterr().err


def check_one_line(err: str, data_dir: Path) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    line = lines[0]
    assert line.startswith("配置错误 configuration error: BOT_DATA_DIR")
    assert str(data_dir) in line and f"chown -R {os.getuid()}:{os.getgid()} {data_dir}" in line, line


def test_data_dir_that_cannot_be_created_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = unwritable(tmp_path)
    code, err = run_with_data_dir(data_dir, tmp_path, monkeypatch, capsys)
    assert code == 2
    check_one_line(err, data_dir)


@pytest.mark.skipif(AS_ROOT, reason="root writes into a read-only folder anyway (the test above covers root)")
def test_read_only_data_dir_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o555)  # a bind mount that was not chowned to the bot's user
    try:
        code, err = run_with_data_dir(data_dir, tmp_path, monkeypatch, capsys)
    finally:
        data_dir.chmod(0o755)
    assert code == 2
    check_one_line(err, data_dir)
    assert not (data_dir / "stats.sqlite3").exists()


@pytest.mark.skipif(AS_ROOT, reason="root writes into a read-only file anyway")
def test_stats_database_the_bot_cannot_write_is_a_configuration_error(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "stats.sqlite3").write_bytes(b"")
    (data_dir / "stats.sqlite3").chmod(0o444)  # e.g. left by a run as another user
    with pytest.raises(ConfigError, match=r"stats\.sqlite3"):
        check_data_dir(data_dir)


def test_missing_data_dir_is_created(tmp_path: Path) -> None:
    check_data_dir(tmp_path / "new" / "data")
    assert (tmp_path / "new" / "data").is_dir()
    assert list((tmp_path / "new" / "data").iterdir()) == [], "the write test leaves nothing behind"


def waiting_bot(tmp_path: Path, env: dict[str, str]) -> tuple[int, list[str]]:
    """`python -m bot run --wait-on-error`: its stderr lines up to "waiting", then it must still be
    running a second later; SIGTERM; (exit code, every stderr line)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--wait-on-error"], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    lines: list[str] = []
    try:
        while not lines or "waiting for SIGTERM" not in lines[-1]:
            line = process.stderr.readline()
            assert line, "exited instead of waiting:\n" + "\n".join(lines)
            lines.append(line.rstrip("\n"))
        time.sleep(1.0)
        assert process.poll() is None, "exited instead of waiting:\n" + "\n".join(lines)
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, lines + rest.splitlines()


def test_wait_on_error_keeps_the_process_up_until_sigterm(tmp_path: Path) -> None:
    """The image's command: a configuration error is printed, then the process waits (no restart loop)."""
    data_dir = unwritable(tmp_path)
    code, lines = waiting_bot(tmp_path, clean_env(TELEGRAM_BOT_TOKEN=TOKEN, BOT_DATA_DIR=str(data_dir)))
    assert code == 2
    assert len(lines) == 2 and not any("Traceback" in line for line in lines), lines
    assert lines[0].startswith("配置错误 configuration error: BOT_DATA_DIR") and str(data_dir) in lines[0]


def test_missing_token_with_wait_on_error_waits_too(tmp_path: Path) -> None:
    code, lines = waiting_bot(tmp_path, clean_env(BOT_DATA_DIR=str(tmp_path / "d")))
    assert code == 2 and len(lines) == 2 and "TELEGRAM_BOT_TOKEN" in lines[0], lines


def test_telegram_out_of_reach_is_exit_1_so_the_supervisor_restarts(tmp_path: Path) -> None:
    """Exit 2 means "restarting will not help" (RestartPreventExitStatus=2): a network failure at
    start (the host's network not up yet after a boot) must not be one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed once the block ends: connections are refused
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN, BOT_DATA_DIR=str(tmp_path / "data"), TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot"
    )
    done = subprocess.run([sys.executable, "-m", "bot", "run", "--wait-on-error"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=90)  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    assert "cannot reach Telegram" in done.stderr and TOKEN.split(":")[1] not in done.stderr


# -- 6: the first question after a start loads nothing -----------------------------------------

QUESTIONS = (
    "云冈今年去了多少人？",  # the plain case
    "未来大通的发点量能提高到多少？",  # typos: words the corpus lacks are matched by pinyin
    "大气污染防治推进会是十一月几号开的？",  # Chinese numerals: read as digits by cn2an
    "谁出席了秋冬季大气污染防治攻坚推进会？",  # a person: jieba's POS tagger
)

# `run` up to the point where it would start polling, then the questions: which loaders ran and
# which modules were imported while answering them.
STARTED = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import jieba
    from bot import text
    from bot.config import Settings
    from bot.telegram import app as bot_app

    questions, out = json.loads(sys.argv[2]), {}

    def first_questions(application, options, secret):
        index = application.bot_data.serving.index
        out["initialized"] = index.tokenizer.initialized
        loads, before = [], set(sys.modules)
        initialize, tagger = jieba.Tokenizer.initialize, text._TaggerWithTable.__init__

        def spy_initialize(self, *args, **kwargs):
            if not self.initialized:
                loads.append("jieba dictionary")
            return initialize(self, *args, **kwargs)

        def spy_tagger(self, *args, **kwargs):
            loads.append("POS tagger")
            tagger(self, *args, **kwargs)

        jieba.Tokenizer.initialize, text._TaggerWithTable.__init__ = spy_initialize, spy_tagger
        out["outcomes"] = [index.ask(q).outcome for q in questions]
        out["loads"], out["imported"] = loads, sorted(set(sys.modules) - before)

    bot_app.serve = first_questions
    out["code"] = bot_app.run(Settings(token="123456:x" + "a" * 30, data_dir=Path(sys.argv[1])), bot_app.RunOptions())
    print(json.dumps(out))
    """
)


def start_and_ask(data_dir: Path, cwd: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", STARTED, str(data_dir), json.dumps(QUESTIONS)], cwd=cwd, env=clean_env(),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_first_questions_load_nothing_after_a_fresh_build_and_after_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    fresh = start_and_ask(data_dir, tmp_path)
    assert (data_dir / "index").is_dir(), "the first start saves the index"
    restarted = start_and_ask(data_dir, tmp_path)  # this one loads the saved index
    for result in (fresh, restarted):
        assert result["code"] == 0 and result["initialized"] is True
        assert result["loads"] == [], result
        assert result["imported"] == [], f"imported on the first question: {result['imported']}"
        assert result["outcomes"][0] in ("answered", "unsure")


# -- 8: the token from a file (systemd's LoadCredential=, a Docker secret) -------------------------


def test_token_file(tmp_path: Path) -> None:
    from bot.config import Settings

    token_file = tmp_path / "telegram-bot-token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN_FILE": str(token_file)}, dotenv=None, need_token=True)
    assert settings.token == TOKEN
    with pytest.raises(ConfigError, match="not both"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN_FILE": str(token_file), "TELEGRAM_BOT_TOKEN": TOKEN}, dotenv=None)
    with pytest.raises(ConfigError, match="cannot be read") as missing:
        Settings.from_env({"TELEGRAM_BOT_TOKEN_FILE": str(tmp_path / "nope")}, dotenv=None, need_token=True)
    assert missing.value.problems == [missing.value.problems[0]] and str(tmp_path / "nope") in missing.value.problems[0]
    token_file.write_text("\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is empty"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN_FILE": str(token_file)}, dotenv=None, need_token=True)
