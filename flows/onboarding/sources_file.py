"""Edit a sources file as a person would: append one entry, keep every comment and the order.

ruamel.yaml round-trips the document; the result is validated with
`eventscout.flows.config.parse_config` and replaces the file atomically, so a failed add
leaves the file as it was.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from eventscout.flows.config import Config, parse_config
from eventscout.flows.publishing.feeds import write_atomically

NEW_FILE_HEADER = "# eventscout sources: the association calendars to read, and the feeds to write.\n"


class SourceExists(ValueError):
    """The sources file already has a source with this URL or id."""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def render_entry(entry: dict[str, Any]) -> str:
    """The entry as it appears under `sources:`, ready to paste."""
    buffer = io.StringIO()
    _yaml().dump({"sources": [_commented(entry)]}, buffer)
    return buffer.getvalue().split("\n", 1)[1].rstrip() + "\n"


def _commented(entry: dict[str, Any]) -> CommentedMap:
    item = CommentedMap()
    for key, value in entry.items():
        if isinstance(value, list):
            value = CommentedSeq(value)
            value.fa.set_flow_style()
        item[key] = value
    return item


def same_url(a: str, b: str) -> bool:
    """Two addresses of one page: scheme, host case and a trailing slash do not matter."""
    def norm(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url.strip())
        return ((parts.hostname or "").removeprefix("www."), parts.path.rstrip("/") or "/", parts.query)

    return norm(a) == norm(b)


def with_source_added(text: str, entry: dict[str, Any], path: Path | str = "sources.yaml") -> tuple[str, Config]:
    """The file's text with `entry` appended to `sources:`, and the validated result.

    Raises `SourceExists` for a URL or id already there, `ConfigError` when the
    result does not validate.
    """
    yaml = _yaml()
    document = yaml.load(text) if text.strip() else None
    if document is None:
        document = CommentedMap()
    sources = document.get("sources")
    if sources is None:
        sources = document["sources"] = CommentedSeq()
    for existing in sources:
        if str(existing.get("id")) == entry["id"]:
            raise SourceExists(f"{path} already has a source with id {entry['id']!r}; "
                               "pass --id to give this one another")
        if same_url(str(existing.get("url", "")), entry["url"]):
            raise SourceExists(f"{path} already reads {entry['url']} (source {existing.get('id')!r})")
    item = _commented(entry)
    if len(sources):
        _move_trailing_comment(sources[-1], item)
    sources.append(item)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    new_text = buffer.getvalue()
    if not text.strip():
        new_text = NEW_FILE_HEADER + new_text
    return new_text, parse_config(new_text, path)


def _move_trailing_comment(previous: CommentedMap, item: CommentedMap) -> None:
    """Blank lines and comments after the last entry stay after the list, not before the new entry."""
    if not len(previous):
        return
    last_key = list(previous)[-1]
    tokens = previous.ca.items.get(last_key)
    if not tokens or len(tokens) < 3 or tokens[2] is None:
        return
    trailing = tokens[2]
    tokens[2] = None
    item.ca.items[list(item)[-1]] = [None, None, trailing, None]


def add_source(path: Path, entry: dict[str, Any]) -> Config:
    """Append `entry` to the sources file at `path` (created if missing) and return the new config."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    new_text, config = with_source_added(text, entry, path)
    write_atomically(path, new_text.encode("utf-8"))
    return config
