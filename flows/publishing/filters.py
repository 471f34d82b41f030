"""Which stored events belong in which feed, and why.

Every check returns a verdict with its reason, so `eventscout explain` can
show people exactly which filter admitted or rejected an event. A feed's
filters are all optional; an event is in the feed when every check admits it.

A merged event (one event posted by several sources, eventscout.flows.reading.dedup) is judged
with every source that posted it: it is "from" each of them, so a feed of
regional chapters keeps a chapter's event that the national site lists too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from eventscout.flows.config import Feed, Source
from eventscout.flows.knowledge.places import Place, distance_km, find_region, geocode, same_region
from eventscout.flows.store import StoredEvent
from eventscout.scrapers.event import HYBRID, IN_PERSON, ONLINE, Event, Location, as_utc


@dataclass(frozen=True)
class Verdict:
    """One check's answer; `undecided` when it could not judge (no place) and so left the event out."""

    admitted: bool
    check: str
    reason: str
    undecided: bool = False


Check = Callable[[StoredEvent], Verdict]


def source_ids(stored: StoredEvent) -> list[str]:
    """Every source that posted this event: its own, then its merged duplicates'."""
    out: list[str] = []
    for event in (stored.event, *stored.duplicates):
        if event.source_id and event.source_id not in out:
            out.append(event.source_id)
    return out


def upcoming_check(now: datetime) -> Check:
    def check(stored: StoredEvent) -> Verdict:
        event = stored.event
        end = event.end if event.end is not None else event.start
        if as_utc(end) < now:
            return Verdict(False, "upcoming", "already over")
        return Verdict(True, "upcoming", "not over yet")

    return check


def _days_ahead_check(feed: Feed, now: datetime) -> Check | None:
    if feed.days_ahead is None:
        return None
    horizon = now + timedelta(days=feed.days_ahead)

    def check(stored: StoredEvent) -> Verdict:
        start = stored.event.start_utc()
        days = max(0, (start - now).days)
        if start <= horizon:
            return Verdict(True, "days_ahead", f"starts in {days} days (within {feed.days_ahead})")
        return Verdict(False, "days_ahead", f"starts in {days} days (beyond {feed.days_ahead})")

    return check


def _sources_check(feed: Feed) -> Check | None:
    if not feed.sources and not feed.exclude_sources:
        return None
    only, excluded = set(feed.sources), set(feed.exclude_sources)

    def check(stored: StoredEvent) -> Verdict:
        posted = source_ids(stored)
        allowed = [s for s in posted if (not only or s in only) and s not in excluded]
        if allowed:
            return Verdict(True, "sources", f"posted by {', '.join(allowed)}")
        why = "is not one of" if only else "is excluded by"
        listed = feed.sources if only else feed.exclude_sources
        return Verdict(False, "sources", f"posted by {', '.join(posted) or 'no source'}, which {why} "
                                         f"{', '.join(listed)}")

    return check


def _scope_check(feed: Feed, scopes: Mapping[str, str]) -> Check | None:
    if feed.scope is None:
        return None

    def check(stored: StoredEvent) -> Verdict:
        posted = {s: scopes.get(s) for s in source_ids(stored)}
        hit = [s for s, scope in posted.items() if scope == feed.scope]
        if hit:
            return Verdict(True, "scope", f"{', '.join(hit)} is a {feed.scope} source")
        have = ", ".join(f"{s} is {scope or 'no longer configured'}" for s, scope in posted.items())
        return Verdict(False, "scope", f"not from a {feed.scope} source ({have or 'no source'})")

    return check


def _industry_check(feed: Feed) -> Check | None:
    if not feed.industries:
        return None
    wanted = set(feed.industries)

    def check(stored: StoredEvent) -> Verdict:
        event = stored.event
        hit = [i for i in event.industries if i in wanted]
        if hit:
            return Verdict(True, "industry", "; ".join(_with_reason(i, event.industry_reasons) for i in hit))
        have = ", ".join(event.industries) or "none"
        return Verdict(False, "industry", f"industries ({have}) are not any of {', '.join(sorted(wanted))}")

    return check


def _event_type_check(feed: Feed) -> Check | None:
    if not feed.event_types:
        return None
    wanted = set(feed.event_types)

    def check(stored: StoredEvent) -> Verdict:
        event = stored.event
        hit = [t for t in event.event_types if t in wanted]
        if hit:
            return Verdict(True, "event_types", "; ".join(_with_reason(t, event.event_type_reasons) for t in hit))
        have = ", ".join(event.event_types) or "none recognised"
        return Verdict(False, "event_types", f"types ({have}) are not any of {', '.join(feed.event_types)}")

    return check


def _with_reason(name: str, reasons: Mapping[str, str]) -> str:
    return f"{name} ({reasons[name]})" if name in reasons else name


