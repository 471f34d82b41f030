"""Publishing what is stored: merge each event posted by several sources, pick each feed's events, write the feeds.

Free of Prefect, like `eventscout.flows.reading.read`; the discovery flow, `serve`
and `explain` all start from `feed_candidates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from eventscout.flows.config import Config
from eventscout.flows.publishing.feeds import render_calendar, write_atomically
from eventscout.flows.publishing.filters import BySource, has_place, select, unjudged
from eventscout.flows.store import Store, StoredEvent, StoreError
from eventscout.scrapers.event import Event, as_utc

if TYPE_CHECKING:  # only the type: publishing needs none of the reading machinery
    from eventscout.flows.reading.read import FreshEvent


def feed_candidates(store: Store, now: datetime, *, remember: bool = False,
                    fresh: dict[str, FreshEvent] | None = None) -> list[StoredEvent]:
    """The upcoming stored events with each event posted by several sources merged into one.

    Each merged event keeps the id (so the feed UID) its group was first
    published under, even when a source added later posts a reading whose id
    sorts lower; `remember` records this run's choices for the next run.
    """
    from eventscout.flows.reading.dedup import duplicate_groups, merge_group

    stored = store.upcoming(now, fresh)
    by_id = {s.event.id: s for s in stored}
    published = store.published_ids()
    candidates: list[StoredEvent] = []
    changed: dict[str, str] = {}
    known = {eid: (found.event, found.keys) for eid, found in (fresh or {}).items()}
    for group in duplicate_groups([s.event for s in stored], known):
        if len(group) == 1:  # most events: posted once, nothing to merge, the stored one as it is
            event = group[0]
            candidates.append(by_id[event.id])
            if published.get(event.id, ("",))[0] != event.id:
                changed[event.id] = event.id
            continue
        first = _published_first(group, published)
        ordered = [first, *(e for e in group if e is not first)]
        candidates.append(replace(by_id[first.id], event=merge_group(ordered), duplicates=ordered[1:]))
        changed.update({e.id: first.id for e in group if published.get(e.id, ("",))[0] != first.id})
    if remember and changed:
        store.remember_published(changed)
    return candidates


def _published_first(group: list[Event], published: dict[str, tuple[str, str]]) -> Event:
    """The reading whose id the group was published under first; else the lowest id (group[0])."""
    if len(group) == 1:
        return group[0]
    members = {e.id: e for e in group}
    earlier = sorted({published[e.id][0] for e in group if e.id in published} & members.keys(),
                     key=lambda pid: (published[pid][1] if pid in published else "", pid))
    return members[earlier[0]] if earlier else group[0]


@dataclass
class FeedReport:
    feed: str
    path: str
    events: int
    written: bool
    #: in-person events the feed's place filter could not judge (no resolvable place), left out
    unplaced: list[str] = field(default_factory=list)
    #: events the feed matched beyond its `max_events`, the latest, left out
    capped: int = 0


def write_feeds(config: Config, store: Store, output: Path, now: datetime | None = None,
                fresh: dict[str, FreshEvent] | None = None) -> tuple[list[FeedReport], list[str]]:
    """Write every configured feed; returns the reports and the events no place filter could judge.

    `fresh` (`fresh_events` of this run's results) spares decoding what the run just stored.
    """
    now = now or datetime.now(timezone.utc)
    merged = feed_candidates(store, now, remember=True, fresh=fresh)
    names = {s.id: s.name for s in config.sources}
    pages = {s.id: s.url for s in config.sources}
    by_source = BySource(merged)
    reports = []
    for feed in config.feeds:
        pool = by_source.pool(feed)
        chosen = select(feed, pool, now, config.sources)
        capped = max(0, len(chosen) - feed.max_events)
        if capped:
            chosen = sorted(chosen, key=lambda s: as_utc(s.event.start))[:feed.max_events]
        data = render_calendar(feed.title, feed.description, chosen, names, pages)
        path = output / f"{feed.id}.ics"
        try:
            written = write_atomically(path, data)
        except OSError as exc:
            raise StoreError(f"cannot write the feed {path} ({exc}); check --output and its "
                             "permissions") from None
        left_out = sorted({s.event.title for s in unjudged(feed, pool, now, config.sources)})
        reports.append(FeedReport(feed.id, str(path), len(chosen), written, left_out, capped))
    unplaced = sorted({s.event.title for s in merged if not has_place(s.event)})
    return reports, unplaced
