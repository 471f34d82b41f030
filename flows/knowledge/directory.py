"""The directory of associations: who exists, national or regional, for which industries and where.

The shipped list is `directory.yaml` next to this module; a user's own file of the
same format (a career coach's list for a group) replaces it. An entry is a fact
about an association, not a source: `eventscout init` probes its home page and
writes a source only for the ones that answer with events.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from eventscout.flows.knowledge.industries import UnknownIndustry, canonical_industry
from eventscout.flows.knowledge.places import Place, distance_km, geocode
from eventscout.flows.problems import FileProblems, read_user_file

DIRECTORY_FILE = Path(__file__).with_name("directory.yaml")
#: how far from the city a regional association may meet and still be "within reach"
DEFAULT_RADIUS_KM = 80.0


class DirectoryError(FileProblems, ValueError):
    """A directory file that cannot be used; each problem names the file, line and fix."""


def _http_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        raise ValueError(f"{value!r} is not an http(s) URL; write the full address, e.g. https://example.org/")
    return value


class Association(BaseModel):
    """One entry of the directory."""

    #: keys it does not know are left out with a warning (`Directory.warnings`), not refused
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str = Field(min_length=2)
    home: str
    scope: Literal["national", "regional"]
    industries: tuple[str, ...] = Field(min_length=1)
    region: str | None = None
    #: "chamber": a metro's main chamber of commerce (or the partnership that serves as one)
    kind: Literal["association", "chamber"] = "association"
    #: national entries: the page that lists the association's chapters
    chapters: str | None = None
    #: where the entry's facts were taken from (the shipped file gives it for every entry)
    source: str = ""
    verified: bool = False

    @field_validator("home", "chapters")
    @classmethod
    def _urls(cls, value: str | None) -> str | None:
        return None if value is None else _http_url(value)

    @field_validator("industries")
    @classmethod
    def _industries(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        try:
            return tuple(dict.fromkeys(canonical_industry(v) for v in values))
        except UnknownIndustry as exc:
            raise ValueError(str(exc)) from None

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is not None and geocode(value) is None:
            raise ValueError(f"cannot place {value!r}; write it as 'City, ST', e.g. 'Atlanta, GA'")
        return value

    @model_validator(mode="after")
    def _scope_fields(self) -> Association:
        if self.scope == "regional" and self.region is None:
            raise ValueError("a regional entry needs a region, the city it meets in, e.g. region: Atlanta, GA")
        if self.scope == "national" and self.region is not None:
            raise ValueError("a national entry has no region; remove it, or make the entry scope: regional")
        if self.scope == "regional" and self.chapters is not None:
            raise ValueError("only a national entry lists chapters; remove chapters or make it scope: national")
        return self

    @property
    def place(self) -> Place | None:
        return geocode(self.region) if self.region else None


@dataclass(frozen=True)
class Match:
    """An entry that matches a search, with its distance from the city searched for (regional ones)."""

    association: Association
    distance_km: float | None = None

    def to_json(self) -> dict[str, Any]:
        record = self.association.model_dump(exclude_none=True)
        record["industries"] = list(self.association.industries)
        if self.distance_km is not None:
            record["distance_km"] = round(self.distance_km, 1)
        return record


@dataclass(frozen=True)
class Directory:
    """The entries of one directory file, and what was ignored in it."""

    path: Path
    associations: tuple[Association, ...]
    #: keys no entry has, each with its line and the nearest known key
    warnings: tuple[str, ...] = ()

    def matching(self, industries: list[str] | None = None, city: Place | None = None,
                 radius_km: float = DEFAULT_RADIUS_KM) -> list[Match]:
        """National entries of those industries, then regional ones within `radius_km` of `city`, nearest first.

        No industries means every industry; no city means every regional entry.
        """
        wanted = set(industries or ())
        national: list[Match] = []
        regional: list[Match] = []
        for entry in self.associations:
            if wanted and not wanted.intersection(entry.industries):
                continue
            if entry.scope == "national":
                national.append(Match(entry))
                continue
            place = entry.place
            if city is None or place is None:
                regional.append(Match(entry))
                continue
            distance = distance_km(city.lat, city.lon, place.lat, place.lon)
            if distance <= radius_km:
                regional.append(Match(entry, distance))
        regional.sort(key=lambda m: m.distance_km or 0.0)
        return national + regional


def home_key(url: str) -> tuple[str, str]:
    """A site's host (without www., with its port unless the default) and path, however it is written."""
    parts = urlsplit(url.strip())
    return site_host(url), parts.path.rstrip("/")


