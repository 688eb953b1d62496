"""Deployment: the files in deploy/ agree with the README and the code, and the real bot, started
as `python -m bot run` against the Bot API emulator, stops cleanly, reports its health and logs
without the token (or the question, unless asked to).

Docker cannot run here, so the Dockerfile is read: its install line must be the README's
`pip install .`, and that very command is run in a fresh venv (the slow test below, ~30 s).
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from botapi import BotAPIEmulator
from dotenv import dotenv_values

from bot.cli import build_parser
from bot.cli import main as cli_main
from bot.config import Settings
from bot.health import STATUS_FILE, Heartbeat, check_health

pytestmark = pytest.mark.timeout(240)

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
UNIT = DEPLOY / "datong-bot.service"

TOKEN = "123456:DEPLOYtest_secret-0123456789abcdef"
SECRET = TOKEN.split(":", 1)[1]
QUESTION = "云冈今年去了多少人？"
NOTHING = "火星上有没有水？"
CONFIG_VARS = (
    "TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_TOKEN_FILE", "TELEGRAM_API_BASE_URL", "TELEGRAM_FILE_BASE_URL", "BOT_ADMIN_IDS",
    "CORPUS_DIR", "BOT_DATA_DIR", "LOG_QUESTIONS", "LOG_FORMAT", "WEBHOOK_SECRET_TOKEN", "WATCH_INTERVAL",
)  # fmt: skip
SET_BY_DEPLOYMENT = ("TELEGRAM_BOT_TOKEN_FILE", "CORPUS_DIR", "BOT_DATA_DIR")  # by compose.yaml / the unit
STARTUP = 40.0  # seconds for the bot to load the corpus and start polling (about 4 here)


# -- reading the deployment files -------------------------------------------------------------


def dockerfile(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs: comments dropped, continuation lines joined."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # Docker drops comment lines inside continuations too
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, rest = (pending + line).partition(" ")
        out.append((keyword.upper(), rest.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return out


def args_of(instructions: list[tuple[str, str]], keyword: str) -> list[str]:
    return [rest for kw, rest in instructions if kw == keyword]


def exec_form(rest: str) -> list[str]:
    assert rest.startswith("["), f"use the exec form (JSON array) so signals reach the bot: {rest}"
    return json.loads(rest)


def shell_commands(script: str) -> list[list[str]]:
    """A RUN line split into its simple commands (at &&, || and ;)."""
    commands: list[list[str]] = [[]]
    lexer = shlex.shlex(script, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    for token in lexer:
        if token in ("&&", "||", ";"):
            commands.append([])
        else:
            commands[-1].append(token)
    return [c for c in commands if c]


def pip_installs(commands: list[list[str]]) -> list[list[str]]:
    """The `pip install …` commands (also `python -m pip install …`), from `install` on."""
    found = []
    for command in commands:
        words = [Path(w).name for w in command]
        for i, word in enumerate(words):
            if word in ("pip", "pip3") or (word == "-m" and i + 1 < len(words) and words[i + 1] in ("pip", "pip3")):
                j = i + 1 if word != "-m" else i + 2
                if j < len(words) and command[j] == "install":
                    found.append(command[j:])
                break
    return found


def env_of(instructions: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for rest in args_of(instructions, "ENV"):
        for pair in shlex.split(rest):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def readme_shell_commands(path: Path) -> list[list[str]]:
    """Every simple command in the ```sh blocks of a README."""
    commands = []
    for block in re.findall(r"```(?:sh|bash)\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #", 1)[0].strip()
            if line and not line.startswith("#"):
                commands.extend(shell_commands(line))
    return [unsudo(c) for c in commands]


def unsudo(command: list[str]) -> list[str]:
    """The command that `sudo [-u user] …` runs."""
    if command[:1] != ["sudo"]:
        return command
    rest = command[1:]
    while rest and rest[0].startswith("-"):
        rest = rest[2:] if rest[0] in ("-u", "-g") else rest[1:]
    return rest


