"""sources.yaml: what to read and which feeds to write, validated before anything is fetched."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, available_timezones

import yaml
from pydantic import (BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator,
                      model_validator)

from eventscout.flows.problems import FileProblems, read_user_file
from eventscout.scrapers import READERS

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: a source is national (lists events in many cities) or regional (one chapter's area)
SCOPES = ("national", "regional")
KM_PER_MILE = 1.609344


class ConfigError(FileProblems):
    """A sources file that cannot be used; each problem names file, line and the fix."""


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"{value!r} is not a valid id; use lower-case letters, digits and "
                         f"dashes, e.g. {re.sub(r'[^a-z0-9]+', '-', value.lower()).strip('-') or 'my-id'!r}")
    return value


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except Exception:  # noqa: BLE001 - ZoneInfo raises several kinds
        raise ValueError(f"unknown time zone {value!r}; {zone_hint(value)}") from None
    return value


def zone_hint(value: str) -> str:
    """What to write instead of an unknown zone: the zone of a city its name holds ("America/Atlanta"
    → America/New_York, Atlanta's zone), else the IANA names most like it."""
    from rapidfuzz import fuzz, process

    from eventscout.flows.knowledge.places import geocode
    from eventscout.flows.knowledge.zones import zone_for_place

    city = value.replace("\\", "/").rsplit("/", 1)[-1].replace("_", " ").strip()
    place = geocode(city) if city else None
    zone = zone_for_place(place) if place is not None else None
    if zone:
        return f"{place.city} is in {zone}: write timezone: {zone}"
    near = [m[0] for m in process.extract(value, sorted(available_timezones()), scorer=fuzz.ratio, limit=3)]
    return "use an IANA name such as " + ", ".join(near)


def _check_industries(values: list[str]) -> list[str]:
    from eventscout.flows.knowledge.industries import canonical_industries

    return canonical_industries(values)


def _check_city(value: str) -> str:
    from eventscout.flows.knowledge.places import geocode, region_names, unknown_place_part

    typo = unknown_place_part(value)
    if typo is not None:
        raise ValueError(f"cannot place {value!r}: {typo!r} is no state, province or country code "
                         f"(like it: {nearest(typo.upper(), [r for r in region_names() if len(r) == 2])}); "
                         "write it as 'City, ST' or 'City, Country', e.g. 'Atlanta, GA'")
    if geocode(value) is None:
        raise ValueError(f"cannot place {value!r}; write it as 'City, ST' or 'City, Country', "
                         "e.g. 'Atlanta, GA'")
    return value


def nearest(value: str, choices: list[str], limit: int = 3) -> str:
    """The valid values nearest to a mistyped one (by edit distance), for the error message."""
    from rapidfuzz import fuzz, process

    return ", ".join(repr(m[0]) for m in process.extract(value, choices, scorer=fuzz.ratio, limit=limit))


def _yaml_words(values: Any) -> Any:
    """YAML 1.1 reads ON, NO, YES, OFF as booleans: say so instead of "not a valid string"."""
    if isinstance(values, list):
        for value in values:
            if isinstance(value, bool):
                raise ValueError(f"YAML read an unquoted word as {str(value).lower()} (ON, OFF, YES and NO "
                                 "are booleans in YAML); put it in quotes, e.g. 'ON'")
    return values


def _check_event_types(values: list[str]) -> list[str]:
    from eventscout.flows.knowledge.event_types import canonical_event_type

    return list(dict.fromkeys(canonical_event_type(value) for value in values))


def _check_regions(values: list[str]) -> list[str]:
    from eventscout.flows.knowledge.places import find_region, region_names

    for value in values:
        if find_region(value) is None:
            raise ValueError(f"unknown region {value!r}; use a state, province or country such as "
                             f"{nearest(value, region_names())}")
    return values


#: a keyword or phrase is at most this long, which bounds the depth of the pattern that matches them all
MAX_KEYWORD_LENGTH = 200


def _check_words(values: list[str]) -> list[str]:
    out = [" ".join(v.split()) for v in values]
    if any(not v for v in out):
        raise ValueError("an empty keyword matches everything; remove it")
    for value in out:
        if len(value) > MAX_KEYWORD_LENGTH:
            raise ValueError(f"the keyword {value[:40]!r}... is {len(value)} characters long; "
                             f"keep each keyword to {MAX_KEYWORD_LENGTH} characters or fewer")
    return out


def check_public_url(value: str) -> str:
    """The address people reach `serve` at (https://feeds.example.org, or with a path prefix), without its last /."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is not a public URL; give the address people open, "
                         "e.g. https://feeds.example.org")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{value!r}: a public URL has no query, fragment or user name; "
                         "give only scheme, host and an optional path, e.g. https://example.org/events")
    return value.strip().rstrip("/")


def _check_source_ids(values: list[str], info: ValidationInfo) -> list[str]:
    """Source ids a feed names must be configured sources (known from the validation context)."""
    known = (info.context or {}).get("source_ids")
    if known is None:
        return values
    for value in values:
        if value not in known:
            hint = f"did you mean {nearest(value, known)}?" if known else "no sources are configured"
            raise ValueError(f"unknown source {value!r}; {hint}")
    return values


class Source(BaseModel):
    """One association's events page, feed or API endpoint."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    url: str
    scope: Literal["national", "regional"] = "regional"
    industries: list[str] = Field(default_factory=list)
    location: str | None = None
    timezone: str = "America/New_York"
    format: str = "auto"
    recipe: dict[str, str] | None = None
    allow_private: bool = False
    enabled: bool = True

    _id = field_validator("id")(_check_id)
    _zone = field_validator("timezone")(_check_zone)
    _industries = field_validator("industries")(_check_industries)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if value.lower().startswith("webcal://"):
            value = "https://" + value[9:]
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL; write the full address, "
                             "e.g. https://example.org/events/")
        return value

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value != "auto" and value not in READERS:
            raise ValueError(f"unknown format {value!r}; use auto or one of {', '.join(READERS)}")
        return value

    @field_validator("location")
    @classmethod
    def _location(cls, value: str | None) -> str | None:
        return None if value is None else _check_city(value)

    @model_validator(mode="after")
    def _recipe_needs_selectors(self) -> Source:
        if self.format == "recipe":
            if not self.recipe or not {"event", "title", "start"} <= set(self.recipe):
                raise ValueError("format: recipe needs a recipe with at least the selectors "
                                 "event, title and start")
        return self


