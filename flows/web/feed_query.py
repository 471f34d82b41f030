"""A custom feed asked for in a URL: query parameters → the same `Feed` model sources.yaml uses.

Every simple field of `Feed` (text, number, yes/no, choice, or a list of
those) is a query parameter under its own name, so fields added to `Feed`
later become parameters without touching this module. A few get the shorter
names people type: `industry` for `industries`, `online` for `include_online`.
Values are validated by the model itself, so a URL and sources.yaml accept
and reject exactly the same things.

A URL comes from anyone, so its size is bounded before anything is built
from it: the whole query, the number of parameters, each value, and each
list counted after splitting on commas (so 50 keywords in one parameter
count as 50).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

from pydantic import ValidationError

from eventscout.flows.config import Feed

#: what a feed is called, not what it holds: never taken from a URL
NOT_PARAMETERS = frozenset({"id", "title", "description"})
#: shorter names people type for some fields
ALIASES = {"industry": "industries", "online": "include_online", "keyword": "keywords", "region": "regions",
           "source": "sources", "event_type": "event_types", "type": "event_types", "q": "search",
           "from": "from_date", "to": "to_date"}
#: a URL asks for at most this much, so nothing in it can be made to work hard
MAX_QUERY_LENGTH = 4096  # characters of the whole query string
MAX_VALUES = 50
MAX_VALUE_LENGTH = 200
#: values in one list (industries, keywords, cities...), counted after splitting on commas
MAX_LIST_VALUES = 50
#: /events.json pages: the events in one page unless `limit` asks for fewer or more (up to MAX_PAGE)
DEFAULT_PAGE = 100
MAX_PAGE = 500

CUSTOM_ID = "custom"


class QueryError(ValueError):
    """A query a custom feed cannot be built from; the message says which parameter and why."""


def _simple(annotation: Any) -> bool:
    if annotation in (str, int, float, bool, date):
        return True
    return typing.get_origin(annotation) is Literal


def _kind(annotation: Any) -> str | None:
    """'scalar' or 'list' for a field a URL can set, None for anything richer."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _kind(options[0]) if len(options) == 1 else None
    if origin is list:
        (item,) = typing.get_args(annotation) or (None,)
        return "list" if _simple(item) else None
    return "scalar" if _simple(annotation) else None


def parameters() -> dict[str, tuple[str, str]]:
    """Query name → (Feed field, 'scalar' | 'list'), for every field a URL can set."""
    out: dict[str, tuple[str, str]] = {}
    for name, info in Feed.model_fields.items():
        kind = _kind(info.annotation)
        if name in NOT_PARAMETERS or kind is None:
            continue
        out[name] = (name, kind)
    for alias, name in ALIASES.items():
        if name in out:
            out[alias] = out[name]
    return out


def parse_query(query: str) -> list[tuple[str, str]]:
    """A URL's query string as (name, value) pairs, at most MAX_VALUES of them.

    Its length (MAX_QUERY_LENGTH) is checked before, by the server's
    QueryLengthLimit, for every route.
    """
    try:
        return parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_VALUES)
    except ValueError:
        raise QueryError(f"too many parameters; use at most {MAX_VALUES}") from None


@dataclass(frozen=True)
class Page:
    """Which slice of a long answer (/events.json) is asked for: `offset` and `limit` in the URL."""

    offset: int = 0
    limit: int = DEFAULT_PAGE


def split_page(items: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], Page]:
    """The page asked for, and the other parameters (which describe the feed)."""
    rest: list[tuple[str, str]] = []
    asked: dict[str, int] = {}
    for key, raw in items:
        if key not in ("offset", "limit"):
            rest.append((key, raw))
            continue
        text = raw.strip()
        if not text:
            continue  # an empty form field means "not set"
        if key in asked:
            raise QueryError(f"{key}: given more than once; give it once")
        lowest, highest = (1, MAX_PAGE) if key == "limit" else (0, 10**9)
        if not (text.isascii() and text.isdigit() and lowest <= int(text) <= highest):
            raise QueryError(f"{key}: {text[:20]!r} is not a whole number from {lowest} to {highest:,}")
        asked[key] = int(text)
    return rest, Page(**asked)