def unit_file(path: Path = UNIT) -> dict[str, list[tuple[str, str]]]:
    """systemd's syntax: [Section]s of Key=Value lines, keys may repeat, # and ; comment."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        assert current is not None, f"line {number} is outside any section: {raw}"
        assert "=" in line, f"line {number} is not Key=Value: {raw}"
        key, _, value = line.partition("=")
        current.append((key.strip(), value.strip()))
    return sections


def values(section: list[tuple[str, str]], key: str) -> list[str]:
    return [v for k, v in section if k == key]


# -- Dockerfile, unit and README install and start the bot the same way -----------------------


LOCK = DEPLOY / "requirements.lock"
LOCK_INSTALL = ["install", "--require-hashes", "-r", "deploy/requirements.lock"]
PROJECT_INSTALL = ["install", "--no-deps", "--no-build-isolation", "."]


def test_readme_and_deploy_files_install_the_lock_then_pip_install_dot() -> None:
    """The image and the server install the locked dependencies (exact versions, hashes), then the
    package as the README does (`pip install .`) with nothing else."""
    instructions = dockerfile()
    docker_installs = [i for rest in args_of(instructions, "RUN") for i in pip_installs(shell_commands(rest))]
    readme_installs = [i for i in pip_installs(readme_shell_commands(ROOT / "README.md")) if "-e" not in i]
    deploy_installs = pip_installs(readme_shell_commands(DEPLOY / "README.md"))

    assert readme_installs == [["install", "."]], readme_installs
    assert docker_installs == [LOCK_INSTALL, PROJECT_INSTALL], docker_installs
    locked = [i for i in deploy_installs if i[:2] == ["install", "--require-hashes"]]
    assert locked and all(i[-1].endswith("deploy/requirements.lock") for i in locked), deploy_installs
    assert all(i in locked or i[-1] == "." for i in deploy_installs), deploy_installs
    assert instructions[0] == ("FROM", "python:3.11-slim")


def test_lock_file_pins_every_dependency_with_hashes() -> None:
    """deploy/requirements.lock is pip-compile's output for pyproject.toml, with hashes."""
    text = LOCK.read_text(encoding="utf-8")
    assert "pip-compile" in text and "--generate-hashes" in text and "pyproject.toml" in text
    pins = re.findall(r"^([a-z0-9._-]+)==(\S+) \\$", text, re.M)
    names = {name for name, _ in pins}
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^dependencies = \[(.*?)^\]", pyproject, re.S | re.M).group(1)
    wanted = {re.split(r"[<>=\[ ]", d)[0].lower() for d in re.findall(r'^\s*"([^"]+)"', block, re.M)}
    assert wanted <= names, f"not in the lock: {sorted(wanted - names)}"
    assert "setuptools" in names, "the build backend is locked too (the image builds with --no-build-isolation)"
    for name, _ in pins:
        entry = text.split(f"\n{name}==", 1)[1].split("\n# via", 1)[0].split("    # via", 1)[0]
        assert "--hash=sha256:" in entry, f"{name} has no hash"


def test_entry_points_are_the_packaged_script() -> None:
    instructions = dockerfile()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^\[project\.scripts\]\ndatong-bot = "bot\.cli:main"$', pyproject, re.M)

    (cmd,) = args_of(instructions, "CMD")
    assert exec_form(cmd) == ["datong-bot", "run", "--wait-on-error"]
    assert not args_of(instructions, "ENTRYPOINT")
    (healthcheck,) = args_of(instructions, "HEALTHCHECK")
    options, _, command = healthcheck.partition(" CMD ")
    assert exec_form(command.strip()) == ["datong-bot", "health"]
    assert "--interval=" in options and "--start-period=" in options

    service = unit_file()["Service"]
    (exec_start,) = values(service, "ExecStart")
    program, *arguments = shlex.split(exec_start)
    assert Path(program).name == "datong-bot" and arguments == ["run"]
    venv = Path(program).parent.parent
    server = [c for c in readme_shell_commands(DEPLOY / "README.md") if c[:2] == [f"{venv}/bin/pip", "install"]]
    assert server and server[-1][-1] == ".", "deploy/README.md must install into the venv the unit runs from"
    # what the image and the unit start exists as subcommands
    assert build_parser().parse_args(["run"]).command == "run"
    assert build_parser().parse_args(["run", "--wait-on-error"]).wait_on_error is True
    assert build_parser().parse_args(["health"]).command == "health"


