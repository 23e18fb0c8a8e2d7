"""Wiring the follow-up drill into the main window: the review's "Follow-up questions"
opens it on the answer shown, its outcome comes back to the review ("Hire → No Hire: ..."),
and a kept attempt opened from history shows the effect of the drill stored with it.

Whether probes are read aloud is a setting (``read_aloud``, on by default), toggled from
the Questions menu.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from starcoach.desktop.drill.screen import DrillScreen
from starcoach.desktop.shell import Pages, SpeechModel
from starcoach.desktop.state.app import AppState

if TYPE_CHECKING:
    from starcoach.desktop.review.screen import ReviewScreen
    from starcoach.desktop.settings import SettingsStore


def stored_effect(report_scores: dict, followups: list[dict]) -> dict | None:
    """The rating change recorded with a kept attempt's drill (its last judged reply's)."""
    judged = [f for f in followups if isinstance(f, dict) and f.get("verdict")]
    if not judged:
        return None
    last = judged[-1]
    return {"verdict_before_followups": report_scores.get("verdict"),
            "verdict": last.get("verdict"), "followup_effect": last.get("followup_effect")}


class DrillController(QObject):
    """The drill screen (``screen``, a child of ``parent`` for the window to show) on the
    answer ``review`` shows; hears replies with ``speech``'s model, keeps them in ``state``'s
    store and judges them on ``state``'s catalogue; ``settings`` (the settings store) holds
    whether probes are read aloud."""

    def __init__(self, parent: QWidget, state: AppState, *, review: ReviewScreen,
                 speech: SpeechModel, pages: Pages, settings: SettingsStore,
                 stream_factory: Any = None) -> None:
        super().__init__(parent)
        self.state, self.review, self.speech, self.pages = state, review, speech, pages
        self.settings = settings
        self.screen = DrillScreen(parent, settings=settings, stream_factory=stream_factory)
        review.followupsRequested.connect(self.start)
        self.screen.finished.connect(self._finished)
        self.screen.backRequested.connect(self._back)
        self.read_aloud_action = QAction("Read Follow-ups &Aloud", self, checkable=True)
        self.read_aloud_action.setChecked(self.read_aloud())
        self.read_aloud_action.toggled.connect(
            lambda on: settings.remember(read_aloud=bool(on)))

    def read_aloud(self) -> bool:
        return self.settings.load().read_aloud

    @property
    def recording(self) -> bool:
        return self.screen.busy

    def start(self) -> bool:
        """Follow-ups on the answer in the review (needs the speech model to hear replies)."""
        shown = self.state.review
        report = shown.report
        if report is None or self.state.practice.recording:
            return False
        transcriber = self.speech.ready_transcriber()
        if transcriber is None:
            return False
        self.review.playback.stop()
        self.screen.start(shown.attempt_id, report, report.question, report.level,
                          report.lens, transcriber, self.state.store,
                          read_aloud=self.read_aloud(), catalogue=self.state.catalogue)
        self.pages.show_page(self.screen)
        return True

    def show_stored(self, followups: list[dict]) -> None:
        """A kept attempt is in the review: show what its stored drill did to the rating."""
        report = self.state.review.report
        scores = report.scores if report is not None else {}
        self.review.metrics.set_followup_effect(stored_effect(scores, followups))

    def _finished(self, scores: dict) -> None:
        self.review.metrics.set_followup_effect(scores)

    def _back(self) -> None:
        progress = self.screen.progress
        if progress is not None and progress.results():
            self.review.metrics.set_followup_effect(progress.scores())
        self.pages.show_review()

    def stop_and_save(self) -> None:
        """The window is closing: keep a reply being recorded."""
        if self.screen.recording:
            self.screen.stop_and_save()
