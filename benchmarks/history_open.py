"""History: ``python benchmarks/history_open.py [--attempts 1000 --runs 7]``.

1. Opening the history with N stored attempts and listing them (the history view's query):
   ``HistoryStore(path)`` (connect, WAL, migrations check, quick_check) + ``list()``, median
   of several runs, each on a new connection. Target < 300 ms for 1,000 attempts.
   Each attempt holds a realistic 2-minute answer: ~300 timed words and its full report.
   Also the history view itself (offscreen Qt): open the store, fill the table, show and
   paint it; and the whole ``starcoach history list --json`` process, interpreter start
   included.
2. Storage: FLAC bytes per minute of espeak-ng speech written by speech's ``FlacWriter`` in
   the Recorder's 100 ms blocks (the file the Recorder makes), and database bytes per attempt.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from starcoach.desktop.attempts.store import HistoryStore
from starcoach.rubric.analyze import analyze
from starcoach.rubric.corpus import load_corpus
from starcoach.rubric.model import Word

TARGET_MS = 300.0
SENTENCES = [
    "Last year the nightly import that fed our checkout service started failing.",
    "It was not my team's system, and nobody had asked me to look at it.",
    "Customers saw stale prices every morning, which cost us refunds.",
    "I traced the failures to a database lock held by the import job.",
    "I rewrote the job to commit in small batches, and I added an alarm.",
    "Failures dropped from five a week to zero within a month.",
    "I learned to measure what a problem costs before I choose a fix.",
]


def two_minute_answers() -> list[list[Word]]:
    """Corpus answers stretched to ~300 words each, timed at 150 wpm."""
    texts = [" ".join(w.text for w in words) for words in _corpus_words()]
    answers = []
    for k in range(len(texts)):
        tokens: list[str] = []
        j = k
        while len(tokens) < 300:
            tokens += texts[j % len(texts)].split()
            j += 1
        tokens = tokens[:300]
        answers.append([Word(t, i * 0.4, i * 0.4 + 0.32) for i, t in enumerate(tokens)])
    return answers


def _corpus_words() -> list[list[Word]]:
    from starcoach.rubric.text import estimate_words

    out = []
    for item in load_corpus():
        text = getattr(item, "text", None) or " ".join(
            w.text for w in getattr(item, "words", []))
        if text:
            out.append(estimate_words(text))
    return out or [estimate_words(" ".join(SENTENCES))]


def fill(path: Path, n: int) -> None:
    answers = two_minute_answers()[:8]
    reports = [analyze(w, question="ownership-failure") for w in answers]
    store = HistoryStore(path)
    start = datetime.now(UTC) - timedelta(days=n)
    for i in range(n):
        k = i % len(answers)
        new = store.begin_attempt(question="ownership-failure", principle="ownership",
                                  started_at=start + timedelta(days=i))
        store.finish_attempt(new.id, answers[k], reports[k], marks=[(0, "situation")],
                             model="base.en")
        if i % 7 == 0:
            store.set_notes(new.id, "felt rushed in the action section")
    store.close()


def measure_open(path: Path, runs: int) -> tuple[list[float], list[float], int]:
    totals, checks = [], []
    count = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        store = HistoryStore(path)
        rows = store.list()
        totals.append((time.perf_counter() - t0) * 1000)
        count = len(rows)
        t1 = time.perf_counter()
        store._read("PRAGMA quick_check(1)")
        checks.append((time.perf_counter() - t1) * 1000)
        store.close()
    return totals, checks, count


def measure_view(path: Path, runs: int) -> list[float]:
    """Open the store, list every attempt in the history view's table and paint it (ms)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    from starcoach.desktop.history.view import HistoryView

    app = QApplication.instance() or QApplication([])
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        store = HistoryStore(path)
        view = HistoryView(lambda store=store: store)
        view.resize(1100, 700)
        view.refresh()
        view.show()
        view.repaint()
        app.processEvents()
        times.append((time.perf_counter() - t0) * 1000)
        assert view.model.rowCount() > 0
        view.close()
        view.deleteLater()
        app.processEvents()
        store.close()
    return times


def flac_bytes_per_minute(folder: Path) -> tuple[float, float]:
    """(bytes per minute, seconds of speech) for espeak-ng speech through FlacWriter."""
    from starcoach.speech.audio import SAMPLE_RATE, decode_audio
    from starcoach.speech.flacfile import FlacWriter

    wav = folder / "speech.wav"
    text = " ".join(SENTENCES * 3)
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(wav), text], check=True)
    audio = decode_audio(wav)
    flac = folder / "speech.flac"
    writer = FlacWriter(flac, SAMPLE_RATE)
    block = SAMPLE_RATE // 10
    for i in range(0, audio.size, block):
        writer.write(audio[i : i + block])
    writer.close()
    seconds = writer.samples / SAMPLE_RATE
    return flac.stat().st_size / seconds * 60, seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attempts", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "history" / "starcoach.sqlite3"
        t0 = time.perf_counter()
        fill(db, args.attempts)
        print(f"stored {args.attempts} attempts in {time.perf_counter() - t0:.1f} s")
        HistoryStore(db).close()  # checkpoint so the file size is the whole database
        totals, checks, count = measure_open(db, args.runs)
        assert count == args.attempts
        median = statistics.median(totals)
        verdict = "meets" if median < TARGET_MS else "MISSES"
        print(f"open + list {count} attempts: median {median:.1f} ms over {args.runs} runs "
              f"(min {min(totals):.1f}, max {max(totals):.1f}); {verdict} the "
              f"{TARGET_MS:.0f} ms target")
        print(f"  of which quick_check at open: median {statistics.median(checks):.1f} ms")
        view = measure_view(db, args.runs)
        median = statistics.median(view)
        verdict = "meets" if median < TARGET_MS else "MISSES"
        print(f"history view (store opened, {count} rows listed, shown and painted): median "
              f"{median:.1f} ms over {args.runs} runs (min {min(view):.1f}, max "
              f"{max(view):.1f}); {verdict} the {TARGET_MS:.0f} ms target")
        env = {**os.environ, "STARCOACH_DATA_DIR": str(folder)}
        cli = []
        for _ in range(3):
            t1 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "starcoach.desktop", "history", "list",
                            "--json"], env=env, check=True, stdout=subprocess.DEVNULL)
            cli.append(time.perf_counter() - t1)
        print(f"whole `starcoach history list --json` process: median "
              f"{statistics.median(cli) * 1000:.0f} ms (interpreter start included)")
        db_bytes = db.stat().st_size
        print(f"database: {db_bytes / 1e6:.1f} MB, {db_bytes / args.attempts / 1024:.1f} KiB "
              f"per attempt (~300 words + report)")
        if shutil.which("espeak-ng"):
            per_min, seconds = flac_bytes_per_minute(folder)
            print(f"audio: FLAC 16 kHz mono s16 of espeak-ng speech: {per_min / 1e6:.2f} MB per "
                  f"minute ({seconds:.0f} s measured; raw PCM is 1.92 MB/min)")
        else:
            print("audio: espeak-ng not installed; FLAC size not measured", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
