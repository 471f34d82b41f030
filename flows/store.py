"""The SQLite store: every event ever seen, each source's health, and the run lock.

A source's read replaces that source's current events only when the read
succeeded; a failed or suspect read changes nothing but the source's health,
so a site being down never empties anyone's calendar.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from eventscout.scrapers.event import Event, as_utc

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    data TEXT NOT NULL,
    start_utc TEXT NOT NULL,
    end_utc TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS events_source ON events(source_id, active);
CREATE INDEX IF NOT EXISTS events_end ON events(active, end_utc);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    last_run TEXT,
    last_success TEXT,
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_count INTEGER,
    counts TEXT NOT NULL DEFAULT '[]',
    flagged TEXT,
    etag TEXT,
    last_modified TEXT,
    reader TEXT
);
CREATE TABLE IF NOT EXISTS published (
    member_id TEXT PRIMARY KEY,
    published_id TEXT NOT NULL,
    since TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    summary TEXT
);
"""


class StoreError(Exception):
    """The store cannot be opened or written; the run must stop (no data is lost)."""


@dataclass
class StoredEvent:
    """An event with what the store knows about its history, for feeds."""

    event: Event
    sequence: int
    first_seen: datetime
    changed_at: datetime
    #: the other sources' readings of the same event, merged into `event` (eventscout.flows.reading.dedup)
    duplicates: list[Event] = field(default_factory=list)


@dataclass
class SourceHealth:
    id: str
    last_run: str | None
    last_success: str | None
    last_error: str | None
    consecutive_failures: int
    last_count: int | None
    counts: list[int]
    flagged: str | None
    etag: str | None
    last_modified: str | None
    reader: str | None


@dataclass
class SaveResult:
    new: int
    changed: int
    removed: int


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def fingerprint(event: Event) -> str:
    """What a subscriber sees change: time, place, title, status. A change raises SEQUENCE."""
    loc = event.location.one_line() if event.location else ""
    end = event.end.isoformat() if event.end is not None else ""
    return "\x1f".join((event.title, event.start.isoformat(), end, loc, event.status, event.online))


@dataclass
class EventRow:
    """What the store writes for one event, worked out where the event was read (a worker process)."""

    id: str
    fingerprint: str
    data: str
    start_utc: str
    end_utc: str


def event_row(event: Event) -> EventRow:
    """The row of an event whose `source_id` is set."""
    return EventRow(event.id, fingerprint(event), json.dumps(event.to_record(), ensure_ascii=False),
                    as_utc(event.start).isoformat(),
                    as_utc(event.end if event.end is not None else event.start).isoformat())


def stored_form(data: str) -> Event:
    """The event as the store gives it back from a row's `data`."""
    return Event.from_record(json.loads(data))