def feed_from_query(items: Iterable[tuple[str, str]], source_ids: Iterable[str] | None = None) -> Feed:
    """The feed a query describes; `QueryError` names the first bad parameter and the fix.

    `source_ids`, when given, are the configured sources a `source=` parameter may name.
    """
    known = parameters()
    values: dict[str, Any] = {}
    count = 0
    for key, raw in items:
        count += 1
        if count > MAX_VALUES:
            raise QueryError(f"too many parameters; use at most {MAX_VALUES}")
        if key not in known:
            raise QueryError(f"unknown parameter {key[:40]!r}; use {', '.join(sorted(known))}")
        if len(raw) > MAX_VALUE_LENGTH:
            raise QueryError(f"{key}: the value is longer than {MAX_VALUE_LENGTH} characters")
        field, kind = known[key]
        value = raw.strip()
        if kind == "list":
            listed = values.setdefault(field, [])
            listed.extend(v.strip() for v in value.split(",") if v.strip())
            if len(listed) > MAX_LIST_VALUES:
                raise QueryError(f"{key}: more than {MAX_LIST_VALUES} values (counted after splitting on "
                                 f"commas); give at most {MAX_LIST_VALUES}")
        elif value == "":
            continue  # an empty form field means "not set"
        elif field in values:
            raise QueryError(f"{key}: given more than once; give it once")
        else:
            values[field] = value
    try:
        context = {"source_ids": list(source_ids)} if source_ids is not None else None
        feed = Feed.model_validate({"id": CUSTOM_ID, "title": "Custom feed", **values}, context=context)
    except ValidationError as exc:
        raise QueryError(_reason(exc)) from None
    except ValueError as exc:  # a validator that raised outside pydantic's wrapping
        raise QueryError(str(exc)) from None
    return feed.model_copy(update={"title": title(feed), "description": summary(feed)})


def _reason(exc: ValidationError) -> str:
    problems = []
    by_field = {field: alias for alias, field in ALIASES.items()}
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else "query"
        name = by_field.get(name, name)
        problems.append(f"{name}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(problems)


def title(feed: Feed) -> str:
    """A name for a custom feed that says what it holds."""
    from eventscout.flows.knowledge.industries import VOCABULARY

    what = " and ".join(VOCABULARY.labels.get(i, i) for i in feed.industries) or "Professional"
    parts = [f"{what} events" + (f" ({', '.join(feed.event_types)})" if feed.event_types else "")]
    if feed.search:
        parts.append(f"mentioning “{feed.search}”")
    if feed.city:
        distance = f"{feed.radius_mi:g} mi" if feed.radius_mi else f"{feed.radius_km:g} km"
        parts.append(f"within {distance} of {feed.city}")
    places = [*feed.cities, *feed.regions]
    if places:
        parts.append(("or in " if feed.city else "in ") + ", ".join(places))
    if feed.keywords:
        parts.append("about " + ", ".join(feed.keywords))
    if feed.days_ahead:
        parts.append(f"in the next {feed.days_ahead} days")
    if feed.from_date:
        parts.append(f"from {feed.from_date:%-d %b %Y}")
    if feed.to_date:
        parts.append(f"until {feed.to_date:%-d %b %Y}")
    return " ".join(parts)


def summary(feed: Feed) -> str:
    online = "including online events" if feed.include_online else "in person only"
    return f"{title(feed)}, {online}. Built by eventscout from the query in this feed's URL."


def query_string(feed: Feed) -> str:
    """The canonical query for a feed: only what differs from the defaults, short names first."""
    defaults = Feed(id=CUSTOM_ID, title="x")
    reverse = {field: alias for alias, field in ALIASES.items()}
    pairs: list[tuple[str, str]] = []
    for name, (field, kind) in parameters().items():
        if name != reverse.get(field, name):
            continue
        value = getattr(feed, field)
        if value == getattr(defaults, field) or (field == "radius_km" and feed.radius_mi is not None):
            continue
        if kind == "list":
            pairs.extend((name, str(v)) for v in value)
        elif isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        else:
            pairs.append((name, f"{value:g}" if isinstance(value, float) else str(value)))
    return urlencode(pairs)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def industry_choices() -> list[Choice]:
    """Every industry of the vocabulary, by label: the directory page offers them all."""
    from eventscout.flows.knowledge.industries import VOCABULARY

    return sorted((Choice(i, label) for i, label in VOCABULARY.labels.items()), key=lambda c: c.label)
