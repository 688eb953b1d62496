"""What an uploaded issue file must be, and how it is written: a plain name, a valid issue, whole."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .corpus import FILE_NAME, MAX_FILE_BYTES, MAX_NAME, Issue, parse_issue, read_papers


class UploadError(Exception):
    """An upload that was refused; the message says why, in the user's words."""


def safe_issue_name(name: str | None) -> str:
    """The upload's file name if it is a plain `<slug>-<YYYY-MM-DD>.txt` name, else UploadError."""
    if not name:
        raise UploadError("没有文件名")
    if name != os.path.basename(name) or "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
        raise UploadError("文件名里不能有路径")
    if len(name) > MAX_NAME:
        raise UploadError(f"文件名太长（{len(name)} 个字符，上限 {MAX_NAME}）")
    if not FILE_NAME.fullmatch(name):
        raise UploadError(f"「{name[:80]}」不符合格式")
    return name


def check_upload(name: str, data: bytes, corpus_dir: Path) -> Issue:
    """Validate an uploaded issue file as a reload would; raises UploadError or CorpusError."""
    safe_issue_name(name)
    if len(data) > MAX_FILE_BYTES:
        raise UploadError(f"文件太大（{len(data)} 字节，上限 {MAX_FILE_BYTES}）")
    return parse_issue(data, name, read_papers(corpus_dir))


def write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """Write a file so readers see the old one or the whole new one, never a part."""
    target = folder / safe_issue_name(name)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
