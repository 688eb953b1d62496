"""HTTP plumbing: a threading server on loopback that tracks its connections, and the ways
of answering (JSON, raw bytes, a TCP reset) that normal service and injected faults need."""

from __future__ import annotations

import contextlib
import http.server
import json
import select
import socket
import struct
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import BotAPIEmulator

JSONDict = dict[str, Any]

NGINX_502_BODY = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
TRUNCATED_JSON_BODY = b'{"ok":true,"result":{"message_id":'


class EmulatorHTTPServer(http.server.ThreadingHTTPServer):
    """An ephemeral port on 127.0.0.1; each request is handed to the emulator."""

    daemon_threads = True

    def __init__(self, emulator: BotAPIEmulator) -> None:
        self.emulator = emulator
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), RequestHandler)

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self) -> None:
        """End kept-alive connections so no handler thread outlives ``stop``."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class RequestHandler(http.server.BaseHTTPRequestHandler):
    """One connection: GET and POST go to ``BotAPIEmulator._handle``."""

    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    server: EmulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def do_GET(self) -> None:
        self.server.emulator._handle(self)

    def do_POST(self) -> None:
        self.server.emulator._handle(self)

    def log_message(self, *args: Any) -> None:
        """Stay quiet: every request is in ``BotAPIEmulator.calls`` instead."""


def send(handler: RequestHandler, status: int, payload: bytes, content_type: str) -> None:
    """Answer with ``payload``; a client that has gone away just closes the connection."""
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
    except OSError:
        handler.close_connection = True


def send_json(handler: RequestHandler, status: int, body: JSONDict) -> None:
    """Answer with a JSON body, as Telegram does (UTF-8, not ASCII-escaped)."""
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    send(handler, status, payload, "application/json")


def client_gone(connection: socket.socket) -> bool:
    """True when the peer has closed the connection (readable, and reading gives EOF)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def reset_connection(handler: RequestHandler) -> None:
    """Abort the TCP connection with an RST instead of answering."""
    handler.close_connection = True
    with contextlib.suppress(OSError):
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
