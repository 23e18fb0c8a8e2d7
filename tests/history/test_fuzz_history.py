"""Fuzzing the history reader with hypothesis: whatever lands in a row's columns or in the
database file's bytes, ``list``/``get``/``rule_failures``/``reanalyse`` and the ``history``
commands give rows or plain one-line problems, never another exception or a traceback.

Real SQLite files, bounded and deterministic (``derandomize``).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starcoach.desktop.attempts.paths import default_db_path
from starcoach.desktop.attempts.records import AttemptNotFound, HistoryError
from starcoach.desktop.attempts.schema import COLUMNS
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.cli import main

FUZZ = settings(max_examples=30, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
CELL = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),  # SQLite stores NaN as NULL
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.binary(max_size=20),
    st.sampled_from(["", "[]", "{}", "null", "[[0, \"action\"]]", "[[\"x\", 1]]",
                     '[{"text": "a", "start": 0, "end": 1}]', '{"findings": [{"rule": 1}]}',
                     '{"words": "x", "sections": [{}], "findings": [{}]}', "[" * 5000,
                     "2" * 5000, "recording", "analysed", "2024-01-01T00:00:00+00:00",
                     "0001-01-01T00:00:00", "9999-12-31T23:59:59-23:59", "\x1b[2J"]),
)
EDITABLE = [c for c in COLUMNS if c not in ("id", "status")]  # status has a CHECK


@pytest.fixture(scope="module")
def template(tmp_path_factory, report, words) -> Path:
    """A real history with three analysed attempts, copied fresh for each example."""
    folder = tmp_path_factory.mktemp("template")
    with HistoryStore(folder / "starcoach.sqlite3") as store:
        for _ in range(3):
            new = store.begin_attempt(question="ownership-failure", principle="ownership")
            store.mark_recorded(new.id, 30.0)
            store.finish_attempt(new.id, words, report)
    with contextlib.closing(sqlite3.connect(folder / "starcoach.sqlite3")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder


def fresh(template: Path) -> Path:
    path = default_db_path()
    if path.parent.exists():
        shutil.rmtree(path.parent)
    shutil.copytree(template, path.parent)
    return path


def read_everything(capsys, commands: bool = True) -> None:
    """Every reader (and the history commands); only plain problems may come out."""
    try:
        store = HistoryStore()
    except HistoryError:
        return
    with store:
        rows = store.list()
        for problem in store.skipped:
            assert "\n" not in problem and problem.startswith("attempt ")
        store.rule_failures()
        for attempt_id in (1, 2, 3):
            with contextlib.suppress(AttemptNotFound, HistoryError):
                store.get(attempt_id)
        store.reanalyse(None)
        assert len(store.list()) <= 3 and len(rows) <= 3
    capsys.readouterr()
    if not commands:
        return
    for argv in (["history", "list"], ["history", "show", "1"],
                 ["history", "show", "2", "--json"],
                 ["history", "export", "3", "--format", "md", "-o", str(default_db_path()
                                                                        .parent / "x.md")]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code in (0, 1, 2), (argv, code, err)
        assert "unexpected" not in err and "Traceback" not in err, (argv, err)


@FUZZ
@given(st.lists(st.tuples(st.integers(1, 3), st.sampled_from(EDITABLE), CELL),
                min_size=1, max_size=4))
def test_any_values_in_any_columns_are_rows_or_plain_problems(template, capsys, edits):
    path = fresh(template)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        for attempt_id, column, value in edits:
            with contextlib.suppress(sqlite3.IntegrityError):  # NOT NULL columns
                db.execute(f"UPDATE attempts SET {column} = ? WHERE id = ?",
                           (value, attempt_id))
    read_everything(capsys)


@settings(FUZZ, max_examples=30)
@given(st.lists(st.tuples(st.integers(0, 2**16), st.binary(min_size=1, max_size=64)),
                min_size=1, max_size=6),
       st.sampled_from([None, None, 0, 100, 4096]))
def test_any_damage_to_the_file_is_set_aside_or_read(template, capsys, patches, truncate):
    path = fresh(template)
    data = bytearray(path.read_bytes())
    for offset, blob in patches:
        at = offset % max(1, len(data))
        data[at:at + len(blob)] = blob
    if truncate is not None:
        del data[truncate:]
    path.write_bytes(bytes(data))
    read_everything(capsys, commands=False)
    assert main(["history", "list"]) in (0, 2)
    assert "unexpected" not in capsys.readouterr().err
    aside = [p for p in path.parent.glob("starcoach.sqlite3.corrupt-*")
             if not p.name.endswith(("-wal", "-shm"))]
    for p in aside:  # whatever was set aside kept every byte
        assert p.read_bytes() == bytes(data)
