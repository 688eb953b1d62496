"""The Telegram bot: `build_application` (the table of contents, in `app`) and `run`.

app        build_application, on_start/on_stop, set_commands, run, wait_for_stop
context    the typed bot_data (BotData), the handlers' Context type, answer cache, throttle
callbacks  the one owner of callback data: build, parse, route
handlers   people's handlers: commands, questions, buttons, inline, errors
admin      admins' handlers: reload, upload, stats, unanswered
"""

from .app import RunOptions, build_application, run, wait_for_stop

__all__ = ["RunOptions", "build_application", "run", "wait_for_stop"]
