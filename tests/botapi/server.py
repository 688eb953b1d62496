"""The emulator itself: serving on loopback, routing, fault injection, recording calls."""

from __future__ import annotations

import copy
import threading
import time
import urllib.parse
from typing import Any

from .methods import BotAPIMethods, ClientGone
from .models import CallRecord, Fault, Request
from .observe import Observation
from .request import parse_request, read_body
from .transport import (
    NGINX_502_BODY,
    TRUNCATED_JSON_BODY,
    EmulatorHTTPServer,
    RequestHandler,
    client_gone,
    reset_connection,
    send,
    send_json,
)
from .updates import UpdateControls
from .validate import APIError, bad_request

JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST-fake-token"

# Fault kind -> keyword options that ``inject`` accepts for it.
FAULT_OPTIONS: dict[str, frozenset[str]] = {
    "429": frozenset({"retry_after"}),
    "500": frozenset(),
    "502": frozenset(),
    "timeout": frozenset({"seconds", "process"}),
    "reset": frozenset(),
    "bad_json": frozenset(),
}


class BotAPIEmulator(UpdateControls, Observation, BotAPIMethods):
    """A Bot API server on 127.0.0.1 for one bot, with test-side controls.

    Three faces:

    * the HTTP side the bot talks to (``base_url``/``base_file_url``);
    * the test side that makes incoming updates (``user``, ``private_message``,
      ``group_message``, ``callback_query``, ``inline_query``, ...; see ``updates``);
    * the observation side (``calls``, ``rejected``, ``bot_messages``, ``wait_for``...;
      see ``observe``).

    Here: the lifecycle, routing of requests to the Bot API methods (``methods``), fault
    injection and the record of every call.

    All state sits behind one condition variable: HTTP requests run in server threads
    while tests and the bot run in the test's thread and event loop.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_id: int | None = None,
        bot_username: str = "DatongDailyBot",
        bot_first_name: str = "Datong Daily",
    ) -> None:
        super().__init__(token, bot_id, bot_username, bot_first_name)
        self.port = 0
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._faults: list[Fault] = []
        self._injected = 0
        self._methods = self.bot_api_methods()
        self._method_names = {name.lower(): name for name in self._methods}

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> BotAPIEmulator:
        """Bind an ephemeral port on 127.0.0.1 and serve in a background thread."""
        if self._server is not None:
            raise RuntimeError("BotAPIEmulator is already running")
        self._stopping.clear()
        self._server = EmulatorHTTPServer(self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"BotAPIEmulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; pending long polls answer at once, held requests are dropped."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.server_close()
        server.close_connections()
        thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> BotAPIEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``; PTB appends the token."""
        return f"http://127.0.0.1:{self._running_port()}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``; PTB appends the token."""
        return f"http://127.0.0.1:{self._running_port()}/file/bot"

    def _running_port(self) -> int:
        if self._server is None:
            raise RuntimeError("start() the BotAPIEmulator first")
        return self.port

    # ---- fault injection -------------------------------------------------------------

    def inject(self, method: str, fault: str, count: int = 1, **options: Any) -> None:
        """Make the next ``count`` calls of ``method`` ("*" = any method) fail with ``fault``.

        Faults: "429" (``retry_after``=seconds, default 1), "500", "502" (nginx's HTML page,
        as Telegram's front end sends it), "timeout" (hold the request ``seconds``, default
        10, then drop it; ``process=True`` executes it first, like a send whose answer got
        lost), "reset" (TCP reset instead of an answer), "bad_json" (200 with a truncated
        body). Faults queue in order; the bot's retries then see normal service again.
        """
        if fault not in FAULT_OPTIONS:
            raise ValueError(f"unknown fault {fault!r}; choose one of {sorted(FAULT_OPTIONS)}")
        unknown = set(options) - FAULT_OPTIONS[fault]
        if unknown:
            raise TypeError(f"fault {fault!r} takes no option(s) {sorted(unknown)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._cond:
            self._faults.append(Fault(method.lower(), fault, count, dict(options)))

    @property
    def injected(self) -> int:
        """How many injected faults have fired so far."""
        with self._cond:
            return self._injected

    def _take_fault(self, method: str) -> Fault | None:
        with self._cond:
            for fault in self._faults:
                if fault.method in ("*", method.lower()):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    self._injected += 1
                    return fault
        return None

    # ---- request handling ------------------------------------------------------------

    def _handle(self, handler: RequestHandler) -> None:
        received = time.monotonic()
        try:
            body = read_body(handler)
        except (OSError, ValueError):
            handler.close_connection = True
            return
        url = urllib.parse.urlsplit(handler.path)
        path = urllib.parse.unquote(url.path)
        if path.startswith("/file/bot"):
            self._serve_file(handler, path.removeprefix("/file/bot"), received)
            return
        if not path.startswith("/bot"):
            send_json(handler, 404, APIError(404, "Not Found").body())
            return
        token, _, method_name = path.removeprefix("/bot").partition("/")
        method = self._method_names.get(method_name.lower(), method_name)
        try:
            params, files = parse_request(handler, url.query, body)
        except (ValueError, UnicodeDecodeError):
            self._reply_error(handler, method, Request({}, {}, received), bad_request("can't parse request"))
            return
        request = Request(params, files, received, lambda: client_gone(handler.connection))
        if token != self.token:
            self._reply_error(handler, method, request, APIError(401, "Unauthorized"))
            return
        fault = self._take_fault(method)
        if fault is not None:
            self._apply_fault(handler, fault, method, request)
        elif method not in self._methods:
            self._reply_error(handler, method, request, APIError(404, "Not Found"))
        else:
            answer = self._execute(method, request)
            if answer is None:
                handler.close_connection = True
            else:
                send_json(handler, *answer)

    def _reply_error(self, handler: RequestHandler, method: str, request: Request, error: APIError) -> None:
        self._record(method, request, error=error)
        send_json(handler, error.status, error.body())

    def _execute(self, method: str, request: Request, injected: str | None = None) -> tuple[int, JSONDict] | None:
        """Run one Bot API method; record it; return (status, body), None if nobody listens."""
        try:
            with self._cond:
                result = self._methods[method](request)
        except ClientGone:
            error = APIError(0, "client closed the connection while waiting")
            self._record(method, request, error=error, injected=injected)
            return None
        except APIError as error:
            self._record(method, request, error=error, injected=injected)
            return error.status, error.body()
        except Exception as exc:  # an emulator bug must fail the test loudly, not hang it
            crash = APIError(500, f"emulator crashed: {exc!r}")
            self._record(method, request, error=crash, injected=injected)
            return 500, crash.body()
        self._record(method, request, result=result, injected=injected)
        return 200, {"ok": True, "result": result}

    def _apply_fault(self, handler: RequestHandler, fault: Fault, method: str, request: Request) -> None:
        kind = fault.kind
        if kind == "timeout":
            if fault.options.get("process") and method in self._methods:
                self._execute(method, request, injected=kind)
            else:
                self._record(method, request, error=APIError(0, "injected timeout: no response"), injected=kind)
            self._stopping.wait(float(fault.options.get("seconds", 10.0)))
            handler.close_connection = True
        elif kind == "reset":
            self._record(method, request, error=APIError(0, "injected reset: connection aborted"), injected=kind)
            reset_connection(handler)
        elif kind == "429":
            retry_after = int(fault.options.get("retry_after", 1))
            error = APIError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
            self._record(method, request, error=error, injected=kind)
            send_json(handler, 429, error.body())
        elif kind == "500":
            error = APIError(500, "Internal Server Error")
            self._record(method, request, error=error, injected=kind)
            send_json(handler, 500, error.body())
        elif kind == "502":
            self._record(method, request, error=APIError(502, "Bad Gateway"), injected=kind)
            send(handler, 502, NGINX_502_BODY, "text/html")
        else:  # bad_json
            self._record(method, request, error=APIError(200, "injected malformed JSON body"), injected=kind)
            send(handler, 200, TRUNCATED_JSON_BODY, "application/json")

    def _serve_file(self, handler: RequestHandler, rest: str, received: float) -> None:
        token, _, file_path = rest.partition("/")
        request = Request({"file_path": file_path}, received=received)
        if token != self.token:
            self._reply_error(handler, "file_download", request, APIError(401, "Unauthorized"))
            return
        with self._cond:
            stored = self._files_by_path.get(file_path)
        if stored is None:
            self._reply_error(handler, "file_download", request, APIError(404, "Not Found"))
            return
        self._record("file_download", request, result=len(stored.content))
        send(handler, 200, stored.content, stored.mime_type or "application/octet-stream")

    def _record(
        self,
        method: str,
        request: Request,
        *,
        result: Any = None,
        error: APIError | None = None,
        injected: str | None = None,
    ) -> None:
        """Remember a call; an error's status is what was sent (0: nothing was sent)."""
        record = CallRecord(
            method=method,
            params=copy.deepcopy(request.params),
            ok=error is None,
            status=error.status if error else 200,
            error=error.description if error else None,
            result=copy.deepcopy(result),
            time=request.received,
            files=dict(request.files),
            injected=injected,
        )
        with self._cond:
            self._calls.append(record)
            self._cond.notify_all()
