"""`datong-bot run` as it starts: the start-up warms everything the first question would load —
after a fresh build and after a restart from the saved index alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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
