"""The one record every stage of eventscout speaks: extract → store → filter → feeds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo


class AttendanceMode(StrEnum):
    """How people attend; str-valued, so the store, `--json` and feeds keep the same words."""

    IN_PERSON = "in-person"
    ONLINE = "online"
    HYBRID = "hybrid"


class Status(StrEnum):
    """Whether the event goes ahead, as the source says; str-valued like AttendanceMode."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


_Closed = TypeVar("_Closed", AttendanceMode, Status)

#: the members under the short names the readers import
IN_PERSON, ONLINE, HYBRID = AttendanceMode
SCHEDULED, CANCELLED, POSTPONED = Status


@dataclass(slots=True)
class Location:
    """Where an event happens, as far as the source says (and the gazetteer resolves)."""

    name: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def one_line(self) -> str:
        """The place as one readable line, for LOCATION and the web page."""
        parts: list[str] = []
        for part in (self.name, self.street, self.city):
            if part and part not in parts:
                parts.append(part)
        region = " ".join(p for p in (self.region, self.postal_code) if p)
        if region:
            parts.append(region)
        if self.country and self.country not in ("US", "USA", "United States"):
            parts.append(self.country)
        return ", ".join(parts)

    # slots=True: __slots__ names the fields, in order (and is faster to walk than fields())
    def is_empty(self) -> bool:
        return not any(getattr(self, name) not in (None, "") for name in self.__slots__)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Location | None:
        if not data:
            return None
        return cls(**{f.name: data.get(f.name) for f in fields(cls)})


