"""Real processes: two writers at once, and a recording killed with SIGKILL mid-answer."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from starcoach.desktop.attempts.paths import default_db_path
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.speech.audio import decode_audio

from .conftest import HERE, speech_conftest

SAMPLE_RATE = 16_000


def _spawn(script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / script), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def test_two_processes_writing_at_once_leave_every_attempt_intact(tmp_path, report):
    db = tmp_path / "shared" / "starcoach.sqlite3"
    report_file = tmp_path / "report.json"
    report_file.write_text(json.dumps(report.to_json()))
    n = 150
    writers = [_spawn("child_writer.py", str(db), str(report_file), tag, str(n))
               for tag in ("a", "b")]
    try:
        for w in writers:
            assert w.stdout.readline().strip() == "ready", w.stderr.read()
        for w in writers:  # open the gate for both at once: they race creation and migration
            w.stdin.write("go\n")
            w.stdin.flush()
        for w in writers:
            out, err = w.communicate(timeout=60)
            assert w.returncode == 0 and out.strip() == "done", err
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
                w.communicate()
    store = HistoryStore(db)
    rows = store.list()
    assert len(rows) == 2 * n and len({r.id for r in rows}) == 2 * n
    for tag in ("a", "b"):
        mine = store.list(question=f"q-{tag}")
        assert sorted(r.notes for r in mine) == sorted(f"{tag} {i}" for i in range(n))
        assert all(r.status == "analysed" and r.finding_count == len(report.findings)
                   for r in mine)
    assert all(store.get(r.id).report["findings"] == report.to_json()["findings"]
               for r in rows[:: n // 4])
    assert len(list(store.audio_dir.glob("*.flac"))) == 2 * n
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _as_s16(x: np.ndarray) -> np.ndarray:
    return np.round(x * 32768).astype(np.int32)


def test_a_recording_killed_mid_answer_is_recovered_with_all_but_the_last_second(tmp_path):
    if not Path("/usr/share/alsa/alsa.conf").exists():
        pytest.skip("ALSA configuration not installed")
    helpers = speech_conftest()
    answer = np.concatenate([
        helpers.speak("I traced the failure to a lock held by the import job."),
        helpers.silence(0.3),
        helpers.speak("I rewrote the job to commit in small batches and added an alarm."),
    ])
    mic = helpers.FakeMic(tmp_path)
    mic.feed(answer)
    child = _spawn("child_recorder.py", env={"ALSA_CONFIG_PATH": mic.alsa_config_path,
                                               "PYTHONUNBUFFERED": "1"})
    try:
        line = child.stdout.readline().split()
        assert line[:1] == ["recording"], child.stderr.read() if child.poll() else line
        attempt_id, audio = int(line[1]), Path(line[2])
        kill_at = min(answer.size, mic.fed + 3 * SAMPLE_RATE)  # about 3 s into the answer
        deadline = time.monotonic() + 30
        while mic.fed < kill_at and time.monotonic() < deadline:
            threading.Event().wait(0.05)
        mic.stop_feeding()
        child.kill()  # SIGKILL: no handler, no flush, no close
        child.communicate(timeout=30)
        captured = mic.fed - mic.drain()  # samples the recorder had taken from the device
    finally:
        mic.stop_feeding()
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == -9
    assert captured > 2 * SAMPLE_RATE

    store = HistoryStore(default_db_path())  # the next start
    assert store.get(attempt_id).status == "recording"
    assert store.recover() == [attempt_id]
    got = store.get(attempt_id)
    assert got.status == "recovered" and got.audio_path == audio
    decoded = decode_audio(audio)
    assert decoded.size >= captured - SAMPLE_RATE  # at most the last second lost
    assert abs(got.summary.duration_s - decoded.size / SAMPLE_RATE) < 1e-6
    fed = np.concatenate([answer, helpers.silence(10.0)])
    quantised = (np.clip(fed, -1, 1) * 32767).astype("<i2").astype(np.float32) / 32768.0
    np.testing.assert_array_equal(_as_s16(decoded), _as_s16(quantised[: decoded.size]))
    assert [r.status for r in store.list()] == ["recovered"]
