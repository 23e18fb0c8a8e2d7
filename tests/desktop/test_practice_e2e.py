"""End to end: the real window records a spoken answer from a real PortAudio stream (the
ALSA fake microphone), shows the review and keeps the attempt in history."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from starcoach.desktop.app import MainWindow
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.practice.model import load_transcriber
from starcoach.desktop.practice.session import PracticeSession
from starcoach.desktop.settings import open_settings
from starcoach.speech.audio import SAMPLE_RATE, decode_audio
from starcoach.speech.transcribe import TranscribeOptions

from .conftest import stop_feeding
from .practice_helpers import KnownWords, spoken_answer


@pytest.fixture(scope="module")
def answer():
    return spoken_answer()


def open_window(qtbot, loader=None) -> MainWindow:
    win = MainWindow(loader=loader)
    qtbot.addWidget(win)
    win.resize(1100, 760)
    win.chooser.select("ownership-failure", "mid", None)
    with qtbot.waitSignal(win.practice.modelReady, timeout=30_000):
        win.show()
        qtbot.waitExposed(win)
    win.menus.practise_action.trigger()
    assert win.stack.currentWidget() is win.practice
    win.activateWindow()
    win.practice.setFocus()
    return win


def speak_into(qtbot, win, fakemic, answer, marks=()) -> None:
    """Space, the answer through the microphone (pressing mark keys at given times), Space."""
    screen = win.practice
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    assert screen.recording
    levels: list[float] = []
    screen.session.level.connect(levels.append)
    fakemic.feed(answer.audio)
    for at, key in marks:
        qtbot.waitUntil(lambda at=at: screen.session.audio_seconds >= at, timeout=30_000)
        qtbot.keyClick(screen, key)
        assert screen.cue_label.text().startswith(  # the live cue follows the mark
            {Qt.Key.Key_3: "Action", Qt.Key.Key_4: "Result"}[key])
    qtbot.waitUntil(lambda: screen.session.audio_seconds >= answer.duration, timeout=60_000)
    assert max(levels) > -40  # the level meter heard the voice
    with qtbot.waitSignal(screen.reportReady, timeout=60_000,
                          check_params_cb=lambda _report, final: final):
        qtbot.keyClick(screen, Qt.Key.Key_Space)
        assert not screen.recording
    stop_feeding(fakemic)


def test_a_spoken_answer_is_recorded_transcribed_reviewed_and_kept(qtbot, fakemic, answer,
                                                                   monkeypatch):
    words = answer.words
    on_gui_thread = []  # per analysis: did it run on the GUI thread (it would stall it)?
    analyse = PracticeSession.analyse_words

    def watched(self, *args):
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return analyse(self, *args)

    monkeypatch.setattr(PracticeSession, "analyse_words", watched)
    win = open_window(qtbot, loader=lambda _model, _threads: KnownWords(words))
    we, the = answer.index("We"), answer.index("The")
    # Manual marks: "Action begins now" and "Result begins now" in the pauses before them.
    marks = [(words[we - 1].end + 0.25, Qt.Key.Key_3), (words[the - 1].end + 0.25, Qt.Key.Key_4)]
    first_reports = []
    win.practice.reportReady.connect(lambda r, final: first_reports.append(final))
    speak_into(qtbot, win, fakemic, answer, marks)

    assert first_reports[0] is False  # the quick transcript first, then the final one
    assert on_gui_thread == [False, False]  # both analysed (and saved) off the GUI thread
    session = win.practice.session
    report = win.review.report
    assert win.stack.currentWidget() is win.review
    assert [w.text for w in report.words if w.kind != "filler"] == [w.text for w in words]
    assert [s.label for s in report.sections] == ["situation", "task", "action", "result"]
    starts = {s.label: report.words[s.first_word].text for s in report.sections}
    assert starts["action"] == "We" and starts["result"] == "The"
    assert win.review.timeline.report is report
    found = {f.rule: " ".join(w.text for w in report.words[f.word_span[0]:f.word_span[1] + 1])
             for f in report.findings}
    assert found["manager_directed"].startswith("My manager asked me")
    assert found["we_language"].startswith("We rewrote")
    assert found["vague_outcome"].startswith("The team was happy")
    assert win.review.findings.tree.topLevelItemCount() == len(report.findings)

    # The recording reached disk: the whole answer, through a real PortAudio stream.
    audio = decode_audio(session.audio_path)
    assert audio.size / SAMPLE_RATE == pytest.approx(session.result.duration, abs=0.05)
    assert audio.size / SAMPLE_RATE >= answer.duration
    assert session.result.error is None

    # ... and the attempt is in history, with its words, marks, report and model.
    store = HistoryStore()
    attempt = store.get(session.attempt_id)
    assert attempt.status == "analysed"
    assert attempt.audio_path == session.audio_path
    assert [w.text for w in attempt.words] == [w.text for w in report.words]
    assert attempt.marks == [(we, "action"), (the, "result")]
    assert attempt.report["findings"] == report.to_json()["findings"]
    assert attempt.summary.question == "ownership-failure"
    store.close()
    win.close()


def test_the_same_flow_through_real_faster_whisper(qtbot, fakemic, answer, test_model):
    open_settings().update(model=str(test_model), threads=2)
    loaded = []

    def loader(model, threads):
        # The app's own loading path, with decoding capped: a random model never stops
        # talking, where a trained one stops at the end of what was said.
        transcriber = load_transcriber(model, threads)
        transcriber.options = TranscribeOptions(temperatures=(0.0,), max_new_tokens=12)
        loaded.append((model, threads))
        return transcriber

    win = open_window(qtbot, loader)  # faster-whisper on the random-weight model
    assert loaded == [(str(test_model), 2)]
    assert win.practice.model_name == test_model.name
    speak_into(qtbot, win, fakemic, answer)
    session = win.practice.session
    assert session.final and session.report is win.review.report
    report = session.report
    assert all(0 <= w.start <= w.end <= report.duration_s + 0.01 for w in report.words)
    assert report.duration_s == pytest.approx(session.result.duration, abs=0.05)
    store = HistoryStore()
    assert store.get(session.attempt_id).status == "analysed"
    store.close()
    win.close()
