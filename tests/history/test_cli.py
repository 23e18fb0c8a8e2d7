"""``starcoach history``: list, show, export, reanalyse, delete; exit codes; no Qt loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from starcoach.desktop.attempts.paths import default_db_path
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.cli import main


@pytest.fixture
def two(words, report):
    store = HistoryStore()
    ids = []
    for hour in (10, 11):  # fixed times, so that an attempt a test dates after them is later
        new = store.begin_attempt(question="ownership-failure", principle="ownership",
                                  started_at=f"2026-12-01T{hour}:00:00+00:00")
        store.finish_attempt(new.id, words, report, model="base.en")
        ids.append(new.id)
    store.close()
    return ids


def test_list_and_show(two, capsys, report):
    assert main(["history", "list"]) == 0
    out = capsys.readouterr().out
    assert "Describe a time you took ownership" in out and report.scores["verdict"] in out
    assert "ownership-failure" not in out and "Mid level" in out
    assert main(["history", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == two[::-1]
    assert rows[0]["finding_count"] == len(report.findings)
    assert main(["history", "list", "--search", "nothing like this", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["history", "show", str(two[0])]) == 0
    out = capsys.readouterr().out
    assert f"(history id {two[0]})" in out and "Findings" in out and "Sections" in out
    assert main(["history", "show", str(two[0]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"]["findings"] == report.to_json()["findings"]


def test_show_reads_as_words_for_a_person_and_counts_attempts_that_exist(
        two, capsys, report, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        store = HistoryStore()
        third = store.begin_attempt(question="ownership-failure", principle="ownership",
                                    started_at="2026-12-02T19:05:00+00:00",
                                    model="/opt/whisper-small-ct2/model")
        store.finish_attempt(third.id, report.words, report)
        store.delete(two[0])
        store.close()
        assert main(["history", "show", str(third.id)]) == 0
        out = capsys.readouterr().out
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    head = out.splitlines()[:2]
    assert head[0].startswith("Attempt 2 at “Describe a time you took ownership")
    assert "2 Dec 2026, 14:05" in head[1] and "speech model whisper-small-ct2" in head[1]
    assert "StarCoach report: Describe a time you took ownership" in out
    assert "Ownership, Mid level" in out and "ownership-failure" not in out
    rules = {f.rule for f in report.findings}
    assert rules and not [r for r in rules if r in out]
    from starcoach.desktop.wording import rule_title

    assert all(rule_title(r) in out for r in rules)
    assert "Situation" in out and " situation " not in out


def test_bad_id_and_format_are_one_line_and_exit_2(two, capsys):
    for argv in (["history", "show", "999"], ["history", "export", "999", "--format", "md"],
                 ["history", "delete", "999", "--yes"], ["history", "reanalyse", "999"],
                 ["history", "show", "abc"], ["history", "export", "1", "--format", "docx"],
                 ["history", "reanalyse"]):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse errors
            code = exc.code
        err = capsys.readouterr().err
        assert code == 2, argv
        assert len(err.strip().splitlines()) == 1 and err.startswith("starcoach: error:"), err


def test_export_each_format(two, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    store = HistoryStore()
    assert store.audio_file(two[0]) is None  # reserved, nothing recorded into it
    store.get(two[0]).audio_path.write_bytes(b"fLaC-ish")
    store.close()
    for fmt, head in (("md", b"# StarCoach"), ("html", b"<!DOCTYPE html>"), ("pdf", b"%PDF"),
                      ("flac", b"fLaC")):
        target = tmp_path / f"out.{fmt}"
        assert main(["history", "export", str(two[0]), "--format", fmt, "-o", str(target)]) == 0
        assert target.read_bytes().startswith(head)
        assert capsys.readouterr().out.strip() == f"wrote {target}"
    assert main(["history", "export", str(two[1]), "--format", "flac"]) == 1
    assert "no audio" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main(["history", "export", str(two[1]), "--format", "md"]) == 0
    assert (tmp_path / f"attempt-{two[1]}.md").is_file()


def test_reanalyse_and_delete(two, capsys, report):
    assert main(["history", "reanalyse", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.count(f"→ {report.rubric_version}") == 2
    audio = HistoryStore().get(two[0]).audio_path
    assert main(["history", "delete", str(two[0])]) == 2  # stdin is not a terminal
    assert "--yes" in capsys.readouterr().err and audio.exists()
    assert main(["history", "delete", str(two[0]), "--yes"]) == 0
    assert not audio.exists()
    assert [r.id for r in HistoryStore().list()] == [two[1]]


def test_a_corrupt_database_is_reported_on_stderr_and_the_command_still_works(capsys):
    path = default_db_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage" * 500)
    assert main(["history", "list", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert "warning" in captured.err and ".corrupt-" in captured.err
    assert len(list(path.parent.glob("starcoach.sqlite3.corrupt-*"))) == 1


def test_history_list_never_imports_qt(two):
    code = ("import sys; from starcoach.desktop.cli import main; "
            "rc = main(['history', 'list']); "
            "main(['history', 'show', '1']); main(['history', 'export', '1', '--format', 'md', "
            "'-o', sys.argv[1]]); "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6')); print(bad); sys.exit(rc or bool(bad))")
    out_md = str(default_db_path().parent / "x.md")
    result = subprocess.run([sys.executable, "-c", code, out_md], capture_output=True,
                            text=True, env=dict(os.environ), timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
