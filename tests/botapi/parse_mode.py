"""Telegram's HTML parse mode, as tdlib parses it, and UTF-16 lengths.

A port of tdlib's parser, stricter only about "&": a bare ``&`` that is not an entity is
*rejected*, as the Bot API documentation demands, although real Telegram prints such text
verbatim. Offsets and lengths are in UTF-16 code units, the unit Telegram counts in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["HTMLParseError", "parse_html", "utf16_len"]

JSONDict = dict[str, Any]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts offsets and limits in."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class HTMLParseError(ValueError):
    """Text is not valid Telegram HTML; the message uses tdlib's wording."""


_HTML_SPACES = frozenset(" \t\n\r\f\v")
_HTML_TAG_END = _HTML_SPACES | {">"}
_HTML_ATTRIBUTE_NAME_END = _HTML_SPACES | {"=", ">"}
_HTML_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
        "tg-spoiler", "tg-emoji", "code", "pre", "blockquote",
    }
)  # fmt: skip
_SIMPLE_TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_CHARACTER_REFERENCE = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));?")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.-]*")


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    piece_index: int


@dataclass
class _Entity:
    type: str
    offset: int
    length: int
    argument: str = ""

    def to_dict(self) -> JSONDict:
        entity: JSONDict = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.type == "text_link":
            entity["url"] = self.argument
        elif self.type == "pre" and self.argument:
            entity["language"] = self.argument
        elif self.type == "custom_emoji":
            entity["custom_emoji_id"] = self.argument
        return entity


