"""Wiring the follow-up drill into the main window: the review's "Follow-up questions"
opens it on the answer shown, its outcome comes back to the review ("Hire → No Hire: ..."),
and a kept attempt opened from history shows the effect of the drill stored with it.

Whether probes are read aloud is a setting (``read_aloud``, on by default), toggled from
the Questions menu.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from starcoach.desktop.drill.screen import DrillScreen


def stored_effect(report_scores: dict, followups: list[dict]) -> dict | None:
    """The rating change recorded with a kept attempt's drill (its last judged reply's)."""
    judged = [f for f in followups if isinstance(f, dict) and f.get("verdict")]
    if not judged:
        return None
    last = judged[-1]
    return {"verdict_before_followups": report_scores.get("verdict"),
            "verdict": last.get("verdict"), "followup_effect": last.get("followup_effect")}


class DrillController(QObject):
    def __init__(self, window: Any, stream_factory: Any = None) -> None:
        super().__init__(window)
        self.window = window
        self.screen = DrillScreen(window, settings=window.settings,
                                  stream_factory=stream_factory)
        window.stack.addWidget(self.screen)
        window.review.followupsRequested.connect(self.start)
        self.screen.finished.connect(self._finished)
        self.screen.backRequested.connect(self._back)
        self.screen.recordingChanged.connect(lambda _r: window._update_actions())
        self.read_aloud_action = QAction("Read Follow-ups &Aloud", self, checkable=True)
        self.read_aloud_action.setChecked(self.read_aloud())
        self.read_aloud_action.toggled.connect(
            lambda on: window.settings.remember(read_aloud=bool(on)))

    def read_aloud(self) -> bool:
        return self.window.settings.load().read_aloud

    @property
    def recording(self) -> bool:
        return self.screen.busy

    def start(self) -> bool:
        """Follow-ups on the answer in the review (needs the speech model to hear replies)."""
        w = self.window
        review, practice = w.review, w.practice
        report = review.report
        if report is None or practice.recording:
            return False
        transcriber = w.ready_transcriber()
        if transcriber is None:
            return False
        review.playback.stop()
        self.screen.start(review.attempt_id, report, report.question, report.level,
                          report.lens, transcriber, practice.store,
                          read_aloud=self.read_aloud(), catalogue=w.chooser.catalogue)
        w.stack.setCurrentWidget(self.screen)
        self.screen.setFocus()
        w._update_actions()
        return True

    def show_stored(self, followups: list[dict]) -> None:
        """A kept attempt is in the review: show what its stored drill did to the rating."""
        review = self.window.review
        scores = review.report.scores if review.report is not None else {}
        review.metrics.set_followup_effect(stored_effect(scores, followups))

    def _finished(self, scores: dict) -> None:
        self.window.review.metrics.set_followup_effect(scores)

    def _back(self) -> None:
        progress = self.screen.progress
        if progress is not None and progress.results():
            self.window.review.metrics.set_followup_effect(progress.scores())
        self.window.show_review()

    def stop_and_save(self) -> None:
        """The window is closing: keep a reply being recorded."""
        if self.screen.recording:
            self.screen.stop_and_save()