def keyword_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of `words` as whole words or phrases, ignoring case; spaces match any white space.

    The words are merged into a trie, so the pattern branches on one character
    at a time: matching costs time linear in the text (times the longest word),
    however many words there are, where a flat alternation tries every word at
    every position of the text.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for unit in _units(word):
            node = node.setdefault(unit, {})
        node[_END] = {}
    return re.compile(r"(?<!\w)" + _trie_pattern(trie) + r"(?!\w)", re.IGNORECASE)


#: marks the end of a whole word in the trie; a white-space gap between words is the unit `_GAP`
_END, _GAP = "", " "


def _units(word: str) -> list[str]:
    """One unit per character, lower-cased where that keeps one character (so "AI" and "ai" share a path)."""
    units: list[str] = []
    for i, part in enumerate(word.split()):
        if i:
            units.append(_GAP)
        units += [c.lower() if len(c.lower()) == 1 else c for c in part]
    return units


def _trie_pattern(node: dict) -> str:
    """The regex for a trie node: literal runs stay flat, a group only where words branch or end."""
    run = ""
    while len(node) == 1 and _END not in node:
        ((unit, node),) = node.items()
        run += r"\s+" if unit == _GAP else re.escape(unit)
    branches = [(r"\s+" if unit == _GAP else re.escape(unit)) + _trie_pattern(child)
                for unit, child in sorted(node.items()) if unit != _END]
    if not branches:
        return run
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return run + ("(?:" + body + ")?" if _END in node else body)


def _find_keyword(pattern: re.Pattern[str], event: Event) -> str | None:
    """Where a keyword is found, as a reason ('title mentions "AI"'), or None."""
    for field, text in (("title", event.title), ("categories", " | ".join(event.categories)),
                        ("description", event.description), ("organizer", event.organizer or "")):
        found = pattern.search(text or "")
        if found:
            return f'{field} mentions "{found.group(0)}"'
    return None


def _keywords_check(feed: Feed) -> Check | None:
    if not feed.keywords:
        return None
    pattern = keyword_pattern(feed.keywords)

    def check(stored: StoredEvent) -> Verdict:
        found = _find_keyword(pattern, stored.event)
        if found:
            return Verdict(True, "keywords", found)
        return Verdict(False, "keywords", f"mentions none of {', '.join(feed.keywords)}")

    return check


def _exclude_keywords_check(feed: Feed) -> Check | None:
    if not feed.exclude_keywords:
        return None
    pattern = keyword_pattern(feed.exclude_keywords)

    def check(stored: StoredEvent) -> Verdict:
        found = _find_keyword(pattern, stored.event)
        if found:
            return Verdict(False, "exclude_keywords", f"{found}, an excluded keyword")
        return Verdict(True, "exclude_keywords", "mentions no excluded keyword")

    return check


def _search_check(feed: Feed, names: Mapping[str, str]) -> Check | None:
    """Every word of `search` starting a word of the title, description, venue, organiser or an
    association's name ("break" finds "Breakfast"; "HR" finds "HR", not "three")."""
    if not feed.search:
        return None
    words = _search_words(feed.search)

    def check(stored: StoredEvent) -> Verdict:
        event = stored.event
        text = _search_words(" ".join([
            event.title, event.description or "", event.location.one_line() if event.location else "",
            event.organizer or "", *(names.get(s, "") for s in source_ids(stored))]))
        missing = [w for w in words if not any(t.startswith(w) for t in text)]
        if missing:
            return Verdict(False, "search", f"does not mention {', '.join(missing)}")
        return Verdict(True, "search", f"mentions {', '.join(words)}")

    return check


