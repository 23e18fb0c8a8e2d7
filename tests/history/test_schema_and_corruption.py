"""Migrations from an older schema, and a corrupt database set aside without losing audio."""

from __future__ import annotations

import json
import sqlite3

import pytest
from starcoach.desktop.attempts import schema
from starcoach.desktop.attempts.paths import default_db_path
from starcoach.desktop.attempts.store import HistoryError, HistoryStore


def _old_database(path, report, words) -> None:
    """A version-1 database as the first release wrote it, with one analysed attempt."""
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path, isolation_level=None)
    schema.migrate(db, target=1)
    db.execute("INSERT INTO attempts (question, principle, level, started_at, duration_s, "
               "audio_path, words_json, report_json, rubric_version, status) VALUES "
               "('ownership-failure', 'ownership', 'mid', '2024-05-01T10:00:00.000+00:00', 41.5, "
               "'audio/old.flac', ?, ?, ?, 'analysed')",
               (json.dumps([w.to_json() for w in words]), json.dumps(report.to_json()),
                report.rubric_version))
    db.close()


def test_an_older_schema_is_migrated_on_open_and_its_attempts_listed(data_dir, report, words):
    path = default_db_path()
    _old_database(path, report, words)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    store = HistoryStore()
    assert store.set_aside is None and store.notice is None
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    (row,) = store.list()
    assert (row.verdict, row.finding_count) == (report.scores["verdict"], len(report.findings))
    assert store.list(text="checkout") == [row]  # the search column was filled in
    new = store.begin_attempt(question="ownership-failure")  # and the new columns take writes
    store.finish_attempt(new.id, words, report)
    assert len(store.list()) == 2
    store.close()
    HistoryStore().close()  # opening again migrates nothing


def test_a_database_from_a_newer_starcoach_is_refused_and_left_alone(data_dir):
    path = default_db_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="schema version 99"):
        HistoryStore()
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_set_aside_and_a_fresh_store_works(
        data_dir, words, report):
    path = default_db_path()
    path.parent.mkdir(parents=True)
    junk = b"this is not an SQLite database\n" * 200
    path.write_bytes(junk)
    path.with_name(path.name + "-wal").write_bytes(b"stale wal")
    (path.parent / "audio").mkdir()
    audio = path.parent / "audio" / "kept.flac"
    audio.write_bytes(b"fLaC audio that must survive")

    store = HistoryStore()
    assert store.set_aside is not None and store.set_aside.name.startswith(
        "starcoach.sqlite3.corrupt-")
    assert store.set_aside.read_bytes() == junk  # moved, never deleted
    assert store.set_aside.with_name(store.set_aside.name + "-wal").read_bytes() == b"stale wal"
    assert str(store.set_aside) in (store.notice or "")
    assert audio.read_bytes() == b"fLaC audio that must survive"
    new = store.begin_attempt(question="ownership-failure")
    store.finish_attempt(new.id, words, report)
    assert [r.id for r in store.list()] == [new.id]
    assert new.audio_path != audio  # a fresh store never reuses an old audio name
    store.close()
    again = HistoryStore()
    assert again.set_aside is None and len(again.list()) == 1


def test_damaged_pages_inside_a_real_database_are_caught_at_open(data_dir, words, report):
    store = HistoryStore()
    for _ in range(40):
        store.finish_attempt(store.begin_attempt().id, words, report)
    store.close()
    path = default_db_path()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(path.read_bytes())
    for n in range(2, pages, 3):  # scribble over every third page's header
        data[n * page : n * page + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))

    fresh = HistoryStore()
    assert fresh.set_aside is not None and fresh.set_aside.read_bytes() == bytes(data)
    assert fresh.list() == []
    assert len(list((path.parent / "audio").glob("*.flac"))) == 40  # every recording kept
