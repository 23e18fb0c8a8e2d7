"""The status bar's progress for background transcriptions: one line and a bar.

The quick review after Stop has its own bar on the practice screen; everything that runs
on after it (the exact words, a kept recording transcribed again, a follow-up reply) is
followed here, wherever the person is in the window ("Exact words: 1:10 of 2:45"). Hidden
when the runner has nothing left.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget
from starcoach.desktop.practice.runner import TranscriptionJob, TranscriptionRunner
from starcoach.desktop.practice.waiting import QUICK, JobProgress, progress_text


class WorkStatus(QWidget):
    def __init__(self, runner: TranscriptionRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Background transcription")
        self.runner = runner
        self.label = QLabel("", self)
        self.label.setAccessibleName("Transcription progress")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(160)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        self.hide()
        runner.jobProgress.connect(self._on_progress)
        runner.jobEnded.connect(self._on_ended)
        runner.idle.connect(self.hide)

    def _on_progress(self, job: TranscriptionJob, p: JobProgress) -> None:
        if p.stage == QUICK or job.finished or job.is_cancelled():
            return
        self.label.setText(progress_text(p))
        self.bar.setValue(p.percent)
        self.show()

    def _on_ended(self, _job: TranscriptionJob, _state: str) -> None:
        if not self.runner.busy:
            self.hide()