def test_dockerfile_runs_as_non_root_with_volumes_and_a_warm_jieba_cache() -> None:
    instructions = dockerfile()
    keywords = [kw for kw, _ in instructions]
    env = env_of(instructions)

    (user,) = args_of(instructions, "USER")
    # numeric uid:gid (Kubernetes' runAsNonRoot cannot check a name), not root, and the user created
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and gid.isdigit() and int(uid) != 0, f"USER must be a numeric non-root uid:gid, not {user}"
    (created,) = [rest for rest in args_of(instructions, "RUN") if "useradd" in rest]
    assert f"--uid {uid}" in created and f"--gid {gid}" in created
    (volume,) = args_of(instructions, "VOLUME")
    assert sorted(exec_form(volume)) == sorted([env["BOT_DATA_DIR"], env["CORPUS_DIR"]])
    copies = [shlex.split(rest) for rest in args_of(instructions, "COPY")]
    corpus_copies = [words for words in copies if words[-1].rstrip("/") == env["CORPUS_DIR"]]
    assert [[a for a in c if not a.startswith("--")][:-1] for c in corpus_copies] == [["corpus/"]], (
        "the shipped corpus must be the default content of CORPUS_DIR"
    )
    assert any(a.startswith("--chown=") for a in corpus_copies[0]), "the bot must be able to add issues to its corpus"

    # jieba writes its cache to tempfile.gettempdir(), i.e. $TMPDIR: the warm-up runs as the bot's
    # user after TMPDIR is set, and checks the cache file where the running bot will look for it.
    warm = [i for i, (kw, rest) in enumerate(instructions) if kw == "RUN" and "datong-bot ask" in rest]
    assert len(warm) == 1 and warm[0] > keywords.index("USER")
    assert f"test -s {env['TMPDIR']}/jieba.cache" in instructions[warm[0]][1]
    tmpdir_set = min(i for i, (kw, rest) in enumerate(instructions) if kw == "ENV" and "TMPDIR=" in rest)
    assert tmpdir_set < warm[0]
    assert keywords.index("VOLUME") > warm[0], "a RUN after VOLUME cannot change the volume's default content"

    # .dockerignore keeps the context to what is copied: never .venv, .git or a .env with the token.
    ignore = [w for w in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines() if w and w[0] != "#"]
    assert ignore[0] == "*", "the context is an allow-list: everything is excluded first"
    for rest in args_of(instructions, "COPY"):
        for source in [a for a in shlex.split(rest) if not a.startswith("--")][:-1]:
            assert "!" + source.rstrip("/") in ignore, f"{source} is copied but excluded by .dockerignore"


def test_compose_file_uses_the_image_volumes_env_file_and_restart_policy() -> None:
    compose = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    live = "\n".join(line for line in compose.splitlines() if not line.lstrip().startswith("#"))
    env = env_of(dockerfile())
    assert re.search(r"^\s+dockerfile: deploy/Dockerfile\b", live, re.M)
    assert re.search(r"^\s+env_file: \.env\b", live, re.M)
    assert re.search(r"^\s+restart: (unless-stopped|always|on-failure)\b", live, re.M)
    for name in ("BOT_DATA_DIR", "CORPUS_DIR"):
        assert re.search(rf"^\s+- \w+:{re.escape(env[name])}(\s|$)", live, re.M), f"no volume at {env[name]}"
        assert re.search(rf"^\s+{name}: {re.escape(env[name])}$", live, re.M)
    # the webhook variant, commented out: the bot's own flags, TLS by Caddy, the secret token
    for needle in ("--webhook-url", "--port", "WEBHOOK_SECRET_TOKEN", "caddy", "reverse_proxy bot:8443"):
        assert needle in compose


