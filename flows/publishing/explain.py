"""`eventscout explain`: for each stored upcoming event, whether a feed holds it and why.

People debug their feed with this instead of reading code: every filter's
verdict, the industries and event types with the reason each was given, and
the other sources' postings merged into the event. Reads the store only (the
published ids are not updated) and never imports Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from eventscout.flows.config import Config, Feed
from eventscout.flows.publishing.feeds import UID_DOMAIN
from eventscout.flows.publishing.filters import Verdict, explain
from eventscout.flows.publishing.publish import feed_candidates
from eventscout.flows.store import Store, StoredEvent


@dataclass
class Explanation:
    stored: StoredEvent
    verdicts: list[Verdict]

    @property
    def in_feed(self) -> bool:
        return all(v.admitted for v in self.verdicts)


def explain_feed(config: Config, feed: Feed, store: Store, match: str | None = None,
                 now: datetime | None = None) -> list[Explanation]:
    """Every upcoming event (those whose title, id, UID or link contains `match`), judged by `feed`."""
    now = now or datetime.now(timezone.utc)
    out = []
    for stored in feed_candidates(store, now):
        if match and not _matches(stored, match):
            continue
        out.append(Explanation(stored, explain(feed, stored, now, config.sources)))
    return out


def _matches(stored: StoredEvent, match: str) -> bool:
    needle = match.casefold()
    for event in (stored.event, *stored.duplicates):
        for text in (event.title, event.id, f"{event.id}@{UID_DOMAIN}", event.url or "", *event.links):
            if needle in text.casefold():
                return True
    return False


def describe_feed(feed: Feed) -> str:
    """The feed's filters as one line."""
    parts = []
    if feed.industries:
        parts.append("industries " + ", ".join(feed.industries))
    if feed.event_types:
        parts.append("event types " + ", ".join(feed.event_types))
    if feed.city:
        parts.append(f"within {feed.radius_km:g} km of {feed.city}")
    if feed.cities:
        parts.append("in " + " or ".join(feed.cities))
    if feed.regions:
        parts.append("in region " + " or ".join(feed.regions))
    if feed.has_place_filter() or not feed.include_online:
        parts.append("online events " + ("included" if feed.include_online else "excluded"))
    if feed.days_ahead is not None:
        parts.append(f"the next {feed.days_ahead} days")
    if feed.keywords:
        parts.append("mentioning " + " or ".join(feed.keywords))
    if feed.exclude_keywords:
        parts.append("not mentioning " + " or ".join(feed.exclude_keywords))
    if feed.scope:
        parts.append(f"{feed.scope} sources")
    if feed.sources:
        parts.append("only from " + ", ".join(feed.sources))
    if feed.exclude_sources:
        parts.append("not from " + ", ".join(feed.exclude_sources))
    return "; ".join(parts) or "every upcoming event"


def render(config: Config, feed: Feed, explanations: list[Explanation]) -> list[str]:
    """The lines `eventscout explain` prints."""
    names = {s.id: s.name for s in config.sources}
    held = sum(e.in_feed for e in explanations)
    lines = [f"Feed {feed.id} ({feed.title}): {describe_feed(feed)}",
             f"{held} of {len(explanations)} upcoming event(s) shown are in the feed.", ""]
    for item in explanations:
        event = item.stored.event
        when = event.start.isoformat(sep=" ") if isinstance(event.start, datetime) else event.start.isoformat()
        place = event.place_line()
        lines.append(f"{'IN ' if item.in_feed else 'OUT'}  {event.title}")
        lines.append(f"     {when}" + (f" · {place}" if place else ""))
        lines.append(f"     uid {event.id}@{UID_DOMAIN} · from {names.get(event.source_id or '', event.source_id)}"
                     + (f" · {event.url}" if event.url else ""))
        for duplicate in item.stored.duplicates:
            lines.append(f"     merged with {names.get(duplicate.source_id or '', duplicate.source_id)}: "
                         f"\"{duplicate.title}\"" + (f" · {duplicate.url}" if duplicate.url else ""))
        for verdict in item.verdicts:
            mark = "?" if verdict.undecided else ("✓" if verdict.admitted else "✗")
            lines.append(f"     {mark} {verdict.check}: {verdict.reason}")
        if event.industries:
            lines.append("     industries: " + "; ".join(
                f"{i} ({event.industry_reasons[i]})" if i in event.industry_reasons else i
                for i in event.industries))
        if event.event_types:
            lines.append("     event types: " + "; ".join(
                f"{t} ({event.event_type_reasons[t]})" if t in event.event_type_reasons else t
                for t in event.event_types))
        lines.append("")
    return lines
