"""`eventscout sources check`: read sources now and compare with what they gave before.

Nothing is stored: the check only tells a person which sources still answer,
which reader reads them, and which now list fewer events than the store last
kept (a sign the page changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eventscout.flows.config import Source
from eventscout.flows.reading.fetch import Limits
from eventscout.flows.reading.read import read_sources
from eventscout.flows.store import Store


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