def test_env_example_lists_every_variable_the_code_reads(tmp_path: Path) -> None:
    path = DEPLOY / "env.example"
    lines = path.read_text(encoding="utf-8").splitlines()
    example = dotenv_values(path)
    # what compose.yaml and the unit set stays commented out: systemd's EnvironmentFile= would override the unit
    assert list(example) == [name for name in CONFIG_VARS if name not in SET_BY_DEPLOYMENT]
    for name in CONFIG_VARS:
        at = next(i for i, line in enumerate(lines) if line.startswith((f"{name}=", f"# {name}=")))
        assert lines[at - 1].startswith("# ") and len(lines[at - 1]) > 20, f"{name} needs a one-line comment above it"

    read_by_code = set()
    telegram = sorted(str(p.relative_to(ROOT / "bot")) for p in (ROOT / "bot" / "telegram").glob("*.py"))
    for module in ("config.py", "cli.py", *telegram, "health.py", "logs.py"):
        tree = ast.parse((ROOT / "bot" / module).read_text(encoding="utf-8"))
        read_by_code |= {
            node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", node.value)
        }  # fmt: skip
    assert read_by_code <= set(CONFIG_VARS), f"not in env.example: {sorted(read_by_code - set(CONFIG_VARS))}"

    # the example, once filled in, is a valid configuration
    filled = {k: v or "" for k, v in example.items()} | {"TELEGRAM_BOT_TOKEN": TOKEN, "CORPUS_DIR": str(tmp_path)}
    settings = Settings.from_env(filled, dotenv=None, need_token=True)
    assert settings.log_format == "text" and not settings.log_questions and settings.admin_ids == frozenset()


