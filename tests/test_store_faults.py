"""The store's faults name their cause and fix within seconds, and a copy kept after a good run can be
put back: a real SQLite file, a full "disk" (SQLite's page cap), a lock held by another program,
a corrupted file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eventscout.flows import store as store_module
from eventscout.flows.store import Store, StoreError, backup_path
from tests.test_store import upcoming_event

REPO = Path(__file__).resolve().parents[1]


def filled(path: Path, count: int = 3) -> Store:
    store = Store(path)
    store.save_source_events("eng", [upcoming_event(f"Mixer {i}", str(i), days=i + 1) for i in range(count)])
    return store


def test_a_full_disk_is_named_as_such_and_the_stored_events_stay(tmp_path):
    with filled(tmp_path / "s.db") as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count={pages + 2}")  # what a full disk looks like to SQLite
        big = [upcoming_event("Summit " + "x" * 4000, f"big-{i}") for i in range(200)]
        with pytest.raises(StoreError) as caught:
            with store.batch():
                store.save_source_events("big", big)
        assert "the disk is full; free some space" in str(caught.value)
        assert "no transaction is active" not in str(caught.value)
        assert len(store.upcoming()) == 3


def test_a_store_locked_by_another_program_is_reported_within_seconds(tmp_path, monkeypatch):
    filled(tmp_path / "s.db").close()
    assert store_module.BUSY_SECONDS <= 10
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.5)
    other = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # a database browser holding a write transaction
    try:
        with Store(tmp_path / "s.db") as store:
            with pytest.raises(StoreError, match="another program holds it locked .* close it and run again"):
                store.record_failure("eng", "HTTP 503")
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_corrupted_store_says_so_and_how_to_restore(tmp_path):
    (tmp_path / "s.db").write_bytes(b"this is not a database, but it was once" * 200)
    with pytest.raises(StoreError, match=r"the file is corrupted .*eventscout store restore --db"):
        Store(tmp_path / "s.db")


def test_a_store_damaged_inside_says_so_when_read(tmp_path):
    with filled(tmp_path / "s.db", 400) as store:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray((tmp_path / "s.db").read_bytes())
    data[4096 * 2:4096 * 6] = b"\xff" * (4096 * 4)
    (tmp_path / "s.db").write_bytes(bytes(data))
    with pytest.raises(StoreError, match="the file is corrupted"):
        with Store(tmp_path / "s.db") as store:
            store.upcoming()
            store.db.execute("PRAGMA integrity_check").fetchall()
            raise AssertionError("the damage went unnoticed")


def test_the_copy_kept_after_a_good_run_is_put_back_by_store_restore(tmp_path):
    db = tmp_path / "s.db"
    with filled(db) as store:
        assert store.keep_backup() == backup_path(db)
        store.save_source_events("eng", [])  # after the copy: this change is not in it
    (db).write_bytes(b"garbage" * 1000)
    env = dict(os.environ, EVENTSCOUT_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-m", "eventscout.flows.cli", "store", "restore", "--db", str(db)],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Restored" in done.stdout
    with Store(db) as store:
        assert sorted(s.event.title for s in store.upcoming()) == ["Mixer 0", "Mixer 1", "Mixer 2"]
    replaced = [p for p in tmp_path.iterdir() if p.name.startswith("s.db.replaced-")]
    assert [p.read_bytes() for p in replaced if not p.name.endswith(("-wal", "-shm"))] == [b"garbage" * 1000]


def test_restore_without_a_copy_says_there_is_none(tmp_path):
    with pytest.raises(StoreError, match="no copy of .* to restore"):
        store_module.restore_backup(tmp_path / "s.db")
