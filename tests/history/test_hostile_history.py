"""Issue 13, history: every unusable or damaged database gets one plain line, never a
traceback; what can be opened is opened, nothing is deleted, a newer schema is untouched.

Real SQLite files and real ``starcoach history`` subprocesses throughout.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starcoach.desktop.attempts import schema
from starcoach.desktop.attempts.paths import default_db_path
from starcoach.desktop.attempts.store import HistoryError, HistoryStore


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "starcoach.desktop", "history", *args],
                          capture_output=True, text=True, timeout=timeout, env=dict(os.environ))


def one_line_error(out: subprocess.CompletedProcess, code: int = 2) -> str:
    """The single stderr line of a failed command (no traceback)."""
    assert out.returncode == code, (out.returncode, out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("starcoach: error:"), out.stderr
    assert "Traceback" not in out.stderr
    return lines[0]


def filled(words, report, n: int = 3) -> list[int]:
    with HistoryStore() as store:
        ids = []
        for _ in range(n):
            new = store.begin_attempt(question="ownership-failure", principle="ownership")
            store.finish_attempt(new.id, words, report)
            ids.append(new.id)
    return ids


def checkpoint(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def set_aside_files(path: Path) -> list[Path]:
    """The database files set aside beside ``path`` (without their -wal/-shm copies)."""
    return [p for p in path.parent.glob(f"{path.name}.corrupt-*")
            if not p.name.endswith(("-wal", "-shm", "-journal"))]


def raw(path: Path, *statements: str, params: tuple = ()) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        for sql in statements:
            db.execute(sql, params if "?" in sql else ())


# -- the file itself ------------------------------------------------------------------------

def test_a_newer_schema_is_refused_with_update_starcoach_and_left_untouched(data_dir):
    path = default_db_path()
    path.parent.mkdir(parents=True)
    raw(path, "CREATE TABLE t (x)", "PRAGMA user_version = 99")
    before = path.read_bytes()
    line = one_line_error(run("list"))
    assert "update StarCoach" in line and str(path) in line
    assert path.read_bytes() == before
    assert not set_aside_files(path)


@pytest.mark.parametrize("version", [1, 0, -3])
def test_a_lower_or_negative_version_over_current_tables_is_set_aside(
        data_dir, words, report, version):
    filled(words, report, 2)
    path = default_db_path()
    checkpoint(path)
    raw(path, f"PRAGMA user_version = {version}")
    before = path.read_bytes()
    out = run("list", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []  # a fresh history
    assert "warning" in out.stderr and "Traceback" not in out.stderr
    (aside,) = set_aside_files(path)
    assert aside.read_bytes() == before  # every byte kept
    assert str(aside) in out.stderr


def test_a_zero_length_file_is_set_aside_and_the_person_told(data_dir):
    path = default_db_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    store = HistoryStore()
    assert store.set_aside is not None and "empty" in (store.notice or "")
    assert store.set_aside.exists() and store.set_aside.stat().st_size == 0
    assert path.stat().st_size > 0 and store.list() == []
    store.close()


def test_a_fresh_history_is_never_a_zero_length_file(data_dir):
    HistoryStore().close()
    path = default_db_path()
    assert path.stat().st_size > 0
    assert not list(path.parent.glob(".*new-*"))  # the temporary build is gone
    again = HistoryStore()
    assert again.set_aside is None
    again.close()


def test_a_folder_where_the_database_should_be_is_a_plain_message(data_dir):
    path = default_db_path()
    path.mkdir(parents=True)
    (path / "keep.txt").write_text("mine")
    with pytest.raises(HistoryError, match="is a folder"):
        HistoryStore()
    line = one_line_error(run("list"))
    assert str(path) in line and "folder" in line
    assert (path / "keep.txt").read_text() == "mine"


def test_a_dangling_link_where_the_database_should_be_is_a_plain_message(data_dir, tmp_path):
    path = default_db_path()
    path.parent.mkdir(parents=True)
    path.symlink_to(tmp_path / "gone.sqlite3")
    line = one_line_error(run("show", "1"))
    assert "link" in line and "gone.sqlite3" in line
    assert path.is_symlink() and not (tmp_path / "gone.sqlite3").exists()  # not created


@pytest.fixture
def readonly_folder(data_dir):
    """The history folder on a read-only file system (root ignores permission bits)."""
    folder = default_db_path().parent
    if os.geteuid() != 0:
        folder.mkdir(parents=True)
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    folder.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a read-only file system here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_read_only_folder_is_a_plain_message(readonly_folder):
    with pytest.raises(HistoryError, match="read-only"):
        HistoryStore()
    line = one_line_error(run("list"))
    assert str(readonly_folder) in line and "read-only" in line


def test_a_dropped_table_is_set_aside_and_a_fresh_history_starts(data_dir, words, report):
    filled(words, report, 1)
    path = default_db_path()
    raw(path, "DROP TABLE attempts")
    out = run("list", "--json")
    assert out.returncode == 0 and json.loads(out.stdout) == [], out.stderr
    assert "no attempts table" in out.stderr
    assert len(set_aside_files(path)) == 1


# -- a lock held elsewhere ------------------------------------------------------------------

LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE attempts SET notes = 'busy' WHERE id = 1")
print("locked", flush=True)
time.sleep(60)
"""