@dataclass(slots=True)
class Event:
    """One event occurrence as its source states it.

    ``start``/``end`` keep the wall clock and offset the source gives: an aware
    ``datetime`` (a ``ZoneInfo`` or a fixed offset), a naive ``datetime`` for a
    floating time not yet given its source's zone, or a ``date`` for all-day
    events. ``key`` is what the source keeps stable for this event (its UID and
    recurrence id, its id, or its URL); it, not the title or time, is the
    event's identity.
    """

    title: str
    start: datetime | date
    end: datetime | date | None = None
    timezone: str | None = None
    url: str | None = None
    description: str = ""
    location: Location | None = None
    online: AttendanceMode = IN_PERSON
    status: Status = SCHEDULED
    organizer: str | None = None
    categories: list[str] = field(default_factory=list)
    source_format: str = ""
    key: str | None = None
    source_id: str | None = None
    industries: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    confidence: float = 1.0
    #: why each industry was given ("source shrm lists it", 'title mentions "HR"'), for `explain`
    industry_reasons: dict[str, str] = field(default_factory=dict)
    #: conference, meetup, workshop, webinar, career-fair, social (flows/event_types.py)
    event_types: list[str] = field(default_factory=list)
    event_type_reasons: dict[str, str] = field(default_factory=dict)
    #: the id and what it was worked out from: dedup and feeds ask for it many times per event
    _id_cache: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Check the two closed fields when the Event is built, so a bad word fails at its reader."""
        if type(self.online) is not AttendanceMode:
            self.online = _member(AttendanceMode, self.online, "online")
        if type(self.status) is not Status:
            self.status = _member(Status, self.status, "status")

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    def place_line(self) -> str:
        """Where to go, as one line, and whether it is online: the feeds' LOCATION, the page, the CLI and explain."""
        place = self.location.one_line() if self.location else ""
        if self.online is AttendanceMode.IN_PERSON or "online" in place.casefold():
            return place or ("Online" if self.online is AttendanceMode.ONLINE else "")
        if self.online is AttendanceMode.ONLINE:
            return f"Online ({place})" if place else "Online"
        return f"{place} (and online)" if place else "In person and online"

    @property
    def identity(self) -> str:
        """The stable part of the id: the source's own key, else URL, else title and day."""
        if self.key:
            return self.key
        if self.url:
            return self.url
        day = self.start.date() if isinstance(self.start, datetime) else self.start
        return f"{' '.join(self.title.casefold().split())}@{day.isoformat()}"

    @property
    def id(self) -> str:
        """Same on every run for the same source event; the feed UID is built from it."""
        cache = self._id_cache
        if (cache is not None and cache[1] is self.source_id and cache[2] is self.key and cache[3] is self.url
                and cache[4] is self.title and cache[5] is self.start):
            return cache[0]
        digest = hashlib.sha1(f"{self.source_id or ''}\n{self.identity}".encode()).hexdigest()[:20]
        self._id_cache = (digest, self.source_id, self.key, self.url, self.title, self.start)
        return digest

    def start_utc(self) -> datetime:
        """The start instant in UTC (all-day and floating events read as UTC midnight/wall)."""
        return as_utc(self.start)

    def with_default_timezone(self, name: str | None) -> Event:
        """Give floating times the source's zone; times with an offset keep theirs."""
        if not name or self.all_day:
            return self
        zone = ZoneInfo(name)
        changed: dict[str, Any] = {}
        if isinstance(self.start, datetime) and self.start.tzinfo is None:
            changed["start"] = self.start.replace(tzinfo=zone)
        if isinstance(self.end, datetime) and self.end.tzinfo is None:
            changed["end"] = self.end.replace(tzinfo=zone)
        if self.timezone is None and (changed or _is_zone(self.start.tzinfo, name)):
            changed["timezone"] = name
        return replace(self, **changed) if changed else self

    def to_json(self) -> dict[str, Any]:
        """The `eventscout extract --json` shape."""
        return {
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end is not None else None,
            "all_day": self.all_day,
            "timezone": self.timezone,
            "url": self.url,
            "description": self.description,
            "location": self.location.to_dict() if self.location and not self.location.is_empty() else None,
            "online": self.online.value,
            "status": self.status.value,
            "organizer": self.organizer,
            "categories": list(self.categories),
            "source_format": self.source_format,
        }

    def to_record(self) -> dict[str, Any]:
        """Everything, for the store; `from_record` reads it back."""
        record = self.to_json()
        record.update(key=self.key, source_id=self.source_id, industries=list(self.industries),
                      links=list(self.links), confidence=self.confidence,
                      industry_reasons=dict(self.industry_reasons), event_types=list(self.event_types),
                      event_type_reasons=dict(self.event_type_reasons))
        return record

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Event:
        zone = data.get("timezone")
        return cls(
            title=data["title"],
            start=parse_iso(data["start"], zone),
            end=parse_iso(data["end"], zone) if data.get("end") else None,
            timezone=data.get("timezone"),
            url=data.get("url"),
            description=data.get("description") or "",
            location=Location.from_dict(data.get("location")),
            online=data.get("online") or IN_PERSON,
            status=data.get("status") or SCHEDULED,
            organizer=data.get("organizer"),
            categories=list(data.get("categories") or []),
            source_format=data.get("source_format") or "",
            key=data.get("key"),
            source_id=data.get("source_id"),
            industries=list(data.get("industries") or []),
            links=list(data.get("links") or []),
            confidence=float(data.get("confidence", 1.0)),
            industry_reasons=dict(data.get("industry_reasons") or {}),
            event_types=list(data.get("event_types") or []),
            event_type_reasons=dict(data.get("event_type_reasons") or {}),
        )


def _member(kind: type[_Closed], value: object, name: str) -> _Closed:
    try:
        return kind(value)
    except ValueError:
        words = ", ".join(member.value for member in kind)
        raise ValueError(f"Event.{name} is {value!r}; use one of {words} ({kind.__name__})") from None


def _is_zone(tz: tzinfo | None, name: str) -> bool:
    return isinstance(tz, ZoneInfo) and tz.key == name


def parse_iso(text: str, zone: str | None = None) -> datetime | date:
    """Read back what `isoformat()` wrote, re-attaching the named zone where its offset agrees."""
    if len(text) == 10:
        return date.fromisoformat(text)
    value = datetime.fromisoformat(text)
    if zone and value.tzinfo is not None:
        try:
            in_zone = value.astimezone(ZoneInfo(zone))
        except (KeyError, ValueError):
            return value
        if in_zone.utcoffset() == value.utcoffset():
            return in_zone
    return value


def as_utc(value: datetime | date) -> datetime:
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def default_end(start: datetime | date) -> datetime | date:
    """A sensible end when a source gives none: two hours, or the next day for all-day events."""
    if isinstance(start, datetime):
        return start + timedelta(hours=2)
    return start + timedelta(days=1)
