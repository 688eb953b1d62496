"""Logging: the bot token is redacted from every record, text or JSON lines.

httpx logs each request URL, and Telegram URLs carry the token; tracebacks can too. A filter on
the root handler rewrites every record before any formatter sees it.
"""

from __future__ import annotations

import json
import logging
import sys
import time

REDACTED = "<token>"


class RedactToken(logging.Filter):
    """Replace the token (and its secret half on its own) wherever it appears in a record."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        secrets = [token] if token else []
        if token and ":" in token:
            secrets.append(token.split(":", 1)[1])
        self.secrets = [s for s in secrets if len(s) >= 8]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg = self.redact(record.getMessage())
        record.args = None
        for name, value in list(vars(record).items()):  # extra= fields, e.g. a logged question
            if name not in JsonFormatter.BASE and isinstance(value, str):
                setattr(record, name, self.redact(value))
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with any `extra=` fields the record carries."""

    BASE = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        row = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        row.update({k: v for k, v in vars(record).items() if k not in self.BASE and not k.startswith("_")})
        if record.exc_text:
            row["exc"] = record.exc_text
        return json.dumps(row, ensure_ascii=False, default=str)


def _log_uncaught(kind: type[BaseException], error: BaseException, tb: object) -> None:
    logging.getLogger("datong_bot").critical("uncaught error", exc_info=(kind, error, tb))  # type: ignore[arg-type]


def setup_logging(token: str | None, fmt: str = "text", level: int = logging.INFO) -> logging.Handler:
    """Log to stderr with the token redacted; httpx's per-request lines only at WARNING."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactToken(token))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    sys.excepthook = _log_uncaught  # a traceback that escapes goes through the redacting handler
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return handler
