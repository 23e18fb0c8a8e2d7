"""The follow-up drill: spoken replies to the interviewer's probes through a real PortAudio
stream (the ALSA fake microphone), judged, shown, re-scoring the main answer, and kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.drill.screen import NO_SPEECH, DrillScreen
from starcoach.rubric.analyze import analyze
from starcoach.rubric.packs import builtin_catalogue
from starcoach.rubric.text import estimate_words
from starcoach.speech.audio import SAMPLE_RATE, decode_audio

from .conftest import stop_feeding
from .practice_helpers import KnownWords, LostStream, spoken_answer

QUESTION = "ownership-failure"
# Written for these tests: an escalation that hands the fix over, and a reason rooted in impact.
WEAK_ESCALATION = "Yes. I escalated it to the platform team, and they sorted it out."
STRONG_REASON = "Late payments were costing merchants money and us revenue, so I decided to fix it."


@pytest.fixture(scope="module")
def weak_reply():
    return spoken_answer(WEAK_ESCALATION, lead=0.3)


@pytest.fixture(scope="module")
def strong_reply():
    return spoken_answer(STRONG_REASON, lead=0.3)


@pytest.fixture
def main_report():
    notes = builtin_catalogue().questions[QUESTION].notes["model_answer"]
    text = " ".join(notes[k] for k in ("situation", "task", "action", "result", "reflection"))
    report = analyze(estimate_words(text), question=QUESTION, level="mid")
    assert report.scores["verdict"] == "Strong Hire"
    return report


@pytest.fixture
def store():
    s = HistoryStore()
    yield s
    s.close()


@pytest.fixture
def attempt_id(store, main_report):
    attempt = store.begin_attempt(question=QUESTION, principle="ownership")
    store.finish_attempt(attempt.id, main_report.words, main_report)
    return attempt.id


def open_drill(qtbot, *, stream_factory=None) -> DrillScreen:
    screen = DrillScreen(stream_factory=stream_factory)
    qtbot.addWidget(screen)
    screen.resize(900, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen)
    return screen


def speak(qtbot, screen: DrillScreen, fakemic, audio: np.ndarray):
    """Space, the reply through the microphone, Space; returns the probe's outcome."""
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    assert screen.recording
    levels: list[float] = []
    session = screen.session
    session.level.connect(levels.append)
    fakemic.feed(audio)
    qtbot.waitUntil(lambda: session.audio_seconds >= audio.size / SAMPLE_RATE, timeout=30_000)
    qtbot.waitUntil(lambda: screen.elapsed.text() != "0:00")  # the clock runs
    with qtbot.waitSignal(screen.replyFinished, timeout=30_000) as done:
        qtbot.keyClick(screen, Qt.Key.Key_Space)
        assert not screen.recording
    stop_feeding(fakemic)
    assert levels  # the level meter was fed
    return done.args[0]


def marked_text(screen: DrillScreen) -> str:
    """The words drawn highlighted in the reply view."""
    doc = screen.panel.heard.document()
    out = []
    block = doc.firstBlock()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                out.append(fragment.text())
            it += 1
        block = block.next()
    return " ".join(" ".join(out).split())


