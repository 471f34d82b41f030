"""Identity that survives platforms whose UIDs change on every fetch.

Outlook published calendars (and a few other exports) give each event a new
UID on every request. Keyed by UID, every run would show subscribers each
event removed and a new one added, and SEQUENCE would start again at 0. When
a read's events carry keys the store has never seen while the source's stored
events with the same start and title have vanished, the source has churned
its UIDs: those events keep the identity they were first stored under (and so
their feed UID and SEQUENCE), matched by content (source, start, title).
A feed's changing DTSTAMP needs nothing here: it is no part of what a
subscriber sees change (`eventscout.flows.store.fingerprint`).
"""

from __future__ import annotations

from dataclasses import replace

from eventscout.flows.store import EventRow, Store, event_row
from eventscout.scrapers.event import Event

#: events matched by content before a read counts as UID churn (one match alone may be a re-created event)
MIN_CHURN = 2


def content_key(event: Event) -> tuple[str, str]:
    """What stays when a platform changes an event's UID: its start (to the minute) and its title."""
    return event.start.isoformat()[:16], " ".join(event.title.casefold().split())


def distinct_identities(events: list[Event]) -> list[Event]:
    """A read's events, none sharing an identity with another.

    A listing may give two events one identity: a day's two meetings under one
    video link, one title at two times of a day. The store keeps one event per
    id, so all but one would be lost. Each event of such a group adds what tells
    it apart: its title where the group's titles differ, else its title and start.
    """
    groups: dict[str, list[int]] = {}
    for i, event in enumerate(events):
        groups.setdefault(event.identity, []).append(i)
    if len(groups) == len(events):
        return events
    out = list(events)
    for identity, members in groups.items():
        if len(members) == 1:
            continue
        titles = [" ".join(events[i].title.casefold().split()) for i in members]
        by_title = len(set(titles)) == len(titles)
        for i, title in zip(members, titles):
            apart = title if by_title else f"{title}@{events[i].start.isoformat()[:16]}"
            out[i] = replace(events[i], key=f"{identity}#{apart}")
    return out


def carry_identities(stored: list[Event], events: list[Event]) -> tuple[list[Event], int]:
    """`events` with the identity of the vanished stored event each one is, when the UIDs churned.

    `stored` are the source's active events whose ids this read did not produce.
    Returns the events and how many took a stored identity (0: no churn seen).
    """
    if not stored:
        return events, 0
    by_content: dict[tuple[str, str], Event] = {}
    for event in stored:
        by_content.setdefault(content_key(event), event)
    matches: list[tuple[int, Event]] = []
    for i, event in enumerate(events):
        match = by_content.pop(content_key(event), None)
        if match is not None and match.identity != event.identity:
            matches.append((i, match))
    if len(matches) < min(MIN_CHURN, len(events)):
        return events, 0
    out = list(events)
    for i, match in matches:
        out[i] = replace(events[i], key=match.identity)
    return out, len(matches)


def keep_identities(store: Store, source_id: str, events: list[Event], rows: list[EventRow] | None
                    ) -> tuple[list[Event], list[EventRow] | None, int]:
    """A read's events and rows, re-keyed where the source churned its UIDs since the last run."""
    ids = {row.id for row in rows} if rows is not None else {e.id for e in events}
    vanished = store.vanished_events(source_id, ids)
    if not vanished:
        return events, rows, 0
    for event in events:
        event.source_id = source_id
    kept, carried = carry_identities(vanished, events)
    if not carried:
        return events, rows, 0
    new_rows = [event_row(e) if e is not old else row
                for e, old, row in zip(kept, events, rows or [event_row(e) for e in events])]
    return kept, new_rows, carried
