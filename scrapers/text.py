"""Plain text out of whatever a source puts in a title or description."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.I)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_LINES = re.compile(r"\s*\n\s*")


def clean(value: object) -> str:
    """One line of plain text: entities decoded (twice, as WordPress double-encodes), tags gone."""
    if value is None:
        return ""
    text = str(value)
    if "&" in text:
        text = html.unescape(html.unescape(text))
    if "<" in text:
        text = _TAG.sub(" ", _SCRIPT.sub(" ", text))
    return " ".join(text.split())


def html_to_text(value: object, limit: int = 20_000) -> str:
    """Plain text with paragraph breaks kept, for descriptions; no markup survives."""
    if value is None:
        return ""
    text = str(value)[: limit * 4]
    if "<" in text:
        text = _SCRIPT.sub(" ", text)
        text = _BLOCK.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(html.unescape(text))
    text = _TAG.sub(" ", text) if "<" in text else text
    text = _SPACE.sub(" ", text)
    text = _LINES.sub("\n", text).strip()
    return text[:limit]
