"""`datong-bot`: ask, chat, check, eval, index and run — the console and the bot share one core,
and one saved index in the data folder."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import ConfigError, Settings

if TYPE_CHECKING:  # the search stack loads only for the commands that need it (not `health`)
    from .index import Index


def settings(*only: str, need_token: bool = False) -> Settings:
    """The configuration (environment, then .env), just the variables `only` names when given;
    exit 2 naming each bad one. Every command reads its variables here, none from os.environ."""
    try:
        return Settings.from_env(need_token=need_token, only=only or None)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"配置错误 configuration error: {problem}", file=sys.stderr)
        raise SystemExit(2) from None


def corpus_dir(arg: str | None) -> Path:
    """--corpus, else CORPUS_DIR (environment or .env), else the issue shipped with the package."""
    return Path(arg) if arg else settings("CORPUS_DIR").corpus_path


def data_folder(arg: str | None) -> Path:
    """--data-dir, else BOT_DATA_DIR, else ./data if the bot has used it here, else the user's cache."""
    from .config import console_data_dir

    return Path(arg) if arg else console_data_dir(settings("BOT_DATA_DIR"))


def home_corpus() -> Path:
    """The corpus a data folder's own store is for (`run`'s): CORPUS_DIR, else the shipped issue;
    a bad CORPUS_DIR here is no error (a --corpus that overrides it was given)."""
    try:
        return Settings.from_env(only=("CORPUS_DIR",)).corpus_path
    except ConfigError:
        return Settings().corpus_path


