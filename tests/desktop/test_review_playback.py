"""Playback in the review: the real Player through real PortAudio into the fake speaker
(ALSA file plugin), the word being heard highlighted, click a word to play from it, a
section on its own, speed, and a missing recording as one line."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication
from starcoach.desktop.review.screen import ReviewScreen
from starcoach.rubric.analyze import analyze
from starcoach.rubric.clock import clock
from starcoach.speech.audio import SAMPLE_RATE
from starcoach.speech.flacfile import FlacWriter

from . import conftest
from .practice_helpers import spoken_answer

SCRIPT = ("Our nightly import failed every night. <pause:0.3> Nobody owned it so I took it. "
          "<pause:0.3> I rewrote the job. <pause:0.3> Failures went from five to zero.")


@pytest.fixture(scope="module")
def answer():
    return spoken_answer(SCRIPT)


@pytest.fixture
def recorded(tmp_path, answer):
    path = tmp_path / "answer.flac"
    writer = FlacWriter(path, SAMPLE_RATE)
    writer.write(answer.audio)
    writer.close()
    return path


@pytest.fixture
def screen(qtbot, answer, recorded):
    if conftest.FAKEMIC is None:
        pytest.skip(conftest.FAKEMIC_PROBLEM)
    report = analyze(answer.words, question="ownership-failure", timing="audio",
                     duration_s=answer.duration)
    review = ReviewScreen()
    qtbot.addWidget(review)
    review.resize(1000, 700)
    review.set_report(report, question_text="Describe a time you took ownership.")
    review.set_audio(recorded, attempt_id=7)
    review.show()
    qtbot.waitExposed(review)
    yield review
    review.playback.stop()


def speaker_samples() -> int:
    """Float32 samples that reached the fake speaker since the last stream opened."""
    data = np.fromfile(conftest.FAKEMIC.speaker, dtype=np.float32)
    return data.size


def test_the_word_being_heard_is_highlighted_as_the_position_moves(screen, answer):
    review = screen
    for k in (0, 5, len(answer.words) - 1):
        w = answer.words[k]
        review._on_playback_position((w.start + w.end) / 2)
        assert review.transcript.playing_word() == k
        selections = review.transcript.extraSelections()
        start, end = review.transcript.word_range(k)
        assert any(s.cursor.selectionStart() == start and s.cursor.selectionEnd() == end
                   for s in selections)
    # a finding selected meanwhile stays highlighted beside the playing word
    review.findings.select_finding(0)
    assert len(review.transcript.extraSelections()) == 2


def test_clicking_a_word_plays_from_there_and_a_section_stops_at_its_end(qtbot, screen,
                                                                          answer):
    review, bar = screen, screen.playback
    assert bar.isVisibleTo(review) and bar.section_button.isEnabled()
    k = answer.index("rewrote")
    with qtbot.waitSignal(bar.stateChanged, check_params_cb=lambda playing: playing):
        review.transcript.wordActivated.emit(k)
    assert bar.player.position >= answer.words[k].start - 0.15
    heard = []
    bar.positionChanged.connect(lambda _s: heard.append(review.transcript.playing_word()))
    with qtbot.waitSignal(bar.stateChanged, timeout=20_000,  # played to the end
                          check_params_cb=lambda playing: not playing):
        pass
    assert heard and heard[-1] == len(answer.words) - 1 and min(heard) >= k - 1

    section = review.report.sections[-1]
    action = bar.section_menu.findChild(type(bar.section_menu.actions()[0]),
                                        f"play-{section.label}")
    with qtbot.waitSignal(bar.stateChanged, timeout=20_000,
                          check_params_cb=lambda playing: not playing):
        action.trigger()
    assert bar.position() == pytest.approx(section.end_s, abs=0.05)
    played = speaker_samples() / bar.player.rate
    assert played == pytest.approx(section.end_s - section.start_s, abs=0.2)


def test_speed_reaches_the_player_and_pause_keeps_the_place(qtbot, screen):
    bar = screen.playback
    bar.speed.setCurrentIndex(bar.speed.findData(1.5))
    assert bar.play(0.5)
    assert bar.player.speed == 1.5
    bar.pause()
    assert not bar.playing
    stopped_at = bar.position()
    assert stopped_at >= 0.5
    assert bar.time.text().startswith(clock(stopped_at) + " / ")


def test_a_recording_that_is_gone_is_one_line_and_a_text_answer_has_no_bar(qtbot, screen,
                                                                          recorded, tmp_path):
    review, bar = screen, screen.playback
    review.set_audio(tmp_path / "missing.flac", attempt_id=7)
    with qtbot.waitSignal(bar.problem) as problem:
        bar.play()
    assert "\n" not in problem.args[0] and problem.args[0]
    review.set_audio(None)
    assert not bar.isVisibleTo(review)
    assert not review.play_from_word(0)
    QApplication.processEvents()
