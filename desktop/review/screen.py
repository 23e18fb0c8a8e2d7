"""The review screen: timeline, transcript, findings and metrics for one report, kept in step.

The answer shown, its manual split marks and its kept attempt are a ``ReviewState``
(``desktop.state``). Correcting the split writes the marks there, re-runs
``rubric.analyze`` with them (on the catalogue of the library it is given: the app's,
``AppState.library``) and hands the new report to every view at once.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop import style, wording
from starcoach.desktop.review.findings import FindingsPanel
from starcoach.desktop.review.metrics import MetricsPanel
from starcoach.desktop.review.playback import PlaybackBar
from starcoach.desktop.review.timeline import TimelineBar
from starcoach.desktop.review.transcript import TranscriptView
from starcoach.desktop.state.review import ReviewState
from starcoach.rubric.clock import clock
from starcoach.rubric.model import Finding, Report
from starcoach.rubric.packs import PackLibrary

RERECORD_SHORTCUT = "Ctrl+R"


@dataclass(frozen=True)
class _View:
    """Where the person was in the review: the finding they had selected and the word at
    the top of the transcript (by time: the exact words are not the quick ones)."""

    finding: Finding | None
    top_time: float | None
    top_offset: int


def _same_finding(old: Finding, report: Report) -> int:
    """``old``'s index in ``report``: the same rule on the same words, else the same rule
    over the same stretch of time (the exact transcript numbers its words anew); -1 if it
    is gone."""
    same_rule = [k for k, f in enumerate(report.findings) if f.rule == old.rule]
    for k in same_rule:
        if report.findings[k].word_span == old.word_span:
            return k
    overlaps = [(min(old.end_s, f.end_s) - max(old.start_s, f.start_s), k)
                for k in same_rule for f in (report.findings[k],)
                if f.start_s < old.end_s and old.start_s < f.end_s]
    return max(overlaps)[1] if overlaps else -1


class ReviewScreen(QWidget):
    rerecordRequested = Signal()
    followupsRequested = Signal()
    reportChanged = Signal(object)  # the new Report after a correction

    def __init__(self, parent: QWidget | None = None,
                 state: ReviewState | None = None,
                 library: PackLibrary | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Review")
        self.state = state if state is not None else ReviewState()
        self.library = library if library is not None else PackLibrary()
        self._syncing = False

        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Question")
        font = self.title.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setAccessibleName("Answer details")

        self.rerecord_action = QAction("&Re-record this question", self)
        self.rerecord_action.setShortcut(QKeySequence(RERECORD_SHORTCUT))
        self.rerecord_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.rerecord_action.setToolTip(f"Answer the same question again ({RERECORD_SHORTCUT})")
        self.rerecord_action.triggered.connect(self.rerecordRequested.emit)
        self.addAction(self.rerecord_action)
        self.reset_action = QAction("Reset s&plit", self)
        self.reset_action.setToolTip("Forget your section corrections and use the automatic "
                                     "split again")
        self.reset_action.setEnabled(False)
        self.reset_action.triggered.connect(self.reset_split)
        self.addAction(self.reset_action)
        rerecord = QPushButton(self.rerecord_action.text(), self)
        rerecord.setAccessibleName("Re-record this question")
        rerecord.setToolTip(self.rerecord_action.toolTip())
        rerecord.clicked.connect(self.rerecord_action.trigger)
        self.reset_button = QPushButton(self.reset_action.text(), self)
        self.reset_button.setAccessibleName("Reset split")
        self.reset_button.setToolTip(self.reset_action.toolTip())
        self.reset_button.clicked.connect(self.reset_action.trigger)
        self.reset_action.enabledChanged.connect(self.reset_button.setEnabled)
        self.reset_button.setEnabled(False)

        self.timeline = TimelineBar(self)
        self.transcript = TranscriptView(self)
        self.findings = FindingsPanel(self)
        self.metrics = MetricsPanel(self)
        self.playback = PlaybackBar(self)
        self.addAction(self.playback.toggle_action)
        self.playback.toggle_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(rerecord, 0, Qt.AlignmentFlag.AlignTop)
        self.followups_button = QPushButton("&Follow-up questions…", self)
        self.followups_button.setAccessibleName("Follow-up questions")
        self.followups_button.setToolTip("Answer the interviewer's follow-ups on this story, "
                                         "out loud (Ctrl+U)")
        self.followups_action = QAction("&Follow-up Questions…", self)
        self.followups_action.setShortcut(QKeySequence("Ctrl+U"))
        self.followups_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.followups_action.triggered.connect(self.followupsRequested.emit)
        self.addAction(self.followups_action)
        self.followups_button.clicked.connect(self.followups_action.trigger)
        self.followups_action.enabledChanged.connect(self.followups_button.setEnabled)
        header.addWidget(self.followups_button, 0, Qt.AlignmentFlag.AlignTop)
        # "Next question (2 of 5)" during a mock interview (the Questions menu drives it)
        self.next_button = QPushButton("Next question", self)
        self.next_button.setAccessibleName("Next question")
        self.next_button.setVisible(False)
        header.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignTop)

        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.transcript)
        left.addWidget(self.metrics)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 0)
        left.setChildrenCollapsible(False)
        main = QSplitter(Qt.Orientation.Horizontal, self)
        main.addWidget(left)
        main.addWidget(self.findings)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        main.setChildrenCollapsible(False)
        self.splitter = main

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.timeline)
        layout.addWidget(self.playback)
        layout.addWidget(main, 1)

        self.findings.findingSelected.connect(self._on_finding_selected)
        self.transcript.wordActivated.connect(self._on_word_activated)
        self.transcript.markRequested.connect(self.mark_section)
        self.playback.positionChanged.connect(self._on_playback_position)
        self.state.marks_changed.connect(self._on_marks)
        self.state.corrected.connect(self.reportChanged.emit)

    # ----------------------------------------------------------------- the state shown
    @property
    def report(self) -> Report | None:
        return self.state.report

    @property
    def attempt_id(self) -> int | None:
        """The history attempt shown, if any."""
        return self.state.attempt_id

    @property
    def marks(self) -> list[tuple[int, str]]:
        return self.state.marks

    @marks.setter
    def marks(self, marks: list[tuple[int, str]]) -> None:
        self.state.marks = marks

    @property
    def question_text(self) -> str:
        return self.state.question_text

    def _on_marks(self) -> None:
        self.reset_action.setEnabled(bool(self.state.marks))

    # ----------------------------------------------------------------- public API
    def set_report(self, report: Report, *, question_text: str | None = None,
                   keep_marks: bool = False, keep_view: bool = False) -> None:
        """Show ``report``; a new answer starts with no manual marks (its recording, if
        any, comes with :meth:`set_audio`). ``keep_view``: the same answer again (its
        exact words, a corrected split): the transcript stays where it was scrolled and the
        selected finding stays selected if the new report still has it."""
        view = self._view() if keep_view else None
        self.state.show(report, question_text, keep_marks)
        self.reset_action.setEnabled(bool(self.marks))
        self.title.setText(self.question_text or wording.principle_name(report.principle))
        parts = [wording.principle_name(report.principle), wording.level_name(report.level)]
        if report.lens:
            parts.append(f"{wording.lens_name(report.lens)} lens")
        parts.append(f"{clock(report.duration_s)} long")
        if report.timing == "estimated":
            parts.append("timings estimated from text")
        self.subtitle.setText(" · ".join(parts))
        self._syncing = True
        try:
            self.timeline.set_report(report)
            self.transcript.set_report(report)
            self.findings.set_report(report)
            self.metrics.set_report(report)
            self.playback.set_sections([(s.label, s.start_s, s.end_s)
                                        for s in report.sections])
        finally:
            self._syncing = False
        if view is not None:
            self._restore(view)

    def _view(self) -> _View | None:
        old = self.report
        if old is None:
            return None
        k = self.findings.selected_finding()
        finding = old.findings[k] if 0 <= k < len(old.findings) else None
        top = self.transcript.top_word()
        if top is None or not 0 <= top[0] < len(old.words):
            return _View(finding, None, 0)
        return _View(finding, old.words[top[0]].start, top[1])

    def _restore(self, view: _View) -> None:
        report = self.report
        assert report is not None
        index = _same_finding(view.finding, report) if view.finding is not None else -1
        if index >= 0:
            self.findings.select_finding(index)  # the caret goes to its words
        if view.top_time is not None and report.words:
            starts = [w.start for w in report.words]
            word = min(bisect.bisect_left(starts, view.top_time - 0.05), len(starts) - 1)
            self.transcript.scroll_word_to(word, view.top_offset, caret=index < 0)

    def set_audio(self, path, attempt_id: int | None = None) -> None:
        """The recording behind the shown report (``None``: nothing to play) and the history
        attempt it belongs to."""
        self.state.attempt_id = attempt_id
        self.metrics.set_followup_effect(None)  # a new answer: no follow-ups yet
        duration = self.report.duration_s if self.report is not None else 0.0
        self.playback.set_audio(path, duration)

    def play_from_word(self, index: int) -> bool:
        """Play the recording from word ``index`` (a little before it, so it is heard whole)."""
        if self.report is None or not self.playback.isVisibleTo(self) \
                or not 0 <= index < len(self.report.words):
            return False
        return self.playback.play(max(0.0, self.report.words[index].start - 0.1))

    def word_at_time(self, seconds: float) -> int:
        """The word being heard at ``seconds``: the last one started by then (-1: none)."""
        if self.report is None:
            return -1
        starts = [w.start for w in self.report.words]
        return bisect.bisect_right(starts, seconds + 1e-3) - 1

    def mark_section(self, word: int, label: str) -> None:
        """"<label> starts at ``word``": add the mark (replacing one on the same word) and
        re-analyse so every view updates."""
        self.state.mark(word, label)
        self._reanalyse()

    def reset_split(self) -> None:
        if self.marks:
            self.marks = []
            self._reanalyse()

    def select_finding(self, index: int) -> None:
        self.findings.select_finding(index)

    # ----------------------------------------------------------------- internals
    def reanalyse(self) -> None:
        """Re-run the rubric on the shown words with the current marks."""
        self._reanalyse()

    def _reanalyse(self) -> None:
        from starcoach.rubric.analyze import analyze

        old = self.report
        if old is None:
            return
        report = analyze(
            old.words, question=old.question,
            principle=None if old.question else old.principle,
            level=old.level, lens=old.lens, timing=old.timing, duration_s=old.duration_s,
            marks=list(self.marks), catalogue=self.library.catalogue(),
        )
        self.set_report(report, keep_marks=True, keep_view=True)
        self.state.corrected.emit(report)

    def _on_finding_selected(self, index: int) -> None:
        self.transcript.select_finding(index)

    def _on_playback_position(self, seconds: float) -> None:
        self.transcript.set_playing_word(self.word_at_time(seconds) if self.playback.playing
                                         or seconds > 0 else -1)

    def _on_word_activated(self, word: int) -> None:
        self.play_from_word(word)
        ids = self.transcript.findings_at_word(word)
        if not ids or self.report is None:
            self.findings.select_finding(-1)
            return
        findings = self.report.findings

        def rank(k: int) -> tuple[int, int]:
            f = findings[k]
            return (-style.SEVERITY_RANK.get(f.severity, 0), f.word_span[1] - f.word_span[0])

        current = self.findings.selected_finding()
        ordered = sorted(ids, key=rank)
        # Clicking again on words under several findings steps through them.
        if current in ordered:
            nxt = ordered[(ordered.index(current) + 1) % len(ordered)]
        else:
            nxt = ordered[0]
        self.findings.select_finding(nxt)