def test_systemd_unit_sections_keys_and_hardening() -> None:
    unit = unit_file()
    assert set(unit) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    for key in ("Description", "After"):
        assert values(unit["Unit"], key), key
    assert "multi-user.target" in values(unit["Install"], "WantedBy")
    for key, wanted in {
        "Restart": "on-failure", "NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
        "ProtectHome": "yes", "PrivateDevices": "yes", "ProtectKernelTunables": "yes", "ProtectControlGroups": "yes",
        "RestrictSUIDSGID": "yes", "KillSignal": "SIGTERM", "MemoryDenyWriteExecute": "yes", "ProcSubset": "pid",
        "PrivateUsers": "yes", "UMask": "0077", "DevicePolicy": "closed",
    }.items():  # fmt: skip
        assert values(service, key) == [wanted], key
    user = values(service, "User")
    assert user and user[0] not in ("root", "0")
    assert values(service, "EnvironmentFile") == ["/etc/datong-bot/env"]
    assert values(service, "RestartPreventExitStatus") == ["2"], "exit 2 is a configuration error: don't loop"
    (stop,) = values(service, "TimeoutStopSec")
    assert 10 <= int(stop.rstrip("s")) <= 90

    environment = dict(v.split("=", 1) for v in values(service, "Environment"))
    # the token comes as a credential (LoadCredential=, read by systemd as root), never from the environment
    (credential,) = values(service, "LoadCredential")
    name, _, source = credential.partition(":")
    assert source == "/etc/datong-bot/token" and environment["TELEGRAM_BOT_TOKEN_FILE"] == f"%d/{name}"
    writable = " ".join(values(service, "ReadWritePaths")).split()
    assert sorted(writable) == sorted([environment["BOT_DATA_DIR"], environment["CORPUS_DIR"]])
    # jieba's cache dir is TMPDIR: a CacheDirectory of the unit, so writable despite ProtectSystem=strict
    assert environment["TMPDIR"] == "/var/cache/" + values(service, "CacheDirectory")[0]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify(tmp_path: Path) -> None:
    """The real verifier; ExecStart points at this checkout's venv so the binary exists here."""
    (exec_start,) = values(unit_file()["Service"], "ExecStart")
    program = shlex.split(exec_start)[0]
    here = shutil.which("datong-bot", path=str(Path(sys.executable).parent))
    assert here is not None, "the test venv has no datong-bot entry point"
    copy = tmp_path / UNIT.name
    copy.write_text(UNIT.read_text(encoding="utf-8").replace(program, here), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    output = (done.stdout + done.stderr).strip()
    # unknown keys and bad values are only warnings (exit 0): any line about the unit is a failure
    assert done.returncode == 0 and UNIT.name not in output, output


# -- health -------------------------------------------------------------------------------------


def write_status(data_dir: Path, *, age: float = 0.0, stopped: bool = False, version: str = "abc123") -> None:
    beat = Heartbeat(data_dir, lambda: version)
    beat.mark_ok()
    beat.last_ok -= age
    beat.write(stopped=stopped)
    if age:  # as a bot that hung `age` seconds ago would have left it
        status = json.loads((data_dir / STATUS_FILE).read_text(encoding="utf-8"))
        status["written"] -= age
        (data_dir / STATUS_FILE).write_text(json.dumps(status), encoding="utf-8")


HEALTH_CASES = {
    "fresh": (dict(), True, "healthy"),
    "stale": (dict(age=600), False, "last successful Telegram request"),
    "stopped": (dict(stopped=True), False, "stopped"),
    "no corpus": (dict(version=""), False, "no corpus"),
}


@pytest.mark.parametrize("case", [*HEALTH_CASES, "missing", "garbled"])
def test_check_health(tmp_path: Path, case: str) -> None:
    if case == "garbled":
        (tmp_path / STATUS_FILE).write_text("{not json", encoding="utf-8")
        expected, why = False, "cannot read"
    elif case == "missing":
        expected, why = False, "no status file"
    else:
        options, expected, why = HEALTH_CASES[case]
        write_status(tmp_path, **options)
    healthy, message = check_health(tmp_path)
    assert healthy is expected and why in message
    assert message.startswith("healthy" if expected else "unhealthy")


def test_check_health_max_age_boundary(tmp_path: Path) -> None:
    write_status(tmp_path)
    written = json.loads((tmp_path / STATUS_FILE).read_text(encoding="utf-8"))["last_ok"]
    assert check_health(tmp_path, 120, now=written + 119)[0]
    assert not check_health(tmp_path, 120, now=written + 121)[0]
    assert check_health(tmp_path, 300, now=written + 200)[0]


@pytest.mark.parametrize("case", [*HEALTH_CASES, "missing"])
def test_health_command(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected, why = (False, "no status file") if case == "missing" else HEALTH_CASES[case][1:]
    if case != "missing":
        write_status(tmp_path, **HEALTH_CASES[case][0])
    assert cli_main(["health", "--data-dir", str(tmp_path)]) == (0 if expected else 1)
    assert why in capsys.readouterr().out


def test_health_command_reads_bot_data_dir_as_the_healthcheck_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`datong-bot health` with no flag, as the image's HEALTHCHECK runs it: BOT_DATA_DIR decides,
    else ./data. (The installed entry point itself runs in the slow venv test.)"""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "elsewhere"))
    write_status(tmp_path / "elsewhere")
    assert cli_main(["health"]) == 0 and capsys.readouterr().out.startswith("healthy")
    monkeypatch.delenv("BOT_DATA_DIR")
    assert cli_main(["health"]) == 1 and f"no status file at {Path('data') / STATUS_FILE}" in capsys.readouterr().out
    write_status(tmp_path / "data", stopped=True)
    assert cli_main(["health"]) == 1 and "stopped" in capsys.readouterr().out


# -- the real bot as a process ------------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any of the bot's variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(extra)
    return env


class SlowSendEmulator(BotAPIEmulator):
    """The emulator, with each sendMessage held `delay` seconds before it is carried out.

    Overrides the emulator's (private) sendMessage method; it waits on the emulator's condition
    so the lock is released meanwhile and the rest of the Bot API keeps answering.
    """

    def __init__(self, *args, delay: float = 0.0, **kwargs) -> None:  # delay may be changed while running
        super().__init__(*args, **kwargs)
        self.delay = delay
        self.sends_arrived = 0
        self.sends_done: list[float] = []  # time.monotonic() when each answer was carried out

    def _send_message(self, request):
        self.sends_arrived += 1
        self._cond.notify_all()
        deadline = time.monotonic() + self.delay
        while (left := deadline - time.monotonic()) > 0 and not self._stopping.is_set():
            self._cond.wait(left)
        message = super()._send_message(request)
        self.sends_done.append(time.monotonic())
        return message


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    data_dir: Path
    stderr: list[str] = field(default_factory=list)
    stdout: list[str] = field(default_factory=list)
    exited_at: float = 0.0

    async def _drain(self, stream: asyncio.StreamReader, into: list[str]) -> None:
        async for line in stream:
            into.append(line.decode("utf-8", "replace").rstrip("\n"))

    async def stop(self, timeout: float = 10.0) -> tuple[int, float]:
        """SIGTERM; (exit code, seconds until it exited)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), timeout)
        self.exited_at = time.monotonic()
        return code, self.exited_at - started

    def output(self) -> str:
        return "\n".join(self.stderr + self.stdout)

    def status(self) -> dict:
        return json.loads((self.data_dir / STATUS_FILE).read_text(encoding="utf-8"))