def _search_words(text: str) -> list[str]:
    """Words with case and accents folded, so "Café" finds "cafe"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c)))


def _dates_check(feed: Feed) -> Check | None:
    """Events on the days asked for, each day read on the event's own clock; a multi-day event counts
    when any of its days falls in the range."""
    if feed.from_date is None and feed.to_date is None:
        return None

    def check(stored: StoredEvent) -> Verdict:
        event = stored.event
        first = _day(event.start)
        last = max(first, _day(event.end) - timedelta(days=1 if type(event.end) is date else 0)) \
            if event.end is not None else first
        if feed.from_date and last < feed.from_date:
            return Verdict(False, "dates", f"ends {last}, before {feed.from_date}")
        if feed.to_date and first > feed.to_date:
            return Verdict(False, "dates", f"starts {first}, after {feed.to_date}")
        return Verdict(True, "dates", f"on {first}" + (f" to {last}" if last != first else ""))

    return check


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _place_check(feed: Feed) -> Check | None:
    if not feed.has_place_filter():
        if feed.include_online:
            return None

        def in_person_only(stored: StoredEvent) -> Verdict:
            if stored.event.online == ONLINE:
                return Verdict(False, "online", "online event, and the feed excludes online events")
            return Verdict(True, "online", "not online-only")

        return in_person_only
    centre = geocode(feed.city) if feed.city else None
    cities = [(name, geocode(name)) for name in feed.cities]
    regions = [find_region(name) for name in feed.regions]
    assert all(p for _, p in cities) and all(regions), "config validation places every city and region"

    def check(stored: StoredEvent) -> Verdict:
        event = stored.event
        if event.online in (ONLINE, HYBRID) and feed.include_online:
            return Verdict(True, "place", f"{event.online} event, and the feed includes online events")
        if event.online == ONLINE:
            return Verdict(False, "place", "online event, and the feed excludes online events")
        loc = event.location
        if loc is None:
            return Verdict(False, "place", "no place given", undecided=True)
        where = loc.city or loc.one_line() or "its place"
        misses: list[str] = []
        judged = False
        if centre is not None and loc.lat is not None and loc.lon is not None:
            judged = True
            km = distance_km(centre.lat, centre.lon, loc.lat, loc.lon)
            if km <= feed.radius_km:
                return Verdict(True, "place", f"{where} is {km:.0f} km from {feed.city} "
                                              f"(within {feed.radius_km:g} km)")
            misses.append(f"{km:.0f} km from {feed.city} (beyond {feed.radius_km:g} km)")
        if cities and loc.city:
            judged = True
            for name, place in cities:
                if _same_city(loc, place):
                    return Verdict(True, "place", f"{where} is in the feed's cities ({name})")
            misses.append(f"not one of the cities {', '.join(feed.cities)}")
        for region in regions:
            inside = same_region(loc, region)
            if inside is None:
                continue
            judged = True
            if inside:
                return Verdict(True, "place", f"{where} is in {region.name}")
        if regions and judged:
            misses.append(f"not in {', '.join(feed.regions)}")
        if not judged:
            return Verdict(False, "place", f"{loc.one_line() or 'its place'}: no place that could be "
                                           "resolved to a city or coordinates", undecided=True)
        return Verdict(False, "place", f"{where} is " + "; ".join(misses))

    return check


def _same_city(loc: Location, place: Place | None) -> bool:
    if place is None or not loc.city or loc.city.casefold() != place.city.casefold():
        return False
    return not loc.region or not place.region or loc.region.casefold() == place.region.casefold()


def feed_checks(feed: Feed, now: datetime | None = None, sources: Iterable[Source] = ()) -> list[Check]:
    """The feed's checks, cheapest first; `sources` gives each source's scope."""
    now = now or datetime.now(timezone.utc)
    sources = list(sources)
    scopes = {s.id: s.scope for s in sources}
    candidates = (_days_ahead_check(feed, now), _dates_check(feed), _sources_check(feed),
                  _scope_check(feed, scopes), _industry_check(feed), _event_type_check(feed),
                  _keywords_check(feed), _exclude_keywords_check(feed),
                  _search_check(feed, {s.id: s.name for s in sources}), _place_check(feed))
    return [c for c in candidates if c is not None]


def explain(feed: Feed, stored: StoredEvent, now: datetime | None = None,
            sources: Iterable[Source] = ()) -> list[Verdict]:
    """Every check's verdict on one event, in order."""
    now = now or datetime.now(timezone.utc)
    return [check(stored) for check in [upcoming_check(now), *feed_checks(feed, now, sources)]]


class BySource:
    """Events indexed by every source that posted them.

    A feed that lists its sources is then judged on those sources' events
    only, not on the whole store's: twenty feeds of 250 sources each over
    100,000 events would otherwise judge two million events.
    """

    def __init__(self, events: Sequence[StoredEvent]) -> None:
        self.events = events
        self._index: dict[str, list[int]] = {}
        for position, stored in enumerate(events):
            for source in source_ids(stored):
                self._index.setdefault(source, []).append(position)

    def pool(self, feed: Feed) -> Sequence[StoredEvent]:
        """Every event `feed` could admit, in the events' order: all of them unless it lists sources."""
        if not feed.sources:
            return self.events
        positions = sorted({p for source in feed.sources for p in self._index.get(source, ())})
        return [self.events[p] for p in positions]


def select(feed: Feed, events: Iterable[StoredEvent], now: datetime | None = None,
           sources: Iterable[Source] = ()) -> list[StoredEvent]:
    """The events a feed publishes."""
    now = now or datetime.now(timezone.utc)
    checks = [upcoming_check(now), *feed_checks(feed, now, sources)]
    return [s for s in events if all(check(s).admitted for check in checks)]


def unjudged(feed: Feed, events: Iterable[StoredEvent], now: datetime | None = None,
             sources: Iterable[Source] = ()) -> list[StoredEvent]:
    """Events every other check admits but whose place the feed's place filter could not judge."""
    if not feed.has_place_filter():
        return []  # only a place filter leaves an event unjudged
    now = now or datetime.now(timezone.utc)
    checks = [upcoming_check(now), *feed_checks(feed, now, sources)]
    out = []
    for stored in events:
        verdicts = [check(stored) for check in checks]
        if any(v.undecided for v in verdicts) and all(v.admitted or v.undecided for v in verdicts):
            out.append(stored)
    return out


def has_place(event: Event) -> bool:
    """Whether a place filter can judge this event at all."""
    if event.online != IN_PERSON:
        return True
    loc = event.location
    return loc is not None and loc.lat is not None and loc.lon is not None