class _HTMLParser:
    """One pass over the text, as tdlib does it: tags open and close entities."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.pos = 0
        self.pieces: list[str] = []
        self.utf16_offset = 0
        self.open_tags: list[_OpenTag] = []
        self.entities: list[_Entity] = []

    def parse(self) -> tuple[str, list[JSONDict]]:
        html = self.html
        while self.pos < len(html):
            char = html[self.pos]
            if char == "&":
                decoded, self.pos = self._character_reference(self.pos)
                self._emit(decoded)
            elif char != "<":
                self._emit(char)
                self.pos += 1
            elif html.startswith("</", self.pos):
                self._end_tag()
            else:
                self._start_tag()
        if self.open_tags:
            name = self.open_tags[-1].name
            raise HTMLParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        entities = sorted(self.entities, key=lambda e: (e.offset, -e.length))
        return "".join(self.pieces), [entity.to_dict() for entity in entities]

    def _emit(self, text: str) -> None:
        self.pieces.append(text)
        self.utf16_offset += utf16_len(text)

    def _byte_offset(self, index: int) -> int:
        return len(self.html[:index].encode("utf-8", "surrogatepass"))

    def _error(self, message: str, index: int, detail: str = "") -> HTMLParseError:
        return HTMLParseError(f"{message} at byte offset {self._byte_offset(index)}{detail}")

    def _character_reference(self, start: int) -> tuple[str, int]:
        match = _CHARACTER_REFERENCE.match(self.html, start)
        decoded = _decode_character_reference(match) if match else None
        if match is None or decoded is None:
            snippet = match.group(0) if match else "&"
            raise self._error(
                f'Unsupported HTML entity "{snippet}"',
                start,
                ' (only &lt; &gt; &amp; &quot; and numeric entities exist; write a literal "&" as "&amp;")',
            )
        return decoded, match.end()

    def _start_tag(self) -> None:
        html, begin = self.html, self.pos
        end = len(html)
        i = begin + 1
        while i < end and html[i] not in _HTML_TAG_END:
            i += 1
        if i == end:
            raise self._error("Unclosed start tag", begin)
        name = html[begin + 1 : i].lower()
        if name not in _HTML_TAGS:
            raise self._error(f'Unsupported start tag "{name}"', begin)

        argument = ""
        while True:
            while i < end and html[i] in _HTML_SPACES:
                i += 1
            if i == end:
                raise self._error("Unclosed start tag", begin)
            if html[i] == ">":
                break
            attribute_begin = i
            while i < end and html[i] not in _HTML_ATTRIBUTE_NAME_END:
                i += 1
            attribute = html[attribute_begin:i].lower()
            if not attribute:
                raise self._error(f'Empty attribute name in the tag "{name}"', begin)
            while i < end and html[i] in _HTML_SPACES:
                i += 1
            if i < end and html[i] != "=":
                if name == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                    continue
                raise self._error(f'Expected equal sign in declaration of an attribute of the tag "{name}"', begin)
            i += 1
            while i < end and html[i] in _HTML_SPACES:
                i += 1
            if i >= end:
                raise self._error(f'Unclosed start tag "{name}"', begin)
            if html[i] in "\"'":
                value, i = self._quoted_value(i, begin)
            else:
                token = _NAME_TOKEN.match(html, i)
                assert token is not None  # the pattern also matches the empty string
                value = token.group(0).lower()
                if token.end() < end and html[token.end()] not in _HTML_TAG_END:
                    raise self._error("Unexpected end of name token", i)
                i = token.end()
            argument = _tag_argument(name, attribute, value, argument)
        self.pos = i + 1
        if name == "span" and argument != "spoiler":
            raise self._error('Tag "span" must have class "tg-spoiler"', begin)
        self.open_tags.append(_OpenTag(name, argument, self.utf16_offset, len(self.pieces)))

    def _quoted_value(self, i: int, tag_begin: int) -> tuple[str, int]:
        html, quote = self.html, self.html[i]
        parts: list[str] = []
        i += 1
        while i < len(html) and html[i] != quote:
            if html[i] == "&":
                decoded, i = self._character_reference(i)
                parts.append(decoded)
            else:
                parts.append(html[i])
                i += 1
        if i == len(html):
            raise self._error("Unclosed start tag", tag_begin)
        return "".join(parts), i + 1

    def _end_tag(self) -> None:
        html, begin = self.html, self.pos
        if not self.open_tags:
            raise self._error("Unexpected end tag", begin)
        i = begin + 2
        while i < len(html) and html[i] not in _HTML_TAG_END:
            i += 1
        end_name = html[begin + 2 : i].lower()
        while i < len(html) and html[i] in _HTML_SPACES:
            i += 1
        if i == len(html) or html[i] != ">":
            raise self._error("Unclosed end tag", begin)
        tag = self.open_tags[-1]
        if end_name and end_name != tag.name:
            raise self._error("Unmatched end tag", begin, f', expected "</{tag.name}>", found "</{end_name}>"')
        self.open_tags.pop()
        self.pos = i + 1
        self._close(tag)

    def _close(self, tag: _OpenTag) -> None:
        if tag.name == "tg-emoji" and not tag.argument.isdigit():
            raise HTMLParseError("Invalid custom emoji identifier specified")
        offset, length = tag.utf16_offset, self.utf16_offset - tag.utf16_offset
        if length == 0:
            return
        if tag.name in _SIMPLE_TAG_ENTITIES:
            self.entities.append(_Entity(_SIMPLE_TAG_ENTITIES[tag.name], offset, length))
        elif tag.name == "a":
            url = tag.argument or "".join(self.pieces[tag.piece_index :])
            self.entities.append(_Entity("text_link", offset, length, url))
        elif tag.name == "code":
            self.entities.append(_Entity("code", offset, length, tag.argument))
        elif tag.name == "pre":
            last = self.entities[-1] if self.entities else None
            if last and last.type == "code" and (last.offset, last.length) == (offset, length):
                last.type = "pre"  # <pre><code class="language-x">: keeps the language
            else:
                self.entities.append(_Entity("pre", offset, length))
        elif tag.name == "blockquote":
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self.entities.append(_Entity(kind, offset, length))
        else:  # tg-emoji
            self.entities.append(_Entity("custom_emoji", offset, length, tag.argument))


def _decode_character_reference(match: re.Match[str]) -> str | None:
    hex_digits, decimal_digits, name = match.groups()
    if name is not None:
        return _NAMED_ENTITIES.get(name)
    if len(match.group(0).rstrip(";")) >= 10:
        return None
    code = int(hex_digits, 16) if hex_digits is not None else int(decimal_digits)
    if 0 < code < 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return chr(code)
    return None


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "expandable"
    return current


def parse_html(html: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram HTML into (plain text, message entities); raise ``HTMLParseError``."""
    return _HTMLParser(html).parse()
