"""Split a one-line place ("Buckhead Club, 3344 Peachtree Rd, Atlanta, GA 30326") into parts.

Pure string work for sources that give the location as one line of text:
JSON-LD ``location`` strings, iCalendar LOCATION, hCalendar ``location``.
US/Canadian "City, ST 12345" and European "12345 City" / UK "City SW9 9SL"
forms are recognised; anything unrecognised stays whole in ``name``.
"""

from __future__ import annotations

import re

from eventscout.scrapers.event import Location

__all__ = ["split_location"]

_US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
    "PR": "Puerto Rico",
    # Canadian provinces share the "City, ST postcode" form
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "ON": "Ontario",
    "PE": "Prince Edward Island", "QC": "Quebec", "SK": "Saskatchewan",
}
_REGIONS = set(_US_STATES) | {name.casefold() for name in _US_STATES.values()}
_COUNTRIES = {
    "us", "usa", "u.s.", "u.s.a.", "united states", "united states of america", "canada",
    "uk", "u.k.", "united kingdom", "england", "scotland", "wales", "ireland", "germany",
    "deutschland", "france", "spain", "italy", "netherlands", "australia", "new zealand",
    "austria", "switzerland", "belgium", "mexico", "india",
}
_ZIP = r"\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d"
_REGION_ZIP = re.compile(rf"^(?P<region>[A-Za-z][A-Za-z. ]*?)\.?\s+(?P<postal>{_ZIP})$")
_ZIP_ONLY = re.compile(rf"^(?:{_ZIP})$")
_POSTAL_CITY = re.compile(r"^(?P<postal>(?:[A-Z]{1,2}-)?\d{4,5})\s+(?P<city>[^\d,]+)$")
_CITY_UK_POSTAL = re.compile(r"^(?P<city>[^\d,]+?)\s+(?P<postal>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$")
_STREETISH = re.compile(
    r"^\d+[A-Za-z]?\b|\b(?:st|street|rd|road|ave|avenue|blvd|boulevard|dr|drive|ln|lane|way|"
    r"pkwy|parkway|hwy|highway|ct|court|pl|place|sq|square|ter|terrace|suite|ste|floor|fl|"
    r"straße|strasse|str|platz|weg|rue|via|calle)\b\.?|\w(?:straße|strasse|str\.|weg|platz)", re.I)

#: _STREETISH's parts for ASCII text (most places), tested without its slow 40-way alternation
_HOUSE_NUMBER = re.compile(r"\d+[A-Za-z]?\b", re.I)
_WORD = re.compile(r"\w+")
_STREET_WORDS = frozenset(
    "st street rd road ave avenue blvd boulevard dr drive ln lane way pkwy parkway hwy highway ct court "
    "pl place sq square ter terrace suite ste floor fl strasse str platz weg rue via calle".split())
_GLUED_STREET_WORDS = ("strasse", "str.", "weg", "platz")


def _is_streetish(part: str) -> bool:
    """Whether `_STREETISH` finds anything in `part`, answered faster for ASCII text."""
    if not part.isascii():
        return _STREETISH.search(part) is not None
    if _HOUSE_NUMBER.match(part):
        return True
    low = part.lower()
    if any(word in _STREET_WORDS for word in _WORD.findall(low)):
        return True
    for word in _GLUED_STREET_WORDS:  # "Hauptstr.", "Bahnhofweg": glued to a word character
        at = low.find(word, 1)
        while at > 0:
            before = low[at - 1]
            if before.isalnum() or before == "_":
                return True
            at = low.find(word, at + 1)
    return False


def _is_region(text: str) -> bool:
    text = text.strip().rstrip(".")
    return text in _US_STATES or text.casefold() in _REGIONS


#: a town's name: a few words, no digits
_TOWN_ALONE = re.compile(r"[^\W\d][\w.'-]*(?: [^\W\d][\w.'-]*){0,2}")
#: the part of a street address after its street that names no town: "Suite B", "Rear Entrance"
_UNIT = re.compile(r"(?:suite|ste|unit|apt|apartment|floor|fl|level|room|rm|building|bldg|entrance|lobby|"
                   r"rear|side|back|front|upstairs|downstairs|basement|po box)\b", re.I)
_VENUE_NAME = re.compile(r"\b(?:hotel|inn|cent(?:er|re)|hall|club|market|park|room|building|library|church|school|"
                         r"university|college|campus|office|theat(?:er|re)|museum|arena|stadium|caf[eé]|restaurant|"
                         r"online|virtual|zoom)\b", re.I)