@contextlib.asynccontextmanager
async def running_bot(
    emu: BotAPIEmulator, tmp_path: Path, *args: str, ready: str = "deleteWebhook", **env: str
) -> AsyncIterator[BotProcess]:
    """`python -m bot run ARGS` against the emulator, from an empty folder (no .env); killed if left running.

    Ready when the emulator sees `ready`: deleteWebhook comes right before the first getUpdates
    (which is recorded only when it returns); a webhook bot calls setWebhook as it starts its server."""
    data_dir = tmp_path / "data"
    environment = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=emu.base_url,
        TELEGRAM_FILE_BASE_URL=emu.base_file_url,
        BOT_DATA_DIR=str(data_dir),
        **env,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", *args, cwd=tmp_path, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    bot = BotProcess(process, data_dir)
    readers = [
        asyncio.create_task(bot._drain(process.stderr, bot.stderr)),
        asyncio.create_task(bot._drain(process.stdout, bot.stdout)),
    ]
    try:
        try:
            await emu.wait_for_call(ready, timeout=STARTUP)
        except TimeoutError as exc:
            raise AssertionError(f"the bot did not start:\n{bot.output()}") from exc
        yield bot
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await asyncio.gather(*readers)


async def ask(emu: BotAPIEmulator, user: dict, text: str) -> dict:
    before = len(emu.bot_messages(user["id"]))
    emu.private_message(user, text)
    replies = await emu.wait_for(lambda: len(emu.bot_messages(user["id"])) > before and emu.bot_messages(user["id"]),
                                 timeout=20)  # fmt: skip
    return replies[before]


@pytest.mark.asyncio
async def test_sigterm_while_an_answer_is_in_flight_delivers_it_and_exits_cleanly(tmp_path: Path) -> None:
    """Also the default logs (text, no LOG_QUESTIONS): one line per question, no token, no question."""
    emu = SlowSendEmulator(token=TOKEN).start()
    try:
        async with running_bot(emu, tmp_path) as bot:
            alice = emu.user(1001, "Alice")
            await ask(emu, alice, NOTHING)
            emu.delay = 1.5  # from now on every answer takes 1.5 s to be sent
            update = emu.private_message(alice, QUESTION)
            # the getUpdates that delivered the question has returned, and its answer is on its way
            await emu.wait_for_call("getUpdates", lambda c: any(u["update_id"] == update["update_id"] for u in c.result or []),
                                    timeout=20)  # fmt: skip
            await emu.wait_for(lambda: emu.sends_arrived >= 2, timeout=20)
            assert len(emu.bot_messages(alice["id"])) == 1, "the answer should still be in flight"
            code, seconds = await bot.stop(timeout=10)

        assert code == 0, bot.output()
        assert seconds < 10
        replies = emu.bot_messages(alice["id"])
        assert len(replies) == 2 and "400万人次" in replies[1]["text"], replies
        sends = [c for c in emu.calls if c.method == "sendMessage"]
        assert len(sends) == 2 and all(c.ok and c.params["chat_id"] == alice["id"] for c in sends)
        # the bot waited for Telegram's answer to the send instead of abandoning the request
        assert len(emu.sends_done) == 2 and bot.exited_at > emu.sends_done[1]
        assert not any(" ERROR " in line or "Traceback" in line for line in bot.stderr), bot.output()
        status = bot.status()
        assert status["stopped"] is True and status["corpus_version"]
        assert check_health(bot.data_dir) == (False, "unhealthy: the bot has stopped")
        assert any(line.endswith("datong_bot: stopped") for line in bot.stderr), bot.output()
        assert emu.rejected == []
    finally:
        emu.stop()
    check_question_logs(bot, [NOTHING, QUESTION], "text", log_questions=False)


QUESTION_LINE = re.compile(
    r"INFO datong_bot: question chat=(?P<chat_type>\w+) outcome=(?P<outcome>\w+) top=(?P<top_score>\d+\.\d+) "
    r"latency_ms=(?P<latency_ms>\d+\.\d+) corpus=(?P<corpus_version>\w+)(?: question=(?P<question>.+))?$"
)


