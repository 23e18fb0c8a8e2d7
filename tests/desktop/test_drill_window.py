"""The follow-up drill inside the window: from a kept attempt's review to the drill and
back, the rating change shown in the review and still there when the attempt is reopened."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from starcoach.desktop.app import MainWindow
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.rubric.analyze import analyze
from starcoach.rubric.packs import builtin_catalogue
from starcoach.rubric.text import estimate_words

from .practice_helpers import KnownWords, spoken_answer
from .test_drill import QUESTION, WEAK_ESCALATION, speak


@pytest.fixture
def store(data_dir):
    s = HistoryStore()
    yield s
    s.close()


def test_follow_ups_from_the_review_change_the_rating_and_it_is_kept(qtbot, fakemic, store):
    notes = builtin_catalogue().questions[QUESTION].notes["model_answer"]
    main_report = analyze(estimate_words(" ".join(notes.values())), question=QUESTION)
    assert main_report.scores["verdict"] == "Strong Hire"
    attempt = store.begin_attempt(question=QUESTION, principle="ownership")
    store.finish_attempt(attempt.id, main_report.words, main_report)
    reply = spoken_answer(WEAK_ESCALATION, lead=0.3)
    win = MainWindow(store=store, loader=lambda _m, _t: KnownWords(reply.words))
    qtbot.addWidget(win)
    win.resize(1100, 760)
    win.settings.update(read_aloud=False)  # quiet: the pack's text is shown anyway
    with qtbot.waitSignal(win.practice.modelReady, timeout=30_000):
        win.show()
    assert win.history_control.open_attempt(attempt.id)
    assert win.review.followups_action.isEnabled()
    assert not win.review.metrics.followup.isVisibleTo(win.review)

    win.review.followups_action.trigger()
    drill = win.drills.screen
    assert win.stack.currentWidget() is drill
    assert drill.probe.text() == "Did you escalate it to the owning team?"
    assert drill.speech is None  # reading aloud is off in the settings
    win.activateWindow()
    drill.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    outcome = speak(qtbot, drill, fakemic, reply.audio)
    assert outcome.result.weak

    with qtbot.waitSignal(drill.finished):
        drill.finish()
    effect = win.review.metrics.followup.text()
    assert "Strong Hire → No Hire" in effect and "escalate" in effect
    drill.back()
    assert win.stack.currentWidget() is win.review

    win.show_history(attempt.id)
    win.history.open_selected()
    assert win.review.attempt_id == attempt.id
    assert win.review.metrics.followup.isVisibleTo(win.review)
    assert "→ No Hire" in win.review.metrics.followup.text()
    win.close()
