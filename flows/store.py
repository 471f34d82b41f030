"""The SQLite store: every event ever seen, each source's health, and the run lock.

A source's read replaces that source's current events only when the read
succeeded; a failed or suspect read changes nothing but the source's health,
so a site being down never empties anyone's calendar. After each good run a
copy of the store is kept beside it (`<store>.backup`), which `restore_backup`
(`eventscout store restore`) puts back.

Every SQLite failure becomes a StoreError naming its real cause and the fix
(a full disk, a corrupted file, a lock held by another program), within
`BUSY_SECONDS` when another program holds the store.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import orjson

from eventscout.scrapers.event import Event, as_utc

T = TypeVar("T")

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


#: how long a write waits for another program's lock before saying so
BUSY_SECONDS = 5.0


class StoreError(Exception):
    """The store cannot be opened or written; the run must stop (no data is lost)."""


def explain(path: Path, exc: sqlite3.Error, doing: str = "use") -> StoreError:
    """A StoreError that names what went wrong with the store and what to do about it."""
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc)
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return StoreError(f"cannot {doing} the store {path}: the disk is full; free some space and run again "
                          "(nothing was lost: the last finished write is intact)")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return StoreError(f"cannot {doing} the store {path}: another program holds it locked (a database "
                          f"browser, a backup tool, another eventscout) for over {BUSY_SECONDS:.0f}s; close "
                          "it and run again")
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return StoreError(f"cannot {doing} the store {path}: the file is corrupted ({text}); put back the copy "
                          f"kept after the last good run with `eventscout store restore --db {path}`, or move "
                          "the file away to start a new store")
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN) or "readonly" in text:
        return StoreError(f"cannot {doing} the store {path} ({text}); check that the folder exists and that "
                          "you may write to it and the file, or pass --db PATH")
    return StoreError(f"cannot {doing} the store {path} ({text}); check the path and its permissions, "
                      "or pass --db PATH")


def _reading(method: Callable[..., T]) -> Callable[..., T]:
    """A Store method whose SQLite errors become StoreError with their cause and fix."""
    @functools.wraps(method)
    def read(self: Store, *args: Any, **kwargs: Any) -> T:
        with explained(self.path):
            return method(self, *args, **kwargs)

    return read


@contextmanager
def explained(path: Path, doing: str = "read") -> Iterator[None]:
    """SQLite errors inside become StoreError with their cause and fix."""
    try:
        yield
    except sqlite3.Error as exc:
        raise explain(path, exc, doing) from None


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


def event_row(event: Event, record: dict[str, Any] | None = None) -> EventRow:
    """The row of an event whose `source_id` is set; `record` is its `to_record()`, when made already."""
    return EventRow(event.id, fingerprint(event), orjson.dumps(record or event.to_record()).decode(),
                    as_utc(event.start).isoformat(),
                    as_utc(event.end if event.end is not None else event.start).isoformat())


def stored_row(event: Event) -> tuple[EventRow, Event]:
    """The row of an event whose `source_id` is set, and the event as the store will give it back.

    The event is read back from the record the row's data encodes, not from the
    encoded text: the record holds only JSON's own types (strings, numbers,
    lists, string-keyed dicts, finite floats), so decoding would give it again.
    """
    record = event.to_record()
    return event_row(event, record), Event.from_record(record)


def data_digest(data: str) -> bytes:
    """A short fingerprint of a row's `data`: what a run keeps of a row it stored, to know the row
    is still the one its event was read back from, without holding the row itself."""
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).digest()


def stored_form(data: str) -> Event:
    """The event as the store gives it back from a row's `data`."""
    return Event.from_record(orjson.loads(data))