def check_question_logs(bot: BotProcess, questions: list[str], log_format: str, log_questions: bool) -> None:
    """One INFO line per question with chat type, outcome, top score, latency and corpus version;
    never the token (nor its secret half); the question text only with LOG_QUESTIONS=1."""
    output = bot.output()
    assert TOKEN not in output and SECRET not in output
    loaded = next((line for line in bot.stderr if "loaded:" in line), None)
    assert loaded is not None, output
    version = re.search(r"corpus (\w+) loaded", loaded).group(1)

    if log_format == "json":
        rows = [json.loads(line) for line in bot.stderr if line.strip()]  # every line is one JSON object
        asked = [row for row in rows if row["message"].startswith("question ")]
        for row in asked:
            assert row["level"] == "INFO" and row["logger"] == "datong_bot"
            assert isinstance(row["top_score"], float) and isinstance(row["latency_ms"], float)
        assert [row.get("question") for row in asked] == (questions if log_questions else [None] * len(questions))
    else:
        asked = [m.groupdict() for m in map(QUESTION_LINE.search, bot.stderr) if m]
        assert len([line for line in bot.stderr if " question " in line]) == len(asked), output
    assert len(asked) == len(questions), output
    for question, row in zip(questions, asked, strict=True):
        # how a question is judged is search's business; only "nothing" is sure to stay nothing
        assert row["outcome"] == "not_found" if question == NOTHING else row["outcome"] in ("answered", "unsure")
        assert row["chat_type"] == "private" and row["corpus_version"] == version
        assert float(row["latency_ms"]) >= 0 and (float(row["top_score"]) > 0 or question == NOTHING)

    for text in questions:
        assert (text in output) is log_questions, f"question text logged: {log_questions=}"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("log_format", "log_questions"),
    [("text", True), ("json", True)],
)
async def test_question_logs(tmp_path: Path, log_format: str, log_questions: bool) -> None:
    """Text without LOG_QUESTIONS is checked by the SIGTERM test above, JSON without it by the webhook test."""
    emu = BotAPIEmulator(token=TOKEN).start()
    extra = {"LOG_FORMAT": log_format} | ({"LOG_QUESTIONS": "1"} if log_questions else {})
    try:
        async with running_bot(emu, tmp_path, **extra) as bot:
            alice = emu.user(1001, "Alice")
            assert "400万人次" in (await ask(emu, alice, QUESTION))["text"]
            await ask(emu, alice, NOTHING)
            code, _ = await bot.stop()
        assert code == 0, bot.output()
        assert emu.rejected == []
    finally:
        emu.stop()
    check_question_logs(bot, [QUESTION, NOTHING], log_format, log_questions)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_update(port: int, path: str, update: dict, secret: str | None) -> int:
    """What the reverse proxy forwards: Telegram's POST of one update; the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(update).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.asyncio
async def test_webhook_behind_a_proxy_needs_the_secret_token(tmp_path: Path) -> None:
    """The compose file's webhook variant: the flags as written there, the secret from WEBHOOK_SECRET_TOKEN."""
    secret, port, path = "webhook-Secret_0123456789", free_port(), "/telegram-webhook"
    emu = BotAPIEmulator(token=TOKEN).start()
    try:
        async with running_bot(
            emu, tmp_path, "--webhook-url", f"https://bot.example.org{path}", "--listen", "127.0.0.1", "--port", str(port),
            ready="setWebhook", LOG_FORMAT="json", WEBHOOK_SECRET_TOKEN=secret,
        ) as bot:  # fmt: skip
            registered = next(c for c in emu.calls if c.method == "setWebhook")
            assert registered.params["url"] == f"https://bot.example.org{path}"
            assert registered.params["secret_token"] == secret
            alice = emu.user(1001, "Alice")
            updates = [emu.private_message(alice, text) for text in (QUESTION, NOTHING)]
            deadline = time.monotonic() + STARTUP
            while True:  # setWebhook comes just before the server listens
                try:
                    status = await asyncio.to_thread(post_update, port, path, updates[0], None)
                    break
                except OSError:
                    assert time.monotonic() < deadline, bot.output()
                    await asyncio.sleep(0.1)
            assert status == 403, "an update without the secret token must be refused"
            assert await asyncio.to_thread(post_update, port, path, updates[0], "wrong") == 403
            await asyncio.sleep(0.3)
            assert not emu.bot_messages(alice["id"])
            for count, update in enumerate(updates, start=1):
                assert await asyncio.to_thread(post_update, port, path, update, secret) == 200
                await emu.wait_for(lambda n=count: len(emu.bot_messages(alice["id"])) >= n, timeout=20)
            assert "400万人次" in emu.bot_messages(alice["id"])[0]["text"]
            code, seconds = await bot.stop()
        assert code == 0 and seconds < 10, bot.output()
        assert bot.status()["stopped"] is True
        assert emu.rejected == []
    finally:
        emu.stop()
    assert secret not in bot.output()
    check_question_logs(bot, [QUESTION, NOTHING], "json", log_questions=False)