def test_a_locked_database_with_a_recovery_pending_still_lists(data_dir, words, report):
    filled(words, report, 2)
    path = default_db_path()
    with HistoryStore() as store:
        dead = store.begin_attempt(question="ownership-failure")
    raw(path, "UPDATE attempts SET owner = 'no-such-host:1' WHERE id = ?", params=(dead.id,))
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        start = time.monotonic()
        out = run("list", "--json", timeout=30)
        elapsed = time.monotonic() - start
    finally:
        locker.kill()
        locker.wait()
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 3
    assert "busy" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert elapsed < 10  # not the 15 s busy timeout
    with HistoryStore() as store:  # and once the lock is gone it is recovered
        assert store.recover() == [dead.id]


# -- damaged rows -------------------------------------------------------------------------------

DAMAGE = {
    "duration_s": "'eleven'",
    "overall": "'high'",
    "finding_count": "x'00ff'",
    "started_at": "'yesterday'",
    "report_json": "'{\"findings\": [1, 2'",
    "words_json": "'[{\"text\": \"a\", \"start\": \"zero\"}]'",
    "marks_json": "'[[\"one\", \"action\"]]'",
    "level": "x'41'",
}


@pytest.fixture
def damaged(data_dir, words, report):
    """One attempt per kind of damage, written past the store by raw SQL, plus two good."""
    ids = filled(words, report, 2 + len(DAMAGE))
    good, bad = ids[:2], dict(zip(DAMAGE, ids[2:], strict=True))
    path = default_db_path()
    for column, value in DAMAGE.items():
        raw(path, f"UPDATE attempts SET {column} = {value} WHERE id = {bad[column]}")
    return good, bad


def test_list_skips_damaged_rows_and_names_them(damaged):
    good, bad = damaged
    out = run("list", "--json")
    assert out.returncode == 0, out.stderr
    listed = {r["id"] for r in json.loads(out.stdout)}
    row_damage = ("duration_s", "overall", "finding_count", "started_at", "level")
    assert listed == set(good) | {bad[c] for c in DAMAGE if c not in row_damage}
    warnings = out.stderr.strip().splitlines()
    assert len(warnings) == len(row_damage) and "Traceback" not in out.stderr
    for column in row_damage:
        assert any(f"attempt {bad[column]}:" in w and column in w for w in warnings), column
    text = run("list")
    assert text.returncode == 0 and str(good[0]) in text.stdout