class Store:
    """One SQLite file in WAL mode; safe for a scheduled and a manual run at once."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._batched = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot open the store {self.path} ({exc}); check the path and "
                             "its permissions, or pass --db PATH") from None
        with explained(self.path, "open"):
            self.db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            self.db.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)

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
                if self.db.in_transaction:  # SQLite itself rolls back on a full disk
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
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.db.in_transaction:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the cause is what the user needs to hear, not the failed clean-up
            raise explain(self.path, exc, "write") from None

    # -- sources -----------------------------------------------------------------

    @_reading
    def health(self, source_id: str) -> SourceHealth | None:
        row = self.db.execute("SELECT id, last_run, last_success, last_error, consecutive_failures, "
                              "last_count, counts, flagged, etag, last_modified, reader "
                              "FROM sources WHERE id=?", (source_id,)).fetchone()
        if row is None:
            return None
        return SourceHealth(*row[:6], json.loads(row[6]), *row[7:])

    @_reading
    def all_health(self) -> list[SourceHealth]:
        ids = [r[0] for r in self.db.execute("SELECT id FROM sources ORDER BY id")]
        return [h for i in ids if (h := self.health(i))]

    @_reading
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

    def vanished_events(self, source_id: str, ids: set[str]) -> list[Event]:
        """The source's active events whose ids are not among `ids` (what a read did not find again)."""
        gone = [eid for (eid,) in self.db.execute("SELECT id FROM events WHERE source_id=? AND active=1",
                                                   (source_id,)) if eid not in ids]
        events: list[Event] = []
        for at in range(0, len(gone), 500):  # SQLite's limit on bound parameters, with room to spare
            chunk = gone[at:at + 500]
            events.extend(stored_form(data) for (data,) in self.db.execute(
                f"SELECT data FROM events WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return events

    # -- events ------------------------------------------------------------------

    @_reading
    def upcoming(self, now: datetime | None = None,
                 decoded: dict[str, tuple] | None = None) -> list[StoredEvent]:
        """Active events that have not ended yet, soonest first.

        `decoded` maps ids to (`data_digest` of the row data, the event read back
        from it, ...): a row whose data has that digest is not decoded again.
        """
        now_s = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat()
        rows = self.db.execute("SELECT id, data, sequence, first_seen, changed_at FROM events "
                               "WHERE active=1 AND end_utc>=? ORDER BY start_utc, id", (now_s,))
        decoded = decoded or {}
        out = []
        for eid, data, sequence, first, changed in rows:
            known = decoded.get(eid)
            event = known[1] if known is not None and known[0] == data_digest(data) else stored_form(data)
            out.append(StoredEvent(event, sequence, datetime.fromisoformat(first), datetime.fromisoformat(changed)))
        return out

    # -- published ids -------------------------------------------------------------

    @_reading
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

    @_reading
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

    def keep_backup(self) -> Path:
        """Copy the store as it is now beside it (`backup_path`), replacing the last copy only when whole.

        SQLite's backup API copies a consistent snapshot while readers go on.
        """
        target = backup_path(self.path)
        partial = target.with_name(target.name + ".partial")
        with explained(self.path, "back up"):
            partial.unlink(missing_ok=True)
            copy = sqlite3.connect(partial)
            try:
                self.db.backup(copy)
            finally:
                copy.close()
        os.replace(partial, target)
        return target

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


def backup_path(db_path: Path | str) -> Path:
    return Path(str(db_path) + ".backup")


def restore_backup(db_path: Path | str) -> Path:
    """Put back the copy kept after the last good run; returns where the replaced store was moved.

    Nothing is deleted: the store being replaced (with its WAL files) is moved
    aside to `<store>.replaced-<time>`. Refused while a run holds the store.
    """
    db_path = Path(db_path)
    backup = backup_path(db_path)
    if not backup.exists():
        raise StoreError(f"no copy of {db_path} to restore: one is kept as {backup.name} after each good run, "
                         "and none has finished with this store yet")
    with explained(backup, "restore from"):
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise StoreError(f"the copy {backup} is damaged too; move {db_path} away to start a new store")
            with run_lock(db_path, wait=0):
                aside = db_path.with_name(f"{db_path.name}.replaced-{datetime.now().strftime('%Y%m%d-%H%M%S')}")
                for suffix in ("", "-wal", "-shm"):
                    if Path(str(db_path) + suffix).exists():
                        os.replace(str(db_path) + suffix, str(aside) + suffix)
                partial = db_path.with_name(db_path.name + ".restoring")
                partial.unlink(missing_ok=True)
                copy = sqlite3.connect(partial)
                try:
                    source.backup(copy)
                finally:
                    copy.close()
                os.replace(partial, db_path)
        finally:
            source.close()
    return aside
