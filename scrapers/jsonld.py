"""schema.org JSON-LD events (`<script type="application/ld+json">`), read leniently.

Each block is read on its own, so one broken block never spoils the others.
Blocks that are not valid JSON get the repairs real sites need: the invalid
backslash escapes and raw control characters WordPress plugins emit, HTML
comment/CDATA wrappers, trailing commas and HTML-escaped quotes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from eventscout.scrapers.event import Event
from eventscout.scrapers.page import Page, read_json
from eventscout.scrapers.schemaorg import events_from_nodes, is_event_type

__all__ = ["read", "blocks"]

_BLOCK = re.compile(
    r"""<script\b[^>]*?type\s*=\s*["']?\s*application/ld\+json[^>]*>(.*?)</script\s*>""",
    re.I | re.S)
_BAD_ESCAPE = re.compile(r'\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})')
_CONTROL = re.compile(r"[\x00-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_WRAPPER_START = re.compile(r"^(?:<!--|<!\[CDATA\[|//\s*<!\[CDATA\[)")
_WRAPPER_END = re.compile(r"(?:-->|\]\]>|//\s*\]\]>)$")
#: how many objects one page may make us look at; a bound against hostile nesting
_MAX_NODES = 20_000
_MAX_DEPTH = 24


def _unwrap(text: str) -> str:
    """Drop an HTML comment or CDATA wrapper; only the ends are looked at, so it stays linear."""
    text = _WRAPPER_START.sub("", text[:32]) + text[32:]
    tail = _WRAPPER_END.sub("", text[-32:])
    return (text[:-32] + tail if len(text) > 32 else tail).strip()


def _loads(text: str) -> Any:
    try:
        return read_json(text)
    except ValueError:
        pass
    fixed = _unwrap(text.strip())
    if "&quot;" in fixed[:200]:
        import html

        fixed = html.unescape(fixed)
    fixed = _CONTROL.sub(" ", _BAD_ESCAPE.sub(r"\\\\", fixed))
    try:
        return read_json(fixed)
    except ValueError:
        pass
    fixed = _TRAILING_COMMA.sub(r"\1", fixed)
    try:
        return read_json(fixed)
    except ValueError:
        return _concatenated(fixed)


def _concatenated(text: str) -> list[Any] | None:
    """Several JSON values written one after another in one block."""
    decoder, values, i = json.JSONDecoder(strict=False), [], 0
    while i < len(text) and len(values) < 1000:
        while i < len(text) and text[i] in " \t\r\n;,":
            i += 1
        if i >= len(text):
            break
        try:
            value, i = decoder.raw_decode(text, i)
        except ValueError:
            break
        values.append(value)
    return values or None


def _block_texts(page: Page) -> list[str]:
    """The text of each JSON-LD script: from the page tree (built once, and faster to query than
    scanning the bytes), or by pattern for fragments that are not HTML documents."""
    if page.looks_like_html:
        return [script.text for script in page.scripts if "ld+json" in script.type]
    return [m.group(1) for m in _BLOCK.finditer(page.text)]


def blocks(page: Page) -> list[Any]:
    """The parsed JSON-LD blocks of a page; blocks that resist repair are skipped."""
    out = []
    for text in _block_texts(page):
        try:
            value = _loads(text)
        except RecursionError:
            continue
        if value is not None:
            out.append(value)
    return out


def _event_nodes(value: Any) -> list[dict[str, Any]]:
    """Every Event object in a block: top level, in ``@graph``, lists, nested values, ``subEvent``."""
    found: list[dict[str, Any]] = []
    stack: list[tuple[Any, int]] = [(value, 0)]
    seen = 0
    while stack and seen < _MAX_NODES:
        node, depth = stack.pop()
        seen += 1
        if depth > _MAX_DEPTH:
            continue
        if isinstance(node, list):
            stack.extend((item, depth + 1) for item in reversed(node))
        elif isinstance(node, dict):
            if is_event_type(node.get("@type")):
                found.append(node)
                for name in ("subEvent", "subEvents"):
                    if name in node:
                        stack.append((node[name], depth + 1))
            else:
                stack.extend((item, depth + 1) for item in reversed(list(node.values()))
                             if isinstance(item, (dict, list)))
    return found


def read(page: Page) -> list[Event]:
    """The JSON-LD events on a page (cheap no-op when the page has none)."""
    memo = vars(page).get("_jsonld_events")  # the Tribe reader asks too: parse once per page
    if memo is not None:
        return list(memo)
    nodes = [node for value in blocks(page) for node in _event_nodes(value)]
    events = events_from_nodes(nodes, page, "jsonld") if nodes else []
    vars(page)["_jsonld_events"] = tuple(events)
    return events
