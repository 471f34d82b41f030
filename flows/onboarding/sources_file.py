"""Edit a sources file as a person would: append entries, keep every comment and the order.

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
from eventscout.flows.knowledge.directory import site_host
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
    """Two addresses of one page: scheme, host case, www., a default port and a trailing slash do not matter."""
    def norm(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url.strip())
        return site_host(url), parts.path.rstrip("/") or "/", parts.query

    return norm(a) == norm(b)


def with_source_added(text: str, entry: dict[str, Any], path: Path | str = "sources.yaml") -> tuple[str, Config]:
    """The file's text with `entry` appended to `sources:`, and the validated result.

    Raises `SourceExists` for a URL or id already there, `ConfigError` when the
    result does not validate.
    """
    return with_entries_added(text, [entry], [], path)


def with_entries_added(text: str, sources: list[dict[str, Any]], feeds: list[dict[str, Any]],
                       path: Path | str = "sources.yaml", notes: dict[str, str] | None = None) -> tuple[str, Config]:
    """The file's text with `sources` and `feeds` appended to their lists, and the validated result.

    `notes` (source id -> text) become a comment line above each such source.
    Raises `SourceExists` for a source URL or id (or a feed id) already there,
    `ConfigError` when the result does not validate.
    """
    yaml = _yaml()
    document = yaml.load(text) if text.strip() else None
    if document is None:
        document = CommentedMap()
    for entry in sources:
        listed = _section(document, "sources")
        _append(listed, entry, path)
        if notes and entry["id"] in notes:
            listed.yaml_set_comment_before_after_key(len(listed) - 1, before=notes[entry["id"]], indent=2)
    for feed in feeds:
        listed = _section(document, "feeds")
        if any(str(existing.get("id")) == feed["id"] for existing in listed):
            raise SourceExists(f"{path} already has a feed with id {feed['id']!r}")
        _append_item(listed, feed)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    new_text = buffer.getvalue()
    if not text.strip():
        new_text = NEW_FILE_HEADER + new_text
    return new_text, parse_config(new_text, path)


def _section(document: CommentedMap, key: str) -> CommentedSeq:
    if document.get(key) is None:
        document[key] = CommentedSeq()
    return document[key]


def _append(sources: CommentedSeq, entry: dict[str, Any], path: Path | str) -> None:
    for existing in sources:
        if str(existing.get("id")) == entry["id"]:
            raise SourceExists(f"{path} already has a source with id {entry['id']!r}; "
                               "pass --id to give this one another")
        if same_url(str(existing.get("url", "")), entry["url"]):
            raise SourceExists(f"{path} already reads {entry['url']} (source {existing.get('id')!r})")
    _append_item(sources, entry)


def _append_item(items: CommentedSeq, entry: dict[str, Any]) -> None:
    item = _commented(entry)
    if len(items):
        _move_trailing_comment(items[-1], item)
    items.append(item)


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
    return add_entries(path, [entry], [])


def add_entries(path: Path, sources: list[dict[str, Any]], feeds: list[dict[str, Any]],
                notes: dict[str, str] | None = None) -> Config:
    """Append sources and feeds to the file at `path` (created if missing) in one atomic write."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    new_text, config = with_entries_added(text, sources, feeds, path, notes)
    write_atomically(path, new_text.encode("utf-8"))
    return config
