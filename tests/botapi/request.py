"""Decoding a request the way PTB encodes it: query string, JSON, urlencoded or multipart body."""

from __future__ import annotations

import http.server
import json
import re
import urllib.parse
from typing import Any

from .models import UploadedFile

JSONDict = dict[str, Any]

# Parameters whose values are free text or opaque string ids: never JSON-decoded, so that
# e.g. a message text "42" stays the string "42" in the recorded call.
RAW_STRING_PARAMS = frozenset(
    {
        "text", "caption", "query", "title", "description", "short_description",
        "name", "url", "message_text", "next_offset", "callback_query_id", "inline_query_id",
        "inline_message_id", "result_id", "file_id", "language_code", "parse_mode",
        "secret_token", "switch_pm_text", "switch_pm_parameter", "custom_emoji_id",
        "business_connection_id", "message_effect_id", "document",
    }
)  # fmt: skip

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def decode_value(name: str, value: object) -> object:
    """Decode a form value the way PTB encoded it: objects, arrays, numbers, booleans as JSON."""
    if not isinstance(value, str) or name in RAW_STRING_PARAMS:
        return value
    if value.startswith(("{", "[")) or value in ("true", "false") or _NUMBER.fullmatch(value):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def read_body(handler: http.server.BaseHTTPRequestHandler) -> bytes:
    """The request body; httpx (PTB's client) always sends a Content-Length."""
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def parse_request(
    handler: http.server.BaseHTTPRequestHandler, query: str, body: bytes
) -> tuple[JSONDict, dict[str, UploadedFile]]:
    """Collect parameters from the query string and a JSON, urlencoded or multipart body."""
    raw: JSONDict = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    content_type = handler.headers.get_content_type()
    if content_type == "application/json" and body:
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        raw.update(decoded)
    elif content_type == "multipart/form-data":
        boundary = handler.headers.get_param("boundary")
        fields, files = _parse_multipart(body, boundary if isinstance(boundary, str) else "")
        raw.update(fields)
    elif body:
        raw.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {name: decode_value(name, value) for name, value in raw.items()}, files


def _unescape_form_param(value: str) -> str:
    """Undo httpx's HTML5 escaping of multipart header parameters."""
    value = re.sub(r"%(22|[01][0-9A-Fa-f])", lambda m: chr(int(m.group(1), 16)), value)
    return value.replace("\\\\", "\\")


def _parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    if not boundary:
        raise ValueError("multipart body without boundary")
    for part in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        disposition, content_type = "", "application/octet-stream"
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-disposition":
                disposition = value
            elif key.strip().lower() == "content-type":
                content_type = value.strip()
        attributes = {
            key.lower(): _unescape_form_param(value) for key, value in re.findall(r';\s*([\w*]+)="([^"]*)"', disposition)
        }
        name = attributes.get("name")
        if name is None:
            continue
        if "filename" in attributes:
            files[name] = UploadedFile(attributes["filename"], content_type, content)
        else:
            fields[name] = content.decode("utf-8")
    return fields, files