def test_a_weak_escalation_reply_turns_the_answer_into_no_hire_and_is_kept(
        qtbot, fakemic, store, attempt_id, main_report, weak_reply, strong_reply):
    transcriber = KnownWords(weak_reply.words)
    screen = open_drill(qtbot)
    screen.start(attempt_id, main_report, QUESTION, "mid", None, transcriber, store,
                 read_aloud=True)
    probes = builtin_catalogue().questions[QUESTION].followups
    assert screen.counter.text() == f"Follow-up 1 of {len(probes)}"
    assert screen.probe.text() == "Did you escalate it to the owning team?"
    assert screen.speech is not None  # the probe is being read aloud (espeak-ng is here)

    outcome = speak(qtbot, screen, fakemic, weak_reply.audio)
    assert not screen.speech.running  # answering silenced the interviewer's voice
    assert outcome.followup.id == "did-you-escalate" and outcome.result.weak
    assert screen.panel.isVisible() and screen.panel.verdict.text() == "Weak reply"
    assert screen.panel.why.text() == outcome.followup.why_weak
    assert marked_text(screen) == "I escalated it to the platform team, and they sorted it out."
    assert "Yes." in screen.panel.heard.toPlainText()  # heard, but not what made it weak
    assert "Why it costs:" in screen.panel.heard.toPlainText()

    # The example answers appear on request.
    assert not screen.panel.examples.isVisible()
    screen.panel.toggle.click()
    assert screen.panel.examples.isVisible()
    assert outcome.followup.weak in screen.panel.weak_example.text()
    assert outcome.followup.strong in screen.panel.strong_example.text()

    # Saved at once, audio and all: a crash now loses nothing.
    saved = store.get(attempt_id).followups
    assert [f["id"] for f in saved] == ["did-you-escalate"]
    entry = saved[0]
    assert entry["weak"] is True and entry["heard"] is True and entry["verdict"] == "No Hire"
    assert entry["probe"] == outcome.followup.probe
    assert [w["text"] for w in entry["words"]] == WEAK_ESCALATION.split()
    assert [f["rule"] for f in entry["findings"]] == ["escalation_handoff"]
    audio = store.audio_dir / entry["audio"]
    assert audio.stat().st_size > 0
    assert decode_audio(audio).size / SAMPLE_RATE >= weak_reply.duration

    # N: the next probe, answered strongly.
    qtbot.keyClick(screen, Qt.Key.Key_N)
    assert screen.counter.text() == f"Follow-up 2 of {len(probes)}"
    assert screen.probe.text() == "Why did you decide to act on it?"
    assert not screen.panel.isVisible()
    transcriber.words = list(strong_reply.words)
    outcome = speak(qtbot, screen, fakemic, strong_reply.audio)
    assert outcome.followup.id == "why-did-you-act" and not outcome.result.weak
    assert screen.panel.verdict.text() == "Strong reply" and marked_text(screen) == ""

    # F: the summary says how the rating moved, and why.
    with qtbot.waitSignal(screen.finished) as finished:
        qtbot.keyClick(screen, Qt.Key.Key_F)
    scores = finished.args[0]
    assert scores["verdict"] == "No Hire"
    assert scores["verdict_before_followups"] == "Strong Hire"
    rating = screen.summary.rating.text()
    assert rating.startswith("Strong Hire → No Hire:")
    assert "Did you escalate it to the owning team?" in rating
    lines = [screen.summary.items.item(i).text() for i in range(screen.summary.items.count())]
    assert lines[0].startswith("Weak reply: “Did you escalate")
    assert lines[1].startswith("Strong reply: “Why did you decide")
    assert all(line.startswith("Skipped") for line in lines[2:]) and len(lines) == len(probes)
    saved = store.get(attempt_id).followups
    assert [(f["id"], f["weak"], f["verdict"]) for f in saved] == [
        ("did-you-escalate", True, "No Hire"), ("why-did-you-act", False, "No Hire")]

    with qtbot.waitSignal(screen.backRequested):
        screen.summary.back_button.click()
    # Deleting the attempt removes the replies' audio too (the "audio" key holds the name).
    names = [f["audio"] for f in saved]
    store.delete(attempt_id)
    assert not any((store.audio_dir / n).exists() for n in names)


