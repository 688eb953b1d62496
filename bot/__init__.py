"""datong-daily-bot: answers questions from the Datong Daily with the paragraph that says it."""

__version__ = "0.1.0"
