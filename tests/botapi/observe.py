"""The observation side: what the bot did (calls, its messages, command lists, files), and
async waiting for it, with a report of the recent calls when a wait times out."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .models import CallRecord
from .store import BotState
from .validate import command_key

T = TypeVar("T")
JSONDict = dict[str, Any]


class Observation(BotState):
    """Read what the bot did; wait for it without blocking the bot's event loop."""

    @property
    def calls(self) -> list[CallRecord]:
        """Every request received, oldest first."""
        with self._cond:
            return list(self._calls)

    @property
    def rejected(self) -> list[CallRecord]:
        """Calls answered with an error the test did not inject.

        That is what real Telegram would refuse (4xx) plus emulator crashes (500); tests
        of a correct bot assert it is empty. Long polls abandoned by their client are not
        errors and are not listed.
        """
        return [c for c in self.calls if not c.ok and c.injected is None and c.status != 0]

    @property
    def pending_updates(self) -> int:
        """How many queued updates the bot has not yet confirmed (by a later offset)."""
        with self._cond:
            return len(self._updates)

    def bot_messages(self, chat_id: int | None = None) -> list[JSONDict]:
        """Messages the bot sent and did not delete, in sending order, as they are now."""
        with self._cond:
            return [
                copy.deepcopy(stored.message)
                for stored in self._bot_sent
                if not stored.deleted and (chat_id is None or stored.message["chat"]["id"] == chat_id)
            ]

    def message_history(self, chat_id: int, message_id: int) -> list[JSONDict]:
        """All versions of a message, oldest first, the current one last."""
        with self._cond:
            stored = self._messages.get(chat_id, {}).get(message_id)
            if stored is None:
                raise KeyError(f"no message {message_id} in chat {chat_id}")
            return copy.deepcopy([*stored.history, stored.message])

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The command list the bot set for this scope and language."""
        with self._cond:
            key = command_key({"scope": scope, "language_code": language_code})
            return copy.deepcopy(self._commands.get(key, []))

    def file_content(self, file_id: str) -> bytes:
        """The bytes behind a file id (uploaded by the bot or registered by the test)."""
        with self._cond:
            return self._files[file_id].content

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float = 10.0, description: str = "") -> T:
        """Poll ``predicate`` (under the emulator's lock) until it returns something truthy.

        Async on purpose: the bot runs in the same event loop, so waiting must yield to it.
        On timeout, raise TimeoutError listing the recent calls.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                raise TimeoutError(self._timeout_report(description or "the predicate to hold", timeout))
            await asyncio.sleep(0.01)

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[CallRecord], bool] | None = None,
        timeout: float = 10.0,
    ) -> CallRecord:
        """Wait for the first recorded call of ``method`` (any case) matching ``predicate``."""
        wanted = method.lower()

        def matching_call() -> CallRecord | None:
            return next(
                (call for call in self._calls if call.method.lower() == wanted and (predicate is None or predicate(call))),
                None,
            )

        return await self.wait_for(matching_call, timeout, f"a call of {method}")

    def _timeout_report(self, what: str, timeout: float, shown: int = 20) -> str:
        with self._cond:
            recent, total, queued = self._calls[-shown:], len(self._calls), len(self._updates)
        lines = [
            f"timed out after {timeout:g}s waiting for {what}",
            f"{queued} update(s) queued and not yet confirmed by the bot",
            f"last {len(recent)} of {total} call(s):",
        ]
        lines.extend(_indent(call.summary() for call in recent) or ["  (no calls at all)"])
        return "\n".join(lines)


def _indent(lines: Iterable[str]) -> list[str]:
    return [f"  {line}" for line in lines]
