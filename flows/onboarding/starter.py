"""`eventscout init`: a working sources file for one city and its industries, out of the directory.

Every matching entry's home page is probed (`eventscout.flows.onboarding.probe`)
in parallel over one shared `Fetcher`, so robots.txt, the per-host limit and the
overall limit hold across all of them; each probe keeps its own request budget.
A national entry that names its chapter list also yields the city's chapter,
probed as a regional source. Every association ends up in the findings: added,
with what was found, or left out, with why. Nothing is written here but by
`write_starter`, in one validated, atomic edit that keeps the file's comments.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from eventscout.flows.config import Config
from eventscout.flows.knowledge.directory import Association, Match, on_site
from eventscout.flows.knowledge.industries import VOCABULARY
from eventscout.flows.knowledge.places import Place
from eventscout.flows.onboarding.chapters import find_chapter
from eventscout.flows.onboarding.probe import BUDGET_SECONDS, ProbeReport, probe, slug
from eventscout.flows.onboarding.sources_file import add_entries, same_url
from eventscout.flows.reading.fetch import Fetcher, FetchError, Limits
from eventscout.scrapers import Page

#: associations probed at once; the Fetcher's own limits bound the requests under them
PARALLEL_PROBES = 8

Outcome = Literal["added", "no events", "unreachable", "already read", "no chapter"]


@dataclass
class Finding:
    """What became of one association (or chapter) of the directory."""

    name: str
    url: str
    scope: str
    outcome: Outcome
    detail: str
    entry: dict[str, Any] | None = None
    #: the national association whose chapter list led here
    chapter_of: str | None = None
    #: what the probe found, for the comment above the source written
    found: str = ""

    def note(self, day: date) -> str:
        """The comment above the source in the file: where it came from and what its probe found."""
        origin = f"chapter of {self.chapter_of}, found on its chapter list" if self.chapter_of else "from the directory"
        return f"{origin}: home {self.url}; probed {day.isoformat()}: {self.found}"


@dataclass
class Survey:
    """What `init` found for a city and its industries, and the feed it proposes."""

    findings: list[Finding]
    feed: dict[str, Any]
    #: the file already has a feed with that id: it is kept as it is
    feed_exists: bool

    @property
    def entries(self) -> list[dict[str, Any]]:
        return [f.entry for f in self.findings if f.outcome == "added" and f.entry]


async def survey(matches: list[Match], city: str, place: Place, industries: list[str], *,
                 radius_km: float, existing: Config | None = None, fetcher: Fetcher | None = None,
                 allow_private: bool = False) -> Survey:
    """Probe every matching association (and the city's chapters) and decide what to add."""
    if fetcher is None:
        limits = replace(Limits.from_env(), retries=1)  # a person is waiting
        async with Fetcher(limits, allow_private=allow_private) as own:
            return await survey(matches, city, place, industries, radius_km=radius_km, existing=existing,
                                fetcher=own, allow_private=allow_private)
    turns = asyncio.Semaphore(PARALLEL_PROBES)
    regional_homes = [m.association.home for m in matches if m.association.scope == "regional"]

    async def one(association: Association) -> list[Finding]:
        async with turns:
            found = [await _probe_association(association, association.home, association.region, fetcher)]
            if association.chapters:
                found.append(await _chapter(association, city, place, radius_km, fetcher, regional_homes))
        return found

    groups = await asyncio.gather(*(one(m.association) for m in matches))
    findings = [f for group in groups for f in group]
    _refuse_duplicates(findings, existing)
    feed = starter_feed(city, industries, radius_km)
    feed_exists = bool(existing and any(f.id == feed["id"] for f in existing.feeds))
    return Survey(findings, feed, feed_exists)


async def _probe_association(association: Association, url: str, location: str | None, fetcher: Fetcher,
                             *, name: str | None = None, chapter_of: str | None = None) -> Finding:
    scope = "regional" if location else "national"
    report = await probe(url, location=location, industries=list(association.industries), fetcher=fetcher)
    name = name or association.name
    if report.entry is None or report.best is None:
        outcome, detail = _left_out(report)
        return Finding(name, url, scope, outcome, detail, chapter_of=chapter_of)
    entry = {**report.entry, "id": slug(name) or report.entry["id"], "name": name}
    best = report.best
    detail = f"{best.upcoming} upcoming event(s), read as {best.format} from {best.url}"
    return Finding(name, url, scope, "added", detail, entry, chapter_of, f"{best.upcoming} upcoming event(s)")


def _left_out(report: ProbeReport) -> tuple[Outcome, str]:
    """Why a probe gave no entry: the site did not answer, or answered without upcoming events."""
    pages = sum(v.outcome.endswith(" bytes") for v in report.visits)
    if not pages:
        reasons = "; ".join(dict.fromkeys(v.outcome for v in report.visits)) or "no request could be made"
        return "unreachable", f"the home page did not answer: {reasons}"
    past = [r for r in report.readings if r.found]
    if past:
        best = max(past, key=lambda r: r.found)
        return "no events", (f"{best.found} event(s) on {best.url}, none upcoming: the next ones may not be "
                             "published yet")
    return "no events", (f"no events page or feed found on the {pages} page(s) read; if you know its events "
                         f"page: eventscout sources add URL")


async def _chapter(association: Association, city: str, place: Place, radius_km: float, fetcher: Fetcher,
                   regional_homes: list[str]) -> Finding:
    listing = association.chapters
    assert listing is not None
    title = f"{association.name} chapter for {city}"
    try:
        response = await fetcher.get(listing, deadline=time.monotonic() + BUDGET_SECONDS)
    except FetchError as exc:
        return Finding(title, listing, "regional", "no chapter", f"the chapter list did not answer: {exc.reason}",
                       chapter_of=association.name)
    chapter = find_chapter(Page(response.body, response.url, response.content_type), place, radius_km)
    if chapter is None:
        return Finding(title, listing, "regional", "no chapter",
                       f"the chapter list names no chapter within {radius_km:.0f} km of {city}",
                       chapter_of=association.name)
    name = _chapter_name(association, chapter.label)
    if any(on_site(home, chapter.url) for home in regional_homes):
        return Finding(name, chapter.url, "regional", "already read",
                       "the chapter is in the directory for this city too (see its own line)",
                       chapter_of=association.name)
    found = await _probe_association(association, chapter.url, city, fetcher, name=name, chapter_of=association.name)
    found.detail = f"{found.detail} ({chapter.why})"
    found.found = f"{found.found} ({chapter.why})" if found.found else ""
    return found


def _chapter_name(association: Association, label: str) -> str:
    """The chapter's name: its label on the list, with the association's name when the label lacks it."""
    short = association.name.split(" (")[0]
    acronym = association.name.rsplit("(", 1)[-1].rstrip(")") if "(" in association.name else short
    if short.lower() in label.lower() or acronym.lower() in label.lower():
        return label
    return f"{acronym} {label}"


def _refuse_duplicates(findings: list[Finding], existing: Config | None) -> None:
    """As `sources add` does: an association whose site (or events page) the file already reads, or one
    found twice now, is not added again. Every association is probed all the same, so the report says
    whether it still answers."""
    existing_urls = {s.url: s.id for s in existing.sources} if existing else {}
    urls = dict(existing_urls)
    ids = set(urls.values())
    for finding in findings:
        entry = finding.entry
        if finding.outcome != "added" or entry is None:
            continue
        twin = next((i for u, i in urls.items() if same_url(u, entry["url"])), None) or next(
            (i for u, i in existing_urls.items() if on_site(finding.url, u)), None)
        if twin is not None:
            finding.outcome, finding.entry = "already read", None
            finding.detail = f"already read as source {twin!r}"
            continue
        entry["id"] = _free_id(entry["id"], ids, entry.get("location"))
        urls[entry["url"]] = entry["id"]
        ids.add(entry["id"])


def _free_id(wanted: str, taken: set[str], location: str | None) -> str:
    if wanted not in taken:
        return wanted
    if location and (placed := f"{wanted}-{slug(location)}") not in taken:
        return placed
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


def starter_feed(city: str, industries: list[str], radius_km: float) -> dict[str, Any]:
    """The feed for the city and its industries, online events included."""
    labels = [VOCABULARY.labels[i] for i in industries]
    labels[1:] = [label[0].lower() + label[1:] for label in labels[1:]]
    what = (", ".join(labels[:-1]) + " and " + labels[-1]) if len(labels) > 1 else labels[0]
    return {"id": slug(f"{city.split(',')[0]} {' '.join(industries)}", limit=60) or "my-events",
            "title": f"{what} events around {city}, plus online",
            "industries": list(industries), "city": city,
            "radius_km": int(radius_km) if float(radius_km).is_integer() else radius_km, "include_online": True}


def write_starter(path: Path, result: Survey, day: date | None = None) -> Config:
    """Append the sources found (and the feed, unless one with its id is there) to the file at `path`,
    each under a comment saying where it came from and what its probe found."""
    notes = {f.entry["id"]: f.note(day or date.today()) for f in result.findings if f.outcome == "added" and f.entry}
    return add_entries(path, result.entries, [] if result.feed_exists else [result.feed], notes)