def site_host(url: str) -> str:
    """The host of `url` as two addresses of one site share it: lower case, no www., no default port."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    return host if port in (None, 80, 443) else f"{host}:{port}"


def on_site(home: str, url: str) -> bool:
    """Whether `url` lies on the site whose home page is `home`: the same host, under its path."""
    host, path = home_key(home)
    url_host, url_path = home_key(url)
    return url_host == host and (url_path + "/").startswith(path + "/")


def is_read_by(association: Association, source_urls: list[str]) -> bool:
    """Whether one of the sources read is on this association's site."""
    return any(on_site(association.home, url) for url in source_urls)


def load_directory(path: Path | str | None = None) -> Directory:
    """The shipped directory, or a user's file of the same format; every problem is reported at once."""
    path = Path(path) if path is not None else DIRECTORY_FILE
    text = read_user_file(path, DirectoryError, "pass --directory PATH of a directory file "
                          "(see README.md, The directory of associations)")
    return parse_directory(text, path)


def parse_directory(text: str, path: Path | str = "directory.yaml") -> Directory:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise DirectoryError(path, [f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc}); "
                                    "check the indentation and quoting on that line"]) from None
    items = data.get("associations") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DirectoryError(path, [f"{path}:1: expected a mapping with an 'associations:' list"])
    lines = _entry_lines(text)
    problems: list[str] = []
    warnings: list[str] = []
    entries: list[Association] = []
    homes: dict[tuple[str, str], tuple[int, str]] = {}
    for index, item in enumerate(items):
        where = f"{path}:{lines[index] if index < len(lines) else 1}"
        warnings.extend(f"{where}: associations[{index}]: unknown key {key!r} is ignored; {_known_keys(str(key))}"
                        for key in (item if isinstance(item, dict) else ()) if key not in Association.model_fields)
        try:
            entry = Association.model_validate(item)
        except ValidationError as exc:
            label = item.get("name") if isinstance(item, dict) else None
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "the entry"
                message = err["msg"].removeprefix("Value error, ")
                if err["type"] == "missing":
                    message = "missing; add it"
                elif err["type"] == "string_type":
                    message = f"YAML read {err['input']!r} as {type(err['input']).__name__}; put it in quotes"
                problems.append(f"{where}: associations[{index}]{f' ({label})' if label else ''}: {field}: {message}")
            continue
        first, name = homes.setdefault(home_key(entry.home), (index, entry.name))
        if first != index:
            problems.append(f"{where}: associations[{index}] ({entry.name}): home {entry.home} is also "
                            f"associations[{first}]'s ({name}); keep one entry per association")
        entries.append(entry)
    if problems:
        raise DirectoryError(path, problems)
    return Directory(Path(path), tuple(entries), tuple(warnings))


def _known_keys(key: str) -> str:
    from rapidfuzz import fuzz, process

    (near, score, _), = process.extract(key, list(Association.model_fields), scorer=fuzz.ratio, limit=1)
    return f"did you mean {near!r}?" if score >= 60 else f"an entry has {', '.join(Association.model_fields)}"


def _entry_lines(text: str) -> list[int]:
    """The 1-based line of each entry of `associations:`, for error messages."""
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "associations" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []
