"""Reading sources, free of Prefect: fetch each one, extract its events, prepare and store them.

`eventscout.flows.orchestration.discover` wraps these in a Prefect flow; tests and
benchmarks call them directly. What is stored is published by
`eventscout.flows.publishing.publish`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, TypeVar
from urllib.parse import urlsplit

from eventscout.flows.config import Config, Source
from eventscout.flows.reading.address_guard import allow_private_from_env
from eventscout.flows.reading import progress
from eventscout.flows.reading.errors import Cause
from eventscout.flows.reading.fetch import Fetcher, FetchError, Limits, NotReached
from eventscout.flows.reading.page_jobs import MAX_FOLLOW, SourceSettings, extract_for, prepare, read_page
from eventscout.flows.reading.page_readers import PageReaders, ReaderCrashed
from eventscout.flows.reading.identity import keep_identities
from eventscout.flows.store import EventRow, SourceHealth, Store, data_digest
from eventscout.scrapers.event import Event

if TYPE_CHECKING:  # dedup (rapidfuzz, the gazetteer) loads when events are first prepared
    from eventscout.flows.reading.dedup import ComparisonKeys

T = TypeVar("T")

#: at most this many Prefect task runs per flow run; sources are batched beyond it. Each task
#: run costs the flow's process milliseconds of API calls while the requests wait: 16 keeps a
#: thousand-source run's Prefect overhead under a second and the UI still shows who read what.
MAX_TASKS = 16



class ReadStatus(StrEnum):
    """How reading one source went; OK and NOT_MODIFIED are reads, the others failures."""

    OK = "ok"
    NOT_MODIFIED = "not modified"
    FAILED = "failed"
    SUSPECT = "suspect"
    NOT_REACHED = "not reached"

    @property
    def read(self) -> bool:
        return self in (ReadStatus.OK, ReadStatus.NOT_MODIFIED)


OK, NOT_MODIFIED, FAILED, SUSPECT, NOT_REACHED = (ReadStatus.OK, ReadStatus.NOT_MODIFIED, ReadStatus.FAILED,
                                                  ReadStatus.SUSPECT, ReadStatus.NOT_REACHED)


class FreshEvent(NamedTuple):
    """An event this run stored: the digest of the row data it was read back from, the event, its
    comparison keys."""

    digest: bytes
    event: Event
    keys: ComparisonKeys


@dataclass
class SourceResult:
    """What reading one source produced; the store is written from it by the flow."""

    source_id: str
    status: ReadStatus
    events: list[Event] = field(default_factory=list)
    reason: str | None = None
    cause: Cause | None = None
    reader: str | None = None
    confidence: float = 1.0
    etag: str | None = None
    last_modified: str | None = None
    seconds: float = 0.0
    requests: int = 0
    #: the store's row of each event, worked out beside the reading
    rows: list[EventRow] = field(default_factory=list)
    #: what dedup compares of each event, likewise
    comparisons: list[ComparisonKeys] = field(default_factory=list)
    #: `data_digest` of each row once it is stored, when the rows themselves are let go
    digests: list[bytes] = field(default_factory=list)


@dataclass
class SourceReport:
    """One line of the run summary."""

    source: str
    status: ReadStatus
    events: int = 0
    new: int = 0
    changed: int = 0
    removed: int = 0
    reader: str | None = None
    reason: str | None = None
    #: what kind of failure it was, for grouping; None for a read
    cause: Cause | None = None
    seconds: float = 0.0


async def read_source(source: Source, fetcher: Fetcher, *, deadline: float,
                      health: SourceHealth | None = None, allow_private: bool = False,
                      readers: PageReaders | None = None,
                      queued: Callable[[], AbstractContextManager[object]] | None = None) -> SourceResult:
    """Fetch one source (and the few links it points to) and extract its events; never raises.

    Pages are read by `readers` (worker processes; a page waits for a free one
    inside `queued()`) or, without, in a thread: either way off the event
    loop, so a slow page does not stall the other sources' reads and deadlines.
    While its page is with the worker processes the source gives up its turn
    (`Fetcher.step_aside`), and takes it back only to fetch a link it follows.
    """
    started = time.monotonic()
    settings = SourceSettings.of(source)  # what the readers are sent
    result = SourceResult(source.id, FAILED)
    validators = conditional_validators(health)

    async def run(function: Callable[..., T], *args: object) -> T:
        if readers is None:
            return await asyncio.to_thread(function, *args)
        fetcher.step_aside()  # the page is the readers' now: another source may be fetched
        return await readers.run(function, *args, queued=queued)

    try:
        response = await fetcher.get(source.url, deadline=deadline, etag=validators[0],
                                     last_modified=validators[1], allow_private=allow_private)
        result.requests = response.attempts
        if response.not_modified:
            result.status = NOT_MODIFIED
            result.etag, result.last_modified = response.etag or (health and health.etag), \
                response.last_modified or (health and health.last_modified)
            return result
        result.etag, result.last_modified = response.etag, response.last_modified
        cap = fetcher.limits.max_events_per_source
        extraction, prepared, listed = await run(read_page, settings, response.body, response.url,
                                                 response.content_type, cap, response.modified_on)
        events = list(extraction.events)
        readers_used = [extraction.format] if extraction.format else []
        for link in extraction.follow[:MAX_FOLLOW]:
            if time.monotonic() >= deadline:
                break
            with queued() if queued is not None else nullcontext():
                await fetcher.take_turn_back()
            try:
                extra = await fetcher.get(link, deadline=deadline, allow_private=allow_private)
            except FetchError:
                continue
            result.requests += extra.attempts
            more = await run(extract_for, settings, extra.body, extra.url, extra.content_type, cap + 1,
                             extra.modified_on)
            if more.events:
                events.extend(more.events)
                if more.format and more.format not in readers_used:
                    readers_used.append(more.format)
        if prepared is None:
            listed = len(events)
            prepared = await run(prepare, settings, events, cap)
        finished = prepared.events
        if finished and extraction.reason:
            result.reason = extraction.reason  # what the reader left out on purpose, and why
        if listed > cap:
            result.reason = (f"capped: it listed over {cap:,} events; the soonest {cap:,} were kept (the cap "
                             "on one source's events in a run; EVENTSCOUT_SOURCE_MAX_EVENTS sets it)")
        result.reader = "+".join(readers_used) or None
        result.confidence = extraction.confidence
        if not finished and health is not None and health.last_count == 0 and health.last_success:
            result.status = OK  # a person confirmed this source lists nothing now
            return result
        if not finished:
            result.status = SUSPECT if health and health.last_count else FAILED
            result.reason = extraction.reason or "no events found"
            result.cause = Cause.NO_EVENTS
            if source.format == "recipe":
                result.reason = "the CSS recipe matched no events; check its selectors against the page"
            return result
        result.events, result.rows, result.comparisons = prepared
        result.status = OK
    except FetchError as exc:
        result.reason, result.cause = exc.reason, exc.cause
    except ReaderCrashed as exc:
        result.reason, result.cause = str(exc), Cause.OTHER
    except Exception as exc:  # noqa: BLE001 - one source must never fail the run
        result.reason, result.cause = f"unexpected error: {type(exc).__name__}: {exc}", Cause.OTHER
    finally:
        result.seconds = time.monotonic() - started
    return result


def conditional_validators(health: SourceHealth | None) -> tuple[str | None, str | None]:
    """The ETag / Last-Modified to send, only when the last read fully succeeded.

    After a failed or suspect read the stored events may be older than the
    validators suggest, and a 304 would skip the read the source needs.
    """
    if health is None or health.consecutive_failures or health.flagged or not health.last_success:
        return None, None
    return health.etag, health.last_modified


async def read_sources(sources: list[Source], limits: Limits, store_health: dict[str, SourceHealth],
                       *, allow_private: bool = False, fetcher: Fetcher | None = None,
                       readers: PageReaders | None = None) -> list[SourceResult]:
    """Read many sources at once on one shared client, within the run's time budget.

    Each source's start and end are told to `progress`, when a run is watched.
    """
    async def one(source: Source, f: Fetcher) -> SourceResult:
        result = await read_in_turn(source, f)
        if (tally := progress.current()) is not None:
            tally.finished(source.id, len(result.events), result.status.read)
        return result

    async def read_in_turn(source: Source, f: Fetcher) -> SourceResult:
        private = allow_private or source.allow_private
        try:
            async with f.turn(source.url, allow_private=private) as deadline:
                if (tally := progress.current()) is not None:
                    tally.started(source.id)
                try:
                    async with asyncio.timeout(deadline - time.monotonic() + 1) as budget:
                        return await read_source(source, f, deadline=deadline,
                                                 health=store_health.get(source.id), allow_private=private,
                                                 readers=readers, queued=lambda: _paused(budget, f.run_deadline))
                except TimeoutError:
                    return SourceResult(source.id, FAILED, reason=f"gave up after the {limits.source_budget:.0f}s "
                                                                  "time budget for a source", cause=Cause.TIMEOUT)
        except NotReached as exc:
            return SourceResult(source.id, NOT_REACHED, reason=str(exc), cause=Cause.TIMEOUT)

    if fetcher is not None:
        return list(await asyncio.gather(*(one(s, fetcher) for s in sources)))
    async with Fetcher(limits, allow_private=allow_private) as shared:
        return list(await asyncio.gather(*(one(s, shared) for s in sources)))


@contextmanager
def _paused(budget: asyncio.Timeout, run_deadline: float) -> Iterator[None]:
    """A source's budget stopped while its page queues for a reader: that wait is the run's to pay
    (bounded by the run's budget), so a good site read after a hostile page's 10 s keeps its own."""
    when = budget.when()
    budget.reschedule(None)
    started = time.monotonic()
    try:
        yield
    finally:
        if when is not None:
            budget.reschedule(min(when + time.monotonic() - started, run_deadline + 1))


def batches(sources: list[Source], max_tasks: int = MAX_TASKS) -> list[list[Source]]:
    """At most `max_tasks` batches of similar size; all sources of one host share a batch."""
    by_host: dict[str, list[Source]] = {}
    for source in sources:
        by_host.setdefault(urlsplit(source.url).netloc.lower(), []).append(source)
    groups = sorted(by_host.values(), key=len, reverse=True)
    bins: list[list[Source]] = [[] for _ in range(min(max_tasks, len(groups)))]
    for group in groups:
        min(bins, key=len).extend(group)
    return [b for b in bins if b]


def store_results(store: Store, results: list[SourceResult]) -> list[SourceReport]:
    """Write what succeeded; failed and suspect reads keep the source's stored events.

    Each row is let go once written, only its digest kept (`fresh_events`): a
    large run's rows are much of its memory, and the store holds them now.
    """
    reports = []
    with store.batch():
        for r in results:
            reports.append(_store_result(store, r))
            r.digests, r.rows = [data_digest(row.data) for row in r.rows], []
    return reports


def _reader_label(r: SourceResult) -> str | None:
    """The reader, and for the generic listing reader how sure it is: the share of such
    events that are real meetings on the pages it was measured on."""
    if r.reader and "listing" in r.reader.split("+") and r.status == OK:
        return f"{r.reader} (confidence {r.confidence:.2f})"
    return r.reader


def _store_result(store: Store, r: SourceResult) -> SourceReport:
    """One source's result into the store; a failure keeps what the source had."""
    report = SourceReport(r.source_id, r.status, reader=_reader_label(r), reason=r.reason, cause=r.cause,
                          seconds=r.seconds)
    if r.status == OK:
        r.events, r.rows, carried = keep_identities(store, r.source_id, r.events, r.rows)
        if carried:
            report.reason = (f"its UIDs changed for {carried} events since the last run: they keep their "
                             "identity by start and title")
        saved = store.save_source_events(r.source_id, r.events, reader=r.reader, etag=r.etag,
                                         last_modified=r.last_modified, rows=r.rows)
        report.events, report.new, report.changed, report.removed = (
            len(r.events), saved.new, saved.changed, saved.removed)
    elif r.status == NOT_MODIFIED:
        store.record_not_modified(r.source_id)
        report.events = store.upcoming_count(r.source_id)
    else:
        kept = store.upcoming_count(r.source_id)
        if r.status == SUSPECT:
            report.reason = (f"{r.reason}; it listed events before, so its page may have changed: "
                             f"kept its {kept} upcoming events")
        elif kept:
            report.reason = f"{r.reason} (kept its {kept} upcoming events)"
        if r.status != NOT_REACHED:  # not the source's fault: its health stays as it was
            store.record_failure(r.source_id, report.reason or "failed",
                                 flag="yielded no events" if r.status == SUSPECT else None)
        report.events = kept
    return report


def fresh_events(results: list[SourceResult]) -> dict[str, FreshEvent]:
    """This run's stored events by id (after `store_results`), so publishing neither decodes their
    rows nor works out their keys again."""
    return {event.id: FreshEvent(digest, event, keys) for r in results if r.status == OK
            for event, digest, keys in zip(r.events, r.digests, r.comparisons)}


def run_limits(config: Config) -> tuple[Limits, bool]:
    return Limits.from_env(), allow_private_from_env() or config.settings.allow_private
