"""Configuration from environment variables (and an optional `.env` file), validated at start.

The variable names are a contract with deployments and tools: keep them.
"""

from __future__ import annotations

import importlib.util
import os
import re
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from dotenv import dotenv_values

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_FILE_BASE_URL = "https://api.telegram.org/file/bot"
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
DEFAULT_WATCH_INTERVAL = 10.0  # seconds between looks at CORPUS_DIR (WATCH_INTERVAL; 0 turns the watcher off)


class ConfigError(Exception):
    """Every problem with the configuration, one per line, each naming the variable."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def shipped_corpus_dir() -> Path:
    """The issue files packaged with the code (the repo's `corpus/`, installed as `bot.shipped`)."""
    spec = importlib.util.find_spec("bot.shipped")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if Path(location).is_dir():
                return Path(location)
    return Path(__file__).resolve().parent.parent / "corpus"


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    api_base_url: str = DEFAULT_API_BASE_URL
    file_base_url: str = DEFAULT_FILE_BASE_URL
    admin_ids: frozenset[int] = frozenset()
    corpus_dir: Path | None = None  # None: the shipped issue, read-only
    data_dir: Path = Path("data")
    data_dir_set: bool = False  # BOT_DATA_DIR was given (else data_dir is the default)
    log_questions: bool = False
    log_format: str = "text"
    webhook_secret: str | None = field(default=None, repr=False)
    # Seconds between looks at CORPUS_DIR for added or changed files. 0 (the default when built in
    # code, as the tests do) watches nothing; `from_env` gives DEFAULT_WATCH_INTERVAL.
    watch_interval: float = 0.0

    @property
    def corpus_path(self) -> Path:
        return self.corpus_dir if self.corpus_dir is not None else shipped_corpus_dir()

    @property
    def corpus_writable(self) -> bool:
        return self.corpus_dir is not None

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        dotenv: str | Path | None = ".env",
        need_token: bool = False,
        only: Collection[str] | None = None,
    ) -> Settings:
        """Read and check the variables; raises ConfigError naming each missing or bad one.

        The environment wins over the `.env` file. `only` names the variables a command needs:
        the others are neither read nor checked and keep their defaults (a bad LOG_FORMAT is no
        business of `datong-bot ask`).
        """
        values: dict[str, str] = {}
        if dotenv is not None and Path(dotenv).is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if env is None else env)
        if only is not None:
            values = {k: v for k, v in values.items() if k in only}
        problems: list[str] = []

        token = _token(values, problems)
        if need_token and token is None and not problems:
            problems.append("TELEGRAM_BOT_TOKEN 未设置 (is not set): get one from @BotFather")
        elif token is not None and not TOKEN_PATTERN.match(token):
            problems.append("TELEGRAM_BOT_TOKEN 格式不对 (does not look like 123456:ABC…)")

        urls = {}
        for name, default in (("TELEGRAM_API_BASE_URL", DEFAULT_API_BASE_URL), ("TELEGRAM_FILE_BASE_URL", DEFAULT_FILE_BASE_URL)):
            url = values.get(name, "").strip() or default
            if not re.match(r"^https?://[^\s/]+", url):
                problems.append(f"{name} 必须是 http(s) 地址 (must be an http(s) URL): {url!r}")
            urls[name] = url

        admin_ids = _admin_ids(values.get("BOT_ADMIN_IDS", ""), problems)

        corpus_dir = values.get("CORPUS_DIR", "").strip() or None
        if corpus_dir is not None and not Path(corpus_dir).is_dir():
            problems.append(f"CORPUS_DIR 不是目录 (is not a folder): {corpus_dir}")

        log_format = values.get("LOG_FORMAT", "text").strip().lower() or "text"
        if log_format not in ("text", "json"):
            problems.append(f"LOG_FORMAT 只能是 text 或 json (must be text or json): {log_format!r}")

        watch_interval = _watch_interval(values.get("WATCH_INTERVAL", ""), problems)

        if problems:
            raise ConfigError(problems)
        return cls(
            token=token,
            api_base_url=urls["TELEGRAM_API_BASE_URL"],
            file_base_url=urls["TELEGRAM_FILE_BASE_URL"],
            admin_ids=frozenset(admin_ids),
            corpus_dir=Path(corpus_dir) if corpus_dir else None,
            data_dir=Path(values.get("BOT_DATA_DIR", "").strip() or "data"),
            data_dir_set=bool(values.get("BOT_DATA_DIR", "").strip()),
            log_questions=values.get("LOG_QUESTIONS", "").strip().lower() in ("1", "true", "yes"),
            log_format=log_format,
            webhook_secret=values.get("WEBHOOK_SECRET_TOKEN", "").strip() or None,
            watch_interval=watch_interval,
        )