class Store:
    """One SQLite file in WAL mode; safe for a scheduled and a manual run at once."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._batched = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=60000")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the store {self.path} ({exc}); check the path and "
                             "its permissions, or pass --db PATH") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction around many writes (a run's sources), each still all-or-nothing on its own:
        a thousand commits cost more than the writes themselves."""
        if self._batched:
            yield
            return
        with self._tx():
            self._batched = True
            try:
                yield
            finally:
                self._batched = False

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self._batched:
            self.db.execute("SAVEPOINT write")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK TO write")
                self.db.execute("RELEASE write")
                raise
            self.db.execute("RELEASE write")
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the store {self.path} ({exc})") from None

    # -- sources -----------------------------------------------------------------

    def health(self, source_id: str) -> SourceHealth | None:
        row = self.db.execute("SELECT id, last_run, last_success, last_error, consecutive_failures, "
                              "last_count, counts, flagged, etag, last_modified, reader "
                              "FROM sources WHERE id=?", (source_id,)).fetchone()
        if row is None:
            return None
        return SourceHealth(*row[:6], json.loads(row[6]), *row[7:])

    def all_health(self) -> list[SourceHealth]:
        ids = [r[0] for r in self.db.execute("SELECT id FROM sources ORDER BY id")]
        return [h for i in ids if (h := self.health(i))]

    def upcoming_count(self, source_id: str, now: datetime | None = None) -> int:
        now_s = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat()
        return self.db.execute("SELECT COUNT(*) FROM events WHERE source_id=? AND active=1 AND end_utc>=?",
                               (source_id, now_s)).fetchone()[0]

    def record_failure(self, source_id: str, reason: str, *, flag: str | None = None) -> None:
        """A failed read: the source's events stay exactly as they were."""
        now = _now()
        with self._tx() as db:
            db.execute("INSERT INTO sources(id) VALUES(?) ON CONFLICT(id) DO NOTHING", (source_id,))
            db.execute("UPDATE sources SET last_run=?, last_error=?, "
                       "consecutive_failures=consecutive_failures+1, flagged=COALESCE(?, flagged) "
                       "WHERE id=?", (now, reason, flag, source_id))

    def record_not_modified(self, source_id: str) -> None:
        """A 304: the source is healthy and its stored events are still current."""
        now = _now()
        with self._tx() as db:
            db.execute("UPDATE sources SET last_run=?, last_success=?, last_error=NULL, "
                       "consecutive_failures=0 WHERE id=?", (now, now, source_id))
            db.execute("UPDATE events SET last_seen=? WHERE source_id=? AND active=1", (now, source_id))

    def confirm_empty(self, source_id: str) -> int:
        """A person confirms a flagged source really lists no events now: drop what it listed.

        Returns how many events were withdrawn. Afterwards an empty read of
        this source is a plain success, not a suspect one.
        """
        now = _now()
        with self._tx() as db:
            if db.execute("SELECT 1 FROM sources WHERE id=?", (source_id,)).fetchone() is None:
                raise KeyError(source_id)
            gone = db.execute("UPDATE events SET active=0, changed_at=? WHERE source_id=? AND active=1",
                              (now, source_id)).rowcount
            row = db.execute("SELECT counts FROM sources WHERE id=?", (source_id,)).fetchone()
            counts = json.loads(row[0])[-9:] + [0]
            db.execute("UPDATE sources SET last_count=0, counts=?, flagged=NULL, etag=NULL, "
                       "last_modified=NULL WHERE id=?", (json.dumps(counts), source_id))
        return gone

    def save_source_events(self, source_id: str, events: list[Event], *, reader: str | None = None,
                           etag: str | None = None, last_modified: str | None = None,
                           rows: list[EventRow] | None = None) -> SaveResult:
        """A successful read: these are now the source's events; the rest are gone from it.

        `rows`, when given, are `event_row` of each event, worked out already.
        """
        now = _now()
        if rows is None:
            for event in events:
                event.source_id = source_id
            rows = [event_row(event) for event in events]
        with self._tx() as db:
            stored = {row[0]: (row[1], row[2], row[3]) for row in db.execute(
                "SELECT id, fingerprint, sequence, active FROM events WHERE source_id=?", (source_id,))}
            seen: set[str] = set()
            inserts: list[tuple] = []
            changes: list[tuple] = []
            touches: list[tuple] = []
            for row in rows:
                eid, fp, data, start, end = row.id, row.fingerprint, row.data, row.start_utc, row.end_utc
                if eid in seen:
                    continue
                seen.add(eid)
                previous = stored.get(eid)
                if previous is not None and previous[0] == fp and previous[2]:
                    touches.append((data, now, eid))
                    continue
                if previous is None:
                    inserts.append((eid, source_id, data, start, end, fp, now, now, now))
                else:
                    changes.append((data, start, end, fp, now, now, eid))
            new, changed = len(inserts), len(changes)
            db.executemany("INSERT INTO events(id, source_id, data, start_utc, end_utc, fingerprint, "
                           "sequence, first_seen, last_seen, changed_at, active) "
                           "VALUES(?,?,?,?,?,?,0,?,?,?,1)", inserts)
            db.executemany("UPDATE events SET data=?, start_utc=?, end_utc=?, fingerprint=?, "
                           "sequence=sequence+1, last_seen=?, changed_at=?, active=1 WHERE id=?", changes)
            db.executemany("UPDATE events SET data=?, last_seen=? WHERE id=?", touches)
            gone = [eid for eid, (_, _, active) in stored.items() if active and eid not in seen]
            db.executemany("UPDATE events SET active=0, changed_at=? WHERE id=?", [(now, g) for g in gone])
            row = db.execute("SELECT counts FROM sources WHERE id=?", (source_id,)).fetchone()
            counts = (json.loads(row[0]) if row else [])[-9:] + [len(seen)]
            db.execute("INSERT INTO sources(id) VALUES(?) ON CONFLICT(id) DO NOTHING", (source_id,))
            db.execute("UPDATE sources SET last_run=?, last_success=?, last_error=NULL, consecutive_failures=0, "
                       "last_count=?, counts=?, flagged=NULL, etag=?, last_modified=?, reader=? WHERE id=?",
                       (now, now, len(seen), json.dumps(counts), etag, last_modified, reader, source_id))
        return SaveResult(new, changed, len(gone))

    # -- events ------------------------------------------------------------------

    def upcoming(self, now: datetime | None = None,
                 decoded: dict[str, tuple] | None = None) -> list[StoredEvent]:
        """Active events that have not ended yet, soonest first.

        `decoded` maps ids to (row data, the event read back from it, ...): a
        row holding that same data is not decoded again.
        """
        now_s = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat()
        rows = self.db.execute("SELECT id, data, sequence, first_seen, changed_at FROM events "
                               "WHERE active=1 AND end_utc>=? ORDER BY start_utc, id", (now_s,))
        decoded = decoded or {}
        out = []
        for eid, data, sequence, first, changed in rows:
            known = decoded.get(eid)
            event = known[1] if known is not None and known[0] == data else stored_form(data)
            out.append(StoredEvent(event, sequence, datetime.fromisoformat(first), datetime.fromisoformat(changed)))
        return out

    # -- published ids -------------------------------------------------------------

    def published_ids(self) -> dict[str, tuple[str, str]]:
        """member event id -> (the id its duplicate group was published under, since when)."""
        return {m: (p, since) for m, p, since in
                self.db.execute("SELECT member_id, published_id, since FROM published")}

    def remember_published(self, groups: dict[str, str]) -> None:
        """Record member id -> published id; a member keeps its `since` while its published id stays."""
        now = _now()
        with self._tx() as db:
            db.executemany("INSERT INTO published(member_id, published_id, since) VALUES(?,?,?) "
                           "ON CONFLICT(member_id) DO UPDATE SET published_id=excluded.published_id, "
                           "since=excluded.since WHERE published_id != excluded.published_id",
                           [(member, published, now) for member, published in groups.items()])

    # -- runs --------------------------------------------------------------------

    def last_finished_run(self) -> datetime | None:
        """When the last run finished: nothing in the store changes between runs."""
        row = self.db.execute("SELECT MAX(finished) FROM runs").fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def finished_runs(self, after: int = 0) -> list[tuple[int, dict]]:
        """(id, summary) of each run finished with an id above `after`, oldest first."""
        rows = self.db.execute("SELECT id, summary FROM runs WHERE id > ? AND finished IS NOT NULL ORDER BY id",
                               (after,)).fetchall()
        return [(row[0], json.loads(row[1]) if row[1] else {}) for row in rows]

    def start_run(self) -> int:
        with self._tx() as db:
            return db.execute("INSERT INTO runs(started) VALUES(?)", (_now(),)).lastrowid

    def finish_run(self, run_id: int, summary: object) -> None:
        with self._tx() as db:
            db.execute("UPDATE runs SET finished=?, summary=? WHERE id=?",
                       (_now(), json.dumps(summary, default=str), run_id))


class RunLocked(Exception):
    """Another run holds the store."""


@contextmanager
def run_lock(db_path: Path | str, *, wait: float = 3600.0) -> Iterator[None]:
    """One run at a time per store: a second run waits for the first (up to `wait` seconds)."""
    lock_path = Path(str(db_path) + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - closed by the `with` below
    except OSError as exc:
        raise StoreError(f"cannot open the store {db_path} ({exc}); check the path and its "
                         "permissions, or pass --db PATH") from None
    with handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunLocked(f"another eventscout run is using {db_path}; try again when it ends") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