def console_logging() -> None:
    """The bot's own log lines (progress off a terminal, waiting for another process's build, a
    damaged store) on stderr, as for `run`; stdout stays the answers."""
    import logging

    logger = logging.getLogger("datong_bot")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def open_index(args: argparse.Namespace) -> Index:
    """The index of the command's corpus from the saved store in the data folder, tokenizing only
    new or changed files (and saving them back), or exit 2 naming every bad file."""
    from .corpus import LoadErrors
    from .index import load_index
    from .progress import Progress

    folder = corpus_dir(args.corpus)
    console_logging()
    cache = cache_for_args(args, folder)
    try:
        return load_index(folder, cache, progress=Progress())
    except LoadErrors as exc:
        for error in exc.errors:
            print(f"错误 error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_ask(args: argparse.Namespace) -> int:
    from .front import respond
    from .reply import reply_json, reply_text

    index = open_index(args)
    questions: Sequence[str]
    if args.question == "-":
        questions = [line.strip() for line in sys.stdin]
        questions = [q for q in questions if q]
    else:
        questions = [args.question]
    for question in questions:
        reply = respond(index, question, top=args.top)
        if args.json:
            print(json.dumps(reply_json(reply, index), ensure_ascii=False), flush=True)
        else:
            print(reply_text(reply, index))
            if len(questions) > 1:
                print("\n" + "-" * 40)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from .front import respond
    from .reply import reply_text

    index = open_index(args)
    print("输入问题，回车提问；空行或 Ctrl-D 退出。")
    while True:
        try:
            question = input("问> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        print(reply_text(respond(index, question), index) + "\n")


def cmd_check(args: argparse.Namespace) -> int:
    """Validate issue files and print each one's outline; exit 1 if any file is bad.

    Page files of one issue are checked together, so a (上接…) continuation shows the head of the
    article it continues, as the bot will cite it."""
    from .corpus import CorpusError, issue_files, link_pages, parse_issue, read_papers

    paths = [Path(p) for p in args.paths] or [corpus_dir(None)]
    files: list[Path] = []
    for path in paths:
        files.extend(issue_files(path) if path.is_dir() else [path])
    bad = 0
    issues = []
    for path in files:
        try:
            issues.append(parse_issue(path.read_bytes(), path.name, read_papers(path.parent)))
        except (CorpusError, OSError) as exc:
            bad += 1
            print(f"✗ {exc if isinstance(exc, CorpusError) else f'{path}: {exc}'}")
    for issue in link_pages(issues):
        print(f"✓ {issue.name}: {issue.paper} {issue.date}，{len(issue.articles)} 篇，{issue.paragraph_count} 段")
        for n, article in enumerate(issue.articles, start=1):
            label = "图片" if article.kind == "photo" else "稿件"
            print(f"  {n}. [{label}] {article.headline}")
            for name, value in (
                ("栏目", article.section),
                ("引题", article.kicker),
                ("副题", article.subtitle),
                ("署名", article.byline),
                ("接续", article.continues and f"{article.continues}（上接{article.resumed_from}版）"),
                ("转版", article.continued_to and f"下转{article.continued_to}版"),
            ):
                if value:
                    print(f"     {name}：{value}")
            for p_no, para in enumerate(article.paragraphs, start=1):
                print(f"     ¶{p_no} {para[:24]}{'…' if len(para) > 24 else ''} ({len(para)}字)")
        for warning in issue.warnings:
            print(f"  ⚠ {warning}")
    if not files:
        print("✗ 没有找到报纸文件 (no issue files)")
        return 1
    return 1 if bad else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, read_questions
    from .progress import Progress

    index = open_index(args)
    report = evaluate(index, read_questions(Path(args.file), fold=args.fold), progress=Progress())
    print("\n".join(report.lines()))
    if args.verbose:
        print("\n".join(["", "failures:", *report.failures]))
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """Build or bring up to date the saved index of a corpus, and say what changed; merge the
    segments of added files when they have grown (the bot does it in the background)."""
    import time

    from . import store

    started = time.perf_counter()
    index = open_index(args)
    update, seconds = index.update, time.perf_counter() - started
    folder = corpus_dir(args.corpus)
    cache = cache_for_args(args, folder)
    print(f"索引 index of {folder} in {cache}: {len(index.corpus.issues)} files, {len(index.passages)} paragraphs")
    if update.nothing:
        print(f"已是最新 up to date: nothing tokenized ({seconds:.1f} s)")
        return 0
    for label, names in (("added", update.added), ("changed", update.changed), ("removed", update.removed)):
        shown = ", ".join(names[:5]) + (f" … (+{len(names) - 5})" if len(names) > 5 else "")
        print(f"  {label}: {len(names)}" + (f" ({shown})" if names else ""))
    print(f"tokenized {update.tokenized} paragraphs in {seconds:.1f} s")
    if store.needs_merge(index.postings) and store.merge_saved(index.postings, cache):
        print(f"merged {len(index.postings.segments)} segments of added files into the base")
    return 0


def cache_for_args(args: argparse.Namespace, folder: Path) -> Path:
    from .store import cache_for

    return cache_for(data_folder(args.data_dir), folder, home_corpus())


def cmd_run(args: argparse.Namespace) -> int:
    from .telegram import RunOptions, run, wait_for_stop

    options = RunOptions(webhook_url=args.webhook_url, listen=args.listen, port=args.port, secret_token=args.secret_token)
    try:
        code = run(settings(need_token=True), options)
    except SystemExit as exc:  # a configuration error, already printed by settings()
        code = exc.code if isinstance(exc.code, int) else 1
    if code == 2 and args.wait_on_error:
        wait_for_stop()
    return code


def cmd_health(args: argparse.Namespace) -> int:
    """Exit 0 when the running bot reached Telegram recently and has a corpus loaded."""
    from .health import check_health

    data_dir = Path(args.data_dir) if args.data_dir else settings("BOT_DATA_DIR").data_dir
    healthy, why = check_health(data_dir, args.max_age)
    print(why)
    return 0 if healthy else 1


CORPUS_HELP = "folder of issue files (default: CORPUS_DIR or the shipped issue)"
DATA_HELP = "where the saved index is kept (default: BOT_DATA_DIR, else ./data if the bot uses it, else ~/.cache/datong-bot)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="datong-bot", description="大同日报问答机器人 Datong Daily Q&A bot")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="ask the paper a question (no Telegram needed)")
    ask.add_argument("question", help="the question, or - to read one question per line from stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("--top", type=int, default=3, help="how many results (default 3)")
    ask.add_argument("--corpus", help=CORPUS_HELP)
    ask.add_argument("--data-dir", help=DATA_HELP)
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="interactive questions in the terminal")
    chat.add_argument("--corpus", help=CORPUS_HELP)
    chat.add_argument("--data-dir", help=DATA_HELP)
    chat.set_defaults(func=cmd_chat)

    index = sub.add_parser("index", help="build or update the saved index ahead of time; print what changed")
    index.add_argument("--corpus", help=CORPUS_HELP)
    index.add_argument("--data-dir", help=DATA_HELP)
    index.set_defaults(func=cmd_index)

    check = sub.add_parser("check", help="validate issue files and print their outline")
    check.add_argument("paths", nargs="*", help="files or folders (default: the corpus folder)")
    check.set_defaults(func=cmd_check)

    ev = sub.add_parser("eval", help="measure answer quality on a question file (JSON lines)")
    ev.add_argument("file")
    ev.add_argument("--corpus", help=CORPUS_HELP)
    ev.add_argument("--data-dir", help=DATA_HELP)
    ev.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    ev.add_argument("--fold", choices=("dev", "test"), help="only the questions of this fold")
    ev.set_defaults(func=cmd_eval)

    run = sub.add_parser("run", help="run the Telegram bot")
    run.add_argument("--webhook-url", help="serve a webhook at this public URL instead of long polling")
    run.add_argument("--listen", default="0.0.0.0", help="webhook listen address (default 0.0.0.0)")
    run.add_argument("--port", type=int, default=8443, help="webhook port (default 8443)")
    run.add_argument("--secret-token", help="secret checked on every webhook request (default: WEBHOOK_SECRET_TOKEN)")
    run.add_argument(
        "--wait-on-error",
        action="store_true",
        help="on a configuration or corpus error (exit 2), wait for SIGTERM instead of exiting, so a container's "
        "restart policy does not restart the bot in a loop (the image's command)",
    )
    run.set_defaults(func=cmd_run)

    health = sub.add_parser("health", help="exit 0 if the running bot is healthy (reads BOT_DATA_DIR/status.json)")
    health.add_argument("--data-dir", help="default: BOT_DATA_DIR or ./data")
    health.add_argument("--max-age", type=float, default=120.0, help="seconds since the last Telegram request (120)")
    health.set_defaults(func=cmd_health)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # `datong-bot eval … | head`: the reader has gone, which is no error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
