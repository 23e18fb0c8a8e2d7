"""The practice screen's live view while an answer is spoken: the elapsed clock and the
one calm cue (the section now and its clock, amber once it runs over), and the resting view
between answers (the Situation's target). A mixin of ``PracticeScreen``, whose widgets,
session and targets it reads."""

from __future__ import annotations

import time
from typing import Any

from starcoach.desktop.practice.cue import Cue, current_cue
from starcoach.desktop.settings import effective_dark
from starcoach.rubric.clock import clock

TICK_MS = 100
REJUDGE_S = 1.0  # the live cue is judged again this often while no new words arrive
CALM = {"light": "#1F6FB2", "dark": "#6DB6FF"}
ALERT = {"light": "#B35C00", "dark": "#FFB347"}


class LiveView:
    session: Any
    targets: dict[str, float]
    live_report: Any
    _live_words: list  # the words so far of the answer being spoken
    _live_judged_at: float  # the elapsed time live_report was judged at
    cue: Cue | None
    transcriber: Any
    elapsed: Any
    cue_label: Any
    marks_label: Any
    meter: Any
    progress_bar: Any
    record_button: Any
    recording: bool

    def elapsed_s(self) -> float:
        return time.monotonic() - self.session.started_at if self.session else 0.0

    def _forget_live(self) -> None:
        """No answer being spoken: no live words, no judgement of them."""
        self.live_report = None
        self._live_words, self._live_judged_at = [], 0.0

    def _on_live_words(self, words: list) -> None:
        if self.session is None or not self.recording or not words:
            return
        self._live_words = words
        self._judge_live(self.elapsed_s())
        self._tick()

    def _judge_live(self, elapsed: float) -> None:
        """Judge the section now from the words so far. Also run from the clock once a
        second: how long the speaker has been past the last word heard is evidence too."""
        from starcoach.rubric.live import live_state

        self._live_judged_at = elapsed
        self.live_report = live_state(
            self._live_words, elapsed, answer_target_s=self.targets.get("answer", 120.0),
            situation_target_s=self.targets.get("situation", 45.0))

    def _tick(self) -> None:
        if self.session is None:
            return
        elapsed = self.elapsed_s()
        if (self.recording and self._live_words
                and elapsed - self._live_judged_at >= REJUDGE_S):
            self._judge_live(elapsed)
        self.elapsed.setText(clock(elapsed))
        self.cue = current_cue(self.live_report, elapsed, self.session.marks, self.targets)
        self._show_cue(self.cue)

    def _show_cue(self, cue: Cue) -> None:
        theme = "dark" if effective_dark() else "light"
        color = (ALERT if cue.alert else CALM)[theme]
        self.cue_label.setText(cue.text())
        self.cue_label.setStyleSheet(f"color: {color};" + (" font-weight: bold;"
                                                           if cue.alert else ""))
        self.cue_label.setProperty("alert", cue.alert)

    def _idle_view(self) -> None:
        self.progress_bar.hide()
        self.elapsed.setText("0:00")
        self.meter.reset()
        self.marks_label.setText("")
        target = self.targets.get("situation")
        self.cue_label.setStyleSheet("")
        self.cue_label.setText(
            f"Situation target {clock(target)}" if target else "")
        if self.transcriber is not None:
            self.record_button.setEnabled(True)
            self.record_button.setText("Start answer (Space)")
