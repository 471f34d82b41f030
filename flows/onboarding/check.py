"""`eventscout sources check`: read sources now and compare with what they gave before;
`eventscout directory --check`: fetch the directory's home pages now.

Nothing is stored: the check only tells a person which sources still answer,
which reader reads them, and which now list fewer events than the store last
kept (a sign the page changed); and which directory entries' home pages answer,
under what name, and which moved.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from eventscout.flows.config import Source
from eventscout.flows.knowledge.directory import Association
from eventscout.flows.onboarding.association_site import site_info
from eventscout.flows.onboarding.sources_file import same_url
from eventscout.flows.reading.errors import NotReached
from eventscout.flows.reading.fetch import Fetcher, FetchError, Limits
from eventscout.flows.reading.read import read_sources
from eventscout.flows.store import Store
from eventscout.scrapers import Page


@dataclass
class SourceCheck:
    """One source's answer today, next to its last stored count."""

    source: str
    reachable: bool
    events: int
    reader: str | None = None
    before: int | None = None
    reason: str | None = None

    @property
    def fewer(self) -> bool:
        return self.before is not None and self.events < self.before

    @property
    def ok(self) -> bool:
        return self.reachable and self.events > 0


def previous_counts(db: Path | None, source_ids: list[str]) -> dict[str, int | None]:
    """The event count each source gave on its last successful read, from the store if there is one."""
    if db is None or not db.exists():
        return {}
    with Store(db) as store:
        return {i: (h.last_count if (h := store.health(i)) else None) for i in source_ids}


async def check_sources(sources: list[Source], limits: Limits, *, allow_private: bool = False,
                        db: Path | None = None) -> list[SourceCheck]:
    """Read every source once (no conditional requests) and report each."""
    results = await read_sources(sources, limits, {}, allow_private=allow_private)
    before = previous_counts(db, [s.id for s in sources])
    return [SourceCheck(r.source_id, reachable=r.requests > 0, events=len(r.events), reader=r.reader,
                        before=before.get(r.source_id), reason=r.reason) for r in results]


@dataclass
class HomeCheck:
    """One directory entry's home page, fetched now."""

    name: str
    home: str
    answered: bool
    detail: str
    #: where the home page now redirects, when that is another page
    moved_to: str | None = None


async def check_homes(associations: list[Association], limits: Limits, *,
                      allow_private: bool = False) -> list[HomeCheck]:
    """Fetch every entry's home page once, politely (robots.txt, per-host turns), and say what answered."""
    async with Fetcher(limits, allow_private=allow_private) as fetcher:
        async def one(entry: Association) -> HomeCheck:
            try:
                async with fetcher.turn(entry.home) as deadline:
                    response = await fetcher.get(entry.home, deadline=deadline)
            except (FetchError, NotReached) as exc:
                return HomeCheck(entry.name, entry.home, False, getattr(exc, "reason", None) or str(exc))
            name = site_info(Page(response.body, response.url, response.content_type)).name
            moved = None if same_url(response.url, entry.home) else response.url
            return HomeCheck(entry.name, entry.home, True, f"answers as {name!r}" if name else "answers", moved)

        return list(await asyncio.gather(*(one(e) for e in associations)))
