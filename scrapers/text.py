"""Plain text out of whatever a source puts in a title or description.

Every step is linear in the input (hostile pages send megabytes of `<`), and
what comes out holds no markup a client could render: tags and script/style
bodies are gone, a stray `<` never starts a tag, and control characters and
lone surrogates (which cannot be written as UTF-8) are dropped.
"""

from __future__ import annotations

import html
import re

#: input beyond this is cut before any work: no title or description needs more
MAX_INPUT = 200_000

_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_BLOCK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr)\b[^<>]*>", re.I)
_RAW_OPEN = re.compile(r"<(script|style)\b", re.I)
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufeff]")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_SPACES = re.compile("  +")


def _drop_raw_text(text: str) -> str:
    """Remove <script>/<style> elements with their bodies; an unclosed one takes the rest."""
    lower = text.lower()
    parts: list[str] = []
    pos = 0
    while (m := _RAW_OPEN.search(text, pos)) is not None:
        parts.append(text[pos:m.start()])
        close = lower.find(f"</{m.group(1).lower()}", m.end())
        if close < 0:
            return " ".join(parts)
        end = lower.find(">", close)
        pos = len(text) if end < 0 else end + 1
        parts.append(" ")
    parts.append(text[pos:])
    return "".join(parts)


def _strip_markup(text: str) -> str:
    if "<" not in text:
        return text
    text = _TAG.sub(" ", _drop_raw_text(text))
    return _TAG_START.sub("< ", text)


def plain(value: str) -> str:
    """The characters that may be stored and published: no controls, no lone surrogates."""
    if value.isprintable():  # every character _UNSAFE removes is unprintable: nothing to do
        return value
    return _UNSAFE.sub("", value)


def clean(value: object) -> str:
    """One line of plain text: entities decoded (twice, as WordPress double-encodes), tags gone."""
    if value is None or value == "":
        return ""
    if (type(value) is str and len(value) <= MAX_INPUT and value.isprintable() and "<" not in value
            and "&" not in value and "  " not in value and value[0] != " " and value[-1] != " "):
        return value  # clean already (as readers' text mostly is): printable text's only blank is " "
    text = plain(str(value)[:MAX_INPUT])
    text = _strip_markup(text)
    if "&" in text:
        text = _strip_markup(plain(html.unescape(html.unescape(text))))
    return " ".join(text.split())


def _squeeze_spaces(text: str) -> str:
    """Each run of blanks as one space; when they are all plain spaces (the common case), by a
    pattern with a literal prefix, which the regex engine skips to far faster than a class."""
    if "\t" in text or "\r" in text or "\f" in text or "\v" in text or "\u00a0" in text:
        return _SPACE.sub(" ", text)
    return _SPACES.sub(" ", text) if "  " in text else text


def html_to_text(value: object, limit: int = 20_000) -> str:
    """Plain text with paragraph breaks kept, for descriptions; no markup survives."""
    if value is None:
        return ""
    text = plain(str(value)[: min(limit * 4, MAX_INPUT)])
    if "<" in text:
        text = _BLOCK.sub("\n", _drop_raw_text(text))
        text = _strip_markup(text)
    if "&" in text:
        text = _strip_markup(plain(html.unescape(html.unescape(text))))
    text = _squeeze_spaces(text)
    if "\n" in text:  # each blank run holding a line break becomes one break (strip() is \s)
        text = "\n".join(line for line in (part.strip() for part in text.split("\n")) if line)
    return text.strip()[:limit]
