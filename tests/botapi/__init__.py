"""A Telegram Bot API emulator for end-to-end tests, built on the standard library only.

Why it exists: Telegram cannot be reached from the machines the tests run on, yet the bot
must be tested the way it really runs -- python-telegram-bot (PTB) speaking HTTP to a server
that refuses what Telegram refuses. ``BotAPIEmulator`` is that server. It listens on an
ephemeral loopback port, answers the Bot API methods the bot uses with Telegram-shaped
results, validates requests with Telegram's rules and wording (HTML parse mode, length
limits, inline keyboards, inline and callback queries, ...), lets a test create incoming
updates, records every call for assertions and can inject network faults.

Typical use in an async test (the bot runs in the test's event loop, the emulator in
threads, so waiting is done with the async ``wait_for``/``wait_for_call``)::

    with BotAPIEmulator() as emu:
        app = (Application.builder().token(emu.token).base_url(emu.base_url)
               .base_file_url(emu.base_file_url).build())
        ...  # add handlers, start the application and its updater
        alice = emu.user(1001, "Alice")
        emu.private_message(alice, "/start")
        call = await emu.wait_for_call("sendMessage")
        assert emu.rejected == []

Known limits, on purpose: parse modes Markdown and MarkdownV2 are accepted but not
validated; only the methods the bot and its tests use exist (``BotAPIMethods.bot_api_methods``;
others get 404, which shows up in ``rejected``); and a bare ``&`` that is not an entity is
*rejected*, as the Bot API documentation demands, although real Telegram prints such text
verbatim.

Modules, one concept each:

* ``server``: ``BotAPIEmulator`` -- lifecycle, routing, fault injection, the call record;
* ``methods``: the Bot API methods;
* ``updates``: the test side that makes users, chats and incoming updates;
* ``observe``: what the bot did, and waiting for it;
* ``store``: the state (chats, messages, files, queued updates) the three above share;
* ``validate``: Telegram's checks and limits, with Telegram's error wording;
* ``parse_mode``: Telegram's HTML parse mode and UTF-16 lengths;
* ``request``: decoding requests as PTB encodes them;
* ``transport``: the HTTP server and the ways of answering;
* ``models``: records of calls, stored messages and files, faults.
"""

from .models import CallRecord, UploadedFile
from .parse_mode import HTMLParseError, parse_html, utf16_len
from .server import DEFAULT_TOKEN, BotAPIEmulator
from .validate import NOT_MODIFIED, QUERY_TOO_OLD, APIError, bad_request, check_reply_markup, format_text

__all__ = [
    "DEFAULT_TOKEN",
    "NOT_MODIFIED",
    "QUERY_TOO_OLD",
    "APIError",
    "BotAPIEmulator",
    "CallRecord",
    "HTMLParseError",
    "UploadedFile",
    "bad_request",
    "check_reply_markup",
    "format_text",
    "parse_html",
    "utf16_len",
]