_BRACKETED_ADDRESS = re.compile(r"([^()]{2,80}?)\s*\(([^()]*\d[^()]*,[^()]+)\)")
_NAME_DASH_STREET = re.compile(r"([^\d–—-][^–—]{1,80}?)\s+[–—-]\s+(\d+[A-Za-z]?\s+\S.*)")
_TOWN_WITH_REGION = re.compile(r"(.+?)\s+([A-Z]{2})")
_NAME_WORD = re.compile(r"[A-Z]|(?:of|the|in|on|upon|de|la|le)$")


def _town_after_street(part: str) -> tuple[str, str | None] | None:
    """(town, region) of the part after a street that names a town ("Atlanta", "Charlotte NC"), or None
    for a unit ("Suite B"), a venue's name or words of a sentence ("evidence or argument")."""
    town, region = part, None
    if (m := _TOWN_WITH_REGION.fullmatch(part)) and _is_region(m.group(2)):
        town, region = m.group(1), m.group(2)
    if not _TOWN_ALONE.fullmatch(town) or _VENUE_NAME.search(town) or _UNIT.match(town) or _is_streetish(town) \
            or not all(_NAME_WORD.match(word) for word in town.split()):
        return None
    return town, region


def split_location(text: str | None) -> Location | None:
    """The parts of a one-line place; unknown shapes keep the whole text as ``name``."""
    if not text:
        return None
    text = " ".join(text.split())
    if not text:
        return None
    if text.endswith(")") and (bracketed := _BRACKETED_ADDRESS.fullmatch(text)) is not None:
        # "The Hub (123 Main St, Atlanta, GA)": a venue with its address in brackets, as feeds write it
        inner = split_location(bracketed.group(2))
        if inner is not None and inner.street and not inner.name:
            inner.name = bracketed.group(1)
            return inner
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if parts and (dashed := _NAME_DASH_STREET.fullmatch(parts[0])) is not None and len(parts) > 1:
        parts[:1] = [dashed.group(1), dashed.group(2)]  # "Ponce City Market - 675 Ponce De Leon Ave NE, ..."
    loc = Location()
    if len(parts) > 1 and parts[-1].casefold() in _COUNTRIES:
        loc.country = parts.pop()
    if parts:
        last = parts[-1]
        if last[-1:].isdigit() and (m := _REGION_ZIP.match(last)):  # a match ends in a digit
            region = m.group("region").rstrip(".")
            if _is_region(region):
                loc.region, loc.postal_code = region, m.group("postal")
                parts.pop()
            elif len(parts) > 1 and " " in region and _is_region(state := region.rsplit(None, 1)[1]) \
                    and _TOWN_ALONE.fullmatch(town := region.rsplit(None, 1)[0]):
                # "Atlanta GA 30308": the town, its state and postcode with no comma between them
                loc.city, loc.region, loc.postal_code = town, state, m.group("postal")
                parts.pop()
        elif _ZIP_ONLY.match(last) and len(parts) > 1:
            loc.postal_code = parts.pop()
            if parts and _is_region(parts[-1]):
                loc.region = parts.pop()
        elif _is_region(last) and len(parts) > 1:
            loc.region = parts.pop()
        elif len(parts) > 1 and (m := _POSTAL_CITY.match(last) or _CITY_UK_POSTAL.match(last)):
            loc.postal_code, loc.city = m.group("postal"), m.group("city").strip()
            parts.pop()
    if (loc.region or loc.postal_code) and not loc.city and len(parts) > 1:
        if not parts[-1][:1].isdigit():
            loc.city = parts.pop()
    elif loc.region and not loc.city and len(parts) == 1 and _TOWN_ALONE.fullmatch(parts[0]) \
            and not _VENUE_NAME.search(parts[0]):
        loc.city = parts.pop()  # "Savannah, GA": a town and its state, no venue
    # a numbered street after the first part makes that part the venue's name, even when it reads
    # like a street itself ("St. Mark's Church, 100 Main St")
    numbered = any(part[:1].isdigit() and _is_streetish(part) for part in parts[1:])
    for i, part in enumerate(parts):
        if i == 0 and numbered and not part[:1].isdigit():
            continue
        if (i > 0 or part[:1].isdigit() or len(parts) == 1 or loc.city) and _is_streetish(part):
            rest = parts[i:]
            if not loc.city and len(rest) > 1 and (town := _town_after_street(rest[-1])) is not None:
                # "Loudermilk Center, 40 Courtland St NE, Atlanta": the town after the street
                (loc.city, region), rest = town, rest[:-1]
                loc.region = loc.region or region
            loc.street = ", ".join(rest)
            loc.name = ", ".join(parts[:i]) or None
            break
    else:
        loc.name = ", ".join(parts) or None
    return loc