DATA_FILES = ("stats.sqlite3", "stats.sqlite3-wal", "stats.sqlite3-shm", "status.json", "index")


def console_data_dir(settings: Settings) -> Path:
    """Where the console keeps its saved indexes: BOT_DATA_DIR when set (the bot's, shared with
    it); else `./data` when the bot has used it here (`run`'s default); else the user's cache
    folder (`~/.cache/datong-bot` on Linux), so trying the console leaves nothing where it ran."""
    if settings.data_dir_set:
        return settings.data_dir
    if any((settings.data_dir / name).exists() for name in DATA_FILES):
        return settings.data_dir
    return platformdirs.user_cache_path("datong-bot")


def check_data_dir(data_dir: Path) -> None:
    """BOT_DATA_DIR is a folder the bot can write: created if missing, then a file is made and
    removed in it, and what the bot keeps there (stats, status, index) must be writable too.
    ConfigError otherwise, one line with the fix: the folder belongs to the user the bot runs as."""
    target = data_dir
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-test-"):
            pass
        for name in DATA_FILES:
            target = data_dir / name
            if target.exists() and not os.access(target, os.W_OK):
                raise PermissionError(13, os.strerror(13), str(target))
    except OSError as exc:
        uid, gid = os.getuid(), os.getgid()
        raise ConfigError(
            [
                f"BOT_DATA_DIR 不可写 (the bot cannot write {target}: {exc.strerror or exc}); "
                f"fix: chown -R {uid}:{gid} {data_dir} (the bot runs as uid {uid}) or set BOT_DATA_DIR to a writable folder"
            ]
        ) from None


def _token(values: Mapping[str, str], problems: list[str]) -> str | None:
    """TELEGRAM_BOT_TOKEN, or the content of the file TELEGRAM_BOT_TOKEN_FILE names (a systemd
    credential, a Docker secret): the token then never is in the environment or an env file."""
    token = values.get("TELEGRAM_BOT_TOKEN", "").strip() or None
    path = values.get("TELEGRAM_BOT_TOKEN_FILE", "").strip() or None
    if path is None:
        return token
    if token is not None:
        problems.append("TELEGRAM_BOT_TOKEN 和 TELEGRAM_BOT_TOKEN_FILE 只能设一个 (set one of them, not both)")
        return None
    try:
        token = Path(path).read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeError) as exc:
        problems.append(f"TELEGRAM_BOT_TOKEN_FILE 读不了 (cannot be read): {path}: {getattr(exc, 'strerror', None) or exc}")
        return None
    if token is None:
        problems.append(f"TELEGRAM_BOT_TOKEN_FILE 是空的 (is empty): {path}")
    return token


def _watch_interval(text: str, problems: list[str]) -> float:
    """WATCH_INTERVAL in seconds (unset: DEFAULT_WATCH_INTERVAL; 0: no watching)."""
    text = text.strip()
    if not text:
        return DEFAULT_WATCH_INTERVAL
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86400:  # NaN fails this too
        problems.append(f"WATCH_INTERVAL 必须是 0–86400 的秒数，0 表示不监视 (seconds, 0 turns it off): {text!r}")
        return 0.0
    return seconds


def _admin_ids(text: str, problems: list[str]) -> set[int]:
    """BOT_ADMIN_IDS as user ids; each part that is not one is a problem named."""
    ids: set[int] = set()
    for part in re.split(r"[\s,]+", text.strip()):
        if re.fullmatch(r"-?\d+", part):
            ids.add(int(part))
        elif part:
            problems.append(f"BOT_ADMIN_IDS 只能是逗号分隔的数字用户 id (comma-separated numeric user ids): {part!r}")
    return ids
