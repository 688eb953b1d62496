"""What the emulator keeps: requests and their records, stored messages and files, faults."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]


def now() -> int:
    """Unix time, as Telegram dates messages."""
    return int(time.time())


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request."""

    filename: str
    content_type: str
    content: bytes


def _never_gone() -> bool:
    return False


@dataclass
class Request:
    """One decoded request; ``client_gone`` tells whether its client hung up meanwhile."""

    params: JSONDict
    files: dict[str, UploadedFile] = field(default_factory=dict)
    received: float = field(default_factory=time.monotonic)
    client_gone: Callable[[], bool] = _never_gone


@dataclass(frozen=True)
class CallRecord:
    """One request the emulator received, as tests see it.

    ``method`` is the canonical Bot API name (``"sendMessage"`` even if the request said
    ``sendmessage``), or ``"file_download"`` for GET /file/bot<token>/<path>. ``params`` are
    decoded (nested JSON objects are dicts). ``time`` is ``time.monotonic()`` on arrival.
    ``status`` is the HTTP status sent, 0 when no response was sent. ``injected`` names
    the injected fault that answered this call, if any.
    """

    method: str
    params: JSONDict
    ok: bool
    status: int
    error: str | None
    result: Any
    time: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    injected: str | None = None

    def summary(self) -> str:
        """A one-line description for failure messages."""
        arguments = ", ".join(f"{name}={_shorten(value)}" for name, value in self.params.items())
        outcome = "ok" if self.ok else f"{self.status} {self.error}"
        tag = f" [injected {self.injected}]" if self.injected else ""
        return f"{self.method}({arguments}) -> {outcome}{tag}"


def _shorten(value: object, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


@dataclass
class StoredMessage:
    """A message as the emulator keeps it: its current version, earlier ones, who sent it."""

    message: JSONDict
    from_bot: bool
    history: list[JSONDict] = field(default_factory=list)
    deleted: bool = False


@dataclass
class StoredFile:
    """A file the bot uploaded or a test user sent, reachable by id (getFile) and by path."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    content: bytes

    def document(self) -> JSONDict:
        """The Document object of a message carrying this file."""
        return {
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }


@dataclass
class Fault:
    """An injected fault waiting for its next ``remaining`` calls."""

    method: str  # lower-case method name, or "*"
    kind: str
    remaining: int
    options: JSONDict
