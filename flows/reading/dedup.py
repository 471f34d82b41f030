"""One event posted by several sources becomes one feed entry with every source's link.

Two readings are the same event when they start within 30 minutes of each
other, their titles agree (one may carry extra words, such as the city or the
host's name, or differ by a typo) and they are at the same place: the same
venue name or street address, coordinates within about 100 m, or both online.
Two associations' "Networking Night" at the same hour in the same city but at
different venues stay two events.

The merged event is the reading whose `id` sorts lowest, so its id (and the
feed UID built from it) is the same on every run whatever order sources are
read in; the other readings fill what it lacks and add their links. A source
added later may post a reading whose id sorts lower still: the store remembers
which id each group was first published under (`eventscout.flows.publishing.publish.feed_candidates`
puts that reading first before calling `merge_group`), so the UID stays.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz

from eventscout.flows.knowledge.places import distance_km, looks_online, venue_point
from eventscout.scrapers.event import ONLINE, Event, Location

MAX_START_GAP_S = 30 * 60
MAX_VENUE_DISTANCE_KM = 0.1
TITLE_SIMILARITY = 90
_GRID = 0.002  # degrees; ~220 m of latitude, so points 100 m apart are in the same or a neighbouring cell
_STREET_ADDRESS = re.compile(
    r"\b(\d+[a-z]?)\s+(?:(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\s+)?([a-z][a-z0-9]*|\d+(?:st|nd|rd|th))\b")
#: Past this many events sharing a title's first letters in one slot and place, they are
#: not all compared (only events that share the title's rarest word are).
_MAX_SPELLING_CANDIDATES = 200
_NOT_A_VENUE = frozenset({"", "tbd", "tba", "see website", "various", "online", "virtual", "zoom", "webinar"})


def merge_duplicates(events: list[Event]) -> list[Event]:
    """The events with each set of duplicates merged into its representative, in input order."""
    return [merge_group(group) for group in duplicate_groups(events)]


def duplicate_groups(events: list[Event],
                     known: dict[str, tuple[Event, ComparisonKeys]] | None = None) -> list[list[Event]]:
    """Events grouped by sameness; each group sorted by `id`, its first the representative.

    Groups come in the order their first member appears in `events`. Events are
    only compared within 30-minute start slots and, within those, only when
    they share a place key and either the rarest word of one title (a title
    holding all of another's words holds its rarest) or the first letters of
    both (near-identical spellings), so the work stays near linear in the
    number of events. `known` maps ids to (event, `comparison_keys(event)`)
    worked out elsewhere (in the processes that read the pages); it is used
    for that very event object only.
    """
    known = known or {}
    readings: list[ComparisonKeys] = []
    for event in events:
        found = known.get(event.id)
        readings.append(found[1] if found is not None and found[0] is event else comparison_keys(event))
    parent = list(range(len(readings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Readings alike in everything compared are merged at once, and only the first is compared.
    # Readings are named by their index in `events` from here on.
    first_alike: dict[tuple, int] = {}
    distinct: list[int] = []
    for index, reading in enumerate(readings):
        if reading.place_keys:
            alike = first_alike.setdefault(reading.signature(), index)
            if alike != index:
                parent[index] = alike
                continue
        distinct.append(index)
    # Only readings that share a place with another in their slot or the next are compared
    # at all: most events have their venue to themselves that half hour.
    places = Counter((readings[i].all_day, readings[i].slot, place) for i in distinct
                     for place in readings[i].place_keys)
    slots: dict[tuple[bool, int], list[int]] = defaultdict(list)
    for index in distinct:
        reading = readings[index]
        if _has_company(reading, places):
            slots[(reading.all_day, reading.slot)].append(index)
    for (all_day, slot), here in slots.items():
        nearby = here + slots.get((all_day, slot + 1), [])
        frequency = Counter(word for index in nearby for word in readings[index].words)
        by_key: dict[tuple, list[int]] = defaultdict(list)
        for index in nearby:
            reading = readings[index]
            for place in reading.place_keys:
                for word in (*reading.words, reading.spelling):
                    by_key[(place, word)].append(index)
        for index in here:
            reading = readings[index]
            seen: set[int] = {index}
            rarest = min(reading.words, key=lambda w: (frequency[w], w), default="")
            for place in reading.probe_keys:
                candidates = by_key.get((place, rarest), [])
                similar = by_key.get((place, reading.spelling), [])
                if len(similar) <= _MAX_SPELLING_CANDIDATES:
                    candidates = candidates + similar
                for other in candidates:
                    if other in seen:
                        continue
                    seen.add(other)
                    if root(other) != root(index) and _same_event(reading, readings[other]):
                        parent[root(other)] = root(index)
    grouped: dict[int, list[Event]] = {}
    for index, event in enumerate(events):
        grouped.setdefault(root(index), []).append(event)
    return [sorted(group, key=lambda e: e.id) for group in grouped.values()]


def _has_company(reading: ComparisonKeys, places: Counter) -> bool:
    """Whether another reading has one of the places `reading` looks in, in its slot or a neighbour.

    Symmetric (a neighbouring cell's neighbour is the cell itself), so a reading
    left out here is never one another reading would have found.
    """
    own = set(reading.place_keys)
    for slot in (reading.slot - 1, reading.slot, reading.slot + 1):
        for place in reading.probe_keys:
            if places.get((reading.all_day, slot, place), 0) > (slot == reading.slot and place in own):
                return True
    return False


class ComparisonKeys(NamedTuple):
    """What comparing an event with others needs, worked out once per event (where its page is read).

    A tuple, so it crosses from the page-reading processes cheaply.
    """

    all_day: bool
    start: float
    slot: int
    title: str
    spelling: str
    city: str
    online: bool
    venue: str
    street: str
    point: tuple[float, float] | None
    place_keys: tuple[tuple, ...]
    probe_keys: tuple[tuple, ...]

    @property
    def words(self) -> frozenset[str]:
        """The folded title's words; made when compared, not kept: most events are never compared."""
        return frozenset(self.title.split())

    def signature(self) -> tuple:
        """Everything compared: readings with equal signatures are the same event without comparing."""
        return (self.all_day, self.start, self.title, self.city, self.online, self.venue, self.street,
                self.point)


def comparison_keys(event: Event) -> ComparisonKeys:
    """What comparing `event` with others needs."""
    start = event.start_utc().timestamp()
    title = _fold(event.title)
    loc = event.location or Location()
    online = event.online == ONLINE or (
        not (loc.street or loc.city) and looks_online(loc.name or "")
    )
    city = _fold(loc.city or "")
    venue = _fold((loc.name or "").split(",")[0]).removeprefix("the ")
    if venue in _NOT_A_VENUE or venue == city:
        venue = ""
    street = street_key(loc)
    point = venue_point(loc)
    place_keys: list[tuple] = []
    probe_keys: list[tuple] = []
    if online:
        place_keys.append(("online",))
    if venue:
        place_keys.append(("venue", venue))
    if street:
        place_keys.append(("street", street))
    probe_keys.extend(place_keys)
    if point:
        row, col = int(point[0] // _GRID), int(point[1] // _GRID)
        place_keys.append(("cell", row, col))
        probe_keys.extend(("cell", row + dr, col + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1))
    spelling = "#" + title.replace(" ", "")[:5]
    places = tuple(place_keys)
    return ComparisonKeys(event.all_day, start, int(start // MAX_START_GAP_S), title, spelling, city,
                          online, venue, street, point, places, places if not point else tuple(probe_keys))


def _same_event(a: ComparisonKeys, b: ComparisonKeys) -> bool:
    if abs(a.start - b.start) > MAX_START_GAP_S:
        return False
    return _same_place(a, b) and _same_title(a, b)


def _same_place(a: ComparisonKeys, b: ComparisonKeys) -> bool:
    if a.online and b.online:
        return True
    if a.city and b.city and a.city != b.city:
        return False
    if a.venue and a.venue == b.venue:
        return True
    if a.street and a.street == b.street:
        return True
    return bool(a.point and b.point and distance_km(*a.point, *b.point) <= MAX_VENUE_DISTANCE_KM)


def _same_title(a: ComparisonKeys, b: ComparisonKeys) -> bool:
    """Equal, one a subset of the other's words ("Networking Night Atlanta"), or a near-identical spelling.

    Titles that each have words the other lacks must be near-identical, and
    those words may not be numbers or letters ("Session 1" / "Session 2",
    "Track A" / "Track B" are different events).
    """
    if a.title == b.title:
        return True
    a_words, b_words = a.words, b.words
    if not a_words or not b_words:
        return False
    if a_words <= b_words or b_words <= a_words:
        return True
    only = a_words ^ b_words
    if any(len(word) < 3 or any(c.isdigit() for c in word) for word in only):
        return False
    return (fuzz.ratio(a.title.replace(" ", ""), b.title.replace(" ", ""), score_cutoff=TITLE_SIMILARITY) > 0
            or fuzz.token_sort_ratio(a.title, b.title, score_cutoff=TITLE_SIMILARITY) > 0)


_NOT_WORD = re.compile(r"[^\w]+")


#: ASCII apostrophes dropped and every other character that is not a word character a space
_ASCII_FOLD = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")} | {ord("'"): None}


@lru_cache(maxsize=8192)  # (a run's titles and venues repeat within sources: a few thousand hit)
def _fold(text: str) -> str:
    """Case, accents, apostrophes and punctuation folded; titles and venues repeat, so cached."""
    text = text.casefold()
    if text.isascii():
        return " ".join(text.translate(_ASCII_FOLD).split())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text.replace("'", "").replace("’", "")).split())


def street_key(loc: Location) -> str:
    """House number and street name ("3344 peachtree"): "Rd"/"Road", "NE" and suites do not matter."""
    for text in (loc.street, loc.name):
        if text:
            found = _STREET_ADDRESS.search(_fold(text))
            if found:
                return f"{found.group(1)} {found.group(2)}"
    return ""


def merge_group(group: list[Event]) -> Event:
    """The first reading (the representative) with every link, and gaps filled from the others in order."""
    first, others = group[0], group[1:]
    if not others:
        return first
    links: list[str] = []
    for event in group:
        for link in (event.url, *event.links):
            if link and link not in links:
                links.append(link)
    changed: dict = {"links": links}
    for name in ("end", "url", "organizer", "timezone"):
        if getattr(first, name) is None:
            changed[name] = next((getattr(e, name) for e in others if getattr(e, name) is not None), None)
    if not first.description:
        changed["description"] = next((e.description for e in others if e.description), "")
    changed["location"] = _merged_location([e.location for e in group])
    changed["categories"] = _union(e.categories for e in group)
    changed["industries"] = _union(e.industries for e in group)
    changed["industry_reasons"] = _first_reasons(e.industry_reasons for e in group)
    changed["event_types"] = _union(e.event_types for e in group)
    changed["event_type_reasons"] = _first_reasons(e.event_type_reasons for e in group)
    changed["confidence"] = max(e.confidence for e in group)
    return replace(first, **changed)


def _merged_location(locations: list[Location | None]) -> Location | None:
    present = [loc for loc in locations if loc is not None and not loc.is_empty()]
    if not present:
        return locations[0]
    merged = replace(present[0])
    for loc in present[1:]:
        for name, value in loc.to_dict().items():
            if getattr(merged, name) in (None, "") and value not in (None, ""):
                setattr(merged, name, value)
    return merged


def _union(lists) -> list[str]:
    out: list[str] = []
    for items in lists:
        for item in items:
            if item not in out:
                out.append(item)
    return out


def _first_reasons(tables) -> dict[str, str]:
    out: dict[str, str] = {}
    for table in tables:
        for key, why in table.items():
            out.setdefault(key, why)
    return out