# -- the image's install, in a fresh venv (slow: ~30 s) --------------------------------------


@pytest.mark.timeout(600)
def test_slow_dockerfile_install_in_a_fresh_venv(tmp_path: Path) -> None:
    """SLOW (pip downloads, hash-checks and installs every dependency, ~30 s; deselect with -k 'not slow').

    Lays out the build folder as the Dockerfile's COPY lines do, runs the Dockerfile's own pip
    commands there (the lock with --require-hashes, then `pip install --no-deps .`, then `pip
    check`) with a fresh venv's pip first on PATH, then uses the installed entry
    point from another folder: the shipped issue answers (package data, not the checkout) and
    jieba's cache lands in $TMPDIR as the image's warm-up step expects.
    """
    instructions = dockerfile()
    env_vars = env_of(instructions)
    runs = [shell_commands(rest) for rest in args_of(instructions, "RUN") if pip_installs(shell_commands(rest))]
    assert len(runs) == 2, "the lock in one layer, the package in the next"
    build_dirs = {c[1] for commands in runs for c in commands if c[0] == "cd" and c[1] != "/"}
    (build_dir,) = build_dirs

    src = tmp_path / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", "*.pyd")
    for rest in args_of(instructions, "COPY"):
        words = [w for w in shlex.split(rest) if not w.startswith("--")]
        *sources, dest = words
        if not dest.startswith(build_dir.rstrip("/") + "/"):
            continue
        target = src / dest[len(build_dir.rstrip("/")) + 1 :]
        for source in sources:
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, target, ignore=ignore)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / source, target / Path(source).name)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    path = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    env = clean_env(PATH=path, VIRTUAL_ENV=str(venv))
    env.pop("PYTHONPATH", None)
    # every pip command of those RUN lines, in order: the lock's hashed install, the package, pip check
    for commands in runs:
        for command in commands:
            if Path(command[0]).name not in ("pip", "pip3"):
                continue
            done = subprocess.run(command, cwd=src, env=env, capture_output=True, text=True, timeout=480)
            assert done.returncode == 0, f"{command}:\n" + done.stdout[-3000:] + done.stderr[-3000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = tmp_path / "jieba-cache"
    cache.mkdir()
    bot_cmd = str(venv / "bin" / "datong-bot")
    asked = subprocess.run([bot_cmd, "ask", "--json", QUESTION], cwd=elsewhere, env=env | {"TMPDIR": str(cache)},
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert isinstance(answer["answered"], bool)
    assert answer["results"][0]["paper"] == "大同日报" and "400万人次" in answer["results"][0]["passage"]
    # the image's warm-up checks for this file in its TMPDIR
    assert (cache / "jieba.cache").stat().st_size > 1_000_000
    assert env_vars["TMPDIR"] != "/tmp"

    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import bot, bot.config; print(bot.__file__); print(bot.config.shipped_corpus_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    for line in where.stdout.split():
        assert Path(line).resolve().is_relative_to(venv.resolve()), f"not installed into the venv: {line}"

    empty = tmp_path / "empty-data"
    empty.mkdir()
    health = subprocess.run([bot_cmd, "health", "--data-dir", str(empty)], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert health.returncode == 1
    assert health.stdout.startswith("unhealthy: no status file") and str(empty) in health.stdout