def test_silence_is_not_judged_and_the_retry_replaces_it(
        qtbot, fakemic, store, attempt_id, main_report, strong_reply):
    transcriber = KnownWords(strong_reply.words)  # would claim words for any long audio
    screen = open_drill(qtbot)
    screen.start(attempt_id, main_report, QUESTION, "mid", None, transcriber, store,
                 read_aloud=False)
    assert screen.speech is None
    qtbot.keyClick(screen, Qt.Key.Key_N)  # skip to "Why did you decide to act on it?"
    assert screen.probe.text() == "Why did you decide to act on it?"

    outcome = speak(qtbot, screen, fakemic, np.zeros(round(1.2 * SAMPLE_RATE), np.float32))
    assert outcome.heard is False and outcome.result is None
    assert screen.status.text() == NO_SPEECH
    assert not screen.panel.isVisible()
    assert transcriber.calls == 0  # silence never reached the model
    assert screen.record_button.isEnabled()
    saved = store.get(attempt_id).followups
    assert [(f["id"], f["heard"], f["weak"]) for f in saved] == [("why-did-you-act", False, None)]
    silent_file = outcome.audio

    outcome = speak(qtbot, screen, fakemic, strong_reply.audio)  # try again
    assert outcome.heard and outcome.result is not None and not outcome.result.weak
    assert outcome.audio == silent_file  # the silent recording was replaced, not orphaned
    saved = store.get(attempt_id).followups
    assert [(f["id"], f["heard"], f["weak"]) for f in saved] == [("why-did-you-act", True, False)]
    assert screen.panel.verdict.text() == "Strong reply"

    with qtbot.waitSignal(screen.finished) as finished:
        screen.finish_button.click()
    assert finished.args[0]["verdict"] == "Strong Hire"
    assert finished.args[0]["followup_effect"] is None
    assert screen.summary.rating.text().startswith("Your rating stays Strong Hire")


def test_an_answer_from_a_file_drills_without_storing_anything(
        qtbot, fakemic, store, main_report, weak_reply):
    screen = open_drill(qtbot)
    screen.start(None, main_report, QUESTION, "mid", None, KnownWords(weak_reply.words), store,
                 read_aloud=False)
    outcome = speak(qtbot, screen, fakemic, weak_reply.audio)
    assert outcome.result.weak
    temp_audio = Path(outcome.audio)
    assert temp_audio.stat().st_size > 0 and not temp_audio.is_relative_to(store.audio_dir)
    assert store.list() == [] and list(store.audio_dir.iterdir()) == []
    with qtbot.waitSignal(screen.finished) as finished:
        screen.finish()
    assert finished.args[0]["verdict"] == "No Hire"
    assert not temp_audio.exists()  # temporary replies go with the drill


def test_a_lost_microphone_keeps_and_judges_what_was_said(
        qtbot, store, attempt_id, main_report, weak_reply):
    screen = open_drill(qtbot, stream_factory=lambda **kw: LostStream(weak_reply.audio, **kw))
    screen.start(attempt_id, main_report, QUESTION, "mid", None,
                 KnownWords(weak_reply.words), store, read_aloud=False)
    with qtbot.waitSignal(screen.replyFinished, timeout=30_000) as done:
        assert screen.start_reply()
    outcome = done.args[0]
    assert "microphone stopped" in screen.status.text()
    assert "\n" not in screen.status.text() and "Traceback" not in screen.status.text()
    assert outcome.result is not None and outcome.result.weak
    assert decode_audio(outcome.audio).size == weak_reply.audio.size  # all of it kept
    assert store.get(attempt_id).followups[0]["weak"] is True


def test_no_microphone_is_one_plain_line_and_nothing_is_judged(
        qtbot, store, attempt_id, main_report):
    def refuse(**_kw):
        raise OSError("Error opening InputStream: Invalid device [PaErrorCode -9996]")

    screen = open_drill(qtbot, stream_factory=refuse)
    screen.start(attempt_id, main_report, QUESTION, "mid", None, KnownWords([]), store,
                 read_aloud=False)
    assert not screen.start_reply()
    assert not screen.recording
    assert screen.status.text().startswith("No microphone was found.")
    assert store.get(attempt_id).followups == []
    assert screen.next_button.isEnabled()  # the person can still move on


def test_escape_returns_to_the_review_and_a_question_without_probes_says_so(
        qtbot, main_report):
    screen = open_drill(qtbot)
    screen.start(None, main_report, None, transcriber=KnownWords([]), read_aloud=False)
    assert screen.probe.text() == "This question has no follow-up questions."
    assert not screen.record_button.isEnabled() and not screen.start_reply()
    with qtbot.waitSignal(screen.backRequested):
        qtbot.keyClick(screen, Qt.Key.Key_Escape)