class Feed(BaseModel):
    """One published calendar: output/<id>.ics and what goes into it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    description: str | None = None
    industries: list[str] = Field(default_factory=list)
    city: str | None = None
    radius_km: float = Field(default=40.0, gt=0, le=20_000)
    #: in-person events in any of these cities (by name, not distance) or regions also match
    cities: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    include_online: bool = True
    days_ahead: int | None = Field(default=None, gt=0, le=3660)
    keywords: list[str] = Field(default_factory=list)
    exclude_keywords: list[str] = Field(default_factory=list)
    scope: str | None = None
    sources: list[str] = Field(default_factory=list)
    exclude_sources: list[str] = Field(default_factory=list)
    event_types: list[str] = Field(default_factory=list)
    #: the most events the feed holds, the soonest kept (calendar apps choke long before a million)
    max_events: int = Field(default=50_000, gt=0, le=10_000_000)
    #: words every event must mention, in its title, description, venue, organiser or association's name
    search: str | None = Field(default=None, max_length=200)
    #: the radius in miles instead of `radius_km` (which it sets)
    radius_mi: float | None = Field(default=None, gt=0, le=12_500)
    #: events on or after this day, and on or before `to_date` (each on its own clock)
    from_date: date | None = None
    to_date: date | None = None

    _id = field_validator("id")(_check_id)
    _industries = field_validator("industries")(_check_industries)
    _event_types = field_validator("event_types")(_check_event_types)
    _regions = field_validator("regions")(_check_regions)
    _words = field_validator("keywords", "exclude_keywords")(_check_words)
    _yaml = field_validator("cities", "regions", "keywords", "exclude_keywords", "sources", "exclude_sources",
                            "event_types", "industries", mode="before")(_yaml_words)
    _sources = field_validator("sources", "exclude_sources")(_check_source_ids)

    @field_validator("city")
    @classmethod
    def _city(cls, value: str | None) -> str | None:
        return None if value is None else _check_city(value)

    @field_validator("cities")
    @classmethod
    def _cities(cls, values: list[str]) -> list[str]:
        return [_check_city(v) for v in values]

    @field_validator("scope")
    @classmethod
    def _scope(cls, value: str | None) -> str | None:
        if value is None or value in SCOPES:
            return value
        raise ValueError(f"unknown scope {value!r}; use {nearest(value, list(SCOPES), 2)}")

    @field_validator("search")
    @classmethod
    def _search(cls, value: str | None) -> str | None:
        words = " ".join((value or "").split())
        return words or None

    @model_validator(mode="after")
    def _radius_and_days(self) -> Feed:
        if self.radius_mi is not None:
            if "radius_km" in self.model_fields_set:
                raise ValueError("give radius_km or radius_mi, not both")
            self.radius_km = self.radius_mi * KM_PER_MILE
        if self.from_date and self.to_date and self.to_date < self.from_date:
            raise ValueError(f"to_date {self.to_date} is before from_date {self.from_date}; swap them")
        return self

    def has_place_filter(self) -> bool:
        return bool(self.city or self.cities or self.regions)


class Settings(BaseModel):
    """Run-wide settings; each also has an environment variable that wins over it."""

    model_config = ConfigDict(extra="forbid")

    allow_private: bool = False
    schedule: str | None = None
    #: the zone `schedule`'s cron is read in (default UTC)
    schedule_timezone: str | None = None
    #: read sources on Dask: "local" (a cluster of worker processes) or tcp://scheduler:8786
    dask: str | None = None
    #: where people reach `eventscout serve` (subscribe links name it), e.g. https://feeds.example.org
    public_url: str | None = None

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        return None if value is None else check_public_url(value)

    @field_validator("schedule_timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else _check_zone(value)


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[Source] = Field(default_factory=list)
    feeds: list[Feed] = Field(default_factory=list)
    settings: Settings = Field(default_factory=Settings)

    @model_validator(mode="after")
    def _unique_ids(self, info: ValidationInfo) -> Config:
        if (info.context or {}).get("duplicates_reported"):
            return self  # parse_config reported them, each at its line, beside every other problem
        for kind, items in (("source", self.sources), ("feed", self.feeds)):
            for _, index, item_id in duplicate_ids([item.id for item in items]):
                raise ValueError(f"{kind}s[{index}]: duplicate {kind} id {item_id!r}; give each {kind} its own id")
        return self

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)


def duplicate_ids(ids: list[Any]) -> list[tuple[int, int, str]]:
    """(index of the first, index of the repeat, id) for each id given again."""
    first: dict[str, int] = {}
    out = []
    for index, item_id in enumerate(ids):
        if not isinstance(item_id, str):
            continue
        if item_id in first:
            out.append((first[item_id], index, item_id))
        else:
            first.setdefault(item_id, index)
    return out


#: the model each part of the file is validated by, for suggesting the key a misspelt one meant
_SECTIONS = {"sources": Source, "feeds": Feed, "settings": Settings}


#: libyaml's parser when PyYAML was built with it: a thousand sources load in 0.1 s, not 0.8 s
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: the largest sources file read: 10,000 sources take about 2 MiB
MAX_FILE_BYTES = 16 * 1024 * 1024
#: how many values aliases (*name) may add to the document once written out: reusing a list
#: of industries across every source is fine, a "billion laughs" is not
MAX_ALIAS_EXPANSION = 200_000


def _compose(text: str, path: Path | str) -> yaml.Node | None:
    """The document's node graph, refused when aliases would blow it up or keys repeat.

    Composing keeps each alias as a reference to its anchored node, so this
    costs the size of the file; only walking the data (validation, the line
    index) would pay for the expansion.
    """
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError(path, [_too_large(path, len(text.encode("utf-8", "replace")))])
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(path, [f"{where}: not valid YAML ({problem}); check the indentation "
                                 "and quoting on that line"]) from None
    if root is not None:
        _check_graph(root, path)
    return root


def _too_large(path: Path | str, size: int) -> str:
    return (f"{path}: the file is {size / 1024 / 1024:.1f} MiB, over the {MAX_FILE_BYTES // 1024 // 1024} MiB "
            "a sources file may be; split it, or remove what is not sources, feeds and settings")


def _check_graph(root: yaml.Node, path: Path | str) -> None:
    """Duplicate keys, alias cycles and alias bombs, each found once per node (shared nodes are memoised)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    problems: list[str] = []
    composed = 0

    def size(node: yaml.Node) -> int:
        nonlocal composed
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise ConfigError(path, [f"{path}:{node.start_mark.line + 1}: an alias refers to a value that "
                                     "contains it (a loop); write the value out instead of the alias"])
        open_nodes.add(key)
        composed += 1
        total = 1
        if isinstance(node, yaml.MappingNode):
            first_lines: dict[object, int] = {}
            for key_node, value in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                    line = key_node.start_mark.line + 1
                    if key_node.value in first_lines:
                        problems.append(f"{path}:{line}: duplicate key {key_node.value!r}, first at line "
                                        f"{first_lines[key_node.value]}; YAML would keep only the last: "
                                        "remove or rename one")
                    else:
                        first_lines[key_node.value] = line
                total += size(key_node) + size(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item)
        open_nodes.discard(key)
        sizes[key] = total
        return total

    expanded = size(root)
    if expanded - composed > MAX_ALIAS_EXPANSION:
        problems.append(f"{path}: its aliases (*name) expand to {expanded:,} values from {composed:,} written, "
                        f"more than {MAX_ALIAS_EXPANSION:,} extra; write the values out or use fewer aliases")
    if problems:
        raise ConfigError(path, problems)