@pytest.mark.parametrize("column", list(DAMAGE))
def test_show_and_export_of_a_damaged_attempt_are_one_line(damaged, column, tmp_path):
    good, bad = damaged
    attempt = str(bad[column])
    show = run("show", attempt)
    export = run("export", attempt, "--format", "md", "-o", str(tmp_path / "x.md"))
    for out in (show, export):
        line = one_line_error(out, out.returncode)
        assert out.returncode in (1, 2) and f"attempt {attempt}" in line
    assert run("show", str(good[0])).returncode == 0


def test_reanalyse_all_skips_damaged_attempts_and_redoes_the_rest(damaged):
    good, bad = damaged
    out = run("reanalyse", "--all")
    assert out.returncode == 1  # some could not be re-analysed
    assert "Traceback" not in out.stderr
    for attempt in good:
        assert f"attempt {attempt}: rubric" in out.stdout
    for attempt in bad.values():
        assert f"attempt {attempt}:" in out.stdout + out.stderr


def test_the_store_api_reports_damage_instead_of_raising_other_errors(damaged):
    from starcoach.desktop.attempts.records import AttemptDamaged

    good, bad = damaged
    with HistoryStore() as store:
        store.list()
        assert len(store.skipped) == 5
        for attempt in bad.values():
            with pytest.raises(AttemptDamaged, match=f"attempt {attempt}"):
                store.get(attempt)
        assert store.get(good[0]).report is not None
        assert "ownership-failure" in store.rule_failures()


def test_schema_columns_list_matches_the_migrations():
    db = sqlite3.connect(":memory:", isolation_level=None)
    schema.migrate(db)
    have = [r[1] for r in db.execute("PRAGMA table_info(attempts)")]
    assert set(have) == set(schema.COLUMNS)
    assert schema.check_tables(db) is None


# -- found by the fuzz tests ----------------------------------------------------------------

def test_a_header_sqlite_would_open_read_only_is_set_aside(data_dir, words, report):
    filled(words, report, 1)
    path = default_db_path()
    checkpoint(path)
    data = bytearray(path.read_bytes())
    data[18] = 3  # "write version 3": SQLite opens it read-only, the first write fails
    path.write_bytes(bytes(data))
    out = run("reanalyse", "--all")
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert "file format 3" in out.stderr
    assert [p.read_bytes() for p in set_aside_files(path)] == [bytes(data)]


def test_bytes_that_are_not_utf8_in_a_column_do_not_hide_the_row(data_dir, words, report):
    (attempt,) = filled(words, report, 1)
    raw(default_db_path(), "UPDATE attempts SET notes = CAST(x'6e6f74e9' AS TEXT)")
    out = run("list", "--json")
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    assert row["id"] == attempt and row["notes"] == "not\ufffd"
    assert run("show", str(attempt)).returncode == 0


def test_a_damaged_attempt_can_still_be_deleted(damaged):
    _good, bad = damaged
    out = run("delete", str(bad["duration_s"]), "--yes")
    assert out.returncode == 0 and "deleted" in out.stdout, out.stderr
    listed = run("list", "--json")
    assert bad["duration_s"] not in {r["id"] for r in json.loads(listed.stdout)}
    assert f"attempt {bad['duration_s']}:" not in listed.stderr


@pytest.mark.parametrize("since", ["0001-01-01", "2024-13-01", "\x1b[2J"])
def test_an_impossible_since_date_is_one_line(data_dir, since):
    line = one_line_error(run("list", "--since", since))
    assert "--since" in line and "\x1b" not in line


@pytest.mark.parametrize("command", [("show",), ("export", "--format", "md"), ("reanalyse",),
                                     ("delete", "--yes")])
def test_an_id_beyond_sqlite_integers_is_not_found(data_dir, command):
    line = one_line_error(run(command[0], "99999999999999999999", *command[1:]))
    assert line.endswith("no attempt with id 99999999999999999999")