def _line_index(root: yaml.Node | None) -> dict[tuple[Any, ...], int]:
    """Map each path in the YAML document (keys and list indexes) to its 1-based line."""
    lines: dict[tuple[Any, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[path + (key.value,)] = key.start_mark.line + 1
                walk(value, path + (key.value,))
                lines[path + (key.value,)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))

    if root is not None:
        walk(root, ())
    return lines


def _describe(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def parse_config(text: str, path: Path | str = "sources.yaml") -> Config:
    """Validate a sources document; every problem is reported, each with its line and fix."""
    root = _compose(text, path)
    try:
        data = _LOADER("").construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(path, [f"{where}: cannot read this value ({getattr(exc, 'problem', None) or exc}); "
                                 "check its quoting"]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, [f"{path}:1: expected a mapping with 'sources:' and 'feeds:' lists"])
    repeated = [(kind, first, index, item_id) for kind in ("sources", "feeds")
                for first, index, item_id in duplicate_ids(_ids(data, kind))]
    problems: list[tuple[int, str]] = []
    lines: dict[tuple[Any, ...], int] = {}
    try:
        config = Config.model_validate(data, context={"source_ids": [i for i in _ids(data, "sources") if isinstance(i, str)],
                                                      "duplicates_reported": True})
    except ValidationError as exc:
        lines = _line_index(root)  # only now: a valid file needs no index
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            problems.append((_nearest_line(lines, loc), f"{_describe(loc)}: {_message(err, loc)}"))
        config = None
    if repeated:
        lines = lines or _line_index(root)
        for kind, first, index, item_id in repeated:
            loc = (kind, index, "id")
            problems.append((_nearest_line(lines, loc), f"{_describe(loc)}: duplicate {kind[:-1]} id {item_id!r} "
                             f"(first at line {_nearest_line(lines, (kind, first, 'id'))}); give each "
                             f"{kind[:-1]} its own id"))
    if problems:
        raise ConfigError(path, [f"{path}:{line}: {message}" for line, message in sorted(problems)])
    return config


def _message(err: Any, loc: tuple[Any, ...]) -> str:
    """A validation error as the file's author needs it: for a misspelt key, the key it likely meant."""
    if err["type"] == "missing":
        return f"missing required key {loc[-1]!r}; add it"
    if err["type"] != "extra_forbidden":
        return err["msg"].removeprefix("Value error, ")
    model = _SECTIONS.get(loc[0]) if len(loc) > 1 else Config
    known = list(model.model_fields) if model is not None else []
    if known and isinstance(loc[-1], str):
        from rapidfuzz import fuzz, process

        best = process.extractOne(loc[-1], known, scorer=fuzz.ratio)
        if best and best[1] >= 60:
            return f"unknown key {loc[-1]!r}; did you mean {best[0]!r}?"
        return f"unknown key {loc[-1]!r}; remove it, or use one of {', '.join(known)}"
    return f"unknown key {loc[-1]!r}; remove it or check its spelling"


def _ids(data: dict, kind: str) -> list[Any]:
    items = data.get(kind)
    return [i.get("id") if isinstance(i, dict) else None for i in items] if isinstance(items, list) else []


def _nearest_line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


def load_config(path: Path | str) -> Config:
    """Read and validate a sources file; a missing file is a ConfigError too."""
    path = Path(path)
    text = read_user_file(path, ConfigError, "pass --sources PATH or create it (see README.md, Configuration)",
                          too_large=lambda p, size: _too_large(p, size) if size > MAX_FILE_BYTES else None)
    return parse_config(text, path)
